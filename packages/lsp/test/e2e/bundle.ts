/**
 * Vitest global setup of the end-to-end tests: bundles the server from sources once per run
 * (esbuild, the `@cadenza/source` condition, as the VS Code extension bundles it) into a
 * temporary directory — the test entry (`test/stdio-entry.ts`, which reads the testing
 * faults) as `server.js` and the engine as `worker.js` beside it — so that each test starts a
 * server in a fraction of a second instead of loading every source through a loader.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The directory of the bundled server (`server.js`, `worker.js`). */
    lspServer: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const out = mkdtempSync(join(tmpdir(), "cadenza-lsp-e2e-"));
  await build({
    entryPoints: {
      server: fileURLToPath(new URL("../stdio-entry.ts", import.meta.url)),
      worker: fileURLToPath(new URL("../../src/worker.ts", import.meta.url)),
    },
    outdir: out,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    conditions: ["@cadenza/source"],
    // ES builds first: the UMD build of jsonc-parser (used by @cadenza/modules for
    // `cadenza.json`) requires its parts by computed paths, which a bundle cannot resolve.
    mainFields: ["module", "main"],
    sourcemap: "inline",
    logLevel: "warning",
    // Bundled CommonJS dependencies call require(); give ES modules one.
    banner: {
      js: "import { createRequire as __cadenzaRequire } from 'node:module'; const require = __cadenzaRequire(import.meta.url);",
    },
  });
  project.provide("lspServer", out);
  return () => rmSync(out, { recursive: true, force: true });
}
