import { renderDiagnostic, SourceFile } from "@cadenza/core";
import { evaluateSource } from "@cadenza/eval";
import { conformanceDir, loadCases, MISSING_CONFORMANCE } from "@cadenza/test-support";
import { checkSource } from "@cadenza/types";
import { describe, expect, it } from "vitest";
import { createCompiler } from "../src/index.js";

/**
 * The shared executable specification through the driver: checking one binding group at a
 * time must report what a whole-file check reports, and every phase what it reports alone.
 */
const dir = conformanceDir();
const OPTIONS = { evaluation: { budget: { steps: 5_000_000 } } } as const;

describe.skipIf(dir === undefined)("the conformance programs through the driver", () => {
  const cases = dir === undefined ? [] : loadCases(dir);

  describe("parse and type diagnostics equal checkSource's", () => {
    for (const c of cases) {
      it(c.id, () => {
        const compiler = createCompiler(OPTIONS);
        compiler.setFile("test.cdz", c.input);
        const source = new SourceFile("test.cdz", c.input);
        const render = (ds: readonly Parameters<typeof renderDiagnostic>[0][]) =>
          ds.map((d) => renderDiagnostic(d, source));
        expect(
          render([
            ...compiler.parse("test.cdz").diagnostics,
            ...compiler.typecheck("test.cdz").diagnostics,
          ]),
        ).toEqual(render(checkSource(source).diagnostics));
      });
    }
  });

  describe("schemes equal checkSource's, except where the driver sees macro expansions", () => {
    for (const c of cases) {
      it(c.id, () => {
        const compiler = createCompiler(OPTIONS);
        compiler.setFile("test.cdz", c.input);
        const whole = checkSource(new SourceFile("test.cdz", c.input));
        const mine = compiler.typecheck("test.cdz").schemes;
        for (const [name, scheme] of whole.schemes) {
          // checkSource types a macro call as Unknown; the driver checks its expansion.
          if (scheme.includes("Unknown") && c.input.includes("macro")) continue;
          expect(`${name} : ${mine.get(name)}`).toBe(`${name} : ${scheme}`);
        }
      });
    }
  });

  describe("evaluation and every diagnostic are the evaluator's, plus the checker's", () => {
    for (const c of cases) {
      it(c.id, () => {
        const compiler = createCompiler(OPTIONS);
        compiler.setFile("test.cdz", c.input);
        const alone = evaluateSource(new SourceFile("test.cdz", c.input), OPTIONS.evaluation);
        expect(compiler.evaluation("test.cdz").entries.map((e) => e.text)).toEqual(
          alone.entries.map((e) => e.text),
        );
        const all = compiler.diagnostics("test.cdz");
        expect(all.slice(0, alone.allDiagnostics.length)).toEqual(alone.allDiagnostics);
        for (const d of all.slice(alone.allDiagnostics.length)) expect(d.code).toMatch(/^types\//);
      });
    }
  });

  describe("every item has the type the evaluator prints (macro calls included)", () => {
    for (const c of cases.filter((c) => c.kind === "value" && c.status === "ok" && c.expected)) {
      it(c.id, () => {
        const compiler = createCompiler(OPTIONS);
        compiler.setFile("test.cdz", c.input);
        const items = compiler.parse("test.cdz").items;
        const printed = c
          .expected!.trimEnd()
          .split("\n")
          .filter((l) => l.includes(" : "))
          .map((l) => l.slice(l.lastIndexOf(" : ") + 3));
        if (printed.length !== items.length) return; // multi-line values
        const types = compiler.typecheck("test.cdz").types;
        items.forEach((item, i) => {
          const got = types.textOf(item);
          if (got === "Unknown") return;
          expect(`${i}: ${got}`).toBe(`${i}: ${printed[i]}`);
        });
      });
    }
  });
});

it.skipIf(dir !== undefined)("conformance data", () => {
  console.log(MISSING_CONFORMANCE);
});
