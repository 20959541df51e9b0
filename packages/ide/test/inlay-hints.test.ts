import { describe, expect, it } from "vitest";
import { type InlayHintOptions, inlayHints } from "../src/index.ts";
import { fixture } from "./helpers.ts";

/** The hints of `source`, each written `text-before⟨label⟩`, are `expected`. */
function check(source: string, expected: string[], options?: InlayHintOptions): void {
  const { file, text } = fixture(source);
  const hints = inlayHints(file, undefined, options).map((h) => {
    const lineStart = text.lastIndexOf("\n", h.offset - 1) + 1;
    return `${text.slice(lineStart, h.offset)}⟨${h.label}⟩`;
  });
  expect(hints).toEqual(expected);
}

const program =
  "measure meter\nmeasure second\nfn speed d t = d / t\nlet v = speed 100meter 9.58second\nlet n: Integer = 3";

describe("inlay hints", () => {
  it("shows let types and return types by default", () =>
    check(program, ["fn speed d t⟨-> Quantity c u/v⟩", "let v⟨: Quantity Float meter/second⟩"]));
  it("shows parameter types when asked, named like the return type", () =>
    check(
      program,
      [
        "fn speed d⟨: Quantity a u⟩",
        "fn speed d t⟨: Quantity b v⟩",
        "fn speed d t⟨-> Quantity c u/v⟩",
        "let v⟨: Quantity Float meter/second⟩",
      ],
      { parameterTypes: true },
    ));
  it("shows only units when types are off", () =>
    check(program, ["fn speed d t⟨-> u/v⟩", "let v⟨: meter/second⟩"], {
      variableTypes: false,
      returnTypes: false,
    }));
  it("shows nothing when every kind is off", () =>
    check(program, [], { variableTypes: false, returnTypes: false, units: false }));
  it("never annotates what is annotated", () => check("let n: Integer = 3", []));
  it("limits hints to a range", () => {
    const { file } = fixture("let a = 1\nlet b = 2");
    expect(inlayHints(file, { start: 10, end: 19 }).map((h) => h.label)).toEqual([": Integer"]);
  });
});
