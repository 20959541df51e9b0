import { applyEdits } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import { prepareRename, rename } from "../src/index.ts";
import { fixture } from "./helpers.ts";

/** Renaming at `$0` to `newName` gives `expected` (a program), or fails with a message matching it (a RegExp). */
function check(source: string, newName: string, expected: string | RegExp): void {
  const { file, cursor, text } = fixture(source);
  const result = rename(file, cursor, newName);
  if (expected instanceof RegExp) {
    expect(result.kind).toBe("error");
    if (result.kind === "error") expect(result.message).toMatch(expected);
    return;
  }
  expect(result.kind, result.kind === "error" ? result.message : "").toBe("ok");
  if (result.kind === "ok") expect(applyEdits(text, result.edits)).toBe(expected);
}

describe("rename", () => {
  it("renames a binding and its uses", () =>
    check("let $0x = 1\nlet y = x + x", "count", "let count = 1\nlet y = count + count"));
  it("renames only the binding the cursor refers to", () =>
    check("let x = 1\nlet a = x\nlet x = 2\n$0x", "z", "let x = 1\nlet a = x\nlet z = 2\nz"));
  it("renames from a use", () =>
    check("fn f n = n * 2\n$0f 3", "double", "fn double n = n * 2\ndouble 3"));
  it("renames parameters", () =>
    check("fn f $0n = n * 2\nlet n = 1", "k", "fn f k = k * 2\nlet n = 1"));
  it("keeps shorthand record fields", () =>
    check("let $0x = 1\nlet r = { x }", "y", "let y = 1\nlet r = { x = y }"));
  it("keeps fields in record patterns", () =>
    check("let { $0x } = { x = 1 }\nx", "y", "let { x = y } = { x = 1 }\ny"));
  it("renames variants everywhere", () =>
    check(
      "enum S { $0A, B }\nuse { A } = S\nlet v = S.A\nA",
      "C",
      "enum S { C, B }\nuse { C } = S\nlet v = S.C\nC",
    ));
  it("renames units made by @si with their measure", () =>
    check(
      "@si kilo\nmeasure $0meter\n3kilometer + 2meter",
      "metre",
      "@si kilo\nmeasure metre\n3kilometre + 2metre",
    ));
  it("refuses a name that would be captured", () =>
    check(
      "let x = 1\nfn f y = $0x + y",
      "y",
      /would make the use at 2:10 refer to the `y` defined at 2:6/,
    ));
  it("refuses a name that would capture", () =>
    check("let y = 1\nfn f $0x = x + y", "y", /would capture the use of `y` at 2:14/));
  it("allows a name used only outside the binding's scope", () =>
    check("fn f $0x = x\nlet y = 2", "y", "fn f y = y\nlet y = 2"));
  it("refuses built-ins, fields and units made by @si", () => {
    check("$0List.len [1]", "Lst", /built in/);
    check("let r = { a = 1 }\nr.$0a", "b", /fields cannot be renamed/);
    check("@si kilo\nmeasure meter\n3$0kilometer", "km", /rename `meter` instead/);
    check("$0nowhere", "x", /not defined in this file/);
  });
  it("refuses invalid names", () => {
    check("let $0x = 1", "1x", /not a valid name/);
    check("let $0x = 1", "a b", /not a valid name/);
    check("let $0x = 1", "if", /not a valid name/);
  });
  it("prepares with the span and the current name", () => {
    const { file, cursor } = fixture("let abc = 1\nab$0c");
    expect(prepareRename(file, cursor)).toEqual({
      kind: "ok",
      span: { start: 12, end: 15 },
      placeholder: "abc",
    });
    expect(prepareRename(fixture("$0List").file, 0).kind).toBe("error");
  });
});
