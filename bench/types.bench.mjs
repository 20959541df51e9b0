#!/usr/bin/env node
// Benchmarks the type checker of @cadenza/types (its built dist/) against TypeScript's own
// checker, `tsc --noEmit` from the workspace's `typescript` devDependency, measured in the
// same run on equivalent generated programs of 10,000 lines: the same functions (arithmetic,
// records built and read, comparisons and conditionals, calls within and across chunks) and
// the same top-level values. The Cadenza program infers every type (its functions are
// generic, over units too); the TypeScript one annotates parameters, as TypeScript requires.
//
//   process     what a user runs: a fresh `node` process that loads the checker, reads the
//               file and checks it, startup included on both sides. For Cadenza: `checkSource`
//               (parse + check) of @cadenza/types' dist; for TypeScript: `tsc --noEmit -p DIR`
//               on a temporary directory holding the file and a minimal tsconfig (strict,
//               ES2022 lib, skipLibCheck). vs_tsc = Cadenza's time / tsc's (lower is faster;
//               the tracker's target is 0.5).
//   in process  both checkers warm in this process: `checkSource` against `ts.createProgram`
//               + `getPreEmitDiagnostics` with the library files parsed once and reused (as an
//               editor's server does), so only the program itself is parsed, bound and
//               checked. vs_tsc_in_process = Cadenza's time / TypeScript's.
//
// Rounds alternate the two sides and each ratio is the median of per-round ratios, so a
// change of machine load hits both sides of a ratio. The machine is shared and noisy: read
// the ratios, not the absolute times. Nothing here asserts on time. With `--json` the last
// stdout line is one JSON object with every figure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const json = process.argv.includes("--json");
const roundsArg = process.argv.find((a) => a.startsWith("--rounds="));
const ROUNDS = roundsArg === undefined ? 7 : Number(roundsArg.slice("--rounds=".length));
const dist = fileURLToPath(new URL("../packages/types/dist/index.js", import.meta.url));
const coreDist = fileURLToPath(new URL("../packages/core/dist/index.js", import.meta.url));
if (!existsSync(dist) || !existsSync(coreDist)) {
  process.stderr.write("bench/types: build first (pnpm build, or tsc -b in packages/types)\n");
  process.exit(2);
}
const { check, checkSource } = await import(dist);
const { SourceFile } = await import(coreDist);
const { parse } = await import(
  fileURLToPath(new URL("../packages/syntax/dist/index.js", import.meta.url))
);
const require = createRequire(import.meta.url);
const ts = require("typescript");
const tscBin = require.resolve("typescript/bin/tsc");

const log = (line) => (json ? process.stderr : process.stdout).write(`${line}\n`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// ------------------------------------------------------------------ programs
const CHUNKS = 1000;

/** 10 lines per chunk; chunk i also calls chunk i − 1, so the groups depend on each other. */
function cadenzaProgram(chunks) {
  const out = ["measure meter", "measure second"];
  for (let i = 0; i < chunks; i++) {
    const prev = i === 0 ? 0 : i - 1;
    out.push(
      `fn area_${i} w h = w * h + ${i}`,
      `fn point_${i} x y = { x = x, y = y, label = "p${i}" }`,
      `fn norm_${i} p = p.x * p.x + p.y * p.y`,
      `fn clamp_${i} v lo hi = if v < lo then lo else if v > hi then hi else v`,
      `fn scaled_${i} p k =`,
      `    let q = point_${i} (p.x * k) (p.y * k)`,
      `    clamp_${i} ((norm_${i} q) + (area_${i} k 2)) 0 (norm_${prev} q)`,
      `let origin_${i} = point_${i} ${i} 2`,
      `let total_${i} = (scaled_${i} origin_${i} 3) - (area_${i} 1 ${i})`,
      `let speed_${i} = ${i}meter / 2second + total_${i} * 1meter / 4second`,
    );
  }
  return `${out.join("\n")}\n`;
}

/** The same program in TypeScript, line for line. */
function typescriptProgram(chunks) {
  const out = ["const meter = 1;", "const second = 1;"];
  for (let i = 0; i < chunks; i++) {
    const prev = i === 0 ? 0 : i - 1;
    out.push(
      `function area_${i}(w: number, h: number) { return w * h + ${i}; }`,
      `function point_${i}(x: number, y: number) { return { x: x, y: y, label: "p${i}" }; }`,
      `function norm_${i}(p: { x: number; y: number }) { return p.x * p.x + p.y * p.y; }`,
      `function clamp_${i}(v: number, lo: number, hi: number) { return v < lo ? lo : v > hi ? hi : v; }`,
      `function scaled_${i}(p: { x: number; y: number }, k: number) {`,
      `  const q = point_${i}(p.x * k, p.y * k);`,
      `  return clamp_${i}(norm_${i}(q) + area_${i}(k, 2), 0, norm_${prev}(q)); }`,
      `const origin_${i} = point_${i}(${i}, 2);`,
      `const total_${i} = scaled_${i}(origin_${i}, 3) - area_${i}(1, ${i});`,
      `const speed_${i} = (${i} * meter) / (2 * second) + (total_${i} * meter) / (4 * second);`,
    );
  }
  return `${out.join("\n")}\n`;
}

const cdz = cadenzaProgram(CHUNKS);
const tsText = typescriptProgram(CHUNKS);
const lines = (s) => s.split("\n").length - 1;

const dir = mkdtempSync(join(tmpdir(), "cadenza-bench-types-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const cdzPath = join(dir, "bench.cdz");
const tsPath = join(dir, "bench.ts");
writeFileSync(cdzPath, cdz);
writeFileSync(tsPath, tsText);
const tsOptions = {
  strict: true,
  noEmit: true,
  target: "ES2022",
  lib: ["ES2022"],
  skipLibCheck: true,
  types: [],
};
writeFileSync(
  join(dir, "tsconfig.json"),
  JSON.stringify({ compilerOptions: tsOptions, files: ["bench.ts"] }),
);

// ------------------------------------------------------------------ the four ways to check
/** A fresh process that checks the Cadenza file, as `cadenza check` would. */
const CADENZA_PROCESS = `
const [{ SourceFile }, { checkSource }, { readFileSync }] = await Promise.all([
  import(${JSON.stringify(pathToFileURL(coreDist).href)}),
  import(${JSON.stringify(pathToFileURL(dist).href)}),
  import("node:fs"),
]);
const file = process.argv[1];
const r = checkSource(new SourceFile(file, readFileSync(file, "utf8")));
process.exitCode = r.diagnostics.length === 0 ? 0 : 1;
`;

function timed(run) {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

/**
 * Makes a child report the processor time it used (user + system, all of its threads) on
 * stderr when it exits: on a loaded machine the wall time depends on how the scheduler shares
 * the cores, the processor time much less.
 */
const REPORT_CPU =
  'process.on("exit", () => { const u = process.cpuUsage(); process.stderr.write("\\ncpu-ms " + (u.user + u.system) / 1000 + "\\n"); });';

/** CPU milliseconds of the last child of each side. */
const childCpu = { ours: [], peer: [] };

function cpuOf(stderr) {
  const m = /cpu-ms ([\d.]+)/.exec(stderr);
  return m === null ? Number.NaN : Number(m[1]);
}

function cadenzaProcess() {
  const r = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `${REPORT_CPU}\n${CADENZA_PROCESS}`, cdzPath],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`bench/types: checking the Cadenza file failed\n${r.stderr}`);
  childCpu.ours.push(cpuOf(r.stderr));
}

function tscProcess() {
  // `tsc` reads its arguments from process.argv.slice(2): the first argument after `-e` code
  // is a placeholder.
  const r = spawnSync(
    process.execPath,
    ["-e", `${REPORT_CPU}\nrequire(${JSON.stringify(tscBin)});`, "tsc", "--noEmit", "-p", dir],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`bench/types: tsc failed\n${r.stdout}${r.stderr}`);
  childCpu.peer.push(cpuOf(r.stderr));
}

const cdzFile = new SourceFile("bench.cdz", cdz);
function cadenzaInProcess() {
  const r = checkSource(cdzFile);
  if (r.diagnostics.length > 0)
    throw new Error(`bench/types: ${r.diagnostics[0].message} in the generated program`);
}

const parsedOptions = ts.convertCompilerOptionsFromJson(tsOptions, dir).options;
const libCache = new Map();
const host = ts.createCompilerHost(parsedOptions);
const hostGetSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
  if (name === tsPath) return ts.createSourceFile(name, tsText, languageVersion);
  let sf = libCache.get(name);
  if (sf === undefined) {
    sf = hostGetSourceFile(name, languageVersion, onError, shouldCreate);
    libCache.set(name, sf);
  }
  return sf;
};
function tscInProcess() {
  const program = ts.createProgram([tsPath], parsedOptions, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0)
    throw new Error(
      `bench/types: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, "\n")}`,
    );
}

/** Alternating rounds; returns the medians of each side and of the per-round ratios. */
function measurePair(ours, peer, { rounds = ROUNDS, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) {
    ours();
    peer();
  }
  const a = [];
  const b = [];
  const ratios = [];
  for (let r = 0; r < rounds; r++) {
    // Which side goes first alternates too.
    let x;
    let y;
    if (r % 2 === 0) {
      x = timed(ours);
      y = timed(peer);
    } else {
      y = timed(peer);
      x = timed(ours);
    }
    a.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  return { ours: median(a), peer: median(b), ratio: median(ratios) };
}

const fmt = (ms) => `${ms.toFixed(0)} ms`.padStart(9);

// Sanity: both programs check without a diagnostic (each side throws otherwise).
cadenzaInProcess();
tscInProcess();
log(
  `input: ${lines(cdz)} lines of Cadenza (${(cdz.length / 1000).toFixed(0)} KB), ` +
    `${lines(tsText)} lines of TypeScript (${(tsText.length / 1000).toFixed(0)} KB); ` +
    `typescript ${ts.version}; ${ROUNDS} rounds`,
);

const proc = measurePair(cadenzaProcess, tscProcess);
// The warm-up pair is not counted.
const cpuRatios = childCpu.ours.slice(1).map((x, i) => x / childCpu.peer[i + 1]);
const procCpu = {
  ours: median(childCpu.ours.slice(1)),
  peer: median(childCpu.peer.slice(1)),
  ratio: median(cpuRatios),
};
log(
  `process     cadenza ${fmt(proc.ours)}   tsc --noEmit ${fmt(proc.peer)}   vs_tsc ${proc.ratio.toFixed(2)}   (fresh processes, startup included; wall time)`,
);
log(
  `            cadenza ${fmt(procCpu.ours)}   tsc --noEmit ${fmt(procCpu.peer)}   vs_tsc_cpu ${procCpu.ratio.toFixed(2)}   (the same processes, processor time)`,
);

globalThis.gc?.();
const inproc = measurePair(cadenzaInProcess, tscInProcess, { warmup: 2 });
log(
  `in process  cadenza ${fmt(inproc.ours)}   typescript   ${fmt(inproc.peer)}   vs_tsc_in_process ${inproc.ratio.toFixed(2)}   (warm, library files reused)`,
);

// Where Cadenza's time goes, warm: parsing, and checking the parsed items.
const items = parse(cdzFile).items;
const parseMs = median(Array.from({ length: 5 }, () => timed(() => parse(cdzFile))));
const checkMs = median(Array.from({ length: 5 }, () => timed(() => check(cdzFile, items))));
log(`cadenza     parse ${fmt(parseMs)}   check ${fmt(checkMs)}   (warm, in process)`);

if (json) {
  process.stdout.write(
    `${JSON.stringify({
      vs_tsc: Number(proc.ratio.toFixed(3)),
      vs_tsc_cpu: Number(procCpu.ratio.toFixed(3)),
      vs_tsc_in_process: Number(inproc.ratio.toFixed(3)),
      cadenza_process_ms: Math.round(proc.ours),
      tsc_process_ms: Math.round(proc.peer),
      cadenza_process_cpu_ms: Math.round(procCpu.ours),
      tsc_process_cpu_ms: Math.round(procCpu.peer),
      cadenza_in_process_ms: Math.round(inproc.ours),
      typescript_in_process_ms: Math.round(inproc.peer),
      cadenza_parse_ms: Math.round(parseMs),
      cadenza_check_ms: Math.round(checkMs),
      cadenza_lines: lines(cdz),
      typescript_lines: lines(tsText),
      rounds: ROUNDS,
    })}\n`,
  );
}
