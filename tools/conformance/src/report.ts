import type { CaseStatus } from "@cadenza/test-support";
import type { BaselineComparison } from "./baseline.js";
import { shortDiff } from "./compare.js";
import type { CaseResult } from "./runner.js";

const STATUSES: readonly CaseStatus[] = ["ok", "provisional", "suspect"];

/** Passed and failed counts of one status within one section. */
export interface Tally {
  passed: number;
  failed: number;
}

/** Per-section tallies split by status, in section order, plus a `total` row. */
export function tally(results: readonly CaseResult[]): Map<string, Record<CaseStatus, Tally>> {
  const rows = new Map<string, Record<CaseStatus, Tally>>();
  const row = (name: string) => {
    let r = rows.get(name);
    if (!r) {
      r = {
        ok: { passed: 0, failed: 0 },
        provisional: { passed: 0, failed: 0 },
        suspect: { passed: 0, failed: 0 },
      };
      rows.set(name, r);
    }
    return r;
  };
  for (const r of [...results].sort((a, b) => a.section.localeCompare(b.section))) {
    for (const name of [r.section, "total"]) row(name)[r.status][r.passed ? "passed" : "failed"]++;
  }
  // Keep `total` last.
  const total = rows.get("total");
  if (total) {
    rows.delete("total");
    rows.set("total", total);
  }
  return rows;
}

/** The per-section table: passed / failed for each status. */
export function formatTable(results: readonly CaseResult[]): string {
  const rows = tally(results);
  const width = Math.max(7, ...[...rows.keys()].map((k) => k.length));
  const cell = (t: Tally) => `${String(t.passed).padStart(4)} / ${String(t.failed).padEnd(4)}`;
  const header = `${"section".padEnd(width)}  ${STATUSES.map((s) => s.padEnd(11)).join("  ")}`;
  const sub = `${"".padEnd(width)}  ${STATUSES.map(() => "pass / fail").join("  ")}`;
  const lines = [header, sub, "-".repeat(sub.length)];
  for (const [name, r] of rows) {
    if (name === "total") lines.push("-".repeat(sub.length));
    lines.push(`${name.padEnd(width)}  ${STATUSES.map((s) => cell(r[s])).join("  ")}`);
  }
  return lines.join("\n");
}

/** Everything the runner prints after the cases ran, ending with the summary line. */
export function formatReport(
  results: readonly CaseResult[],
  comparison: BaselineComparison,
  options: { readonly diffs: boolean } = { diffs: true },
): string {
  const out: string[] = [formatTable(results), ""];
  const failingOk = results.filter((r) => r.status === "ok" && !r.passed);
  if (failingOk.length > 0) {
    out.push(`Failing ok-cases (${failingOk.length}):`);
    for (const r of failingOk) {
      out.push(`  ${r.id}: ${r.reason}`);
      if (options.diffs && r.reason === "output differs") {
        out.push(...shortDiff(r.expected, r.actual, 8).map((l) => `      ${l}`));
      } else if (options.diffs && r.actual === "" && r.kind === "value" && r.stderr !== "") {
        out.push(`      stderr: ${r.stderr.trim().split("\n")[0]}`);
      }
    }
    out.push("");
  }
  if (comparison.regressions.length > 0) {
    out.push(`REGRESSIONS: ${comparison.regressions.length} baseline case(s) no longer pass:`);
    out.push(...comparison.regressions.map((id) => `  ${id}`), "");
  }
  if (comparison.improvements.length > 0) {
    out.push(
      `${comparison.improvements.length} case(s) pass that are not in the baseline; record them with \`pnpm conformance --update-baseline\`:`,
      ...comparison.improvements.map((id) => `  ${id}`),
      "",
    );
  }
  if (comparison.missing.length > 0) {
    out.push(`Baseline ids no longer in the case list: ${comparison.missing.join(", ")}`, "");
  }
  const passed = results.filter((r) => r.passed).length;
  out.push(
    `Skipped means a known gap: a case outside the baseline that does not pass yet (${comparison.knownGaps.length}).`,
    `${passed} passed, ${comparison.regressions.length} failed, ${comparison.knownGaps.length} skipped`,
  );
  return out.join("\n");
}
