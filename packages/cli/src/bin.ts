#!/usr/bin/env node
import { main } from "./main.js";
import { nodeIO, packageVersion } from "./node-io.js";

// Writes are flushed before exit because we set exitCode instead of calling process.exit.
main(process.argv.slice(2), nodeIO(), { version: packageVersion() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // main never rejects; this is the last line of defence.
    process.stderr.write(`cadenza: internal error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
