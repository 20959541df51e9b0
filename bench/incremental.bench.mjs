#!/usr/bin/env node
// Benchmarks the incremental compiler of @cadenza/driver (its built dist/) against the peer
// measured in the same run: a from-scratch `checkSource` of the same file (parse and
// whole-file type check), which is what `cadenza check` did before the driver.
//
// The file is generated: N functions (300 by default; `--sizes 300,1000` for more) that call
// the one before them or one further back, a few of them with units, and some top-level
// items that the evaluator runs at compile time. Each workload alternates between two texts,
// so that every round is a real edit:
//
//   body edit       change a literal in the body of the function in the middle, keeping its
//                   type: one binding group is inferred again (its signature cuts off)
//   add definition  insert (then remove) a function in the middle of the file
//   signature edit  make that function return a Float: the groups that use it, directly or
//                   not, are inferred again as far as their own signatures change
//
// An edit through the driver is everything an editor needs afterwards: `setFile`, then every
// diagnostic of the file (incremental reparse, evaluation of the whole file — top-level code
// runs on every edit —, the binding groups the edit reaches, and placing results back at file
// positions). The driver's own from-scratch compile (all phases in a fresh database) is
// printed too, for scale. Inference counts come from the database's counters.
//
// Figures are medians over rounds after a warm-up, the two sides alternating round by round;
// ratios are medians of the ratios of paired rounds. Times are CPU time of the process (the
// machine is shared; wall-clock time mostly measures waiting for a core). Nothing here
// asserts on time. With `--json` the last stdout line is one JSON object with every figure.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const json = process.argv.includes("--json");
const dist = (pkg) => fileURLToPath(new URL(`../packages/${pkg}/dist/index.js`, import.meta.url));
for (const pkg of ["driver", "types", "core"]) {
  if (!existsSync(dist(pkg))) {
    process.stderr.write(
      `bench/incremental: build first (pnpm build, or tsc -b in packages/${pkg})\n`,
    );
    process.exit(2);
  }
}
const { createCompiler } = await import(dist("driver"));
const { checkSource } = await import(dist("types"));
const { SourceFile } = await import(dist("core"));

const sizesArg = process.argv.indexOf("--sizes");
const SIZES = sizesArg >= 0 ? process.argv[sizesArg + 1].split(",").map(Number) : [300];

const line = (text) => process.stdout.write(`${text}\n`);
const banner = (text) => (json ? process.stderr : process.stdout).write(`${text}\n`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** CPU milliseconds of this process (user + system) and wall-clock milliseconds. */
function clock() {
  const { user, system } = process.cpuUsage();
  return { wall: performance.now(), cpu: (user + system) / 1000 };
}

/**
 * Runs `ours` and `peer` in alternating rounds after a warm-up; returns the median CPU
 * milliseconds of each and the median of the per-round ratios `peer / ours`.
 */
function measurePair(ours, peer, { rounds = 21, warmup = 4 } = {}) {
  globalThis.gc?.();
  for (let i = 0; i < warmup; i++) {
    ours();
    peer();
  }
  const run = (fn) => {
    const t0 = clock();
    fn();
    const t1 = clock();
    return { cpu: t1.cpu - t0.cpu, wall: t1.wall - t0.wall };
  };
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      a.push(run(ours));
      b.push(run(peer));
    } else {
      b.push(run(peer));
      a.push(run(ours));
    }
  }
  return {
    ours: median(a.map((x) => x.cpu)),
    peer: median(b.map((x) => x.cpu)),
    oursWall: median(a.map((x) => x.wall)),
    ratio: median(a.map((x, i) => b[i].cpu / Math.max(x.cpu, 1e-3))),
  };
}

/** The body of function `i` (one line); `literal` is the literal the edits change. */
function body(i, literal) {
  const a = i - 1;
  const b = Math.floor(i / 2);
  switch (i % 4) {
    case 0:
      return `f${a} x y * 2 + ${literal}`;
    case 1:
      return `if x < y then f${a} x y + ${literal} else f${b} y x`;
    case 2:
      return `f${b} (x + ${literal}) y - y`;
    default:
      return `f${a} y x + x * ${literal}`;
  }
}

/** A program of `n` functions; `variant` says which edit is applied to the middle one. */
function program(n, variant = {}) {
  const middle = Math.floor(n / 2);
  const out = ["measure meter", "measure second", "fn f0 x y = x + y"];
  for (let i = 1; i < n; i++) {
    if (i === middle && variant.insert) out.push("fn extra x y = x * y + 1");
    const literal = i === middle ? (variant.literal ?? String(i)) : String(i);
    out.push(`fn f${i} x y = ${body(i, literal)}`);
    if (i % 25 === 0) {
      out.push(`fn speed${i} d t = d / t * ${i}`);
      out.push(`speed${i} 100meter 9.58second`);
    }
    if (i % 10 === 0 && i <= 40) out.push(`let r${i} = f${i} 1 2`);
  }
  out.push(`f${n - 1} 3 4`);
  return `${out.join("\n")}\n`;
}

/** Edits `file` back and forth between two texts; each call is one edit and a full re-check. */
function toggler(compiler, a, b) {
  let flip = false;
  return () => {
    flip = !flip;
    compiler.setFile("bench.cdz", flip ? b : a);
    return compiler.diagnostics("bench.cdz");
  };
}

/** How many times `infer` ran for one edit from `a` to `b` (and back, halved). */
function inferRuns(a, b) {
  const c = createCompiler();
  c.setFile("bench.cdz", a);
  c.diagnostics("bench.cdz");
  c.resetStats();
  c.setFile("bench.cdz", b);
  c.diagnostics("bench.cdz");
  const s = c.stats().queries;
  return {
    infer: s.infer.executions,
    inferUnit: s.inferUnit.executions,
    evaluate: s.evaluate.executions,
  };
}

const fmt = (ms) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`.padStart(10);
const results = {};

for (const n of SIZES) {
  const base = program(n);
  const bodyEdit = program(n, { literal: String(Math.floor(n / 2) + 1) });
  const added = program(n, { insert: true });
  const retyped = program(n, { literal: `${Math.floor(n / 2)}.5` });
  const source = new SourceFile("bench.cdz", base);
  const lines = base.split("\n").length - 1;

  // Sanity: the driver and the peer agree on the file (no diagnostics at all).
  const check = createCompiler();
  check.setFile("bench.cdz", base);
  const problems = check.diagnostics("bench.cdz").length + checkSource(source).diagnostics.length;
  if (problems > 0)
    throw new Error(`bench/incremental: the generated file has ${problems} diagnostics`);

  banner(`\n${n} functions, ${lines} lines, ${base.length} characters`);
  const peer = () => checkSource(new SourceFile("bench.cdz", base));

  const compiler = createCompiler();
  compiler.setFile("bench.cdz", base);
  compiler.diagnostics("bench.cdz");

  const full = measurePair(
    () => {
      const c = createCompiler();
      c.setFile("bench.cdz", base);
      c.diagnostics("bench.cdz");
    },
    peer,
    { rounds: 11, warmup: 2 },
  );
  const body = measurePair(toggler(compiler, base, bodyEdit), peer);
  const add = measurePair(toggler(compiler, base, added), peer);
  const sig = measurePair(toggler(compiler, base, retyped), peer, { rounds: 11, warmup: 2 });
  const runs = {
    body: inferRuns(base, bodyEdit),
    add: inferRuns(base, added),
    signature: inferRuns(base, retyped),
  };

  // Where a body edit goes, by the database's timings of each query (wall clock, exclusive).
  const split = (() => {
    const c = createCompiler();
    const edit = toggler(c, base, bodyEdit);
    for (let i = 0; i < 4; i++) edit();
    c.resetStats();
    const rounds = 10;
    for (let i = 0; i < rounds; i++) edit();
    const q = c.stats().queries;
    const self = (name) => q[name].selfTime / rounds;
    const all = Object.keys(q).reduce((sum, name) => sum + self(name), 0);
    return {
      parse: self("parse"),
      evaluate: self("evaluate"),
      infer: self("infer") + self("inferUnit"),
      other: all - self("parse") - self("evaluate") - self("infer") - self("inferUnit"),
    };
  })();

  line(`  checkSource from scratch (peer)   ${fmt(full.peer)}`);
  line(
    `  driver from scratch               ${fmt(full.ours)}   ${(full.ours / full.peer).toFixed(2)}× the peer (it also evaluates)`,
  );
  const row = (name, m, r) =>
    line(
      `  ${name.padEnd(32)}  ${fmt(m.ours)}   ${m.ratio.toFixed(1)}× faster than the peer   infer ran ${r.infer}× (+${r.inferUnit} units), evaluate ${r.evaluate}×`,
    );
  row("edit one body, re-check", body, runs.body);
  line(
    `    of which (wall): parse ${split.parse.toFixed(2)} ms, evaluate ${split.evaluate.toFixed(2)} ms, inference ${split.infer.toFixed(2)} ms, the other queries ${split.other.toFixed(2)} ms`,
  );
  row("add a definition, re-check", add, runs.add);
  row("change a signature, re-check", sig, runs.signature);

  results[n] = {
    lines,
    full_ms: Number(full.peer.toFixed(3)),
    driver_full_ms: Number(full.ours.toFixed(3)),
    body_edit_ms: Number(body.ours.toFixed(3)),
    body_edit_vs_full: Number(body.ratio.toFixed(2)),
    add_def_ms: Number(add.ours.toFixed(3)),
    add_def_vs_full: Number(add.ratio.toFixed(2)),
    signature_edit_ms: Number(sig.ours.toFixed(3)),
    signature_edit_vs_full: Number(sig.ratio.toFixed(2)),
    body_edit_inference_runs: runs.body.infer + runs.body.inferUnit,
    body_edit_split_ms: {
      parse: Number(split.parse.toFixed(3)),
      evaluate: Number(split.evaluate.toFixed(3)),
      inference: Number(split.infer.toFixed(3)),
      other: Number(split.other.toFixed(3)),
    },
    add_def_inference_runs: runs.add.infer + runs.add.inferUnit,
    signature_edit_inference_runs: runs.signature.infer + runs.signature.inferUnit,
  };
}

if (json) {
  line(
    JSON.stringify({
      benchmark: "incremental",
      peer: "checkSource (parse + whole-file type check) from scratch",
      clock: "CPU time of the process",
      sizes: results,
    }),
  );
}
