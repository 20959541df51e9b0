import { describe, expect, it } from "vitest";
import { type Catalogue, catalogueFor, type Problem } from "../src/catalogue.js";
import { diagnostic } from "../src/diagnostic.js";
import { renderDiagnostic } from "../src/render.js";
import { SourceFile } from "../src/source.js";
import type { Span } from "../src/span.js";

/** check(phase, source, build, expected rendering) — the one helper of this file. */
const check = (
  phase: string,
  text: string,
  build: (c: Catalogue, at: (needle: string) => Span) => Problem,
  expected: string,
): void => {
  const at = (needle: string): Span => {
    const start = text.indexOf(needle);
    if (start < 0) throw new Error(`${needle} not in source`);
    return { start, end: start + needle.length };
  };
  const p = build(catalogueFor(phase), at);
  expect(p.code.startsWith(`${phase}/`)).toBe(true);
  const source = new SourceFile("test.cdz", text);
  expect(renderDiagnostic(diagnostic({ ...p, file: "test.cdz" }), source)).toBe(expected);
};

describe("catalogueFor", () => {
  it("writes the §8.1 example as the catalogue's tuple entry, with the phase's code", () => {
    const text = "let (x, y) = (1, 2, 3)";
    check(
      "eval",
      text,
      (c, at) => c.tupleLengthMismatch(at("(x, y)"), 2, at("(1, 2, 3)"), 3),
      [
        "error: pattern match failed",
        " --> test.cdz:1:5",
        "  |",
        "1 | let (x, y) = (1, 2, 3)",
        "  |     ^^^^^^   --------- this tuple has 3 elements",
        "  |     |",
        "  |     this pattern expects 2 elements",
        "  |",
        "  = note: tuple patterns must match the number of elements",
        "",
      ].join("\n"),
    );
  });

  it("gives each phase the same words under its own code", () => {
    const span = { start: 0, end: 1 };
    const a = catalogueFor("eval").arityMismatch(span, "function", "f", ["x"], 1, 2);
    const b = catalogueFor("types").arityMismatch(span, "function", "f", ["x"], 1, 2);
    expect(a.code).toBe("eval/arity-mismatch");
    expect(b.code).toBe("types/arity-mismatch");
    expect({ ...a, code: "" }).toEqual({ ...b, code: "" });
    expect(a.notes).toEqual([
      { kind: "note", message: "function `f` is defined with parameter: x" },
      { kind: "help", message: "remove the extra argument(s)" },
    ]);
  });

  it("leaves the parameter note out when the parameters are not known", () => {
    const p = catalogueFor("types").arityMismatch(
      { start: 0, end: 1 },
      "function",
      undefined,
      undefined,
      2,
      1,
    );
    expect(p.primary.message).toBe("function expects 2 arguments, got 1");
    expect(p.notes).toEqual([{ kind: "help", message: "provide the missing argument(s)" }]);
  });

  it("puts extra notes between the dimensions and the help", () => {
    const extra = [{ kind: "note" as const, message: "via `f`" }];
    const p = catalogueFor("types").incompatibleDimensions(
      { start: 0, end: 1 },
      "+",
      "meter",
      "second",
      "meter",
      "second",
      extra,
    );
    expect(p.primary.message).toBe("cannot add `meter` and `second`");
    expect(p.notes?.map((n) => n.message)).toEqual([
      "left side has dimension: meter",
      "right side has dimension: second",
      "via `f`",
      "addition requires matching dimensions",
    ]);
  });
});
