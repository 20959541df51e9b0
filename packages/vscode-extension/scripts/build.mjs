#!/usr/bin/env node
// Bundles the extension with esbuild into dist/ (or the directory given as the first
// argument): the client as CommonJS (VS Code 1.91 loads extensions with require), and the
// server and its worker as ES modules run by VS Code's Node.js. Workspace packages are
// bundled from their sources (the `@cadenza/source` condition), so nothing needs building
// first. Works offline.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(root, "dist"));
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  conditions: ["@cadenza/source"],
  // ES builds first: the UMD build of jsonc-parser (used by @cadenza/modules for
  // `cadenza.json`) requires its parts by computed paths, which a bundle cannot resolve.
  mainFields: ["module", "main"],
  legalComments: "none",
  minify: true,
};

await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, "src/extension.ts")],
    outfile: join(out, "extension.cjs"),
    format: "cjs",
    external: ["vscode"],
  }),
  build({
    ...common,
    entryPoints: { server: join(root, "src/server.ts"), worker: join(root, "src/worker.ts") },
    outdir: out,
    format: "esm",
    // Bundled CommonJS dependencies call require(); give ES modules one.
    banner: {
      js: "import { createRequire as __cadenzaRequire } from 'node:module'; const require = __cadenzaRequire(import.meta.url);",
    },
  }),
]);
process.stdout.write(`bundled into ${out}\n`);
