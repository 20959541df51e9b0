import { readdirSync, readFileSync } from "node:fs";
import { SourceFile, type TextEdit, Vector } from "@cadenza/core";
import { changedItems, type Node, type ParseResult, parse, reparse } from "@cadenza/syntax";
import { conformanceDir } from "@cadenza/test-support";
import { describe, expect, it } from "vitest";
import { compileStats } from "../src/compile.js";
import { copyStats } from "../src/incremental.js";
import {
  type EvalOptions,
  type EvalResult,
  evaluate,
  renderType,
  renderValue,
  type Tree,
} from "../src/index.js";

/** A small deterministic random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (rand: () => number, n: number): number => Math.floor(rand() * n);

/** What a comparison looks at: everything observable about a result. */
function observe(r: EvalResult): unknown {
  const m = r.module;
  return {
    status: r.status,
    entries: r.entries.map((e) => ({
      text: e.text,
      ok: e.ok,
      span: e.span,
      // (A closure's node is where its runtime errors are reported.)
      at: e.value.kind === "closure" ? e.value.node.span : undefined,
    })),
    diagnostics: r.diagnostics.map((d) => JSON.parse(JSON.stringify(d))),
    definitions: [...m.definitions.values()].map((d) => ({
      name: d.name,
      kind: d.kind,
      doc: d.doc,
      value: d.kind === "value" ? renderValue(d.value) : undefined,
      at: d.value.kind === "closure" ? d.value.node.span : undefined,
    })),
    functions: [...m.functions.keys()],
    structs: [...m.structs.keys()],
    enums: [...m.enums.keys()],
    aliases: [...m.aliases.keys()],
    measures: [...m.measures.keys()],
    macros: [...m.macros.keys()],
    exports: m.exports,
    items: m.items.map((i) => ({ span: i.node.span, doc: i.doc, n: i.attributes.length })),
    expansions: [...m.expansions.keys()].map((k) => k.span).sort(bySpan),
    untaken: m.untakenBranches.map((b) => b.span).sort(bySpan),
  };
}

/**
 * The entries and item records of `r` against those of a fresh run over `items`: the same
 * texts, types and spans, and records of the very same item objects (the lists of a fast-path
 * result are built on first read, so this also reads them).
 */
function sameProducts(r: EvalResult, fresh: EvalResult, items: readonly Tree[]): void {
  const wrong: string[] = [];
  const entries = r.entries;
  expect(r.entries).toBe(entries);
  expect(entries.length).toBe(fresh.entries.length);
  entries.forEach((e, i) => {
    const f = fresh.entries[i]!;
    if (e.text !== f.text || e.ok !== f.ok || renderType(e.type) !== renderType(f.type))
      wrong.push(`entry ${i}: ${e.text} / ${f.text}`);
    if (e.span.start !== f.span.start || e.span.end !== f.span.end) wrong.push(`entry ${i} span`);
  });
  const records = r.module.items;
  expect(r.module.items).toBe(records);
  expect(records.length).toBe(fresh.module.items.length);
  records.forEach((record, i) => {
    const f = fresh.module.items[i]!;
    if (record.node !== items[i] || record.node !== f.node || record.core !== f.core)
      wrong.push(`record ${i}: another node`);
    if (record.doc !== f.doc || record.attributes.length !== f.attributes.length)
      wrong.push(`record ${i}: attributes or doc`);
  });
  // Closures are made of the very nodes a fresh run makes them of (when those are nodes of
  // the items, not of a macro's expansion, which each run makes anew).
  const nodes = new Set<Tree>();
  const visit = (t: Tree): void => {
    nodes.add(t);
    if (t.kind === "apply") {
      visit(t.callee);
      for (const a of t.args) visit(a);
    }
  };
  for (const item of items) visit(item);
  for (const [name, f] of fresh.module.functions) {
    if (nodes.has(f.node) && r.module.functions.get(name)?.node !== f.node)
      wrong.push(`function ${name}: another node`);
  }
  entries.forEach((e, i) => {
    const f = fresh.entries[i]!.value;
    if (f.kind !== "closure" || !nodes.has(f.node)) return;
    if (e.value.kind !== "closure" || e.value.node !== f.node)
      wrong.push(`entry ${i}: a closure of another node`);
  });
  expect(wrong).toEqual([]);
}

function bySpan(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return a.start - b.start || a.end - b.end;
}

/** How many runs were given a patched vector (not one made from the whole list). */
let patchedInputs = 0;

/**
 * A file being edited: the parse, the incremental result, and counts of fast paths. With
 * `vectors`, the items are passed as a `Vector` the way a host keeping the parser's vector
 * does: the previous vector with the items the reparse made anew patched in.
 */
class Editing {
  parsed: ParseResult;
  result: EvalResult;
  /** The items passed last, with `vectors`. */
  vector: Vector<Tree> | undefined;
  fast = 0;
  runs = 0;
  output: string[] = [];
  /** Of the last incremental run: definitions compiled, and units derived from moved ones. */
  compiled = 0;
  derived = 0;

  constructor(
    text: string,
    private readonly options: EvalOptions = {},
    vectors = false,
  ) {
    this.parsed = parse(SourceFile.fromRaw("test.cdz", text));
    const items = this.parsed.items as readonly Tree[];
    this.vector = vectors ? Vector.from(items.slice()) : undefined;
    this.result = evaluate(this.parsed.source, this.vector ?? items, {
      ...this.options,
      incremental: true,
    });
  }

  /** The items to pass after a reparse that made the items at `changed` anew. */
  private input(items: readonly Tree[], changed: readonly number[] | undefined): Vector<Tree> {
    if (changed === undefined || this.vector === undefined || this.vector.length !== items.length)
      return Vector.from(items.slice());
    const next = this.vector.patch(
      changed,
      changed.map((i) => items[i]!),
    );
    // (Read by index: `toArray` would make the vector read its flat copy from now on.)
    for (let i = 0; i < items.length; i++) expect(next.get(i)).toBe(items[i]);
    patchedInputs++;
    return next;
  }

  /** Applies one or several edits, evaluates incrementally, and compares with a fresh run. */
  edit(edits: readonly TextEdit[]): void {
    const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
    let text = this.parsed.source.text;
    for (const e of sorted) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
    const source = SourceFile.fromRaw("test.cdz", text);
    const before = this.parsed.items;
    this.parsed = reparse(this.parsed, source, edits);
    const items = this.parsed.items as readonly Tree[];
    const changed = changedItems(before, this.parsed);
    if (this.vector !== undefined) this.vector = this.input(items, changed);
    // Every other run is told which items the reparse made anew (when it can tell).
    const hint = this.runs % 2 === 0 ? changed : undefined;
    const printed: string[] = [];
    const freshPrinted: string[] = [];
    const withOutput = this.options.output !== undefined;
    const counts = { ...compileStats };
    this.result = evaluate(source, this.vector ?? items, {
      ...this.options,
      ...(withOutput ? { output: (s: string) => printed.push(s) } : {}),
      incremental: true,
      previous: this.result,
      ...(hint === undefined ? {} : { changedItems: hint }),
    });
    this.compiled = compileStats.units - counts.units;
    this.derived = compileStats.moved - counts.moved;
    this.runs++;
    if ((this.result.reused ?? 0) > 0 || this.result.reevaluated! < items.length) this.fast++;
    const fresh = evaluate(source, items, {
      ...this.options,
      ...(withOutput ? { output: (s: string) => freshPrinted.push(s) } : {}),
    });
    expect(observe(this.result)).toEqual(observe(fresh));
    sameProducts(this.result, fresh, items);
    expect(printed).toEqual(freshPrinted);
  }

  /** The `fn` items of the file (index into items, the item). */
  fnItems(): { index: number; item: Tree & { kind: "apply" } }[] {
    const out: { index: number; item: Tree & { kind: "apply" } }[] = [];
    (this.parsed.items as readonly Tree[]).forEach((item, index) => {
      if (
        item.kind === "apply" &&
        item.callee.kind === "ident" &&
        item.callee.name === "=" &&
        item.args[0]?.kind === "apply" &&
        item.args[0].callee.kind === "ident" &&
        item.args[0].callee.name === "fn"
      )
        out.push({ index, item });
    });
    return out;
  }

  /** A same-length edit of the body of a `fn` item: a digit changed, or the body replaced. */
  bodyEdit(rand: () => number, index?: number): TextEdit | undefined {
    const fns = this.fnItems();
    if (fns.length === 0) return undefined;
    const f = index === undefined ? pick(rand, fns) : fns.find((x) => x.index === index)!;
    const body = f.item.args[1]!.span;
    const text = this.parsed.source.text.slice(body.start, body.end);
    // Digits of number literals only (not of names such as `f12`).
    const digits = [...text.matchAll(/(?<![\w.])\d/g)].map((m) => m.index!);
    if (digits.length > 0 && rand() < 0.7) {
      const at = body.start + pick(rand, digits);
      const old = this.parsed.source.text[at]!;
      let d = String(int(rand, 10));
      if (d === old) d = String((Number(d) + 1) % 10);
      return { span: { start: at, end: at + 1 }, newText: d };
    }
    if (text.includes("\n")) return undefined;
    // Another one-line body of at most the same length, padded with spaces.
    const candidates = ["x", "y", "0", "x + y", "y * 2", "x - 1", "nope", "x / 0", "(x, y)"];
    const fitting = candidates.filter((c) => c.length <= text.length);
    const c = pick(rand, fitting);
    return { span: body, newText: c.padEnd(text.length, " ") };
  }

  /**
   * An edit inside one item (or just after it) that changes the length of the text, and so
   * moves every item after it: a digit inserted or deleted, a term appended, the body moved to
   * a continuation line, a comment, or a blank line added or removed. Items near the middle
   * and the end of the file are picked more often than the first ones.
   */
  lengthEdit(rand: () => number): TextEdit | undefined {
    const items = this.parsed.items as readonly Tree[];
    const text = this.parsed.source.text;
    const n = items.length;
    const index = Math.min(n - 1, Math.floor(n * (rand() < 0.5 ? 0.4 + 0.6 * rand() : rand())));
    const item = items[index]!;
    const { start, end } = item.span;
    const own = text.slice(start, end);
    const digits = [...own.matchAll(/(?<![\w.])\d+/g)];
    const kind = int(rand, 8);
    if (kind <= 1 && digits.length > 0) {
      // A digit inserted after a number, or one deleted from a number of several.
      const m = pick(rand, digits);
      const at = start + m.index! + m[0].length;
      if (kind === 0 || m[0].length < 2)
        return { span: { start: at, end: at }, newText: String(int(rand, 10)) };
      return { span: { start: at - 1, end: at }, newText: "" };
    }
    if (kind === 2) return { span: { start: end, end }, newText: ` + ${int(rand, 9) + 1}` };
    if (kind === 3) {
      // The body of a one-line `fn` on a continuation line.
      const eq = own.indexOf(" = ");
      if (!own.startsWith("fn ") || eq < 0 || own.includes("\n")) return undefined;
      return { span: { start: start + eq + 3, end: start + eq + 3 }, newText: "\n    " };
    }
    if (kind === 4) return { span: { start: end, end }, newText: "  # note" };
    if (kind === 5) {
      // A blank line removed after the item, or added.
      if (text.startsWith("\n\n", end)) return { span: { start: end, end: end + 1 }, newText: "" };
      return { span: { start: end, end }, newText: "\n" };
    }
    if (kind === 6 && own.startsWith("fn ")) {
      // Another body, longer or shorter.
      const eq = own.indexOf(" = ");
      const body = pick(rand, ["x", "x + y * 100", "y - x", "nope", "x / 0", "\\z -> z + x"]);
      return { span: { start: start + eq + 3, end }, newText: body };
    }
    // A space inside the item (after its first word).
    const sp = own.indexOf(" ");
    if (sp < 0) return undefined;
    return { span: { start: start + sp, end: start + sp }, newText: " " };
  }
}

/** The definitions the generated programs start with (and their functions use). */
const PRELUDE: readonly string[] = [
  "struct Point { x = Integer, y = Integer }",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Cadenza source, not a template
  "macro twice e = quote ${e} + ${e}",
  "fn fact n = if n <= 1 then 1 else n * fact (n - 1)",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Cadenza source, not a template
  'fn say x = println $"say ${x}"',
];

/**
 * The function `f<i>` of a generated program: its body one of the common forms or of `more`,
 * calling earlier functions (`j` picks one) with literals (`lit`).
 */
function generatedFunction(
  rand: () => number,
  i: number,
  more: (lit: () => number, j: () => number) => (() => string)[],
): string {
  const lit = (): number => int(rand, 9) + 1;
  const j = (): number => int(rand, i);
  if (i === 0) return `fn f0 x y = x + y + ${lit()}`;
  const forms = [
    () => `f${j()} x y + ${lit()}`,
    () => `if x > ${lit()} then f${j()} y x else f${j()} x (y + 1)`,
    () => `match x\n    0 => ${lit()}\n    _ => f${j()} (x - 1) y`,
    () => `twice x + f${j()} x y`,
    ...more(lit, j),
  ];
  return `fn f${i} x y = ${pick(rand, forms)()}`;
}

/** A generated program: functions calling each other, top-level calls and lets, errors. */
function program(seed: number, size: number): string {
  const rand = random(seed);
  const lines = [...PRELUDE];
  const lit = (): number => int(rand, 9) + 1;
  for (let i = 0; i < size; i++) {
    lines.push(
      generatedFunction(rand, i, (lit, j) => [
        () => `(Point { x = x, y = f${j()} x y }).y + ${lit()}`,
        () => `fact (x % ${lit()}) + f${j()} y ${lit()}`,
        () => `f${j()} x y * ${lit()} - twice y`,
        () => `late${int(rand, 3)} x y`,
        () => `f${j()} x y / (y - ${lit()})`,
        () => `g${int(rand, 5)} + x`,
      ]),
    );
    const r = rand();
    if (r < 0.15) lines.push(`f${int(rand, i + 1)} ${lit()} ${lit()}`);
    else if (r < 0.25) lines.push(`let g${int(rand, 5)} = f${int(rand, i + 1)} ${lit()} ${lit()}`);
    else if (r < 0.3) lines.push(`say (f${int(rand, i + 1)} 1 2)`);
    else if (r < 0.35) lines.push(`late${int(rand, 3)} 1 2`);
    else if (r < 0.4) lines.push(`f${int(rand, i + 1)} 1`);
    else if (r < 0.45) lines.push(`(f${int(rand, i + 1)} 2 3, twice 4)`);
    else if (r < 0.5) lines.push(`match f${int(rand, i + 1)} 3 1\n    0 => 0\n    t => t + 1`);
  }
  for (let k = 0; k < 3; k++) lines.push(`fn late${k} x y = x * y + ${lit()}`);
  for (let k = 0; k < 3; k++) lines.push(`f${int(rand, size)} ${lit()} ${lit()}`);
  return `${lines.join("\n")}\n`;
}

/**
 * A generated program for edits that move items: functions (some failing at run time on some
 * arguments, some returning lambdas), and after them top-level calls, printing, macro uses,
 * lambdas, closures, syntax, quantities, records and structs as values, and branches; names
 * are bound (`let`, `struct`, `macro`, `measure`) only at the start, so that most edits leave
 * no moved item binding a name.
 */
function movingProgram(seed: number, size: number): string {
  const rand = random(seed);
  const lines = ["measure meter", "measure second", "let base = 3", ...PRELUDE];
  const lit = (): number => int(rand, 9) + 1;
  for (let i = 0; i < size; i++) {
    lines.push(
      generatedFunction(rand, i, (lit, j) => [
        () => `(Point { x = x, y = f${j()} x y }).y + base`,
        () => `(fact (x % ${lit()})) + f${j()} y ${lit()}`,
        () => `${lit()}00 / (x - ${lit()}) + f${j()} x y`,
        () => `f${j()} x y * ${lit()} - twice y`,
        () => `x * y - ${lit()}`,
        () => `List.fold [x, y, ${lit()}] (f${j()} x 1) \\a b -> a + b * ${lit()}`,
      ]),
    );
    const mk = rand() < 0.15;
    if (mk) lines.push(`fn mk${i} k = \\z -> z * k + f${int(rand, i + 1)} k 1`);
    const f = (): string => `f${int(rand, i + 1)}`;
    const r = rand();
    if (r < 0.15) lines.push(`${f()} ${lit()} ${lit()}`);
    else if (r < 0.2) lines.push(`say (${f()} 1 2)`);
    else if (r < 0.25) lines.push(`(${f()} 2 3, twice 4)`);
    else if (r < 0.3) lines.push(`\\x -> ${f()} x ${lit()}`);
    else if (r < 0.35) lines.push(f());
    else if (r < 0.4) lines.push(`List.map [1, 2, 3] \\x -> ${f()} x 1`);
    else if (r < 0.43) lines.push(`quote (${f()} 1 2)`);
    else if (r < 0.47) lines.push(`${lit()}meter / ${lit()}second`);
    else if (r < 0.5) lines.push(`Point { x = 1, y = ${f()} 1 2 }`);
    else if (r < 0.55) lines.push(`${f()} ${lit()} 0`);
    else if (r < 0.6) lines.push(`match ${f()} 3 1\n    0 => 0\n    t => t + 1`);
    else if (r < 0.63) lines.push(`{ a = ${f()} 1 1, b = "s${lit()}" }`);
    else if (r < 0.66 && mk) lines.push(`(mk${i} 2) 5`);
  }
  for (let k = 0; k < 2; k++) lines.push(`f${int(rand, size)} ${lit()} ${lit()}`);
  return `${lines.join("\n")}\n`;
}

describe("incremental evaluation", () => {
  it("takes the fast path on generated programs and matches a fresh evaluation", () => {
    let fast = 0;
    let runs = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rand = random(seed * 7919);
      const e = new Editing(
        program(seed, 12 + int(rand, 25)),
        { output: () => {} },
        seed % 2 === 1,
      );
      // A chain of edits: each run takes over the previous one.
      for (let step = 0; step < 8; step++) {
        const edits: TextEdit[] = [];
        const count = rand() < 0.7 ? 1 : 2 + int(rand, 2);
        const seen = new Set<number>();
        for (let k = 0; k < count; k++) {
          const edit = e.bodyEdit(rand);
          if (edit === undefined) continue;
          if ([...seen].some((s) => Math.abs(s - edit.span.start) < 40)) continue;
          seen.add(edit.span.start);
          edits.push(edit);
        }
        if (edits.length === 0) continue;
        e.edit(edits);
      }
      fast += e.fast;
      runs += e.runs;
    }
    console.log(
      `generated: ${fast} of ${runs} runs took the fast path; ${patchedInputs} patched vectors`,
    );
    expect(runs).toBeGreaterThan(200);
    expect(patchedInputs).toBeGreaterThan(runs / 4);
    expect(fast).toBeGreaterThan(runs / 3);
  }, 120_000);

  it("matches a fresh evaluation after edits that move the items after them", () => {
    let runs = 0;
    let taken = 0;
    const before = { ...copyStats };
    for (let seed = 1; seed <= 40; seed++) {
      const rand = random(seed * 104729);
      const e = new Editing(
        movingProgram(seed, 15 + int(rand, 25)),
        { output: () => {}, ...(seed % 5 === 0 ? { compile: false } : {}) },
        seed % 2 === 1,
      );
      for (let step = 0; step < 10; step++) {
        const edit = e.lengthEdit(rand);
        if (edit === undefined) continue;
        // (Also an edit of a fn body followed by a same-length one, as typing then fixing.)
        const also = rand() < 0.2 ? e.bodyEdit(rand) : undefined;
        const apart =
          also !== undefined &&
          (also.span.end < edit.span.start || also.span.start > edit.span.end);
        e.edit(apart ? [edit, also] : [edit]);
        runs++;
        if ((e.result.reused ?? 0) > 0) taken++;
      }
    }
    const fns = copyStats.fns - before.fns;
    const expressions = copyStats.expressions - before.expressions;
    console.log(
      `moving edits: ${taken} of ${runs} runs took the fast path, taking over ${fns} moved functions and ${expressions} moved expressions`,
    );
    expect(runs).toBeGreaterThan(300);
    expect(taken).toBeGreaterThan(runs / 3);
    expect(fns).toBeGreaterThan(runs);
    expect(expressions).toBeGreaterThan(runs / 4);
  }, 120_000);

  it("matches a fresh evaluation on the tree walker alone", () => {
    let fast = 0;
    for (let seed = 100; seed < 110; seed++) {
      const rand = random(seed);
      const e = new Editing(program(seed, 20), { compile: false }, seed % 2 === 1);
      for (let step = 0; step < 6; step++) {
        const edit = e.bodyEdit(rand);
        if (edit !== undefined) e.edit([edit]);
      }
      fast += e.fast;
    }
    expect(fast).toBeGreaterThan(10);
  }, 60_000);

  it("matches a fresh evaluation after edits of the conformance programs", () => {
    const dir = conformanceDir();
    if (dir === undefined) return;
    let files = 0;
    for (const group of readdirSync(dir, { withFileTypes: true })) {
      if (!group.isDirectory()) continue;
      for (const name of readdirSync(`${dir}/${group.name}`)) {
        if (!name.endsWith(".cdz")) continue;
        const text = readFileSync(`${dir}/${group.name}/${name}`, "utf8");
        files++;
        const rand = random(files);
        const e = new Editing(text, { output: () => {} }, files % 2 === 0);
        for (let step = 0; step < 4; step++) {
          const edit = e.bodyEdit(rand);
          if (edit !== undefined) e.edit([edit]);
        }
        // An edit of nothing at all reuses every item.
        e.edit([]);
      }
    }
    expect(files).toBeGreaterThan(50);
  }, 60_000);

  it("falls back where a fresh evaluation could differ", () => {
    /** Evaluates `text`, then replaces the first `from` after `after` by `to` (same length). */
    const fallsBack = (text: string, after: string, from: string, to: string): void => {
      const e = new Editing(text);
      const start = text.indexOf(from, text.indexOf(after) + after.length);
      expect(start).toBeGreaterThanOrEqual(0);
      e.edit([{ span: { start, end: start + from.length }, newText: to }]);
      expect(e.result.reused, text).toBe(0);
    };
    // An assignment to a top-level name.
    fallsBack("let n = 1\nfn f x = x + n\nn = 2\nf 1\n", "fn f", "n", "1");
    // A mutated Cell.
    fallsBack(
      "let c = Cell.new 0\nfn bump = Cell.set c (1 + Cell.get c)\nbump\nCell.get c\n",
      "fn bump",
      "1",
      "2",
    );
    // A binding item reading the changed function.
    fallsBack("fn f x = x + 1\nlet y = f 2\ny\n", "fn f", "1", "5");
    // A call before the definition it now needs.
    fallsBack("fn f x = x + 1\nf 1\nfn g x = x\n", "fn f", "x + 1", "g x  ");
    // An edit that keeps the length but moves later lines (diagnostics quote line numbers).
    fallsBack("fn f x = x + 1    \nf 1\nnope\n", "fn f", "= x + 1    ", "=\n    x + 2\n");
    // A moved item that binds a name.
    fallsBack("fn f x = x + 1\nlet y = 2\ny\n", "fn f", "1", "10");
    // An undefined name whose note depends on the blocks that ran before.
    fallsBack("fn g x =\n    let t = x\n    t\ng 1\nfn f x = x + 1\nf 1\n", "fn f", "1", "t");
    // A changed item that binds a name.
    fallsBack("fn f x = x + 1\nlet y = f 1\ny\n", "let y", "1", "2");
    // Without a change the fast path reuses everything.
    const same = new Editing("fn f x = x + 1\nf 1\nnope\n");
    same.edit([]);
    expect(same.result.reused).toBe(3);
    // A run that gets cancelled is not taken over.
    const signal = { aborted: false };
    const c = new Editing("fn f x = x + 1\nf 1\n", { signal });
    signal.aborted = true;
    c.edit([{ span: { start: 13, end: 14 }, newText: "2" }]);
    expect(c.result.status).toBe("cancelled");
  });

  it("runs again the expression items an edit changed or moved, and only those", () => {
    /** Evaluates `text`, replaces the first `from` after `after` by `to`: what was run again. */
    const runs = (text: string, after: string, from: string, to: string): number => {
      const e = new Editing(text);
      const start = text.indexOf(from, text.indexOf(after) + after.length);
      e.edit([{ span: { start, end: start + from.length }, newText: to }]);
      expect(e.result.reused, text).toBeGreaterThan(0);
      return e.result.reevaluated!;
    };
    // A longer body moves the items after it: the function there gets its closure made again
    // over the moved node and the call after it is taken over with its span shifted; only the
    // edited function and its caller run (the `Editing` helper compares every result with a
    // fresh evaluation).
    expect(runs("fn g x = x\ng 0\nfn f x = x + 1\nf 1\nfn h x = x\nh 2\n", "fn f", "1", "10")).toBe(
      2,
    );
    // An edited top-level call runs again by itself.
    expect(runs("fn f x = x + 1\nf 1\nf 2\n", "\nf", "1", "3")).toBe(1);
    // Moved lines: an error after the edit is reported at its new line.
    const text = "fn g x = x\nfn f x =\n    x + 1\nf 1\nnope\n";
    const e = new Editing(text);
    const at = text.indexOf("x + 1");
    e.edit([{ span: { start: at, end: at + 5 }, newText: "let y = 1\n    x + y" }]);
    expect(e.result.reused).toBe(1);
    expect(e.result.diagnostics.map((d) => d.primary.span.start)).toEqual([
      e.parsed.source.text.indexOf("nope"),
    ]);
  });

  it("reports a runtime error inside a moved function at its new position", () => {
    const text = "fn g x = x + 1\ng 1\nfn bad x = 10 / x\nbad 1\nbad 2\n";
    const e = new Editing(text);
    // A longer body of `g` moves `bad` (compiled when `bad 1` ran) and the calls after it.
    const at = text.indexOf("x + 1");
    e.edit([{ span: { start: at, end: at + 5 }, newText: "x + 100" }]);
    expect(e.result.reevaluated).toBe(2);
    // `bad 2` now fails inside the moved `bad`: its code is derived from the compiled code of
    // the previous node, not compiled again, and the error is at the new `10 / x`.
    const now = e.parsed.source.text;
    const call = now.lastIndexOf("bad 2") + 4;
    e.edit([{ span: { start: call, end: call + 1 }, newText: "0" }]);
    expect(e.result.reevaluated).toBe(1);
    expect([e.compiled, e.derived]).toEqual([0, 1]);
    const d = e.result.diagnostics;
    expect(d.map((x) => x.code)).toEqual(["eval/division-by-zero"]);
    expect(d[0]!.primary.span.start).toBe(e.parsed.source.text.indexOf("10 / x"));
    // And once more after another move (the code comes from the first node that had some).
    const start = e.parsed.source.text.indexOf("g 1");
    e.edit([{ span: { start, end: start }, newText: "\n" }]);
    e.edit([{ span: { start: call + 1, end: call + 2 }, newText: "3" }]);
    e.edit([{ span: { start: call + 1, end: call + 2 }, newText: "0" }]);
    expect(e.result.diagnostics[0]!.primary.span.start).toBe(
      e.parsed.source.text.indexOf("10 / x"),
    );
  });

  it("makes the lambdas and expansions of moved expression items anew", () => {
    const text =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Cadenza source, not a template
      "macro twice e = quote ${e} + ${e}\nfn f x = x + 1\nfn h x = x * 3\n\\y -> h y\ntwice (h 2)\nf\n(h 1, \\z -> z)\nh 4\n";
    const e = new Editing(text);
    const at = text.indexOf("x + 1");
    e.edit([{ span: { start: at, end: at + 5 }, newText: "x + 1000" }]);
    // Run again: `f` (edited); the lambda, the macro use, `f` (a closure) and the tuple
    // holding a lambda (moved, their results quote nodes). Taken over: `fn h` and `h 4`.
    expect(e.result.reevaluated).toBe(5);
    const items = e.parsed.items as readonly Tree[];
    const lambda = e.result.entries[3]!.value;
    expect(lambda.kind === "closure" && lambda.node === (items[3] as Tree)).toBe(true);
    expect([...e.result.module.expansions.keys()]).toEqual([items[4]]);
    expect(e.result.module.functions.get("h")!.node).toBe(items[2]);
  });

  it("keeps the inferred types of moved functions", () => {
    // A cached type depends on where it was inferred (which functions had a type of their own
    // then): the closure of the moved `f` keeps the one `typeof f` inferred.
    const text = "fn g x = x\n1\nfn f a = (g a, g 1)\ntypeof f\ntypeof g\n";
    const e = new Editing(text);
    const type = e.result.module.functions.get("f")!.inferred;
    expect(type).toBeDefined();
    const one = text.indexOf("\n1\n") + 1;
    e.edit([{ span: { start: one, end: one + 1 }, newText: "12" }]);
    expect(e.result.reevaluated).toBe(1);
    expect(e.result.module.functions.get("f")!.inferred).toBe(type);
  });

  it("takes over the moved items that cannot differ after an edit that changes the length", () => {
    // The driver's benchmark program: functions calling earlier ones, and a top-level call of
    // a function on quantities after every 25th.
    const lines = ["measure meter", "measure second", "fn f0 x y = x + y"];
    const n = 1200;
    for (let i = 1; i < n; i++) {
      lines.push(
        `fn f${i} x y = ${i % 2 === 0 ? `f${i - 1} x y * 2 + ${i}` : `f${i - 1} (x + ${i}) y - y`}`,
      );
      if (i % 25 === 0) {
        lines.push(`fn speed${i} d t = d / t * ${i}`);
        lines.push(`speed${i} 100meter 9.58second`);
      }
    }
    // A last item that calls functions after the edited one (and through them the edited one).
    lines.push(`f${n - 1} 1 2`);
    const e = new Editing(`${lines.join("\n")}\n`, {}, true);
    const items = e.parsed.items.length;
    const middle = e.parsed.source.text.indexOf(`fn f${n / 2} `);
    const at = e.parsed.source.text.indexOf(`+ ${n / 2}\n`, middle) + 2;
    const copies = { ...copyStats };
    e.edit([{ span: { start: at, end: at }, newText: "1" }]);
    // Run again: the edited function and the last item, which reads its cell.
    expect(e.result.reevaluated).toBe(2);
    expect(e.result.reused).toBe(items - 2);
    const moved = items - 1 - e.parsed.items.findIndex((x) => x.span.start > at);
    expect(copyStats.fns - copies.fns + copyStats.expressions - copies.expressions).toBe(moved);
    // Only the edited function is compiled again; the moved ones the last item calls get the
    // code of their previous nodes.
    expect([e.compiled, e.derived]).toEqual([1, n / 2 - 1]);
    // And back: the same.
    e.edit([{ span: { start: at, end: at + 1 }, newText: "" }]);
    expect(e.result.reevaluated).toBe(2);
  });

  it("takes over the items of a parse made anew of the same text", () => {
    const text = "fn f x = x + 1\nf 1\nfn g x = f x\n\\x -> g x\ng 2\nnope\n";
    const parsed = parse(SourceFile.fromRaw("test.cdz", text));
    const first = evaluate(parsed.source, parsed.items as readonly Tree[], { incremental: true });
    const again = parse(SourceFile.fromRaw("test.cdz", text));
    const items = again.items as readonly Tree[];
    const r = evaluate(again.source, items, { previous: first });
    // Run again: the lambda (a closure of the new node) and `nope` (a diagnostic).
    expect(r.reevaluated).toBe(2);
    const fresh = evaluate(again.source, items);
    expect(observe(r)).toEqual(observe(fresh));
    sameProducts(r, fresh, items);
  });

  it("falls back on an inferred type a fresh run would not have", () => {
    // A type inferred from a function that is then edited is not used again: `f` shows the
    // type of `f` through the edited `g` (the `Editing` helper compares with a fresh run).
    const stale = new Editing("fn g x y = x + y\nfn f x y = g x y\nf\n");
    const body = stale.parsed.source.text.indexOf("x + y");
    stale.edit([{ span: { start: body, end: body + 5 }, newText: "nope " }]);
    expect(stale.result.entries[2]!.text).toBe("<fn f> : fn(a, b) -> c");
    // An item that used a cached type depends on what it was inferred from: `(f, 1)` runs
    // again when `g` is edited, even after the item that inferred `f` stopped showing it.
    const used = new Editing("fn g x y = x + y\nfn f x y = g x y\nf\n(f, 1)\n");
    const item = used.parsed.source.text.indexOf("\nf\n") + 1;
    used.edit([{ span: { start: item, end: item + 1 }, newText: "12" }]);
    const edited = used.parsed.source.text.indexOf("x + y");
    used.edit([{ span: { start: edited, end: edited + 5 }, newText: "nope " }]);
    expect(used.result.entries[3]!.text).toBe("(<fn f>, 1) : (fn(a, b) -> c, Integer)");
    // Which functions have a type of their own matters with recursion: an item that now shows
    // `f` before `typeof g` inferred `g` sees `g` inferred in place, as a fresh run does.
    const early = new Editing("fn f x = (x, g 1)\nfn g y = f y\n2\ntypeof g\ntypeof f\n");
    expect(early.result.entries[4]!.text).toBe("fn(a) -> (a, b) : Type");
    const two = early.parsed.source.text.indexOf("\n2\n") + 1;
    early.edit([{ span: { start: two, end: two + 1 }, newText: "typeof f" }]);
    expect(early.result.entries[2]!.text).toBe("fn(Integer) -> a : Type");
  });

  it("charges the items it takes over against the budget", () => {
    const text = "fn f x = x + 1\nfn g n = if n == 0 then 0 else g (n - 1)\ng 200\nf 1\n";
    const parsed = parse(SourceFile.fromRaw("test.cdz", text));
    const items = parsed.items as readonly Tree[];
    const first = evaluate(parsed.source, items, { incremental: true, compile: false });
    const source = SourceFile.fromRaw("test.cdz", text.replace("x + 1", "x + 2"));
    const edited = reparse(parsed, source, [{ span: { start: 13, end: 14 }, newText: "2" }]);
    const edItems = edited.items as readonly Tree[];
    const budget = { steps: 100 };
    const r = evaluate(source, edItems, { compile: false, budget, previous: first });
    const fresh = evaluate(source, edItems, { compile: false, budget });
    expect(fresh.status).toBe("budget-exhausted");
    expect(observe(r)).toEqual(observe(fresh));
  });

  it("re-evaluates one item when no top-level code calls the edited function", () => {
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) {
      lines.push(i === 0 ? "fn f0 x y = x + y" : `fn f${i} x y = f${i - 1} x y + 3`);
      lines.push(`f${Math.max(0, i - 990)} ${i % 10} 2`);
    }
    lines[1001] = "fn unused x = x * 7";
    const e = new Editing(`${lines.join("\n")}\n`);
    expect(e.parsed.items.length).toBe(2000);
    const body = e.fnItems().find((f) => f.index === 1001)!.item.args[1]!.span;
    e.edit([{ span: { start: body.end - 1, end: body.end }, newText: "8" }]);
    expect(e.result.reevaluated).toBe(1);
    expect(e.result.reused).toBe(1999);
  });

  it("reads only the changed indexes of a vector of items, and builds no list of every item", () => {
    // 2,000 items (two chunks of a vector): functions, and a call of every fourth.
    const lines: string[] = [];
    for (let i = 0; i < 1600; i++) {
      lines.push(`fn f${i} x = x + ${i % 10}`);
      if (i % 4 === 0) lines.push(`f${i} ${i % 7}`);
    }
    const text = `${lines.join("\n")}\n`;
    const parsed = parse(SourceFile.fromRaw("test.cdz", text));
    const items = parsed.items as readonly Tree[];
    expect(items.length).toBe(2000);
    // A vector of the parser's nodes is what a host passes (`itemVector`).
    const nodes: Vector<Node> = Vector.from(parsed.items.slice());
    let result = evaluate(parsed.source, nodes, { incremental: true });
    let vector: Vector<Tree> = nodes;
    let source = parsed.source;
    // The body of `f1200` (called by the item after it) edited, and back, and again.
    const index = items.findIndex((item) => item.span.start === text.indexOf("fn f1200 "));
    const at = text.indexOf("+ 0", items[index]!.span.start) + 2;
    for (const digit of ["5", "0", "7"]) {
      const edited = `${source.text.slice(0, at)}${digit}${source.text.slice(at + 1)}`;
      source = SourceFile.fromRaw("test.cdz", edited);
      const fresh = parse(source).items as readonly Tree[];
      vector = vector.with(index, fresh[index]!);
      const reads = new Set<number>();
      let flat = 0;
      const watched = new Proxy(vector, {
        get(target, key) {
          if (key === "get")
            return (i: number) => {
              reads.add(i);
              return target.get(i);
            };
          if (key === "toArray" || key === Symbol.iterator) flat++;
          const x = Reflect.get(target, key, target);
          return typeof x === "function" ? x.bind(target) : x;
        },
      });
      result = evaluate(source, watched, {
        incremental: true,
        previous: result,
        changedItems: [index],
      });
      expect(result.reevaluated).toBe(2);
      expect(flat).toBe(0);
      expect([...reads].sort((a, b) => a - b)).toEqual([index, index + 1]);
      const now = vector.toArray();
      const again = evaluate(source, now);
      expect(observe(result)).toEqual(observe(again));
      sameProducts(result, again, now);
      expect(result.entries[index + 1]!.text).toBe(`${(1200 % 7) + Number(digit)} : Integer`);
    }
  });

  it("ignores indexes of changedItems that are repeated or outside the items", () => {
    const text = "fn f x = x + 1\nf 1\nf 2\n";
    const parsed = parse(SourceFile.fromRaw("test.cdz", text));
    const first = evaluate(parsed.source, parsed.items as readonly Tree[], { incremental: true });
    const source = SourceFile.fromRaw("test.cdz", text.replace("x + 1", "x + 4"));
    const items = (parsed.items as readonly Tree[]).slice();
    items[0] = parse(source).items[0]!;
    const r = evaluate(source, items, {
      previous: first,
      changedItems: [0, 0, -1, 1.5, 3, 99, Number.NaN],
    });
    expect(r.reevaluated).toBe(3);
    const fresh = evaluate(source, items);
    expect(observe(r)).toEqual(observe(fresh));
    sameProducts(r, fresh, items);
  });
});
