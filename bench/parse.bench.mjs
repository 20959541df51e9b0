#!/usr/bin/env node
// Benchmarks @cadenza/syntax (its built dist/) against a peer measured in the same run:
// TypeScript's own hand-written parser (`ts.createSourceFile`) on the same volume of
// JavaScript with the same shape (functions, matches as switches, records as objects,
// lambdas, pipelines as calls). TypeScript is already a dev dependency of the workspace, and
// its parser is a mature, heavily optimised production parser: a demanding peer.
//
//   tree       Lezer tree only (tokenizer + LR), the part comparable to createSourceFile
//   parse      the whole `parse`: tree, uniform items, diagnostics
//   reparse    one-character edit in the middle of the file, incremental vs a full parse
//   typing     twenty consecutive one-character insertions, as when typing a word
//
// Figures are medians over rounds after a warm-up; the machine is shared and noisy, so the
// ratio against the peer is what matters. Nothing here asserts on time.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../packages/syntax/dist/index.js", import.meta.url));
const coreDist = fileURLToPath(new URL("../packages/core/dist/index.js", import.meta.url));
if (!existsSync(dist) || !existsSync(coreDist)) {
  process.stderr.write("bench/parse: build first (pnpm build, or tsc -b in packages/syntax)\n");
  process.exit(2);
}
const { parse, parser, reparse } = await import(dist);
const { SourceFile } = await import(coreDist);
const ts = createRequire(import.meta.url)("typescript");

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Runs `ours` and `peer` in alternating rounds after a warm-up and returns the median
 * milliseconds per call of each. Alternating keeps the ratio honest on a shared machine whose
 * load changes from one second to the next.
 */
function measurePair(ours, peer, { rounds = 15, warmup = 4 } = {}) {
  globalThis.gc?.();
  for (let i = 0; i < warmup; i++) {
    ours();
    peer();
  }
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    ours();
    a.push(performance.now() - t0);
    t0 = performance.now();
    peer();
    b.push(performance.now() - t0);
  }
  return [median(a), median(b)];
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`).padStart(10);
const mbps = (bytes, ms) => `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`.padStart(11);

function report(name, oursMs, peerMs, peerName, note = "", oursName = "ours") {
  const ratio = peerMs / oursMs;
  const verdict = ratio >= 1 ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(2)}× slower`;
  process.stdout.write(
    `${name.padEnd(10)} ${oursName.padEnd(10)} ${fmt(oursMs)}   ${peerName.padEnd(10)} ${fmt(peerMs)}   ${verdict.padEnd(14)} ${note}\n`,
  );
}

// ------------------------------------------------------------------ inputs
/** A Cadenza program of about `bytes` characters, built from realistic templates. */
function cadenzaProgram(bytes) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const chunk = `## Computes thing ${i}.
fn thing_${i} x y =
    let total = x * ${i} + y - 1
    let record = { name = "item ${i}", size = total, tags = [1, 2, ${i}] }
    match total % 3
        0 => record.size
        1 => if x > y then x else y
        n => List.fold record.tags 0 \\acc t -> acc + t * n
let result_${i} = thing_${i} ${i} 2.5e3 |> String.from_int |> String.len
measure unit_${i} = ${i}.5meter / 2second
`;
    parts.push(chunk);
    size += chunk.length;
  }
  return parts.join("");
}

/** JavaScript with the same shape and size as {@link cadenzaProgram}. */
function javascriptProgram(bytes) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const chunk = `/** Computes thing ${i}. */
function thing_${i}(x, y) {
  let total = x * ${i} + y - 1;
  let record = { name: "item ${i}", size: total, tags: [1, 2, ${i}] };
  switch (total % 3) {
    case 0: return record.size;
    case 1: return x > y ? x : y;
    default: return record.tags.reduce((acc, t) => acc + t * 2, 0);
  }
}
const result_${i} = String(thing_${i}(${i}, 2.5e3)).length;
const unit_${i} = (${i}.5 * meter) / (2 * second);
`;
    parts.push(chunk);
    size += chunk.length;
  }
  return parts.join("");
}

const SIZE = 200_000;
const cdz = cadenzaProgram(SIZE);
const js = javascriptProgram(cdz.length);
const file = new SourceFile("bench.cdz", cdz);

// Sanity: both parse cleanly, so neither side measures error recovery.
const check = parse(file);
if (check.diagnostics.length > 0)
  throw new Error(`bench input has errors: ${check.diagnostics[0].message}`);
const jsCheck = ts.createSourceFile(
  "bench.js",
  js,
  ts.ScriptTarget.Latest,
  false,
  ts.ScriptKind.JS,
);
if (jsCheck.parseDiagnostics.length > 0) throw new Error("peer input has errors");

process.stdout.write(
  `input: ${(cdz.length / 1000).toFixed(0)} KB of Cadenza (${check.items.length} items), ` +
    `${(js.length / 1000).toFixed(0)} KB of JavaScript for the peer\n`,
);

const tsParse = () =>
  ts.createSourceFile("bench.js", js, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);

const [treeMs, peerMs] = measurePair(() => parser.parse(cdz), tsParse);
report(
  "tree",
  treeMs,
  peerMs,
  "typescript",
  `${mbps(cdz.length, treeMs)} vs ${mbps(js.length, peerMs)}`,
);

const [parseMs, parsePeerMs] = measurePair(() => parse(file), tsParse);
report(
  "parse",
  parseMs,
  parsePeerMs,
  "typescript",
  `${mbps(cdz.length, parseMs)} (tree + items + diagnostics)`,
);

// ------------------------------------------------------------------ incremental
const middle = cdz.indexOf("fn thing_", Math.floor(cdz.length / 2)) + 3;
const edited = `${cdz.slice(0, middle)}X${cdz.slice(middle)}`;
const editedFile = new SourceFile("bench.cdz", edited);
const edits = [{ span: { start: middle, end: middle }, newText: "X" }];
const base = parse(file);
const changes = [{ fromA: middle, toA: middle, fromB: middle, toB: middle + 1 }];
// `@lezer/common` is the syntax package's dependency, not the workspace's: reach its
// TreeFragment through the fragments parse() returned.
const TreeFragment = base.fragments[0].constructor;
const [incTreeMs, fullTreeMs] = measurePair(
  () => parser.parse(edited, TreeFragment.applyChanges(base.fragments, changes)),
  () => parser.parse(edited),
);
report(
  "retree",
  incTreeMs,
  fullTreeMs,
  "full tree",
  "Lezer tree only: one-character edit in the middle",
);
const [reparseMs, fullMs] = measurePair(
  () => reparse(base, editedFile, edits),
  () => parse(editedFile),
);
report(
  "reparse",
  reparseMs,
  fullMs,
  "full parse",
  "reparse(): new tree, then items and diagnostics lowered again",
);

// The peer's own incremental API, for scale. A source file can be updated only once, so each
// round updates a fresh one; the time of making it is measured alongside and subtracted.
const jsMiddle = js.indexOf("function thing_", Math.floor(js.length / 2)) + 9;
const jsEdited = `${js.slice(0, jsMiddle)}X${js.slice(jsMiddle)}`;
const [jsBoth, jsBaseMs] = measurePair(
  () =>
    ts.updateSourceFile(tsParse(), jsEdited, {
      span: { start: jsMiddle, length: 0 },
      newLength: 1,
    }),
  tsParse,
);
report(
  "ts-update",
  Math.max(jsBoth - jsBaseMs, 0.001),
  jsBaseMs,
  "ts full",
  "the peer's own incremental reparse, for scale",
  "ts update",
);

const word = "abcdefghijklmnopqrst";
const typing = () => {
  let previous = base;
  let text = cdz;
  for (let k = 0; k < word.length; k++) {
    const at = middle + k;
    text = `${text.slice(0, at)}${word[k]}${text.slice(at)}`;
    previous = reparse(previous, new SourceFile("bench.cdz", text), [
      { span: { start: at, end: at }, newText: word[k] },
    ]);
  }
  return previous;
};
const [typingMs, typingFullMs] = measurePair(typing, () => parse(editedFile), {
  rounds: 7,
  warmup: 2,
});
report(
  "typing",
  typingMs / word.length,
  typingFullMs,
  "full parse",
  "reparse() per keystroke, 20 keystrokes in a row",
);

// ------------------------------------------------------------------ memory
globalThis.gc?.();
const before = process.memoryUsage().heapUsed;
const kept = parse(file);
globalThis.gc?.();
const after = process.memoryUsage().heapUsed;
if (globalThis.gc) {
  process.stdout.write(
    `memory     ${((after - before) / 1e6).toFixed(1)} MB retained for tree + items ` +
      `(${((after - before) / cdz.length).toFixed(1)} bytes per source character)\n`,
  );
}
void kept;
