import { describe, expect, it } from "vitest";
import { indentation, parser } from "../src/index.js";

/**
 * The indentation suggested at `‸` in `text` (the marker is removed first): for a line break
 * inserted there, or for the line that starts there.
 */
function at(marked: string, unit?: number): number | null {
  const pos = marked.indexOf("‸");
  const text = marked.slice(0, pos) + marked.slice(pos + 1);
  return indentation(parser.parse(text), text, pos, unit === undefined ? {} : { unit });
}

describe("indentation of a new line", () => {
  it("is 0 at the top and after a complete top-level item", () => {
    expect(at("‸")).toBe(0);
    expect(at("let x = 1\n‸")).toBe(0);
    expect(at("let x = 1‸")).toBe(0);
  });

  it("is one unit deeper after a token that needs an operand", () => {
    expect(at("fn f x =‸")).toBe(4);
    expect(at("let v = x +‸")).toBe(4);
    expect(at("xs |> List.map \\x ->‸")).toBe(4);
    expect(at("match n\n    0 =>‸")).toBe(8);
    expect(at("if c then‸")).toBe(4);
    expect(at("fn f x =‸", 2)).toBe(2);
    expect(at("fn f x =  # a comment‸")).toBe(4);
  });

  it("stays at the level of the item before it inside a block", () => {
    expect(at("fn f x =\n    let y = x\n    y * 2‸")).toBe(4);
    expect(at("fn f x =\n    match x\n        0 => 1‸")).toBe(8);
  });

  it("is one unit deeper than the opener's line inside a delimiter", () => {
    expect(at("let xs = [‸")).toBe(4);
    expect(at("let xs = [1,‸")).toBe(4);
    expect(at("fn f x =\n    g (a,‸")).toBe(8);
    expect(at("let r = { a = [1,‸")).toBe(4);
    expect(at("let xs = [1, 2]‸")).toBe(0);
  });
});

describe("indentation of an existing line", () => {
  it("puts a closer at the indentation of the opener's line", () => {
    expect(at("fn f x =\n    g (\n        a,\n‸    )\n")).toBe(4);
    expect(at("let xs = [\n    1,\n‸]\n")).toBe(0);
    expect(at("let xs = [\n    1,\n‸    2]\n")).toBe(4);
  });

  it("aligns `then` and `else` with the line holding the `if`", () => {
    expect(at("let v = if c\n‸        then a\n        else b\n")).toBe(0);
    expect(at("    let v = if c then a\n‸else b\n")).toBe(4);
  });

  it("puts the first line of a block one unit deeper than its item", () => {
    expect(at("match n\n‸  0 => 1\n  n => 2\n")).toBe(4);
    expect(at("fn f x =\n‸  match x\n")).toBe(4);
  });

  it("puts a deeper line after an application one unit deeper: it is a block (§3.3)", () => {
    expect(at("let x = foo 1\n‸      2\n")).toBe(4);
  });

  it("leaves continuation lines and items of an outer block as they are", () => {
    expect(at("let x = foo 1\n‸    + 2\n")).toBeNull();
    expect(at("let x = foo 1\n‸+ 2\n")).toBeNull();
    expect(at("fn f x =\n    x\n‸let y = 2\n")).toBeNull();
  });

  it("starts a new item in the same block at that block's indentation", () => {
    expect(at("fn f x =\n    let y = 1\n‸  y\n")).toBe(4);
  });

  it("leaves the inside of a multi-line string alone", () => {
    expect(at('let s = "one\n‸  two"\n')).toBeNull();
  });

  it("reads a document through sliceString as well as a string", () => {
    const text = `${"# padding\n".repeat(60)}fn f x =\n    g [1,\n`;
    const doc = {
      length: text.length,
      sliceString: (from: number, to?: number) => text.slice(from, to),
    };
    const tree = parser.parse(text);
    expect(indentation(tree, doc, text.length)).toBe(8);
    expect(indentation(tree, text, text.length)).toBe(8);
  });
});
