import { renderDiagnostics, SourceFile } from "@cadenza/core";
import {
  conformanceDir,
  loadCases,
  loadSyntaxCases,
  MISSING_CONFORMANCE,
} from "@cadenza/test-support";
import { describe, expect, it } from "vitest";
import { parse } from "../src/index.js";

// The shared conformance data: `$CADENZA_CONFORMANCE`, else `shared/conformance` beside the
// repository (never copied into it). Skipped, with a message, when absent.
const dir = conformanceDir();

/** Messages of lexical and parse errors (§3.6, §8.2): an expected output starting with one is ours. */
const SYNTAX_MESSAGES: readonly RegExp[] = [
  /^integer literal is too large$/,
  /^unknown escape sequence$/,
  /^invalid unicode escape$/,
  /^unterminated string literal$/,
  /^unterminated character literal$/,
  /^empty character literal$/,
  /^character literal contains multiple characters$/,
  /^expected expression, found `.*`$/,
  /^unexpected end of file$/,
  /^expected `[)\]}]`$/,
  /^expected expression before comma$/,
  /^expected `->`$/,
  /^expected `then`$/,
];

function parseText(text: string): ReturnType<typeof parse> {
  return parse(SourceFile.fromRaw("test.cdz", text));
}

function expectsSyntaxError(expected: string | undefined): boolean {
  const first = expected?.split("\n", 1)[0] ?? "";
  return first.startsWith("error: ") && SYNTAX_MESSAGES.some((re) => re.test(first.slice(7)));
}

describe.skipIf(dir === undefined)("conformance: syntax/", () => {
  if (dir === undefined) {
    console.warn(MISSING_CONFORMANCE);
    return;
  }
  const files = loadSyntaxCases(dir);
  const valid = files.filter((f) => f.valid);
  const invalid = files.filter((f) => !f.valid);

  it("lists both kinds of files", () => {
    expect(valid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
  });

  it.each(valid.map((f) => [f.file, f.text] as const))("%s parses without errors", (_, text) => {
    expect(parseText(text).diagnostics.map((d) => d.message)).toEqual([]);
  });

  it.each(invalid.map((f) => [f.file, f.text] as const))(
    "%s yields at least one error",
    (_, text) => {
      expect(parseText(text).diagnostics.length).toBeGreaterThan(0);
    },
  );
});

describe.skipIf(dir === undefined)("conformance: case inputs", () => {
  if (dir === undefined) return;
  const cases = loadCases(dir);
  const clean = cases.filter((c) => !expectsSyntaxError(c.expected));
  const lexical = cases.filter((c) => expectsSyntaxError(c.expected));

  it("finds the cases", () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it.each(clean.map((c) => [c.id, c.input] as const))("%s parses without errors", (_, input) => {
    expect(parseText(input).diagnostics.map((d) => d.message)).toEqual([]);
  });

  it.for(lexical.map((c) => [c.id, c] as const))(
    "%s renders exactly its expected diagnostics",
    ([, c], context) => {
      if (c.status === "suspect") context.skip("marked suspect in status.json");
      const source = SourceFile.fromRaw("test.cdz", c.input);
      const result = parse(source);
      expect(renderDiagnostics(result.diagnostics, () => source)).toBe(c.expected);
    },
  );

  it("covers the lexical error cases of 01-literals", () => {
    expect(lexical.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        "01-literals/error-integer-overflow",
        "01-literals/error-invalid-escape-in-string",
        "01-literals/error-unterminated-string",
      ]),
    );
  });
});
