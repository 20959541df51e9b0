import { SourceFile } from "@cadenza/core";
import { conformanceDir, loadCases, loadSyntaxCases } from "@cadenza/test-support";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { evaluateSource } from "../src/index.js";

const budget = { steps: 20_000, allocations: 200_000 };

function evaluateQuietly(text: string): void {
  const r = evaluateSource(SourceFile.fromRaw("fuzz.cdz", text), { budget });
  // Every failure is a diagnostic, never an exception; internal errors would be bugs.
  expect(r.diagnostics.filter((d) => d.code === "eval/internal-error")).toEqual([]);
}

const tokens = [
  "let",
  "fn",
  "macro",
  "measure",
  "struct",
  "enum",
  "type",
  "use",
  "match",
  "if",
  "then",
  "else",
  "for",
  "in",
  "quote",
  "typeof",
  "docof",
  "assert",
  "x",
  "y",
  "f",
  "meter",
  "Point",
  "List.map",
  "Record.split",
  "Cell.new",
  "Type.fields",
  "Syntax.apply",
  "=",
  "==",
  "+",
  "-",
  "*",
  "/",
  "%",
  "**",
  "<",
  "&&",
  "||",
  "|>",
  "..",
  "..=",
  "=>",
  "->",
  "\\x",
  ".",
  ":",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  "...",
  "${",
  "0",
  "1",
  "-1",
  "2.5",
  "1/3",
  '"s"',
  "'c'",
  ':"k"',
  "true",
  "()",
  "\n",
  "\n    ",
  "@unhygienic",
  "## doc\n",
  "_",
];

describe("the evaluator never throws", () => {
  test.prop([fc.array(fc.constantFrom(...tokens), { maxLength: 40 }).map((ts) => ts.join(" "))], {
    numRuns: 300,
  })("on token soup", (text) => {
    evaluateQuietly(text);
  });

  const dir = conformanceDir();
  it.skipIf(dir === undefined)("on every parser input of the shared cases", () => {
    for (const c of loadSyntaxCases(dir!)) evaluateQuietly(c.text);
  });

  it.skipIf(dir === undefined)("on every conformance program with a line removed", () => {
    for (const c of loadCases(dir!)) {
      const lines = c.input.split("\n");
      for (let i = 0; i < lines.length; i++)
        evaluateQuietly(lines.filter((_, j) => j !== i).join("\n"));
    }
  });
});
