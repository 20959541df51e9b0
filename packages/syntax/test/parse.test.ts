import { applyEdits, SourceFile } from "@cadenza/core";
import type { Tree } from "@lezer/common";
import { Tree as LezerTree } from "@lezer/common";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ParseResult, parse, printSExpr, reparse } from "../src/index.js";
import { anyText, cadenzaProgram, cadenzaSoup, editsFor } from "./arbitraries.js";

/** Every node of the tree with its position, in document order. */
function shape(tree: Tree): string {
  const out: string[] = [];
  const cursor = tree.cursor();
  for (;;) {
    out.push(`${cursor.type.name}@${cursor.from}-${cursor.to}`);
    if (cursor.firstChild()) continue;
    for (;;) {
      if (cursor.nextSibling()) break;
      if (!cursor.parent()) return out.join(" ");
    }
  }
}

/** Items (with spans) and diagnostics, for comparing two parses. */
function summary(result: ParseResult): unknown {
  return {
    items: result.items.map((item) => [printSExpr(item), item.span]),
    diagnostics: result.diagnostics.map((d) => [d.message, d.primary.span, d.position]),
  };
}

function file(text: string): SourceFile {
  return new SourceFile("test.cdz", text);
}

/**
 * Applies `rounds` of random edits, checking each incremental result against a fresh parse.
 * The edits of each round are drawn from the seed, so a failure replays exactly.
 */
function editSequence(base: fc.Arbitrary<string>, rounds: number): fc.IProperty<[string, number]> {
  return fc.property(base, fc.integer(), (start, seed) => {
    let text = start;
    let previous = parse(file(text));
    for (let round = 0; round < rounds; round++) {
      const [edits] = fc.sample(editsFor(text), { numRuns: 1, seed: seed + round });
      if (!edits) break;
      const next = applyEdits(text, edits);
      const incremental = reparse(previous, file(next), edits);
      const fresh = parse(file(next));
      expect(shape(incremental.tree)).toBe(shape(fresh.tree));
      expect(summary(incremental)).toEqual(summary(fresh));
      text = next;
      previous = incremental;
    }
  });
}

describe("incremental reparse", () => {
  it("equals a fresh parse after random edit sequences", () => {
    fc.assert(editSequence(cadenzaProgram, 6), { numRuns: 150 });
    fc.assert(editSequence(cadenzaSoup, 6), { numRuns: 150 });
    fc.assert(editSequence(anyText, 3), { numRuns: 100 });
  });

  it("equals a fresh parse on texts large enough for Lezer to reuse nodes", () => {
    const large = fc.array(cadenzaProgram, { minLength: 6, maxLength: 14 }).map((p) => p.join(""));
    fc.assert(editSequence(large, 8), { numRuns: 25 });
  });

  it("reuses the subtrees an edit did not touch", () => {
    let text = "";
    for (let i = 0; i < 100; i++) {
      text += `fn f${i} x y =\n    let z = x + y * ${i}\n    match z\n        0 => [1, 2, 3]\n        n => f${i} (n - 1) y\n`;
    }
    const before = parse(file(text));
    const at = text.indexOf("f50 x y") + 1;
    const edits = [{ span: { start: at, end: at + 2 }, newText: "999" }];
    const after = reparse(before, file(applyEdits(text, edits)), edits);

    const collect = (tree: Tree, out: Set<unknown>): Set<unknown> => {
      out.add(tree);
      for (const child of tree.children) {
        if (child instanceof LezerTree) collect(child, out);
        else out.add(child);
      }
      return out;
    };
    const old = collect(before.tree, new Set());
    const now = [...collect(after.tree, new Set())];
    const shared = now.filter((node) => old.has(node));
    expect(shared.length).toBeGreaterThan(now.length / 3);
    expect(old.has(after.tree)).toBe(false);
    // The reused parts are not just equal but valid: the result matches a fresh parse.
    expect(shape(after.tree)).toBe(shape(parse(after.source).tree));
  });

  it("reuses the uniform items an edit did not touch", () => {
    const text = "let a = 1\nlet b = [2, 3]\nlet c = f x\nlet d = 4\n";
    const before = parse(file(text));
    const at = text.indexOf("[2") + 1;
    const edits = [{ span: { start: at, end: at + 1 }, newText: "22" }];
    const after = reparse(before, file(applyEdits(text, edits)), edits);
    // Before the edit: the very same objects; after it: equal apart from the shifted spans.
    expect(after.items[0]).toBe(before.items[0]);
    expect(after.items[1]).not.toBe(before.items[1]);
    expect(after.items.map((i) => printSExpr(i))).toEqual([
      "(= (let a) 1)",
      "(= (let b) (__list__ 22 3))",
      "(= (let c) (f x))",
      "(= (let d) 4)",
    ]);
    expect(after.items[3]?.span).toEqual({ start: 38, end: 47 });
    expect(summary(after)).toEqual(summary(parse(after.source)));
  });

  it("falls back to a full parse when the edits do not describe the change", () => {
    const before = parse(file("let x = 1"));
    const after = reparse(before, file("let y = 2"), [
      { span: { start: 4, end: 5 }, newText: "y" },
    ]);
    expect(summary(after)).toEqual(summary(parse(file("let y = 2"))));
    const overlapping = reparse(before, file("let x = 1"), [
      { span: { start: 0, end: 3 }, newText: "let" },
      { span: { start: 2, end: 4 }, newText: "t " },
    ]);
    expect(summary(overlapping)).toEqual(summary(before));
  });

  it("accepts edits in any order", () => {
    const text = "let a = 1\nlet b = 2\n";
    const edits = [
      { span: { start: 14, end: 15 }, newText: "c" },
      { span: { start: 4, end: 5 }, newText: "z" },
    ];
    const result = reparse(parse(file(text)), file(applyEdits(text, edits)), edits);
    expect(result.items.map((i) => printSExpr(i))).toEqual(["(= (let z) 1)", "(= (let c) 2)"]);
  });
});
