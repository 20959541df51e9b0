import { describe, expect, it } from "vitest";
import { foldNodes, foldRange, foldRanges, parser, syntaxNodeAt } from "../src/index.js";

/** The text each fold of `text` hides, outer folds first. */
function folded(text: string): string[] {
  return foldRanges(parser.parse(text), text).map((r) => text.slice(r.from, r.to));
}

describe("folding", () => {
  it("folds a block from the end of the line it hangs from to its last item", () => {
    const text = "match n  # arms\n    0 => 1\n    n => n * 2\nlet y = 1\n";
    expect(folded(text)).toEqual(["  # arms\n    0 => 1\n    n => n * 2"]);
    const range = foldRanges(parser.parse(text), text)[0]!;
    expect(range.from).toBe("match n".length);
  });

  it("folds nested blocks, outer first, and keeps a trailing comment visible", () => {
    const text = "fn f x =\n    match x\n        0 => 1\n        _ => 2  # other\n    x\n";
    expect(folded(text)).toEqual([
      "\n    match x\n        0 => 1\n        _ => 2  # other\n    x",
      "\n        0 => 1\n        _ => 2",
    ]);
  });

  it("folds a bracket pair between the opener and the closer", () => {
    const text = "let xs = [\n    1,\n    2,\n]\nf (\n    a\n) { b = 1,\n  c }\n";
    expect(folded(text)).toEqual(["\n    1,\n    2,\n", "\n    a\n", " b = 1,\n  c "]);
  });

  it("folds an unclosed delimiter to its last element", () => {
    const text = "let xs = [1,\n    2\nfoo\n";
    expect(folded(text)).toEqual(["1,\n    2"]);
  });

  it("leaves out single-line ranges when given the text, keeps them without", () => {
    const text = "f (a, b) [c]\n";
    const tree = parser.parse(text);
    expect(foldRanges(tree, text)).toEqual([]);
    expect(foldRanges(tree).map((r) => text.slice(r.from, r.to))).toEqual(["a, b", "c"]);
  });

  it("foldRange answers null for nodes that do not fold", () => {
    const tree = parser.parse("let x = 1\n");
    expect(foldRange(syntaxNodeAt(tree, 4))).toBeNull();
  });

  it("keys its fold functions by node names, for CodeMirror's foldNodeProp.add", () => {
    const names = Object.keys(foldNodes).flatMap((k) => k.split(" "));
    for (const name of names) expect(parser.nodeSet.types.some((t) => t.name === name)).toBe(true);
    expect(names.sort()).toEqual([
      "App",
      "Attribute",
      "Binary",
      "ElseClause",
      "Group",
      "Index",
      "Lambda",
      "List",
      "Prefix",
      "Record",
      "ThenClause",
      "Unquote",
    ]);
  });
});

describe("folding of the forms that take blocks", () => {
  it("folds lambda bodies and the blocks of `then` and `else`", () => {
    const text = "xs |> List.map \\x ->\n    x * 2\nif c then\n    a\nelse\n    b\n";
    expect(folded(text)).toEqual(["\n    x * 2", "\n    a", "\n    b"]);
  });
});
