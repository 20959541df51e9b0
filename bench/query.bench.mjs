#!/usr/bin/env node
// Benchmarks @cadenza/query (its built dist/) against the natural peer measured in the same
// run: recomputing everything from scratch with plain functions and no database.
//
// Each node does a fixed bit of integer work (`work`, about a microsecond: far less than a
// compiler phase spends on a definition, so the engine's overhead shows rather than hides).
//
//   chain    q(i) = work(q(i-1), input(i)), 400 deep; edit one input near the end, or in
//            the middle (half the chain reruns)
//   diamond  a lattice of 20 layers × 50 nodes, node (l, w) reading (l-1, w) and
//            (l-1, w+1); edit one bottom input so the change spreads up a cone, or so that
//            the bottom query recomputes an equal value (early cut-off: nothing reruns)
//   green    an input nothing reads changes: the cost of proving 1000 nodes unchanged
//   initial  computing everything once through a fresh database: the engine's overhead when
//            nothing can be reused
//
// Figures are medians over rounds after a warm-up; the machine is shared and noisy, so the
// ratio against the peer is what matters. Nothing here asserts on time.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../packages/query/dist/index.js", import.meta.url));
if (!existsSync(dist)) {
  process.stderr.write("bench/query: build first (pnpm build, or tsc -b in packages/query)\n");
  process.exit(2);
}
const { createDatabase, defineInput, defineQuery } = await import(dist);

/** A deterministic bit of work standing in for a compiler phase on one definition. */
function work(a, b) {
  let h = (a ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < 500; i++) h = Math.imul(h ^ (b + i), 0x01000193) >>> 0;
  return h;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Runs `fn` (which performs `ops` operations) for some rounds; returns the median ms per op.
 * Collects garbage once before the warm-up, not between rounds: a forced full collection
 * throws away optimised code, and the rounds would then measure the JIT warming up again.
 */
function measure(fn, ops, { rounds = 21, warmup = 5 } = {}) {
  globalThis.gc?.();
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / ops);
  }
  return median(times);
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`).padStart(9);

function report(name, dbMs, peerMs, note) {
  const ratio = peerMs / dbMs;
  const verdict = ratio >= 1 ? `${ratio.toFixed(1)}× faster` : `${(1 / ratio).toFixed(1)}× slower`;
  process.stdout.write(
    `${name.padEnd(30)} db ${fmt(dbMs)}   from scratch ${fmt(peerMs)}   ${verdict.padEnd(13)} ${note}\n`,
  );
}

function check(name, a, b) {
  if (a !== b) throw new Error(`${name}: the database says ${a}, from scratch says ${b}`);
}

const EDITS = 40;

// ---------------------------------------------------------------- chain
function chain(at, label) {
  const N = 400;
  const values = Array.from({ length: N }, (_, i) => i);
  const plain = () => {
    let acc = 0;
    for (let i = 0; i < N; i++) acc = work(acc, values[i]);
    return acc;
  };
  const db = createDatabase();
  const input = defineInput(db, "input");
  const q = defineQuery(db, "q", (ctx, i) =>
    work(i === 0 ? 0 : ctx.get(q, i - 1), ctx.get(input, i)),
  );
  values.forEach((v, i) => {
    input.set(i, v);
  });
  check("chain", db.get(q, N - 1), plain());
  let flip = 0;
  const edit = () => {
    values[at] = at + (++flip % 2);
    input.set(at, values[at]);
  };
  db.resetStats();
  const dbMs = measure(() => {
    for (let e = 0; e < EDITS; e++) {
      edit();
      db.get(q, N - 1);
    }
  }, EDITS);
  const runs = db.stats(q).executions / ((21 + 5) * EDITS);
  const peerMs = measure(() => {
    for (let e = 0; e < EDITS; e++) {
      edit();
      plain();
    }
  }, EDITS);
  check("chain", db.get(q, N - 1), plain());
  report(label, dbMs, peerMs, `${runs.toFixed(0)} of ${N} nodes rerun per edit`);
}

// ---------------------------------------------------------------- diamond lattice
const L = 20;
const W = 50;

function latticePlain(inputs) {
  let prev = inputs.map((v) => work(v % 1000, 0));
  for (let l = 1; l < L; l++) {
    prev = prev.map((_, w) => work(prev[w], prev[(w + 1) % W]));
  }
  return prev.reduce((a, b) => (a + b) >>> 0, 0);
}

function latticeDb(inputs) {
  const db = createDatabase();
  const input = defineInput(db, "input");
  // The bottom reduces its input modulo 1000: an edit by ±1000 is cut off right there.
  const node = defineQuery(db, "node", (ctx, [l, w]) =>
    l === 0
      ? work(ctx.get(input, w) % 1000, 0)
      : work(ctx.get(node, [l - 1, w]), ctx.get(node, [l - 1, (w + 1) % W])),
  );
  const top = defineQuery(db, "top", (ctx) => {
    let s = 0;
    for (let w = 0; w < W; w++) s = (s + ctx.get(node, [L - 1, w])) >>> 0;
    return s;
  });
  inputs.forEach((v, w) => {
    input.set(w, v);
  });
  return { db, input, node, top };
}

function diamond(step, label) {
  const inputs = Array.from({ length: W }, (_, i) => i * 7);
  const { db, input, node, top } = latticeDb(inputs);
  check("diamond", db.get(top, null), latticePlain(inputs));
  let n = 0;
  const edit = () => {
    const w = (n++ * 13) % W;
    inputs[w] += step;
    input.set(w, inputs[w]);
  };
  db.resetStats();
  const dbMs = measure(() => {
    for (let e = 0; e < EDITS; e++) {
      edit();
      db.get(top, null);
    }
  }, EDITS);
  const runs = db.stats(node).executions / ((21 + 5) * EDITS);
  const peerMs = measure(() => {
    for (let e = 0; e < EDITS; e++) {
      edit();
      latticePlain(inputs);
    }
  }, EDITS);
  check("diamond", db.get(top, null), latticePlain(inputs));
  report(label, dbMs, peerMs, `${runs.toFixed(0)} of ${L * W} nodes rerun per edit`);
}

// ---------------------------------------------------------------- green
function green() {
  const inputs = Array.from({ length: W }, (_, i) => i * 7);
  const { db, top } = latticeDb(inputs);
  const other = defineInput(db, "other");
  other.set(null, 0);
  db.get(top, null);
  let n = 0;
  db.resetStats();
  const dbMs = measure(() => {
    for (let e = 0; e < EDITS; e++) {
      other.set(null, ++n);
      db.get(top, null);
    }
  }, EDITS);
  const peerMs = measure(() => {
    for (let e = 0; e < EDITS; e++) latticePlain(inputs);
  }, EDITS);
  report("unrelated edit (all green)", dbMs, peerMs, `0 of ${L * W} nodes rerun, all verified`);
}

// ---------------------------------------------------------------- initial
function initial() {
  const inputs = Array.from({ length: W }, (_, i) => i * 7);
  const fresh = () => {
    const { db, top } = latticeDb(inputs);
    return db.get(top, null);
  };
  check("initial", fresh(), latticePlain(inputs));
  const dbMs = measure(fresh, 1, { rounds: 31, warmup: 20 });
  const peerMs = measure(() => latticePlain(inputs), 1, { rounds: 31, warmup: 20 });
  const perQuery = ((dbMs - peerMs) / (L * W + 1)) * 1000;
  report(
    "first computation, 1000 nodes",
    dbMs,
    peerMs,
    `overhead ≈ ${perQuery.toFixed(2)} µs per query execution`,
  );
  if (globalThis.gc) {
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    const kept = latticeDb(inputs);
    kept.db.get(kept.top, null);
    globalThis.gc();
    const bytes = process.memoryUsage().heapUsed - before;
    process.stdout.write(
      `memory: ≈ ${(bytes / (L * W + 1)).toFixed(0)} bytes per memo (${L * W + 1} memos, ${W} inputs, number values)\n`,
    );
    void kept;
  }
}

process.stdout.write(`node ${process.version}; each node ≈ 500 multiply-xor steps\n`);
chain(395, "chain 400, edit near the end");
chain(200, "chain 400, edit in the middle");
diamond(1, "lattice 20×50, edit spreads");
diamond(1000, "lattice 20×50, edit cut off");
green();
initial();
