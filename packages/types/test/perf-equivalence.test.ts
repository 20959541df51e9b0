// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for unquotes.
import { SourceFile } from "@cadenza/core";
import { parse } from "@cadenza/syntax";
import { conformanceDir, loadCases } from "@cadenza/test-support";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BlockIndex,
  bindingGroups,
  componentsInOrder,
  freeNames,
  itemInfos,
} from "../src/groups.js";
import { definesOpaqueNames, reassignedNames, scanItems } from "../src/infer.js";
import { generateProgram } from "./generate.js";

/**
 * Shortcuts taken for speed compute exactly what the general code computes: checked here
 * against the general code on the shared cases, hand-written corner cases and generated
 * programs.
 */
function items(text: string) {
  return parse(new SourceFile("test.cdz", text)).items;
}

/** Binding groups as the general algorithm computes them (no shortcut). */
function generalGroups(text: string): number[][] {
  const infos = itemInfos(items(text));
  const index = new BlockIndex(infos);
  const edges = infos.map((info, i) => {
    const deps = new Set<number>();
    for (const name of freeNames(info.core)) {
      const j = index.resolve(i, name);
      if (j !== undefined && j !== i) deps.add(j);
    }
    return [...deps];
  });
  return componentsInOrder(infos.length, edges);
}

/** Every block of a program (the file and each `__block__`), as source texts of its items. */
function blocks(text: string): string[] {
  const out: string[] = [text];
  for (const m of text.matchAll(/\n((?: {4}[^\n]*\n)+)/g))
    out.push(m[1]!.replaceAll(/^ {4}/gm, ""));
  return out;
}

const SHARED = (() => {
  const dir = conformanceDir();
  return dir === undefined ? [] : loadCases(dir).map((c) => c.input);
})();

const CORNERS = [
  "let a = 1\nlet b = a\nb + a\nlet a = b\na",
  "let x = x + 1\nlet y = x\ny = 2\nprintln y",
  "{ x = 1, y = (z = 2) }\nlet p = { a = b }\np.a = 3\nq += 1\nr == 2\ns <= 3",
  "macro m x = x\nm 1",
  "fn ${name} x = x",
  "let ${n} = 2",
  "{ (macro m) = 1 }",
  "{ x = { y = { z = (w = 1) } } }",
  "fn f x = x\nlet y = f 1",
];

describe("shortcuts agree with the general code", () => {
  const programs = [...SHARED, ...CORNERS];

  it("binding groups of blocks without functions", () => {
    for (const text of programs)
      for (const block of blocks(text))
        expect(bindingGroups(itemInfos(items(block)))).toEqual(generalGroups(block));
  });

  it("one walk finds the reassigned names and opaque definitions", () => {
    for (const text of programs) {
      const parsed = items(text);
      const scanned = scanItems(parsed);
      expect([...scanned.reassigned].sort()).toEqual([...reassignedNames(parsed)].sort());
      expect(scanned.opaque).toBe(definesOpaqueNames(parsed));
    }
  });

  it("on generated programs", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const text = generateProgram(g, { items: 8, mistakes: 1 });
        const parsed = items(text);
        const scanned = scanItems(parsed);
        expect([...scanned.reassigned].sort()).toEqual([...reassignedNames(parsed)].sort());
        expect(scanned.opaque).toBe(definesOpaqueNames(parsed));
        for (const block of blocks(text))
          expect(bindingGroups(itemInfos(items(block)))).toEqual(generalGroups(block));
      }),
      { numRuns: 60 },
    );
  });
});
