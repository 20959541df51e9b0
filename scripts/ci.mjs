#!/usr/bin/env node
// Runs every check CI runs, in order, and ends with one line `N passed, N failed` summing
// every suite: formatting and lint, build and typecheck (one check each), every vitest test
// of every package, and the conformance cases (a failure there is a regression against the
// committed baseline; cases not yet implemented are reported as skipped).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, ".ci-results");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0", NO_COLOR: "1" };
const bin = (name) => join(root, "node_modules", ".bin", name);

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function step(title, command, args) {
  process.stdout.write(`\n=== ${title}: ${[command, ...args].join(" ")}\n`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: r.status === 0, seconds };
}

function check(title, command, args) {
  const r = step(title, command, args);
  totals[r.ok ? "passed" : "failed"]++;
  lines.push(`${title.padEnd(12)} ${r.ok ? "ok" : "FAILED"} (${r.seconds} s)`);
  return r.ok;
}

check("format+lint", bin("biome"), ["ci", "--colors=off", "."]);
const built = check("build", bin("turbo"), [
  "run",
  "build",
  "typecheck",
  "--output-logs=errors-only",
]);

const vitestJson = join(out, "vitest.json");
const tests = step("tests", bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${vitestJson}`,
]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, "utf8"));
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests;
  totals.skipped += v.numPendingTests + v.numTodoTests;
  // A suite that failed to load has no tests but must still fail CI.
  const brokenFiles = v.testResults.filter(
    (f) => f.status === "failed" && f.assertionResults.length === 0,
  ).length;
  totals.failed += brokenFiles;
  lines.push(
    `${"tests".padEnd(12)} ${v.numPassedTests} passed, ${v.numFailedTests + brokenFiles} failed, ${v.numPendingTests + v.numTodoTests} skipped (${tests.seconds} s)`,
  );
} else {
  totals.failed++;
  lines.push(`${"tests".padEnd(12)} FAILED: vitest wrote no results (${tests.seconds} s)`);
}

if (built) {
  const conformanceJson = join(out, "conformance.json");
  const c = step("conformance", process.execPath, [
    join(root, "tools/conformance/dist/main.js"),
    "--json",
    conformanceJson,
  ]);
  if (existsSync(conformanceJson)) {
    const r = JSON.parse(readFileSync(conformanceJson, "utf8"));
    const passed = r.results.filter((x) => x.passed).length;
    totals.passed += passed;
    totals.failed += r.comparison.regressions.length;
    totals.skipped += r.comparison.knownGaps.length;
    lines.push(
      `${"conformance".padEnd(12)} ${passed} passed, ${r.comparison.regressions.length} failed (regressions), ${r.comparison.knownGaps.length} skipped (not yet passing) (${c.seconds} s)`,
    );
  } else if (c.ok) {
    lines.push(`${"conformance".padEnd(12)} skipped: shared conformance data not found`);
  } else {
    totals.failed++;
    lines.push(`${"conformance".padEnd(12)} FAILED: the runner wrote no results`);
  }
} else {
  totals.failed++;
  lines.push(`${"conformance".padEnd(12)} FAILED: not run because the build failed`);
}

process.stdout.write(`\n=== summary\n${lines.join("\n")}\n`);
process.stdout.write(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exitCode = totals.failed > 0 ? 1 : 0;
