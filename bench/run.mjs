#!/usr/bin/env node
// `pnpm bench [name…] [--json]`: runs every benchmark under bench/ (files named
// NAME.bench.mjs) one after another, so that two benchmarks never compete for the cores;
// names select the files whose name contains them (`pnpm bench syntax`). Options (anything
// starting with `--`) are passed to each benchmark: with `--json` a benchmark prints its
// figures as one JSON object on its last stdout line. Each benchmark prints its own figures
// and its ratio against a peer measured in the same run; nothing here asserts on time.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith("--"));
const options = args.filter((a) => a.startsWith("--"));
const json = options.includes("--json");
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => names.length === 0 || names.some((n) => f.includes(n)))
  .sort();
if (files.length === 0) {
  process.stderr.write(`bench: no benchmark matches ${names.join(", ")}\n`);
  process.exitCode = 2;
}
let failed = 0;
for (const file of files) {
  // With --json, stdout carries only the benchmarks' own output (their last line is JSON).
  (json ? process.stderr : process.stdout).write(`\n=== ${file}\n`);
  const r = spawnSync(process.execPath, ["--expose-gc", join(here, file), ...options], {
    stdio: "inherit",
  });
  if (r.status !== 0) failed++;
}
if (failed > 0) process.exitCode = 1;
