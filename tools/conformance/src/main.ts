#!/usr/bin/env node
import { runConformance } from "./conformance.js";

runConformance(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`conformance: internal error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
