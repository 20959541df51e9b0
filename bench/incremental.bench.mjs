#!/usr/bin/env node
// Benchmarks the incremental compiler of @cadenza/driver (its built dist/) on generated
// programs of 2,000, 10,000 and 50,000 lines (`--sizes 2000,10000` for others, in lines): a
// full check, then the re-check after editing one function body, after adding a definition,
// and after changing a signature that 10 callers use. The peer measured in the same run is a
// from-scratch `checkSource` of the same file (parse and whole-file type check: what
// `cadenza check` did before the driver); it is printed, not part of the JSON.
//
// The file: functions `f1…fN` that call the one before them or one further back, a
// function every 25 with units and a top-level call of it, four top-level `let`s that call
// `f10…f40`, and `shared` (in the middle) with 10 callers spread over the second half. Each
// workload alternates between two texts, so that every round is a real edit:
//
//   body edit       change a literal in the body of the function in the middle, keeping its
//                   type: one binding group is inferred again (its signature cuts off)
//   add definition  insert (then remove) a function in the middle of the file
//   signature edit  `fn shared x y = x + y` becomes `fn shared x y = x`: `shared` and its 10
//                   callers are inferred again (nothing uses the callers)
//
// A check is everything an editor needs: `setFile`, then every diagnostic of the file. The
// full check is the driver's in a fresh database (it also evaluates the file's top-level
// code); a re-check reuses the long-lived database (incremental reparse, incremental
// evaluation — the edited functions and the top-level code that reads them, or the whole file
// where the evaluator cannot tell —, the binding groups the edit reaches, and placing results
// back at file positions). Inference counts come from the database's counters, for one edit.
//
// Times are CPU time of the process in milliseconds (user + system: the machine is shared,
// and wall-clock time mostly measures waiting for a core), medians of rounds after a
// warm-up; the larger sizes get fewer rounds of the full check (and body edits, which are
// cheap, 201 rounds at every size). Nothing here asserts on time.
// The multi-module case (`--modules 20x500` for another count × lines per module; `--modules
// 0` skips it) is a generated project of modules in layers of four: each module of a layer
// imports three modules of the layer below, one by names (the one of the same index, whose
// import the first module of each layer re-exports), one with `*` and one with `as q`, and
// uses what it imports inside function bodies only (top-level code calls its own functions).
// It measures a full check of every module (a fresh compiler), then two edits of the leaf
// `m0_0`, each followed by a re-check of every module:
//
//   leaf body edit       change a literal in the body of an exported function, keeping its
//                        type: the executions of queries keyed by any other module must be 0
//   leaf signature edit  `fn m0_0_shared x y = x + y` becomes `… = x`; only private functions
//                        of its importers use it: `infer` must rerun exactly in the leaf and the
//                        modules that import it (directly, or through the re-export)
//
// With `--json` the last stdout line is one JSON object:
//   { "sizes": [ { "lines", "full_ms", "body_edit_ms", "add_def_ms", "signature_edit_ms",
//                  "body_edit_inference_runs" }, … ],
//     "modules": { "modules", "lines", "full_ms", "body_edit_ms", "signature_edit_ms",
//                  "body_edit_other_module_runs", "body_edit_leaf_runs",
//                  "signature_edit_infer_modules", "importers",
//                  "signature_edit_reruns_only_importers" } }
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
const SIZES =
  sizesArg >= 0
    ? process.argv[sizesArg + 1].split(",").filter(Boolean).map(Number)
    : [2000, 10000, 50000];
const modulesArg = process.argv.indexOf("--modules");
const [MODULE_COUNT, MODULE_LINES] = (modulesArg >= 0 ? process.argv[modulesArg + 1] : "20x500")
  .split("x")
  .map(Number);

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

/** Runs `fn` `rounds` times after `warmup` runs; the median CPU and wall-clock milliseconds. */
function measure(fn, { rounds, warmup }) {
  globalThis.gc?.();
  for (let i = 0; i < warmup; i++) fn();
  const cpu = [];
  const wall = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = clock();
    fn();
    const t1 = clock();
    cpu.push(t1.cpu - t0.cpu);
    wall.push(t1.wall - t0.wall);
  }
  return { cpu: median(cpu), wall: median(wall) };
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

/**
 * A program of `n` functions `f*`; `variant` says which edit is applied: `literal` (the
 * body of the middle function), `insert` (a new function before it), `signature` (of
 * `shared`).
 */
function program(n, variant = {}) {
  const middle = Math.floor(n / 2);
  const callers = new Set(
    Array.from(
      { length: 10 },
      (_, k) => middle + 1 + Math.floor(((k + 1) * (n - middle - 2)) / 11),
    ),
  );
  const out = ["measure meter", "measure second", "fn f0 x y = x + y"];
  for (let i = 1; i < n; i++) {
    if (i === middle) {
      if (variant.insert) out.push("fn extra x y = x * y + 1");
      out.push(variant.signature ? "fn shared x y = x" : "fn shared x y = x + y");
    }
    const literal = i === middle ? (variant.literal ?? String(i)) : String(i);
    out.push(`fn f${i} x y = ${body(i, literal)}`);
    if (callers.has(i)) out.push(`fn use${i} x y = shared x y + ${i}`);
    if (i % 25 === 0) {
      out.push(`fn speed${i} d t = d / t * ${i}`);
      out.push(`speed${i} 100meter 9.58second`);
    }
    if (i % 10 === 0 && i <= 40) out.push(`let r${i} = f${i} 1 2`);
  }
  return `${out.join("\n")}\n`;
}

const lineCount = (text) => text.split("\n").length - 1;

/** The number of functions whose program has about `lines` lines. */
function functionsFor(lines) {
  // About 1.08 lines per function; then adjust.
  let n = Math.max(50, Math.round(lines / 1.08));
  while (lineCount(program(n)) > lines) n--;
  while (lineCount(program(n + 1)) <= lines) n++;
  return n;
}

/** Edits the file back and forth between two texts; each call is one edit and a re-check. */
function toggler(compiler, a, b) {
  let flip = false;
  return () => {
    flip = !flip;
    compiler.setFile("bench.cdz", flip ? b : a);
    return compiler.diagnostics("bench.cdz");
  };
}

/** How many times `infer` (and `inferUnit`, `evaluate`) ran for one edit from `a` to `b`. */
function runsOf(compiler, a, b) {
  compiler.setFile("bench.cdz", a);
  compiler.diagnostics("bench.cdz");
  compiler.resetStats();
  compiler.setFile("bench.cdz", b);
  const diagnostics = compiler.diagnostics("bench.cdz").length;
  const s = compiler.stats().queries;
  compiler.setFile("bench.cdz", a);
  compiler.diagnostics("bench.cdz");
  return {
    infer: s.infer.executions,
    inferUnit: s.inferUnit.executions,
    evaluate: s.evaluate.executions,
    diagnostics,
  };
}

const fmt = (ms) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`.padStart(11);
const round3 = (x) => Number(x.toFixed(3));
const results = [];

for (const target of SIZES) {
  const n = functionsFor(target);
  const base = program(n);
  const bodyEdit = program(n, { literal: String(Math.floor(n / 2) + 1) });
  const added = program(n, { insert: true });
  const retyped = program(n, { signature: true });
  const lines = lineCount(base);
  banner(`\n${lines} lines (${n} functions, ${base.length} characters)`);

  // Fewer rounds of the from-scratch checks where one takes seconds.
  const big = lines > 20_000;
  const fullRounds = big
    ? { rounds: 1, warmup: 1 }
    : lines > 5_000
      ? { rounds: 3, warmup: 1 }
      : { rounds: 5, warmup: 2 };
  const editRounds = big ? { rounds: 7, warmup: 3 } : { rounds: 15, warmup: 4 };
  // A body edit costs well under a millisecond at every size: many rounds make its median
  // stable on a shared machine (a handful would mostly measure where the collector ran).
  const bodyRounds = { rounds: 201, warmup: 20 };

  const peer = measure(() => {
    const r = checkSource(new SourceFile("bench.cdz", base));
    if (r.diagnostics.length > 0)
      throw new Error("bench/incremental: checkSource reports diagnostics");
  }, fullRounds);
  const full = measure(() => {
    const c = createCompiler();
    c.setFile("bench.cdz", base);
    if (c.diagnostics("bench.cdz").length > 0)
      throw new Error("bench/incremental: the generated file has diagnostics");
  }, fullRounds);

  const compiler = createCompiler();
  compiler.setFile("bench.cdz", base);
  compiler.diagnostics("bench.cdz");
  const runs = {
    body: runsOf(compiler, base, bodyEdit),
    add: runsOf(compiler, base, added),
    signature: runsOf(compiler, base, retyped),
  };
  for (const [name, r] of Object.entries(runs)) {
    if (r.diagnostics > 0) throw new Error(`bench/incremental: the ${name} edit has diagnostics`);
  }
  const body = measure(toggler(compiler, base, bodyEdit), bodyRounds);
  // Where a body edit goes, by the database's timings of each query (wall clock, exclusive).
  const split = (() => {
    const edit = toggler(compiler, base, bodyEdit);
    compiler.resetStats();
    const rounds = 4;
    for (let i = 0; i < rounds; i++) edit();
    const q = compiler.stats().queries;
    const self = (name) => q[name].selfTime / rounds;
    const all = Object.keys(q).reduce((sum, name) => sum + self(name), 0);
    return {
      parse: self("parse"),
      evaluate: self("evaluate"),
      infer: self("infer") + self("inferUnit"),
      typecheck: self("typecheck"),
      other:
        all -
        self("parse") -
        self("evaluate") -
        self("infer") -
        self("inferUnit") -
        self("typecheck"),
    };
  })();
  const add = measure(toggler(compiler, base, added), editRounds);
  const sig = measure(toggler(compiler, base, retyped), editRounds);

  line(`  checkSource from scratch (peer)   ${fmt(peer.cpu)}`);
  line(
    `  full check (driver, fresh)        ${fmt(full.cpu)}   ${(full.cpu / peer.cpu).toFixed(2)}× the peer (it also evaluates)`,
  );
  const row = (name, m, r) =>
    line(
      `  ${name.padEnd(32)}  ${fmt(m.cpu)}   ${(m.cpu / full.cpu).toFixed(4)} of the full check, ${(peer.cpu / m.cpu).toFixed(1)}× faster than the peer   infer ran ${r.infer}× (+${r.inferUnit} units), evaluate ${r.evaluate}×`,
    );
  row("edit one body, re-check", body, runs.body);
  line(
    `    of which (wall): parse ${split.parse.toFixed(2)} ms, evaluate ${split.evaluate.toFixed(2)} ms, inference ${split.infer.toFixed(2)} ms, typecheck (placing results) ${split.typecheck.toFixed(2)} ms, the other queries ${split.other.toFixed(2)} ms`,
  );
  row("add a definition, re-check", add, runs.add);
  row("change a signature, re-check", sig, runs.signature);

  results.push({
    lines,
    full_ms: round3(full.cpu),
    body_edit_ms: round3(body.cpu),
    add_def_ms: round3(add.cpu),
    signature_edit_ms: round3(sig.cpu),
    body_edit_inference_runs: runs.body.infer + runs.body.inferUnit,
  });
}

// ---------------------------------------------------------------------------------------
// The multi-module case

/** The name of module `i` of layer `layer`. */
const moduleName = (layer, i) => `m${layer}_${i}`;
const WIDTH = 4;

/**
 * A project of `count` modules of about `lines` lines, in layers of `WIDTH`. Returns the
 * files, the leaf, the variants of the leaf, and the modules that import the leaf (directly
 * or through a re-export).
 */
function project(count, lines) {
  const layers = Math.ceil(count / WIDTH);
  const modules = [];
  for (let layer = 0; layer < layers; layer++)
    for (let i = 0; i < WIDTH && modules.length < count; i++) modules.push({ layer, i });
  const inLayer = (layer) => modules.filter((m) => m.layer === layer).length;
  const API = 8;
  /** The imports of a module: [module, form], form one of names, star, alias. */
  const importsOf = ({ layer, i }) => {
    if (layer === 0) return [];
    const below = inLayer(layer - 1);
    const picks = [i % below, (i + 1) % below, (i + 2) % below];
    const forms = ["names", "star", "alias"];
    const seen = new Set();
    const out = [];
    picks.forEach((j, k) => {
      if (seen.has(j)) return;
      seen.add(j);
      out.push([moduleName(layer - 1, j), forms[k]]);
    });
    return out;
  };
  const text = ({ layer, i }, variant = {}) => {
    const p = moduleName(layer, i);
    const out = [`## Module ${p} of the generated project.`];
    const uses = [];
    importsOf({ layer, i }).forEach(([m, form], k) => {
      // The first module of each layer re-exports what it imports by name (the first module
      // of the layer below): its importers use one of those names, through each form.
      const exported = form === "names" && i === 0 ? "@export\n" : "";
      const grand = m.endsWith("_0") && layer >= 2 ? moduleName(layer - 2, 0) : undefined;
      if (form === "names") {
        out.push(`${exported}import ${m} (${m}_api0, ${m}_api1, ${m}_shared)`);
        uses.push(`fn ${p}_use${k} x y = ${m}_api0 x y + ${m}_api1 x y`);
        uses.push(`fn ${p}_usesh${k} x y = ${m}_shared x y + 1`);
        if (grand !== undefined) {
          out.push(`import ${m} (${grand}_shared)`);
          uses.push(`fn ${p}_re${k} x y = ${grand}_shared x y * 2`);
        }
      } else if (form === "star") {
        out.push(`import ${m} *`);
        uses.push(`fn ${p}_use${k} x y = ${m}_api2 x y * 2`);
        uses.push(`fn ${p}_usesh${k} x y = ${m}_shared x y - 1`);
        if (grand !== undefined) uses.push(`fn ${p}_re${k} x y = ${grand}_shared x y * 3`);
      } else {
        out.push(`import ${m} as q${k}`);
        uses.push(`fn ${p}_use${k} x y = q${k}.${m}_api3 x y + 3`);
        uses.push(`fn ${p}_usesh${k} x y = q${k}.${m}_shared x y + 2`);
        if (grand !== undefined) uses.push(`fn ${p}_re${k} x y = q${k}.${grand}_shared x y * 4`);
      }
    });
    // Functions `p_f0…`, like the single-file program's, then the exported API over them.
    const n = Math.max(20, lines - 3 * API - uses.length - 30);
    const fname = (k) => `${p}_f${k}`;
    out.push(`fn ${fname(0)} x y = x + y`);
    for (let k = 1; k < n; k++) {
      const a = fname(k - 1);
      const b = fname(Math.floor(k / 2));
      let body;
      switch (k % 4) {
        case 0:
          body = `${a} x y * 2 + ${k}`;
          break;
        case 1:
          body = `if x < y then ${a} x y + ${k} else ${b} y x`;
          break;
        case 2:
          body = `${b} (x + ${k}) y - y`;
          break;
        default:
          body = `${a} y x + x * ${k}`;
      }
      out.push(`fn ${fname(k)} x y = ${body}`);
      if (k % 50 === 0) out.push(`${fname(k)} 1 2`);
    }
    for (let a = 0; a < API; a++) {
      const literal = a === 0 && variant.literal !== undefined ? variant.literal : String(100 + a);
      out.push("@export", `fn ${p}_api${a} x y = ${fname(n - 1 - a)} x y + ${literal}`);
    }
    out.push(
      "@export",
      variant.signature ? `fn ${p}_shared x y = x` : `fn ${p}_shared x y = x + y`,
    );
    out.push(...uses);
    out.push(`${p}_api0 1 2`);
    return `${out.join("\n")}\n`;
  };
  const files = {};
  for (const m of modules) files[`${moduleName(m.layer, m.i)}.cdz`] = text(m);
  const leaf = modules[0];
  // The importers of the leaf: directly, or through the re-export of the first module of
  // layer 1 (every module that imports that one uses a re-exported name of the leaf).
  const leafName = moduleName(0, 0);
  const importers = new Set();
  for (const m of modules)
    for (const [target] of importsOf(m))
      if (target === leafName || target === moduleName(1, 0))
        importers.add(`${moduleName(m.layer, m.i)}.cdz`);
  return {
    files,
    leaf: `${leafName}.cdz`,
    body: text(leaf, { literal: "1000" }),
    signature: text(leaf, { signature: true }),
    importers: [...importers].sort(),
  };
}

/** Checks every module of a project: the number of diagnostics. */
function checkAll(compiler, paths) {
  let n = 0;
  for (const p of paths) n += compiler.diagnostics(p).length;
  return n;
}

let modulesResult;
if (MODULE_COUNT > 0) {
  const {
    files,
    leaf,
    body: bodyText,
    signature: signatureText,
    importers,
  } = project(MODULE_COUNT, MODULE_LINES);
  const paths = Object.keys(files).sort();
  const lines = Object.values(files).reduce((sum, t) => sum + lineCount(t), 0);
  banner(
    `\n${paths.length} modules, ${lines} lines (about ${MODULE_LINES} each, in layers of ${WIDTH}); edits of the leaf ${leaf}`,
  );
  const fresh = () => {
    const c = createCompiler();
    for (const p of paths) c.setFile(p, files[p]);
    return c;
  };
  {
    const c = fresh();
    for (const p of paths) {
      const ds = c.diagnostics(p);
      if (ds.length > 0)
        throw new Error(
          `bench/incremental: ${p} has diagnostics: ${ds[0].message} at ${ds[0].primary.span.start}`,
        );
    }
  }
  const full = measure(() => checkAll(fresh(), paths), { rounds: 5, warmup: 1 });
  const compiler = fresh();
  checkAll(compiler, paths);
  /** One edit of the leaf from `a` to `b` and a re-check of every module: executions per file. */
  const runsOf = (a, b) => {
    compiler.setFile(leaf, a);
    checkAll(compiler, paths);
    compiler.resetStats();
    compiler.setFile(leaf, b);
    const diagnostics = checkAll(compiler, paths);
    const files = compiler.stats().files;
    compiler.setFile(leaf, a);
    checkAll(compiler, paths);
    if (diagnostics > 0) throw new Error("bench/incremental: an edit of the leaf has diagnostics");
    return files;
  };
  const total = (counts) => Object.values(counts ?? {}).reduce((s, n) => s + n, 0);
  const bodyRuns = runsOf(files[leaf], bodyText);
  const otherRuns = Object.entries(bodyRuns)
    .filter(([f]) => f !== leaf)
    .reduce((s, [, counts]) => s + total(counts), 0);
  const sigRuns = runsOf(files[leaf], signatureText);
  const inferred = Object.entries(sigRuns)
    .filter(([, q]) => (q.infer ?? 0) + (q.inferUnit ?? 0) > 0)
    .map(([f]) => f)
    .sort();
  const expected = [leaf, ...importers].sort();
  const only = inferred.join(",") === expected.join(",");
  const toggle = (a, b) => {
    let flip = false;
    return () => {
      flip = !flip;
      compiler.setFile(leaf, flip ? b : a);
      return checkAll(compiler, paths);
    };
  };
  const editRounds = { rounds: 15, warmup: 4 };
  const body = measure(toggle(files[leaf], bodyText), editRounds);
  const sig = measure(toggle(files[leaf], signatureText), editRounds);

  line(`  full check of every module (fresh)   ${fmt(full.cpu)}`);
  line(
    `  leaf body edit, re-check all         ${fmt(body.cpu)}   ${(body.cpu / full.cpu).toFixed(4)} of the full check   queries run: ${total(bodyRuns[leaf])} in the leaf, ${otherRuns} in other modules`,
  );
  line(
    `  leaf signature edit, re-check all    ${fmt(sig.cpu)}   ${(sig.cpu / full.cpu).toFixed(4)} of the full check   infer reran in ${inferred.length} modules: ${inferred.join(", ")}`,
  );
  line(
    `    importers of the leaf (and the leaf): ${expected.join(", ")}   ${only ? "= the modules that reran" : "≠ the modules that reran"}`,
  );
  modulesResult = {
    modules: paths.length,
    lines,
    full_ms: round3(full.cpu),
    body_edit_ms: round3(body.cpu),
    signature_edit_ms: round3(sig.cpu),
    body_edit_other_module_runs: otherRuns,
    body_edit_leaf_runs: total(bodyRuns[leaf]),
    signature_edit_infer_modules: inferred,
    importers: expected,
    signature_edit_reruns_only_importers: only,
  };
}

if (json)
  line(
    JSON.stringify(
      modulesResult === undefined ? { sizes: results } : { sizes: results, modules: modulesResult },
    ),
  );
