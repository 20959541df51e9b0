// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza source text uses `${…}`.
import { SourceFile } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import {
  decodeChar,
  decodeEscapes,
  decodeNumber,
  decodeString,
  endOfInput,
  MAX_INTEGER,
  MIN_INTEGER,
} from "../src/index.js";
import { checkErrors, parseText, render } from "./helpers.js";

const source = new SourceFile("test.cdz", "");

describe("numbers (§2)", () => {
  it("decodes integers and floats, ignoring underscores", () => {
    expect(decodeNumber("1_000_000", 0, source).value).toEqual({
      type: "integer",
      value: 1000000n,
    });
    expect(decodeNumber("0", 0, source).value).toEqual({ type: "integer", value: 0n });
    expect(decodeNumber("3.14", 0, source).value).toEqual({ type: "float", value: 3.14 });
    expect(decodeNumber("1.0", 0, source).value).toEqual({ type: "float", value: 1 });
    expect(decodeNumber("2e3", 0, source).value).toEqual({ type: "float", value: 2000 });
    expect(decodeNumber("3.2e-5", 0, source).value).toEqual({ type: "float", value: 3.2e-5 });
    expect(decodeNumber("1_0.5_0", 0, source).value).toEqual({ type: "float", value: 10.5 });
  });

  it("checks the 128-bit range of Integer literals", () => {
    expect(MAX_INTEGER).toBe(2n ** 127n - 1n);
    expect(MIN_INTEGER).toBe(-(2n ** 127n));
    expect(decodeNumber(MAX_INTEGER.toString(), 0, source).value).toEqual({
      type: "integer",
      value: MAX_INTEGER,
    });
    const tooLarge = decodeNumber((MAX_INTEGER + 1n).toString(), 0, source);
    expect(tooLarge.value).toBeUndefined();
    expect(tooLarge.diagnostics.map((d) => d.message)).toEqual(["integer literal is too large"]);
  });

  it("renders the overflow diagnostic of §8.2", () => {
    const result = checkErrors("x = 999999999999999999999999999999999999999999", [
      "integer literal is too large",
    ]);
    expect(render(result)).toContain("exceeds maximum 128-bit integer value");
    expect(render(result)).toContain(
      "= note: maximum value is 170141183460469231731687303715884105727",
    );
    expect(render(result)).toContain(
      "= help: consider using a BigInt type for arbitrarily large integers",
    );
    checkErrors("170141183460469231731687303715884105728meter", ["integer literal is too large"]);
  });
});

describe("escapes (§2)", () => {
  const decode = (body: string): string | undefined =>
    decodeEscapes(body, 0, "string", source).value;

  it("decodes every escape", () => {
    expect(decode("a\\nb\\tc\\rd\\\\e\\\"f\\'g\\0h")).toBe("a\nb\tc\rd\\e\"f'g\0h");
    expect(decode("\\u{41}\\u{3bb}\\u{1F30D}\\u{0}")).toBe("Aλ🌍\0");
    expect(decode("\\u{10FFFF}")).toBe("\u{10FFFF}");
    expect(decode("no escapes")).toBe("no escapes");
  });

  it("reports unknown escapes with the catalogue's texts", () => {
    const inString = decodeEscapes("a\\xb", 10, "string", source);
    expect(inString.value).toBeUndefined();
    const [d] = inString.diagnostics;
    expect(d?.message).toBe("unknown escape sequence");
    expect(d?.primary).toEqual({ span: { start: 11, end: 13 }, message: "unknown escape: \\x" });
    expect(d?.notes).toEqual([
      { kind: "note", message: 'valid escape sequences are: \\n \\t \\r \\\\ \\" \\u{...}' },
      { kind: "help", message: "use \\\\ to include a literal backslash" },
    ]);
    const inChar = decodeEscapes("\\q", 0, "char", source);
    expect(inChar.diagnostics[0]?.notes[0]?.message).toBe(
      "valid escape sequences are: \\n \\t \\r \\\\ \\' \\u{...}",
    );
    expect(decodeEscapes("\\🎉", 0, "string", source).diagnostics[0]?.primary.span).toEqual({
      start: 0,
      end: 3,
    });
  });

  it("reports invalid unicode escapes", () => {
    for (const bad of [
      "\\u{}",
      "\\u{1234567}",
      "\\u{110000}",
      "\\u{D800}",
      "\\u{zz}",
      "\\u41",
      "\\u{12",
    ]) {
      const decoded = decodeEscapes(bad, 0, "string", source);
      expect(decoded.value, bad).toBeUndefined();
      expect(
        decoded.diagnostics.map((d) => d.message),
        bad,
      ).toEqual(["invalid unicode escape"]);
      expect(decoded.diagnostics[0]?.primary.message).toBe("not a valid Unicode scalar value");
      expect(decoded.diagnostics[0]?.notes[0]?.message).toBe(
        "write \\u{...} with 1 to 6 hex digits",
      );
    }
    expect(decodeEscapes("\\u{110000}x", 0, "string", source).diagnostics[0]?.primary.span).toEqual(
      {
        start: 0,
        end: 10,
      },
    );
  });

  it("reports every bad escape of a literal", () => {
    checkErrors('"\\x \\y"', ["unknown escape sequence", "unknown escape sequence"]);
  });
});

describe("strings (§2)", () => {
  it("keeps line breaks and does not interpolate", () => {
    expect(decodeString('"a\nb"', 0, source).value).toBe("a\nb");
    expect(decodeString('"${x}"', 0, source).value).toBe("${x}");
    expect(decodeString('""', 0, source).value).toBe("");
  });

  it("reports an unterminated string at the end of input, positioned at the quote", () => {
    const file = new SourceFile("test.cdz", 'x = "hello world\n\n');
    const decoded = decodeString('"hello world\n\n', 4, file);
    const [d] = decoded.diagnostics;
    expect(d?.message).toBe("unterminated string literal");
    expect(d?.position).toBe(4);
    expect(d?.primary).toEqual({
      span: { start: 16, end: 16 },
      message: "missing closing double quote",
    });
    expect(d?.notes.map((n) => `${n.kind}: ${n.message}`)).toEqual([
      "note: string literals must have a closing quote",
      'help: try adding a closing "',
    ]);
    expect(endOfInput(file)).toEqual({ start: 16, end: 16 });
    expect(decodeString('"abc\\"', 0, file).diagnostics[0]?.message).toBe(
      "unterminated string literal",
    );
  });
});

describe("characters (§2)", () => {
  const decode = (
    text: string,
  ): { value: string | undefined; messages: string[]; labels: string[] } => {
    const d = decodeChar(text, 0, source);
    return {
      value: d.value,
      messages: d.diagnostics.map((x) => x.message),
      labels: d.diagnostics.map((x) => x.primary.message),
    };
  };

  it("decodes one scalar value", () => {
    expect(decode("'a'").value).toBe("a");
    expect(decode("'λ'").value).toBe("λ");
    expect(decode("'🎉'").value).toBe("🎉");
    expect(decode("'\\n'").value).toBe("\n");
    expect(decode("'\\''").value).toBe("'");
    expect(decode("'\\u{1F30D}'").value).toBe("🌍");
  });

  it("reports the character errors of §8.2", () => {
    expect(decode("''")).toEqual({
      value: undefined,
      messages: ["empty character literal"],
      labels: ["this character literal is empty"],
    });
    expect(decode("'ab'")).toEqual({
      value: undefined,
      messages: ["character literal contains multiple characters"],
      labels: ["contains 2 characters"],
    });
    expect(decode("'abc")).toEqual({
      value: undefined,
      messages: ["unterminated character literal"],
      labels: ["missing closing single quote"],
    });
    const multi = decodeChar("'ab'", 0, source).diagnostics[0];
    expect(multi?.notes.map((n) => n.message)).toEqual([
      "character literals can only contain a single Unicode scalar value",
      'use a string literal "ab" for multiple characters',
    ]);
    const empty = decodeChar("''", 0, source).diagnostics[0];
    expect(empty?.notes.map((n) => n.message)).toEqual([
      "character literals must contain exactly one character",
      'try using \\"\\" for an empty string instead',
    ]);
  });

  it("ends an unterminated character literal at the end of its line", () => {
    const result = checkErrors("x = 'ab\ny", ["unterminated character literal"]);
    expect(result.diagnostics[0]?.primary.span).toEqual({ start: 4, end: 7 });
    expect(parseText("x = 'ab\ny").items.length).toBe(2);
  });
});
