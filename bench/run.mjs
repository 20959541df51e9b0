#!/usr/bin/env node
// Runs every benchmark under bench/ (files named *.bench.mjs) one after another, so that two
// benchmarks never compete for the machine's cores. Each benchmark prints its own figures and
// its ratio against a peer measured in the same run; nothing here asserts on time.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (files.length === 0) {
  process.stderr.write("bench: no benchmark matches\n");
  process.exitCode = 2;
}
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n=== ${file}\n`);
  const r = spawnSync(process.execPath, ["--expose-gc", join(here, file)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : process.exitCode;
