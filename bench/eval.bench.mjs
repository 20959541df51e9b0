#!/usr/bin/env node
// Benchmarks the evaluator of @cadenza/eval (its built dist/) against the same algorithms
// written in plain JavaScript and run by node in the same process:
//
//   fib         naive recursive Fibonacci: calls, Integer comparison and arithmetic
//   float_loop  a `for` loop over a range updating a Float accumulator by reassignment
//   fold        `List.fold` over a list with a lambda that captures a parameter
//   strings     building a string by concatenation in a loop, then counting its characters
//
// Each Cadenza program is defined once in a REPL session; a round evaluates one entry such
// as `fib 24`, parsed once beforehand (the evaluator's time is what is measured). Figures
// are medians over rounds after a warm-up; ratios are Cadenza time / JavaScript time ("times
// slower"). With `--json` the last stdout line is one JSON object with the ratios and the
// absolute figures. The machine is shared and noisy: the ratio is what matters, and nothing
// here asserts on time.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dist = (pkg) => fileURLToPath(new URL(`../packages/${pkg}/dist/index.js`, import.meta.url));
if (!existsSync(dist("eval"))) {
  process.stderr.write("bench/eval: build first (pnpm build, or tsc -b in packages/eval)\n");
  process.exit(2);
}
const { createSession } = await import(dist("eval"));
const { parse } = await import(dist("syntax"));
const { SourceFile } = await import(dist("core"));
const json = process.argv.includes("--json");

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median milliseconds of one run of `ours` and of `peer`, interleaved round by round so that
 * both see the same machine load. `peer` is repeated `peerReps` times per round (it is much
 * faster) and its time divided accordingly.
 */
function measurePair(ours, peer, { rounds = 15, warmup = 5, peerReps = 20 } = {}) {
  globalThis.gc?.();
  for (let i = 0; i < warmup; i++) {
    ours();
    for (let k = 0; k < peerReps; k++) peer();
  }
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    ours();
    a.push(performance.now() - t0);
    t0 = performance.now();
    for (let k = 0; k < peerReps; k++) peer();
    b.push((performance.now() - t0) / peerReps);
  }
  return [median(a), median(b)];
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`).padStart(10);

const session = createSession();
/** Evaluates an entry and returns its printed output, failing loudly on a diagnostic. */
function run(text) {
  return check(text, session.evalEntry(text));
}

function check(text, r) {
  if (r.diagnostics.length > 0 || r.status !== "completed") {
    throw new Error(`bench/eval: ${JSON.stringify(text)} failed:\n${r.output}`);
  }
  return r.output;
}

/** An entry parsed once, evaluated in the session at each call. */
function parsed(text) {
  const source = SourceFile.fromRaw("repl", text);
  const { items, diagnostics } = parse(source);
  if (diagnostics.length > 0) throw new Error(`bench/eval: ${JSON.stringify(text)} does not parse`);
  return () => check(text, session.evalItems(source, items));
}

run(`fn fib n = if n < 2 then n else (fib (n - 1)) + (fib (n - 2))`);
run(
  [
    "fn float_loop n =",
    "    let x = 0.0",
    "    for i in (0..n)",
    "        x = x * 0.999 + 1.5",
    "    x",
  ].join("\n"),
);
run(
  ["fn sum_scaled xs k = List.fold xs 0 \\acc x -> acc + x * k", "let numbers = (0..20000)"].join(
    "\n",
  ),
);
run(
  [
    "fn build n =",
    '    let s = ""',
    "    for i in (0..n)",
    '        s = s + (String.from_int i) + ","',
    "    String.len s",
  ].join("\n"),
);

// The same algorithms in plain JavaScript.
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
function floatLoop(n) {
  let x = 0.0;
  for (let i = 0; i < n; i++) x = x * 0.999 + 1.5;
  return x;
}
const numbers = Array.from({ length: 20000 }, (_, i) => i);
function fold(xs, initial, f) {
  let acc = initial;
  for (const x of xs) acc = f(acc, x);
  return acc;
}
function sumScaled(xs, k) {
  return fold(xs, 0, (acc, x) => acc + x * k);
}
function build(n) {
  let s = "";
  for (let i = 0; i < n; i++) s = `${s}${String(i)},`;
  let count = 0;
  for (const _ of s) count++;
  return count;
}

/** Runs one workload: checks that both sides agree, then measures them. */
function workload(name, entry, ours, peer, expected) {
  const evaluate = parsed(entry);
  const printed = evaluate().trim();
  if (printed !== expected) {
    throw new Error(`bench/eval: ${name}: Cadenza printed ${printed}, expected ${expected}`);
  }
  const [oursMs, peerMs] = measurePair(evaluate, peer);
  const ratio = oursMs / peerMs;
  process.stdout.write(
    `${name.padEnd(11)} cadenza ${fmt(oursMs)}   javascript ${fmt(peerMs)}   ${ratio.toFixed(1).padStart(7)}× slower   ${ours}\n`,
  );
  return { cadenza_ms: oursMs, javascript_ms: peerMs, ratio };
}

process.stdout.write(
  `node ${process.version}; the evaluator of @cadenza/eval against plain JavaScript\n`,
);
const results = {
  fib: workload("fib", "fib 24", "fib 24 (75k calls)", () => fib(24), `${fib(24)} : Integer`),
  float_loop: workload(
    "float_loop",
    "float_loop 100000",
    "100k iterations",
    () => floatLoop(100000),
    `${floatLoopText(floatLoop(100000))} : Float`,
  ),
  fold: workload(
    "fold",
    "sum_scaled numbers 3",
    "List.fold over 20k elements with a capturing lambda",
    () => sumScaled(numbers, 3),
    `${sumScaled(numbers, 3)} : Integer`,
  ),
  strings: workload(
    "strings",
    "build 20000",
    "20k concatenations, then String.len",
    () => build(20000),
    `${build(20000)} : Integer`,
  ),
};

/** A Float as the REPL prints it (a `.0` is added to integral values). */
function floatLoopText(x) {
  const t = String(x);
  return /[.eN]/.test(t) ? t : `${t}.0`;
}

const ratios = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(v.ratio)]));
const targets = { fib: 10, float_loop: 60, fold: 10, strings: 5 };
process.stdout.write(
  `targets (times slower, at most): ${Object.entries(targets)
    .map(([k, t]) => `${k} ${t}${ratios[k] <= t ? " ok" : " MISSED"}`)
    .join(", ")}\n`,
);
if (json) {
  const figures = Object.fromEntries(
    Object.entries(results).map(([k, v]) => [
      k,
      { cadenza_ms: round(v.cadenza_ms), javascript_ms: round(v.javascript_ms, 4) },
    ]),
  );
  process.stdout.write(`${JSON.stringify({ ratios, figures })}\n`);
}

function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
