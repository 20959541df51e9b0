import { type Diagnostic, renderDiagnostic, SourceFile } from "@cadenza/core";
import type { Node } from "@cadenza/syntax";
import { check, isDeclarationItem } from "@cadenza/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Compiler, createCompiler } from "../src/index.js";
import { applyEdit, edit, program, textOf } from "./generate.js";

/**
 * The law of an incremental compiler: after any sequence of edits, every result equals what a
 * fresh compiler computes from the final text alone.
 */

const OPTIONS = { evaluation: { budget: { steps: 20_000 } } } as const;

/** Everything a client can observe of a file, as plain data. */
function observe(c: Compiler, path: string) {
  const parsed = c.parse(path);
  const types = c.typecheck(path);
  const source = c.source(path);
  return {
    diagnostics: c.diagnostics(path).map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      primary: d.primary,
      secondary: d.secondary,
      notes: d.notes,
      rendered: renderDiagnostic(d, source),
    })),
    types: parsed.items.map((item) => types.types.textOf(item) ?? "-"),
    schemes: [...types.schemes],
    typeDiagnostics: types.diagnostics.map((d) => `${d.message}@${d.primary.span.start}`),
    values: c.evaluation(path).entries.map((e) => e.text),
    definitions: c.definitions(path),
  };
}

describe("incremental results equal a fresh compiler's", () => {
  it("after random edit sequences of random programs", () => {
    fc.assert(
      fc.property(program, fc.array(edit, { minLength: 1, maxLength: 6 }), (start, edits) => {
        const incremental = createCompiler(OPTIONS);
        let items = start;
        incremental.setFile("p.cdz", textOf(items));
        observe(incremental, "p.cdz");
        for (const e of edits) {
          items = applyEdit(items, e);
          incremental.setFile("p.cdz", textOf(items));
          const fresh = createCompiler(OPTIONS);
          fresh.setFile("p.cdz", textOf(items));
          expect(observe(incremental, "p.cdz")).toEqual(observe(fresh, "p.cdz"));
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it("also when results are read only now and then", () => {
    fc.assert(
      fc.property(
        program,
        fc.array(fc.tuple(edit, fc.boolean()), { minLength: 1, maxLength: 8 }),
        (start, edits) => {
          const incremental = createCompiler(OPTIONS);
          let items = start;
          incremental.setFile("p.cdz", textOf(items));
          for (const [e, look] of edits) {
            items = applyEdit(items, e);
            incremental.setFile("p.cdz", textOf(items));
            if (look) incremental.diagnostics("p.cdz");
          }
          const fresh = createCompiler(OPTIONS);
          fresh.setFile("p.cdz", textOf(items));
          expect(observe(incremental, "p.cdz")).toEqual(observe(fresh, "p.cdz"));
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});

describe("checking by binding groups agrees with a whole-file check", () => {
  it("on random programs, but for labels that point into other definitions (SPEC.md §T11)", () => {
    fc.assert(
      fc.property(program, (items) => {
        const text = textOf(items);
        const c = createCompiler(OPTIONS);
        c.setFile("p.cdz", text);
        const source = new SourceFile("p.cdz", text);
        // The whole-file check of the same items: the evaluator's macro-expanded ones.
        const module = c.evaluation("p.cdz").module;
        const expanded = c.parse("p.cdz").items.map((i) => module.expanded(i) as Node);
        const whole = check(source, expanded);
        const parsed = c.parse("p.cdz").items;
        const itemOf = (offset: number) =>
          parsed.findIndex((i) => offset >= i.span.start && offset <= i.span.end);
        // Labels into the body of another binding group are the one documented difference
        // (labels into declarations are kept; syntax a macro copied into another definition
        // belongs to that definition's body).
        const kept = (home: number, at: number): boolean => {
          const i = itemOf(at);
          if (i === home) return true;
          const item = parsed[i];
          return (
            item !== undefined &&
            isDeclarationItem(item) &&
            !/^macro /.test(c.source("p.cdz").text.slice(item.span.start, item.span.end))
          );
        };
        const render = (ds: readonly Diagnostic[]) =>
          ds.map((d) => {
            const home = itemOf(d.primary.span.start);
            const secondary = d.secondary.filter((l) => kept(home, l.span.start));
            return renderDiagnostic({ ...d, secondary }, source);
          });
        const driver = [...c.parse("p.cdz").diagnostics, ...c.typecheck("p.cdz").diagnostics];
        expect(render(driver)).toEqual(
          render([...c.parse("p.cdz").diagnostics, ...whole.diagnostics]),
        );
        expect([...c.typecheck("p.cdz").schemes]).toEqual([...whole.schemes]);
        // An item a macro call expanded to is typed at the call, where the user can point.
        expanded.forEach((item, i) => {
          expect(`${i}: ${c.typecheck("p.cdz").types.textOf(parsed[i]!)}`).toBe(
            `${i}: ${whole.types.textOf(item)}`,
          );
        });
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
