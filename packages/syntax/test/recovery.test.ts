// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza source text uses `${…}`.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { printSExpr } from "../src/index.js";
import { anyText, cadenzaProgram, cadenzaSoup } from "./arbitraries.js";
import { checkErrors, parseText, render } from "./helpers.js";

// LANGUAGE.md §3.6 and the parse-error row of §8.2.
describe("parse errors (§3.6)", () => {
  it("reports a missing operand at the end of a line", () => {
    const result = checkErrors("a +\nb", ["expected expression, found `end of line`"]);
    expect(render(result)).toBe(
      [
        "error: expected expression, found `end of line`",
        " --> test.cdz:1:4",
        "  |",
        "1 | a +",
        "  |    ^ expected an expression",
        "  |",
        "",
      ].join("\n"),
    );
    expect(result.items.map((i) => printSExpr(i))).toEqual(["(+ a <error>)", "b"]);
  });

  it("reports a missing operand at the end of the file", () => {
    const result = checkErrors("a +\n", ["unexpected end of file"]);
    expect(result.diagnostics[0]?.primary.span).toEqual({ start: 3, end: 3 });
    checkErrors("let x =", ["unexpected end of file"]);
    checkErrors("f =\n    x +", ["unexpected end of file"]);
  });

  it("reports a missing operand before a closer or a comma", () => {
    const result = checkErrors("(a + ) b", ["expected expression, found `)`"]);
    expect(result.diagnostics[0]?.primary.span).toEqual({ start: 5, end: 6 });
    expect(result.items.map((i) => printSExpr(i))).toEqual(["((+ a <error>) b)"]);
    checkErrors("[a = , b]", ["expected expression, found `,`"]);
    checkErrors("if a + then b", ["expected expression, found `then`"]);
  });

  it("reports an unexpected token and skips the rest of the item", () => {
    const result = checkErrors("let x = )\nlet y = 5", ["expected expression, found `)`"]);
    expect(result.items.map((i) => printSExpr(i))).toEqual([
      "(= (let x) <error>)",
      "(= (let y) 5)",
    ]);
    const skipped = checkErrors("foo ) bar\n    deeper (\nnext", [
      "expected expression, found `)`",
    ]);
    expect(skipped.items.map((i) => printSExpr(i))).toEqual(["(foo <error>)", "next"]);
  });

  it("keeps one parse error per item and goes on with the next item", () => {
    const result = checkErrors("let a = 1\n)\nlet b = 2\n]\nlet c = 3", [
      "expected expression, found `)`",
      "expected expression, found `]`",
    ]);
    expect(result.items.map((i) => printSExpr(i))).toEqual([
      "(= (let a) 1)",
      "<error>",
      "(= (let b) 2)",
      "<error>",
      "(= (let c) 3)",
    ]);
    checkErrors("(a + ) (b + )", ["expected expression, found `)`"]);
  });

  it("reports errors in different block items separately", () => {
    checkErrors("f =\n    a +\n    b )\n    c", [
      "expected expression, found `end of line`",
      "expected expression, found `)`",
    ]);
  });

  it("reports reserved punctuation", () => {
    checkErrors("a ; b", ["expected expression, found `;`"]);
    checkErrors("`x`", ["expected expression, found ```"]);
  });

  it("reports stray closers and commas", () => {
    checkErrors(")", ["expected expression, found `)`"]);
    checkErrors("]", ["expected expression, found `]`"]);
    checkErrors("}", ["expected expression, found `}`"]);
    checkErrors(",", ["expected expression, found `,`"]);
  });

  it("reports empty slots before commas, but allows a trailing comma", () => {
    for (const input of ["[, a, b]", "[,,,]", "[\n a\n,,c]", "{ a = 1,, b = 2 }", "(, a)"]) {
      checkErrors(input, ["expected expression before comma"]);
    }
    const result = checkErrors("arr[1,]", ["expected expression before comma"]);
    expect(render(result)).toContain("expected an element before this comma");
    checkErrors("[1, 2,]", []);
    checkErrors("(1,)", []);
  });

  it("reports an empty index and an empty unquote", () => {
    checkErrors("arr[]", ["expected expression, found `]`"]);
    checkErrors("${}", ["expected expression, found `}`"]);
  });

  it("closes an unclosed delimiter at a line no deeper than its opener (§3.4)", () => {
    const result = checkErrors("foo [\nbar", ["expected `]`"]);
    expect(render(result)).toBe(
      [
        "error: expected `]`",
        " --> test.cdz:2:1",
        "  |",
        "1 | foo [",
        "  |     - unclosed delimiter",
        "2 | bar",
        "  | ^^^ expected `]` here",
        "  |",
        "",
      ].join("\n"),
    );
    expect(result.items.map((i) => printSExpr(i))).toEqual(["(foo (__list__))", "bar"]);
    checkErrors("{ a = 1,\nfoo", ["expected `}`"]);
    checkErrors("{\n  a = 1\nfoo", ["expected `}`"]);
    checkErrors("x = (a,\n  b\nc", ["expected `)`"]);
  });

  it("reports a delimiter still open at the end of the file", () => {
    const result = checkErrors("foo (1, 2", ["expected `)`"]);
    expect(result.diagnostics[0]?.primary.span).toEqual({ start: 9, end: 9 });
    expect(result.diagnostics[0]?.secondary[0]?.span).toEqual({ start: 4, end: 5 });
    checkErrors("[1, [2", ["expected `]`"]);
    checkErrors("${x", ["expected `}`"]);
  });

  it("closes an inner delimiter when an outer closer comes", () => {
    const result = checkErrors("[1, (2]", ["expected `)`"]);
    expect(result.items.map((i) => printSExpr(i))).toEqual(["(__list__ 1 2)"]);
  });

  it("reports a lambda without an arrow", () => {
    const result = checkErrors("\\x y\nz", ["expected `->`"]);
    expect(render(result)).toContain("expected `->` here");
    expect(result.items.map((i) => printSExpr(i))).toEqual(["(-> (\\ x y) <error>)", "z"]);
    checkErrors("f \\x + 1", ["expected `->`"]);
  });

  it("reports an `if` without `then`", () => {
    const result = checkErrors("if c\nz", ["expected `then`"]);
    expect(render(result)).toContain("expected `then` here");
    expect(result.items.map((i) => printSExpr(i))).toEqual(["(if c <error>)", "z"]);
  });

  it("reports unterminated interpolated strings and symbols", () => {
    checkErrors('$"abc ${x}', ["unterminated string literal"]);
    checkErrors(':"abc ${x}', ["unterminated string literal"]);
    // The unclosed `${` is a parse error, the missing quote a lexical one: both are reported.
    checkErrors('$"abc ${x', ["unterminated string literal", "expected `}`"]);
  });

  it("keeps parsing the rest of the file after any error", () => {
    const result = parseText("let a = (\nlet b = ]\nlet c = 3");
    expect(result.items.map((i) => printSExpr(i)).at(-1)).toBe("(= (let c) 3)");
  });
});

describe("robustness", () => {
  const neverThrows = (text: string): void => {
    const result = parseText(text);
    expect(Array.isArray(result.items)).toBe(true);
    for (const d of result.diagnostics) {
      expect(d.code).toMatch(/^syntax\/[a-z-]+$/);
      expect(d.primary.span.start).toBeGreaterThanOrEqual(0);
      expect(d.primary.span.end).toBeLessThanOrEqual(text.length);
      expect(d.primary.span.start).toBeLessThanOrEqual(d.primary.span.end);
    }
    for (const item of result.items) {
      expect(item.span.start).toBeGreaterThanOrEqual(0);
      expect(item.span.end).toBeLessThanOrEqual(text.length);
    }
  };

  it("never throws, and reports sane spans, on arbitrary input", () => {
    fc.assert(fc.property(anyText, neverThrows), { numRuns: 500 });
    fc.assert(fc.property(cadenzaSoup, neverThrows), { numRuns: 1000 });
    fc.assert(fc.property(cadenzaProgram, neverThrows), { numRuns: 200 });
  });

  it("inserts an arrow and a body in a row without looping", () => {
    // Two zero-length insertions at one position once made Lezer's token cache replay the
    // second forever: every zero-length token must change the context hash.
    neverThrows("{\\");
    neverThrows("{\\    ");
    neverThrows("(\\x");
    expect(parseText("{\\").diagnostics.map((d) => d.message)).toEqual(["expected `->`"]);
  });

  it("survives deep nesting", () => {
    neverThrows("(".repeat(5000) + ")".repeat(5000));
    neverThrows("[".repeat(5000));
    neverThrows(`x = ${"- ".repeat(3000)}1`);
    neverThrows(Array.from({ length: 3000 }, (_, i) => `a${i}`).join(" + "));
    neverThrows(`f ${Array.from({ length: 5000 }, (_, i) => `a${i}`).join(" ")}`);
  });

  it("reports a diagnostic for every Lezer error node it could not avoid", () => {
    fc.assert(
      fc.property(cadenzaSoup, (text) => {
        const result = parseText(text);
        let errorNodes = 0;
        result.tree.iterate({
          enter(n) {
            if (n.type.isError) errorNodes++;
          },
        });
        if (errorNodes > 0) expect(result.diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
