import { SourceFile } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import { analyzeSource } from "../src/index.ts";

/** The merged diagnostics of `text`: `code@start:end` with the number of secondary labels. */
function check(text: string, expected: string[], options = {}): void {
  const file = analyzeSource(new SourceFile("a.cdz", text), options);
  expect(
    file.diagnostics.map(
      (d) =>
        `${d.code}@${d.primary.span.start}:${d.primary.span.end}+${d.secondary.length} ${d.severity}`,
    ),
  ).toEqual(expected);
}

describe("merged diagnostics", () => {
  it("reports a problem both phases find once, with the checker's labels", () =>
    check('let n: Integer = "s"', ["eval/type-mismatch@17:20+1 error"]));
  it("keeps problems only the checker finds (code that never ran)", () =>
    check('fn g =\n    let n: Integer = "s"\n    n', ["types/type-mismatch@28:31+1 error"]));
  it("puts parse diagnostics first", () =>
    check("let x = [1,\nlet y = nope", [
      "syntax/unclosed-delimiter@12:15+1 error",
      "eval/undefined-variable@20:24+0 error",
    ]));
  it("turns a budget stop into a warning", () =>
    check("fn loop n = loop (n + 1)\nloop 0", ["eval/step-budget-exhausted@12:24+0 warning"], {
      steps: 1000,
    }));
});
