import type { CaseResult } from "./runner.js";

/**
 * How a run compares with the committed baseline of passing case ids: a baseline case that no
 * longer passes is a regression and fails the run; a case outside the baseline that fails is a
 * known gap (reported, not a failure); a case outside the baseline that passes is an
 * improvement to record with `--update-baseline`.
 */
export interface BaselineComparison {
  readonly regressions: readonly string[];
  readonly improvements: readonly string[];
  readonly knownGaps: readonly string[];
  /** Baseline ids that are no longer in the case list (renamed or removed upstream). */
  readonly missing: readonly string[];
}

/** Compares results with the baseline (a list of case ids expected to pass). */
export function compareWithBaseline(
  results: readonly CaseResult[],
  baseline: readonly string[],
): BaselineComparison {
  const expected = new Set(baseline);
  const seen = new Set(results.map((r) => r.id));
  const regressions: string[] = [];
  const improvements: string[] = [];
  const knownGaps: string[] = [];
  for (const r of results) {
    if (expected.has(r.id)) {
      if (!r.passed) regressions.push(r.id);
    } else if (r.passed) improvements.push(r.id);
    else knownGaps.push(r.id);
  }
  const missing = baseline.filter((id) => !seen.has(id));
  return { regressions, improvements, knownGaps, missing };
}

/** The baseline file's content for a run: the sorted ids of the passing cases. */
export function baselineFor(results: readonly CaseResult[]): string {
  const ids = results
    .filter((r) => r.passed)
    .map((r) => r.id)
    .sort();
  return `${JSON.stringify(ids, null, 2)}\n`;
}

/** Parses a baseline file; tolerates a missing file (empty baseline). */
export function parseBaseline(text: string | undefined): string[] {
  if (text === undefined || text.trim() === "") return [];
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new Error("the baseline must be a JSON array of case ids");
  }
  return value;
}
