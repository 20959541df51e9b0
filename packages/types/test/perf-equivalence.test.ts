// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for unquotes.
import { SourceFile } from "@cadenza/core";
import { parse } from "@cadenza/syntax";
import { conformanceDir, loadCases } from "@cadenza/test-support";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check } from "../src/check.js";
import {
  BlockIndex,
  bindingGroups,
  componentsInOrder,
  freeNames,
  itemInfos,
} from "../src/groups.js";
import { definesOpaqueNames, Inferencer, reassignedNames, scanItems } from "../src/infer.js";
import { renderScheme, renderType } from "../src/print.js";
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

/**
 * `check` reports from a run that records no node types and builds the table and the schemes
 * with a second run when they are first read: both must be what one recording run gives.
 */
describe("a check that records no node types", () => {
  /** Diagnostics, schemes and node types of one recording run, rendered. */
  function recorded(text: string): string[] {
    const source = new SourceFile("test.cdz", text);
    const ix = new Inferencer(source, { recordTypes: true });
    ix.run(items(text));
    const out = ix.diagnostics.map((d) => `${d.code} ${d.message} ${d.primary.span.start}`);
    out.sort();
    void ix.nodeTypes;
    for (const [name, scheme] of ix.schemes) out.push(`${name} : ${renderScheme(scheme)}`);
    for (const [node, type] of ix.nodeTypes)
      out.push(`${node.span.start}-${node.span.end} ${renderType(type)}`);
    return out;
  }

  /** The same through `check`, its diagnostics read first. */
  function checked(text: string): string[] {
    const result = check(new SourceFile("test.cdz", text), items(text));
    const out = result.diagnostics.map((d) => `${d.code} ${d.message} ${d.primary.span.start}`);
    out.sort();
    for (const [name, scheme] of result.schemeTerms) out.push(`${name} : ${renderScheme(scheme)}`);
    for (const [node, type] of result.types.entries())
      out.push(`${node.span.start}-${node.span.end} ${renderType(type)}`);
    return out;
  }

  it("on the shared cases and the corner cases", () => {
    for (const text of [...SHARED, ...CORNERS]) expect(checked(text)).toEqual(recorded(text));
  });

  it("on generated programs", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const text = generateProgram(g, { items: 8, mistakes: 1 });
        expect(checked(text)).toEqual(recorded(text));
      }),
      { numRuns: 60 },
    );
  });

  it("whichever of its results is read first", () => {
    const text = "fn f x = x * 2\nlet y = f 3\nlet z = y + 1meter\nfn g a = a.b";
    const source = new SourceFile("test.cdz", text);
    const typesFirst = check(source, items(text));
    const rendered = [...typesFirst.types.entries()].map(
      ([n, t]) => `${n.span.start} ${renderType(t)}`,
    );
    const schemesFirst = check(source, items(text));
    const schemes = [...schemesFirst.schemes];
    expect([...typesFirst.schemes]).toEqual(schemes);
    expect(
      [...schemesFirst.types.entries()].map(([n, t]) => `${n.span.start} ${renderType(t)}`),
    ).toEqual(rendered);
    expect(typesFirst.diagnostics).toEqual(schemesFirst.diagnostics);
    expect(typesFirst.diagnostics.length).toBeGreaterThan(0);
  });
});
