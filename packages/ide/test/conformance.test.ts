import { applyEdits, SourceFile } from "@cadenza/core";
import { conformanceDir, loadCases, MISSING_CONFORMANCE } from "@cadenza/test-support";
import { describe, expect, it } from "vitest";
import {
  analyzeSource,
  codeActions,
  completion,
  definition,
  documentSymbols,
  type FileAnalysis,
  foldingRanges,
  hover,
  inlayHints,
  prepareRename,
  references,
  rename,
  resolveNames,
  selectionRanges,
  semanticTokens,
  signatureHelp,
} from "../src/index.ts";

/**
 * Every feature on every program of the shared specification: nothing throws, definitions
 * point at their names, tokens never overlap, and renaming a binding to a fresh name changes
 * exactly its occurrences (the renamed program resolves the new name at the same places).
 */
const dir = conformanceDir();
const cases = dir === undefined ? [] : loadCases(dir);

function analyze(text: string): FileAnalysis {
  return analyzeSource(new SourceFile("case.cdz", text), { steps: 200_000 });
}

describe.skipIf(dir === undefined)("every feature on the conformance programs", () => {
  if (dir === undefined) console.warn(MISSING_CONFORMANCE);

  it("never throws and keeps its invariants", () => {
    for (const c of cases) {
      const file = analyze(c.input);
      const text = file.source.text;
      const resolution = resolveNames(file);
      for (const o of resolution.occurrences) {
        const at = o.ident.span.start;
        expect(text.slice(at, o.ident.span.end), c.id).toBe(o.ident.name);
        hover(file, at);
        references(file, at);
        prepareRename(file, at);
        completion(file, at);
        signatureHelp(file, at);
        selectionRanges(file, at);
        const d = definition(file, at);
        if (d !== undefined && o.target.kind === "binding" && o.target.binding.fixed === undefined)
          expect(text.slice(d.target.start, d.target.end), c.id).toBe(o.target.binding.name);
      }
      documentSymbols(file);
      foldingRanges(file);
      inlayHints(file, undefined, { parameterTypes: true });
      codeActions(file, { start: 0, end: text.length });
      const tokens = semanticTokens(file);
      for (let i = 1; i < tokens.length; i++)
        expect(tokens[i]!.start, c.id).toBeGreaterThanOrEqual(
          tokens[i - 1]!.start + tokens[i - 1]!.length,
        );
    }
  });

  it("renames bindings to a fresh name exactly where they occur", () => {
    let renamed = 0;
    for (const c of cases) {
      const file = analyze(c.input);
      const resolution = resolveNames(file);
      const candidates = resolution.bindings
        .filter((b) => b.fixed === undefined && b.kind !== "field")
        .slice(0, 4);
      for (const b of candidates) {
        const result = rename(file, b.site.span.start, "zz_fresh");
        if (result.kind === "error") continue;
        const after = analyze(applyEdits(file.source.text, result.edits));
        const uses = resolveNames(after).occurrences.filter((o) => o.ident.name === "zz_fresh");
        expect(uses.length, `${c.id}: ${b.name}`).toBe(resolution.referencesOf(b).length);
        const targets = new Set(
          uses.map((o) => (o.target.kind === "binding" ? o.target.binding.site.span.start : -1)),
        );
        expect(targets.size, `${c.id}: ${b.name} resolves to one binding`).toBe(1);
        renamed++;
      }
    }
    expect(renamed).toBeGreaterThan(100);
  });
});
