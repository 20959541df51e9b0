// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza source text uses `${…}`.
import { SourceFile } from "@cadenza/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leaves, nodeAt, nodePathAt, parse, printSExpr, syntaxNodeAt } from "../src/index.js";
import { anyText, cadenzaProgram, cadenzaSoup } from "./arbitraries.js";
import { parseText } from "./helpers.js";

/** The source rebuilt from the tree's leaves, with the gaps between them (which must be blank). */
function regenerate(text: string): { text: string; gaps: string[] } {
  const { tree } = parse(new SourceFile("test.cdz", text));
  let out = "";
  let pos = 0;
  const gaps: string[] = [];
  for (const leaf of leaves(tree)) {
    expect(leaf.from).toBeGreaterThanOrEqual(pos);
    const gap = text.slice(pos, leaf.from);
    if (gap !== "") gaps.push(gap);
    out += gap + text.slice(leaf.from, leaf.to);
    pos = leaf.to;
  }
  const tail = text.slice(pos);
  if (tail !== "") gaps.push(tail);
  return { text: out + tail, gaps };
}

describe("lossless tree", () => {
  const property = (text: string): void => {
    const rebuilt = regenerate(text);
    expect(rebuilt.text).toBe(text);
    for (const gap of rebuilt.gaps) expect(gap).toMatch(/^[ \t\r\n\uFEFF]*$/);
  };

  it("covers every non-blank character of arbitrary text with a named leaf", () => {
    fc.assert(fc.property(anyText, property), { numRuns: 400 });
  });

  it("covers every non-blank character of Cadenza-like text with a named leaf", () => {
    fc.assert(fc.property(cadenzaSoup, property), { numRuns: 600 });
    fc.assert(fc.property(cadenzaProgram, property), { numRuns: 200 });
  });

  it("names every token the formatter and the language server need", () => {
    const text = "## doc\nlet x = [a, (b)] # note\nf {c} ${d} |> g";
    const names = leaves(parseText(text).tree)
      .filter((l) => l.to > l.from)
      .map((l) => `${l.name}:${text.slice(l.from, l.to)}`);
    expect(names).toEqual([
      "DocComment:## doc",
      "Identifier:let",
      "Identifier:x",
      "AssignOp:=",
      "ListOpen:[",
      "Identifier:a",
      "Comma:,",
      "ParenOpen:(",
      "Identifier:b",
      "ParenClose:)",
      "BracketClose:]",
      "Comment:# note",
      "Identifier:f",
      "BraceOpen:{",
      "Identifier:c",
      "BraceClose:}",
      "UnquoteOpen:${",
      "Identifier:d",
      "BraceClose:}",
      "PipeOp:|>",
      "Identifier:g",
    ]);
  });
});

describe("positions", () => {
  it("finds the innermost node of the uniform tree at an offset", () => {
    const { items } = parseText("let x = foo (1 + 2)");
    const at = (offset: number): string => {
      const node = nodeAt(items, offset);
      return node ? printSExpr(node) : "none";
    };
    expect(at(0)).toBe("let");
    expect(at(4)).toBe("x");
    expect(at(9)).toBe("foo");
    expect(at(13)).toBe("1");
    expect(at(15)).toBe("+");
    expect(at(18)).toBe("2");
    expect(at(19)).toBe("(foo (+ 1 2))");
    expect(at(100)).toBe("none");
    expect(nodePathAt(items, 13).map((n) => printSExpr(n))).toEqual([
      "(= (let x) (foo (+ 1 2)))",
      "(foo (+ 1 2))",
      "(+ 1 2)",
      "1",
    ]);
  });

  it("takes a node that ends at the offset when none covers it", () => {
    const { items } = parseText("abc");
    expect(nodeAt(items, 3)).toMatchObject({ kind: "ident", name: "abc" });
  });

  it("resolves Lezer nodes at an offset", () => {
    const { tree } = parseText("f (a + b)");
    expect(syntaxNodeAt(tree, 5).name).toBe("Binary");
    expect(syntaxNodeAt(tree, 5, 1).name).toBe("AddOp");
    expect(syntaxNodeAt(tree, 3, 1).name).toBe("Identifier");
    expect(syntaxNodeAt(tree, 3, -1).name).toBe("ParenOpen");
  });
});
