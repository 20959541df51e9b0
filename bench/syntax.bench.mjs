#!/usr/bin/env node
// Benchmarks @cadenza/syntax (its built dist/) against `@lezer/python` measured in the same
// run, on a generated Cadenza program of 10,000 lines and a Python program of the same shape
// with exactly as many lines and bytes. Both are Lezer LR parsers building a Lezer tree, so
// the comparison is like for like: same runtime, same tree representation, and a Python
// grammar whose indentation-sensitive layout also runs through an external tokenizer and a
// context tracker.
//
//   full parse   `parser.parse(text)`: tokenizer, layout and LR parse up to the finished Lezer
//                tree, which is all the peer builds. parse_vs_lezer_python = the peer's time
//                over ours on the same number of bytes (higher is faster).
//   lowering     `lower(tree, source)`: the tree → uniform items + diagnostics pass, which the
//                peer has no counterpart of; reported on its own, and the Lezer path of
//                `parse()` (tree + lowering) against the peer for completeness.
//   fast path    `parse()` of a well-formed file: the hand-written parser from text straight to
//                the items (`src/fast.ts`), its Lezer tree left unbuilt, against the Lezer path
//                (`parser.parse` + `lower`) on the same file, paired round by round
//                (fast_vs_tree_and_lower = the Lezer path's time over the fast path's).
//   reparse      a one-character edit in the middle of the file: `parser.parse` with the
//                previous tree's fragments (after `TreeFragment.applyChanges`) over a full
//                parse of the edited text (reparse_fraction), and the share of the new tree's
//                nodes that are the previous tree's own objects (reused_fraction). The same
//                for the whole `reparse()` (tree + lowering with item reuse), and for the
//                peer on the same edit, for scale.
//   typing       twenty consecutive one-character insertions through `reparse()`, from a result
//                whose tree was built (the incremental Lezer path) and from a fast-path result
//                whose tree never was (the fast path on each new text).
//   lazy reparse the decision for a fast-path result whose tree was never built: `reparse()`
//                runs the fast path on the new text (what it does), against building the
//                previous tree first and reparsing incrementally (what it could do).
//
// Figures are medians over rounds after a warm-up, the two sides alternating round by round,
// and every ratio is the median of the ratios of paired rounds. Times are CPU time of the
// process: the machine is shared and often oversubscribed, and wall-clock time then mostly
// measures the wait for a core (it is printed too, and its ratios land in `*_wall`). Read the
// ratios, not the absolute times. Nothing here asserts on time. With `--json` the last stdout
// line is one JSON object with every figure.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const json = process.argv.includes("--json");
const dist = fileURLToPath(new URL("../packages/syntax/dist/index.js", import.meta.url));
const coreDist = fileURLToPath(new URL("../packages/core/dist/index.js", import.meta.url));
if (!existsSync(dist) || !existsSync(coreDist)) {
  process.stderr.write("bench/syntax: build first (pnpm build, or tsc -b in packages/syntax)\n");
  process.exit(2);
}
const { lower, parse, parser, reparse } = await import(dist);
const { SourceFile } = await import(coreDist);
// A root devDependency: installed with the workspace, nothing is fetched at run time.
const { parser: python } = await import("@lezer/python");

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Both clocks, in milliseconds: wall-clock time, and the CPU time of this process (user +
 * system). The machine is shared and often oversubscribed, so wall-clock time also counts the
 * time the process waited for a core; CPU time does not, and is the steadier of the two.
 */
function clock() {
  const { user, system } = process.cpuUsage();
  return { wall: performance.now(), cpu: (user + system) / 1000 };
}

/**
 * Runs `ours` and `peer` in alternating rounds after a warm-up, `repeat[0]` and `repeat[1]`
 * times per round (so that a short operation spans many ticks of the CPU clock). Returns the median
 * milliseconds per call of each side on both clocks, and on both clocks the median over
 * rounds of `peer / ours` measured within one round: the two run back to back, so a change
 * of machine load between rounds hits both sides of a ratio. Garbage is collected once before
 * the warm-up, not between rounds (a forced full collection throws optimised code away).
 */
function measurePair(ours, peer, { rounds = 31, warmup = 5, repeat = [1, 1] } = {}) {
  globalThis.gc?.();
  for (let i = 0; i < warmup; i++) {
    ours();
    peer();
  }
  const run = (fn, times) => {
    const t0 = clock();
    for (let k = 0; k < times; k++) fn();
    const t1 = clock();
    return { wall: (t1.wall - t0.wall) / times, cpu: (t1.cpu - t0.cpu) / times };
  };
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which one goes first as well, so that neither always runs right after the
    // other's garbage.
    if (r % 2 === 0) {
      a.push(run(ours, repeat[0]));
      b.push(run(peer, repeat[1]));
    } else {
      b.push(run(peer, repeat[1]));
      a.push(run(ours, repeat[0]));
    }
  }
  const on = (xs, key) => median(xs.map((x) => x[key]));
  const ratio = (key) => median(a.map((x, i) => b[i][key] / Math.max(x[key], 1e-6)));
  return {
    ours: { wall: on(a, "wall"), cpu: on(a, "cpu") },
    peer: { wall: on(b, "wall"), cpu: on(b, "cpu") },
    ratio: { wall: ratio("wall"), cpu: ratio("cpu") },
  };
}

/** Median CPU milliseconds per call of `fn`. */
function measure(fn, { rounds = 21, warmup = 5 } = {}) {
  globalThis.gc?.();
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = clock();
    fn();
    times.push(clock().cpu - t0.cpu);
  }
  return median(times);
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`).padStart(9);
const mbps = (bytes, ms) => `${(bytes / 1e6 / (ms / 1000)).toFixed(2)} MB/s`;
const line = (text) => process.stdout.write(`${text}\n`);

// ------------------------------------------------------------------ inputs
const CHUNKS = 1000;
const CHUNK_LINES = 10;

/**
 * Ten lines of Cadenza: a doc comment, a function with a record, a list, a `match` with a
 * conditional and a lambda, a pipeline and a measure.
 */
function cadenzaChunk(i) {
  return `## Computes thing ${i}.
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
}

/**
 * The same ten lines in Python, with as many bytes. The comment sits inside the function
 * body: @lezer/python 1.1 mis-parses a comment line right after a top-level statement every
 * few hundred lines (the peer would then measure its error recovery).
 */
function pythonChunk(i) {
  return `def thing_${i}(x, y):
    # Computes thing ${i}
    total = x * ${i} + y - 1
    record = {"name": "item ${i}", "size": total, "tags": [1, 2, ${i}]}
    match total % 3:
        case 0: return record.size
        case 1: return x if x > y else y
        case n: return fold(record.tags, 0, lambda acc, t: acc + t * n)
result_${i} = len(str(thing_${i}(${i}, 2.5e3)))
unit_${i} = ${i}.5 * meter / 2 * second
`;
}

const cdz = Array.from({ length: CHUNKS }, (_, i) => cadenzaChunk(i)).join("");
let py = Array.from({ length: CHUNKS }, (_, i) => pythonChunk(i)).join("");
// Same bytes: pad the peer's last comment if the templates ever drift apart.
if (py.length < cdz.length) {
  const at = py.lastIndexOf("# Computes thing") + 2;
  py = `${py.slice(0, at)}${"x".repeat(cdz.length - py.length)}${py.slice(at)}`;
}
const lines = (s) => s.split("\n").length - 1;
if (py.length !== cdz.length || lines(py) !== lines(cdz) || lines(cdz) !== CHUNKS * CHUNK_LINES) {
  throw new Error(
    `inputs differ: ${cdz.length} B / ${lines(cdz)} lines vs ${py.length} B / ${lines(py)} lines`,
  );
}
const file = new SourceFile("bench.cdz", cdz);

// Sanity: both parse cleanly, so neither side measures error recovery.
const base = parse(file);
if (base.diagnostics.length > 0)
  throw new Error(`bench input has errors: ${base.diagnostics[0].message}`);
const errorNodes = (tree) => {
  let n = 0;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) n++;
    },
  });
  return n;
};
if (errorNodes(base.tree) > 0 || errorNodes(python.parse(py)) > 0)
  throw new Error("an input has error nodes");

line(
  `input: ${lines(cdz)} lines, ${(cdz.length / 1000).toFixed(1)} kB of Cadenza ` +
    `(${base.items.length} items); the same lines and bytes of Python for @lezer/python; node ${process.version}`,
);

// ------------------------------------------------------------------ full parse
const full = measurePair(
  () => parser.parse(cdz),
  () => python.parse(py),
);
const parseVsPython = full.ratio.cpu;
line(
  `full parse   CPU time: ours ${fmt(full.ours.cpu)} (${mbps(cdz.length, full.ours.cpu)}), ` +
    `@lezer/python ${fmt(full.peer.cpu)} (${mbps(py.length, full.peer.cpu)}): ` +
    `parse_vs_lezer_python ${parseVsPython.toFixed(2)}`,
);
line(
  `             wall clock: ours ${fmt(full.ours.wall)}, @lezer/python ${fmt(full.peer.wall)}: ` +
    `${full.ratio.wall.toFixed(2)} (ratios are medians of paired rounds)`,
);

const lowerMs = measure(() => lower(base.tree, file));
const lezerPath = () => lower(parser.parse(cdz), file);
const api = measurePair(lezerPath, () => python.parse(py), { rounds: 21 });
line(
  `lowering     ${fmt(lowerMs)} (tree → ${base.items.length} items + diagnostics); ` +
    `tree + lowering ${fmt(api.ours.cpu)}, ${api.ratio.cpu.toFixed(2)} × the peer's speed`,
);

// ------------------------------------------------------------------ fast path
const fastItems = parse(file).items;
if (
  JSON.stringify(fastItems, (_, v) => (typeof v === "bigint" ? `${v}n` : v)) !==
  JSON.stringify(lower(parser.parse(cdz), file).items, (_, v) =>
    typeof v === "bigint" ? `${v}n` : v,
  )
)
  throw new Error("the fast path's items differ from the Lezer path's");
const fast = measurePair(() => parse(file), lezerPath, { rounds: 21 });
line(
  `fast path    parse() ${fmt(fast.ours.cpu)} (${mbps(cdz.length, fast.ours.cpu)}, tree not built) vs ` +
    `tree + lowering ${fmt(fast.peer.cpu)}: fast_vs_tree_and_lower ${fast.ratio.cpu.toFixed(2)} ` +
    `(wall clock ${fast.ratio.wall.toFixed(2)})`,
);

// ------------------------------------------------------------------ incremental
/**
 * Counts the named nodes of `tree` (anonymous ones, such as Lezer's repetition nodes, are
 * not part of the tree's API), and how many of them sit in a Tree or TreeBuffer object that
 * `reusedFrom` holds, that is, were taken over from the previous tree rather than rebuilt.
 */
function countNodes(tree, reusedFrom) {
  let total = 0;
  let reused = 0;
  const walk = (t, old) => {
    const isOld = old || reusedFrom.has(t);
    if (t.buffer) {
      // A TreeBuffer: four entries per node.
      const { buffer, set } = t;
      let n = 0;
      for (let i = 0; i < buffer.length; i += 4) if (!set.types[buffer[i]].isAnonymous) n++;
      total += n;
      if (isOld) reused += n;
      return;
    }
    if (!t.type.isAnonymous) {
      total++;
      if (isOld) reused++;
    }
    for (const child of t.children) walk(child, isOld);
  };
  walk(tree, false);
  return { total, reused };
}

/** Every Tree and TreeBuffer object of `tree`. */
function objects(tree, out = new Set()) {
  out.add(tree);
  if (!tree.buffer) for (const child of tree.children) objects(child, out);
  return out;
}

const middle = cdz.indexOf("fn thing_", Math.floor(cdz.length / 2)) + 3;
const edited = `${cdz.slice(0, middle)}X${cdz.slice(middle)}`;
const editedFile = new SourceFile("bench.cdz", edited);
const edits = [{ span: { start: middle, end: middle }, newText: "X" }];
const changes = [{ fromA: middle, toA: middle, fromB: middle, toB: middle + 1 }];
// `@lezer/common` is the syntax package's dependency, not the workspace's: reach its
// TreeFragment through the fragments parse() returned.
const TreeFragment = base.fragments[0].constructor;
const retree = () => parser.parse(edited, TreeFragment.applyChanges(base.fragments, changes));
const inc = measurePair(retree, () => parser.parse(edited), {
  rounds: 31,
  warmup: 5,
  repeat: [20, 1],
});
const reparseFraction = 1 / inc.ratio.cpu;
const { total, reused } = countNodes(retree(), objects(base.tree));
const reusedFraction = reused / total;
line(
  `reparse      ${fmt(inc.ours.cpu)} after a one-character edit in line ` +
    `${lines(cdz.slice(0, middle)) + 1}, full parse ${fmt(inc.peer.cpu)}: ` +
    `reparse_fraction ${reparseFraction.toFixed(4)} (wall clock ${(1 / inc.ratio.wall).toFixed(4)}); ` +
    `reused_fraction ${reusedFraction.toFixed(4)} (${reused} of ${total} nodes)`,
);
if (parser.parse(edited).toString() !== retree().toString())
  throw new Error("the incremental tree differs from a fresh parse");

const apiInc = measurePair(
  () => reparse(base, editedFile, edits),
  () => parse(editedFile),
  { rounds: 15, warmup: 3, repeat: [4, 1] },
);
line(
  `reparse()    ${fmt(apiInc.ours.cpu)} (tree + lowering reusing unchanged items) vs parse() ` +
    `${fmt(apiInc.peer.cpu)}: ${(1 / apiInc.ratio.cpu).toFixed(4)} of a full parse()`,
);

// The peer on the same edit, for scale.
const pyMiddle = py.indexOf("def thing_", Math.floor(py.length / 2)) + 4;
const pyEdited = `${py.slice(0, pyMiddle)}X${py.slice(pyMiddle)}`;
const pyBase = python.parse(py);
const pyFragments = TreeFragment.addTree(pyBase);
const pyChanges = [{ fromA: pyMiddle, toA: pyMiddle, fromB: pyMiddle, toB: pyMiddle + 1 }];
const pyRetree = () => python.parse(pyEdited, TreeFragment.applyChanges(pyFragments, pyChanges));
const pyInc = measurePair(pyRetree, () => python.parse(pyEdited), {
  rounds: 31,
  warmup: 5,
  repeat: [20, 1],
});
const pyReused = countNodes(pyRetree(), objects(pyBase));
line(
  `peer         @lezer/python on the same edit: ${fmt(pyInc.ours.cpu)} vs ${fmt(pyInc.peer.cpu)}: ` +
    `${(1 / pyInc.ratio.cpu).toFixed(4)} of a full parse, ` +
    `${(pyReused.reused / pyReused.total).toFixed(4)} of nodes reused`,
);

const word = "abcdefghijklmnopqrst";
/** Twenty keystrokes in a row through reparse(), from the result `start` returns. */
const keystrokesFrom = (start) => () => {
  let previous = start();
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
const typing = keystrokesFrom(() => base);
const typingMs = measure(typing, { rounds: 9, warmup: 2 }) / word.length;
line(
  `typing       ${fmt(typingMs)} per keystroke through reparse(), 20 keystrokes in a row (CPU time)`,
);

// A session that never reads a tree: parse() on the fast path, then keystrokes.
const typingFastMs =
  (measure(
    keystrokesFrom(() => parse(file)),
    { rounds: 9, warmup: 2 },
  ) -
    fast.ours.cpu) /
  word.length;
line(
  `             ${fmt(typingFastMs)} per keystroke from a fast-path result whose tree is never built`,
);

// The decision for such a result: the fast path on the new text, or build the previous tree
// and reparse incrementally. Both sides start from a fresh fast-path parse of the old text.
const lazy = measurePair(
  () => reparse(parse(file), editedFile, edits),
  () => {
    const b = parse(file);
    void b.tree;
    return reparse(b, editedFile, edits);
  },
  { rounds: 11, warmup: 2 },
);
const lazyFastMs = lazy.ours.cpu - fast.ours.cpu;
const lazyTreeMs = lazy.peer.cpu - fast.ours.cpu;
line(
  `lazy reparse ${fmt(lazyFastMs)} (fast path on the new text) vs ${fmt(lazyTreeMs)} ` +
    `(build the previous tree, reparse incrementally), after a parse() of ${fmt(fast.ours.cpu)}`,
);

// ------------------------------------------------------------------ memory
let retainedBytes;
if (globalThis.gc) {
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const kept = parse(file);
  void kept.tree;
  globalThis.gc();
  retainedBytes = process.memoryUsage().heapUsed - before;
  line(
    `memory       ${(retainedBytes / 1e6).toFixed(1)} MB retained for tree + items ` +
      `(${(retainedBytes / cdz.length).toFixed(1)} bytes per source character)`,
  );
  void kept;
}

const round = (x, digits = 4) => Number(x.toFixed(digits));
if (json) {
  line(
    JSON.stringify({
      benchmark: "syntax",
      peer: "@lezer/python",
      lines: lines(cdz),
      bytes: cdz.length,
      parse_vs_lezer_python: round(parseVsPython, 3),
      reparse_fraction: round(reparseFraction),
      reused_fraction: round(reusedFraction),
      clock: "CPU time of the process (wall-clock ratios in the *_wall fields)",
      parse_vs_lezer_python_wall: round(full.ratio.wall, 3),
      reparse_fraction_wall: round(1 / inc.ratio.wall),
      full_parse_ms: round(full.ours.cpu, 2),
      lezer_python_ms: round(full.peer.cpu, 2),
      lower_ms: round(lowerMs, 2),
      parse_api_vs_lezer_python: round(api.ratio.cpu, 3),
      fast_parse_ms: round(fast.ours.cpu, 2),
      tree_and_lower_ms: round(fast.peer.cpu, 2),
      fast_vs_tree_and_lower: round(fast.ratio.cpu, 3),
      fast_vs_tree_and_lower_wall: round(fast.ratio.wall, 3),
      keystroke_fast_ms: round(typingFastMs, 3),
      lazy_reparse_fast_ms: round(lazyFastMs, 2),
      lazy_reparse_build_tree_ms: round(lazyTreeMs, 2),
      reparse_ms: round(inc.ours.cpu, 3),
      reparse_api_fraction: round(1 / apiInc.ratio.cpu),
      lezer_python_reparse_fraction: round(1 / pyInc.ratio.cpu),
      lezer_python_reused_fraction: round(pyReused.reused / pyReused.total),
      keystroke_ms: round(typingMs, 3),
      retained_bytes_per_char:
        retainedBytes === undefined ? null : round(retainedBytes / cdz.length, 1),
      full_parse: "Lezer tree only (tokenizer + layout + LR), as the peer builds",
    }),
  );
}
