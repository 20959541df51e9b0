import { applyEdits } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import { codeActions } from "../src/index.ts";
import { fixture } from "./helpers.ts";

/** The quick fixes at `$0` are `titles`; applying the first gives `fixed`. */
function check(source: string, titles: string[], fixed?: string): void {
  const { file, cursor, text } = fixture(source);
  const actions = codeActions(file, { start: cursor, end: cursor });
  expect(actions.map((a) => a.title)).toEqual(titles);
  if (fixed !== undefined) expect(applyEdits(text, actions[0]!.edits)).toBe(fixed);
}

describe("code actions", () => {
  it("fixes a misspelt name (did you mean)", () =>
    check(
      "let count = 1\ncount + $0cuont",
      ["Replace with `count`"],
      "let count = 1\ncount + count",
    ));
  it("turns a reassignment of an unknown name into a let", () =>
    check("$0total = 3", ["Create a new binding with `let total`"], "let total = 3"));
  it("offers close field names", () =>
    check(
      "let r = { alpha = 1, beta = 2 }\nr.$0alpah",
      ["Replace with `alpha`"],
      "let r = { alpha = 1, beta = 2 }\nr.alpha",
    ));
  it("offers nothing where there is no diagnostic", () => check("let $0x = 1", []));
  it("prefers a phase's own fixes", () => {
    const { file } = fixture("x");
    const d = {
      ...file.diagnostics[0]!,
      fixes: [{ message: "Own fix", edits: [{ span: { start: 0, end: 1 }, newText: "y" }] }],
    };
    const actions = codeActions({ ...file, diagnostics: [d] }, { start: 0, end: 1 });
    expect(actions.map((a) => [a.title, a.preferred])).toEqual([["Own fix", true]]);
  });
});
