import { readFileSync } from "node:fs";
import { renderDiagnostics, SourceFile } from "@cadenza/core";
import {
  type ConformanceCase,
  conformanceDir,
  loadCases,
  MISSING_CONFORMANCE,
} from "@cadenza/test-support";
import { describe, expect, it } from "vitest";
import { evaluateSource } from "../src/index.js";

/** What `cadenza eval test.cdz` prints for a case: the transcript, or the diagnostics. */
function output(c: ConformanceCase): string {
  const source = SourceFile.fromRaw("test.cdz", c.input);
  const r = evaluateSource(source);
  return r.allDiagnostics.length > 0
    ? renderDiagnostics(r.allDiagnostics, () => source)
    : r.transcript;
}

/** The case ids this evaluator passes; a regression fails, an unexpected pass asks for an update. */
const expected: readonly string[] = JSON.parse(
  readFileSync(new URL("./fixtures/conformance-pass.json", import.meta.url), "utf8"),
);

const dir = conformanceDir();
const cases = dir === undefined ? [] : loadCases(dir);

describe.skipIf(dir === undefined)("conformance (shared cases)", () => {
  if (dir === undefined) console.warn(MISSING_CONFORMANCE);
  const passing = new Set(expected);

  it.each(cases.filter((c) => passing.has(c.id)).map((c) => [c.id, c] as const))("%s", (_, c) => {
    expect(output(c)).toBe(c.expected);
  });

  it("passes exactly the listed cases (update fixtures/conformance-pass.json on purpose)", () => {
    const counts: Record<string, { pass: number; total: number }> = {};
    const unexpected: string[] = [];
    for (const c of cases) {
      const ok = c.expected !== undefined && output(c) === c.expected;
      const k = (counts[c.status] ??= { pass: 0, total: 0 });
      k.total++;
      if (ok) k.pass++;
      if (ok && !passing.has(c.id)) unexpected.push(c.id);
    }
    console.info(
      `conformance: ${Object.entries(counts)
        .map(([status, k]) => `${status} ${k.pass}/${k.total}`)
        .join(", ")}`,
    );
    expect(unexpected).toEqual([]);
  });
});
