// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza source text uses `${…}`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyEdits, SourceFile, type TextEdit } from "@cadenza/core";
import { conformanceDir, MISSING_CONFORMANCE } from "@cadenza/test-support";
import { Tree, TreeFragment } from "@lezer/common";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  changedItems,
  leaves,
  lower,
  type Node,
  type ParseResult,
  parse,
  parseFast,
  parser,
  printSExpr,
  reparse,
} from "../src/index.js";
import { anyText, cadenzaProgram, cadenzaSoup, editsFor } from "./arbitraries.js";

// The fast path (src/fast.ts) against the reference: the Lezer parse and its lowering. For any
// text, `parseFast` either bails out (undefined) or returns exactly the lowered items, and then
// the lowering has no diagnostic.

/** The `.cdz` files below `dir`, as [relative path, text]. */
function cdzFiles(dir: string, base = dir): [string, string][] {
  const out: [string, string][] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "node_modules") out.push(...cdzFiles(path, base));
    } else if (name.endsWith(".cdz")) {
      out.push([path.slice(base.length + 1), readFileSync(path, "utf8")]);
    }
  }
  return out;
}

const file = (text: string, name = "test.cdz"): SourceFile => SourceFile.fromRaw(name, text);

/**
 * The timeout of these tests: the property tests parse thousands of texts twice, which takes
 * seconds on a loaded machine.
 */
const HEAVY = 60_000;

/**
 * Compares the fast path with the reference on `source`: "bailed" when the fast path bails
 * out, "clean" / "errors" for the reference's verdict otherwise (after asserting equality).
 */
function compare(source: SourceFile): { fast: boolean; clean: boolean } {
  const reference = lower(parser.parse(source.text), source);
  const clean = reference.diagnostics.length === 0;
  const fast = parseFast(source);
  if (fast === undefined) return { fast: false, clean };
  expect(
    reference.diagnostics.map((d) => d.message),
    "the fast path returned items for a text with diagnostics",
  ).toEqual([]);
  expect(fast).toStrictEqual(reference.items);
  return { fast: true, clean };
}

const here = fileURLToPath(new URL(".", import.meta.url));
const conformance = conformanceDir();
const corpora: { name: string; files: [string, string][] }[] = [
  { name: "examples", files: cdzFiles(join(here, "../../../examples")) },
  { name: "fixtures", files: cdzFiles(join(here, "fixtures")) },
];
if (conformance !== undefined)
  corpora.unshift({ name: "conformance", files: cdzFiles(conformance) });

/**
 * Clean files of the corpora on which the fast path may bail out, with the reason. Keep it
 * short: every entry is a file that pays for the Lezer path although it is well-formed.
 */
const MAY_BAIL: ReadonlyMap<string, string> = new Map<string, string>([]);

describe("the fast path against the Lezer path", { timeout: HEAVY }, () => {
  if (conformance === undefined) console.warn(MISSING_CONFORMANCE);

  for (const { name, files } of corpora) {
    describe(name, () => {
      it("has files", () => {
        expect(files.length).toBeGreaterThan(0);
      });

      it.each(files)("%s", (path, text) => {
        const { fast, clean } = compare(file(text, path));
        // A well-formed file of the corpora takes the fast path.
        if (clean && !MAY_BAIL.has(`${name}/${path}`)) expect(fast, "bailed out").toBe(true);
      });
    });
  }

  it(
    "agrees on the generated programs of the tests",
    () => {
      fc.assert(
        fc.property(cadenzaProgram, (text) => {
          const { fast, clean } = compare(file(text));
          expect(fast).toBe(clean);
        }),
        { numRuns: 500 },
      );
    },
    HEAVY,
  );

  it(
    "agrees on soups of tokens and on arbitrary text",
    () => {
      fc.assert(
        fc.property(cadenzaSoup, (text) => {
          compare(file(text));
        }),
        { numRuns: 3000 },
      );
      fc.assert(
        fc.property(anyText, (text) => {
          compare(new SourceFile("test.cdz", text));
        }),
        { numRuns: 500 },
      );
    },
    HEAVY,
  );

  it(
    "agrees on programs built from corpus lines",
    () => {
      const lines = corpora.flatMap((c) => c.files.flatMap(([, text]) => text.split("\n")));
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...lines), { maxLength: 12 }), (picked) => {
          compare(file(picked.join("\n")));
        }),
        { numRuns: 1000 },
      );
    },
    HEAVY,
  );
});

/** A mutation of a corpus file: one random change of a character, a token, or a line. */
const TOKENS: readonly string[] = [
  "a",
  "f x",
  "1",
  "2.5",
  "3meter",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  "+",
  "-",
  "-1",
  "*",
  "*x",
  "=",
  "==",
  "=>",
  "->",
  "|>",
  "|?",
  "?",
  ".",
  "..",
  "::",
  ":",
  "!",
  "~",
  "...",
  "$",
  "@",
  "\\",
  '"s"',
  "'c'",
  ':"s"',
  '$"a ${b}"',
  "${",
  "if",
  "then",
  "else",
  "match",
  "import m *",
  "\n",
  "\n    ",
  "    ",
  "\t",
  " ",
  "# c\n",
  "## d\n",
  ";",
];

type Mutation = (text: string, r: (n: number) => number) => string;

const MUTATIONS: readonly [string, Mutation][] = [
  ["delete a character", (t, r) => del(t, r(t.length + 1), 1)],
  [
    "insert a character",
    (t, r) => ins(t, r(t.length + 1), " \n\t()[]{},.:=+-*\\@$#\"'xa1_"[r(30)]!),
  ],
  ["duplicate a character", (t, r) => dup(t, r(t.length), 1)],
  ["delete a token", (t, r) => withToken(t, r, (from, to) => del(t, from, to - from))],
  ["duplicate a token", (t, r) => withToken(t, r, (from, to) => dup(t, from, to - from))],
  ["insert a token", (t, r) => ins(t, r(t.length + 1), TOKENS[r(TOKENS.length)]!)],
  [
    "move a token",
    (t, r) =>
      withToken(t, r, (from, to) =>
        ins(del(t, from, to - from), r(t.length - (to - from) + 1), t.slice(from, to)),
      ),
  ],
  [
    "change the indentation of a line",
    (t, r) => {
      const lines = t.split("\n");
      const i = r(lines.length);
      const line = lines[i]!;
      const options = [
        `    ${line}`,
        `  ${line}`,
        `\t${line}`,
        line.replace(/^[ \t]+/, ""),
        line.slice(1),
      ];
      lines[i] = options[r(options.length)]!;
      return lines.join("\n");
    },
  ],
  [
    "join two lines",
    (t, r) => {
      const at = t.indexOf("\n", r(t.length + 1));
      if (at < 0) return t;
      return `${t.slice(0, at)} ${t.slice(at + 1).replace(/^[ \t]*/, "")}`;
    },
  ],
  [
    "split a line",
    (t, r) => {
      const at = t.indexOf(" ", r(t.length + 1));
      if (at < 0) return t;
      return `${t.slice(0, at)}\n${" ".repeat(r(10))}${t.slice(at + 1)}`;
    },
  ],
];

function del(t: string, at: number, length: number): string {
  return t.slice(0, at) + t.slice(at + length);
}
function ins(t: string, at: number, s: string): string {
  return t.slice(0, at) + s + t.slice(at);
}
function dup(t: string, at: number, length: number): string {
  return ins(t, at, t.slice(at, at + length));
}
/** Calls `f` with a random token (a leaf of the Lezer tree) of `t`. */
function withToken(
  t: string,
  r: (n: number) => number,
  f: (from: number, to: number) => string,
): string {
  const tokens = leaves(parser.parse(t)).filter((l) => l.to > l.from);
  if (tokens.length === 0) return t;
  const token = tokens[r(tokens.length)]!;
  return f(token.from, token.to);
}

describe("the fast path on mutations of corpus files", { timeout: HEAVY }, () => {
  const texts = corpora.flatMap((c) =>
    c.files.map(([, text]) => SourceFile.fromRaw("x", text).text),
  );

  it.each(MUTATIONS.map(([name, m]) => [name, m] as const))(
    "%s",
    (_, mutate) => {
      fc.assert(
        fc.property(
          fc.nat({ max: texts.length - 1 }),
          fc.infiniteStream(fc.nat()),
          (index, stream) => {
            const it = stream[Symbol.iterator]();
            const r = (n: number): number => (n <= 0 ? 0 : it.next().value! % n);
            compare(new SourceFile("test.cdz", mutate(texts[index]!, r)));
          },
        ),
        { numRuns: 600 },
      );
    },
    HEAVY,
  );
});

describe("the fast path's own cases", { timeout: HEAVY }, () => {
  it.each([
    // A comment line between an operand and a continuation line's operator (the lowering
    // used to take the comment for the operator).
    ["let x = 1\n# c\n    |> f", "(|> (= (let x) 1) f)"],
    ["x\n    # c\n    .y", "(. x y)"],
    // Blocks: a second block after a dedent to a deeper line than the item is one more
    // argument of the first, which is no application.
    ["f =\n        a\n    b", "(= f ((__block__\n  a) (__block__\n    b)))"],
    ["(f a) b", "(f a b)"],
    ["((f a)) b c", "(f a b c)"],
    ["(a == f x) y", "((== a (f x)) y)"],
    ["a == f.g x", "(== a ((. f g) x))"],
    ["a == f .g x", "((== a (. f g)) x)"],
    ["import m *", "(import m *)"],
    ["import m *\n# c\nx", "(import m *)\nx"],
    ["x = if a then b else c |> f", "(= x (if a b (|> c f)))"],
    ["if a\n    then b\nelse c", "(if a b c)"],
    ['$"a ${b} c"', '(__interpolate__ "a " b " c")'],
    ["2then", "(then 2)"],
    ["\\x\n    y -> x", "(-> (\\ x y) x)"],
    ["(a -\n  foo x)", "(- a (foo x))"],
  ])("%j", (text, expected) => {
    const source = file(text);
    const reference = lower(parser.parse(source.text), source);
    expect(reference.diagnostics.map((d) => d.message)).toEqual([]);
    expect(reference.items.map((i) => printSExpr(i)).join("\n")).toBe(expected);
    expect(parseFast(source)).toStrictEqual(reference.items);
  });

  it.each([
    ["a lexical error", '"abc'],
    ["a parse error", "let x ="],
    ["an unclosed delimiter", "f (a,\nb"],
    ["a reserved character", "a; b"],
    ["an integer too large", "999999999999999999999999999999999999999999"],
    ["`$` after an operand", "f $x"],
    ["an attribute inside an expression", "f @x"],
    ["a then without if", "a then b"],
    ["a carriage return", "a\r\nb"],
    ["a deep nesting", `${"(".repeat(1200)}x${")".repeat(1200)}`],
    ["a long chain", Array.from({ length: 500 }, (_, i) => `a${i}`).join(" + ")],
    // The reference reads the wildcard as the left operand of the continuation's operator.
    ["an import wildcard before a continuation line", "import m *\n== 1"],
    ["an import wildcard before a continuation after a comment", "import m *\n# c\n    + 1"],
    // §3.4's guard also for a name heading an application at the start of a line.
    ["a delimiter closed by the guard before a name", "(a -\nfoo x)"],
    ["a list closed by the guard before a name", "[a -\nfoo (x)]"],
  ])("bails out on %s", (_, text) => {
    expect(parseFast(new SourceFile("test.cdz", text))).toBeUndefined();
  });
});

describe("parse() on the fast path", { timeout: HEAVY }, () => {
  const texts = corpora.flatMap((c) => c.files.map(([path, text]) => [path, text] as const));

  it.each(texts.slice(0, 60))(
    "%s: the lazy tree and fragments equal a Lezer parse",
    (path, text) => {
      const source = file(text, path);
      const result = parse(source);
      if (parseFast(source) === undefined) return;
      expect(result.diagnostics).toEqual([]);
      const reference = parser.parse(source.text);
      expect(result.tree.toString()).toBe(reference.toString());
      expect(result.tree.length).toBe(reference.length);
      expect(result.tree).toBe(result.tree);
      expect(result.fragments.map((f) => [f.from, f.to, f.offset])).toEqual(
        TreeFragment.addTree(reference).map((f) => [f.from, f.to, f.offset]),
      );
      expect(result.fragments[0]!.tree).toBe(result.tree);
    },
  );

  it("builds the tree only when it is read", () => {
    const source = file("let x = 1\nlet y = x + 1\n");
    const result = parse(source);
    expect(Object.getOwnPropertyDescriptor(result, "tree")?.get).toBeTypeOf("function");
    expect(result.items.map((i) => printSExpr(i))).toEqual([
      "(= (let x) 1)",
      "(= (let y) (+ x 1))",
    ]);
  });

  /**
   * Checks `result.itemVector` against the items of a fresh parse, read by index before
   * `result.items` is (which, after a patched reparse, is built from the vector), and then
   * against `result.items`.
   */
  const expectVector = (result: ParseResult, expected: readonly Node[]): void => {
    const vector = result.itemVector;
    const read = Array.from({ length: vector.length }, (_, i) => vector.get(i));
    expect(read).toStrictEqual(expected);
    expect([...vector]).toStrictEqual(expected);
    expect(vector.toArray()).toBe(result.items);
  };

  /** Items, diagnostics and tree of a result, for comparing with a fresh parse. */
  const summary = (r: ParseResult): unknown => ({
    items: r.items,
    diagnostics: r.diagnostics.map((d) => [d.message, d.primary.span]),
    tree: r.tree.toString(),
  });

  it(
    "reparse after random edits equals a fresh parse, whether or not trees were read",
    () => {
      fc.assert(
        fc.property(cadenzaProgram, fc.integer(), fc.boolean(), (start, seed, readTrees) => {
          let text = start;
          let previous = parse(file(text));
          for (let round = 0; round < 5; round++) {
            const [edits] = fc.sample(editsFor(text), { numRuns: 1, seed: seed + round });
            if (!edits) break;
            const next = applyEdits(text, edits);
            const incremental = reparse(previous, file(next), edits);
            const fresh = parse(file(next));
            // Reading the previous tree only now makes the new one an incremental parse.
            if (readTrees && round % 2 === 0) void previous.tree;
            expectVector(incremental, fresh.items);
            expectVector(fresh, fresh.items);
            expect(summary(incremental)).toEqual(summary(fresh));
            text = next;
            previous = incremental;
          }
        }),
        { numRuns: 200 },
      );
    },
    HEAVY,
  );

  it(
    "reparse of corpus files after random edits equals a fresh parse",
    () => {
      const texts = corpora.flatMap((c) => c.files.map(([, t]) => SourceFile.fromRaw("x", t).text));
      const program = fc
        .array(fc.constantFrom(...texts), { minLength: 1, maxLength: 3 })
        .map((parts) => parts.join("\n"));
      fc.assert(
        fc.property(program, fc.integer(), (start, seed) => {
          let text = start;
          let previous = parse(file(text));
          for (let round = 0; round < 6; round++) {
            const [edits] = fc.sample(editsFor(text), { numRuns: 1, seed: seed + round });
            if (!edits) break;
            const next = applyEdits(text, edits);
            const incremental = reparse(previous, file(next), edits);
            const fresh = parse(file(next));
            expectVector(incremental, fresh.items);
            expect(incremental.items).toStrictEqual(fresh.items);
            expect(incremental.diagnostics.map((d) => d.message)).toEqual(
              fresh.diagnostics.map((d) => d.message),
            );
            text = next;
            previous = incremental;
          }
        }),
        { numRuns: 300 },
      );
    },
    HEAVY,
  );

  it("continues an item that an edit after it extends", () => {
    for (const [text, at, insert] of [
      ["x = 1\ny = 2\n", 6, "+ 3\n"],
      ["x = 1\ny = 2\n", 6, "    "],
      ["f x\ny\n", 4, "    "],
      ["x = 1\n# c\ny = 2\n", 6, "## d\n"],
      ['s = "a\nb"\nt = 1\n', 11, "    "],
      // A body taken over that spans lines (here inside a string): the doc comment after it
      // is still found on the line above the next item.
      ['s = "a\nb"\n## d\nt = 1\n', 21, "2"],
    ] as const) {
      const before = parse(file(text));
      const edits: TextEdit[] = [{ span: { start: at, end: at }, newText: insert }];
      const after = reparse(before, file(applyEdits(text, edits)), edits);
      expect(after.items).toStrictEqual(parse(after.source).items);
    }
  });

  it("keeps the unchanged items before an edit, and the tree shares subtrees", () => {
    let text = "";
    for (let i = 0; i < 100; i++)
      text += `fn f${i} x y =\n    let z = x + y * ${i}\n    match z\n        0 => [1, 2, 3]\n        n => f${i} (n - 1) y\n`;
    const before = parse(file(text));
    const at = text.indexOf("f30 x y") + 1;
    const edits: TextEdit[] = [{ span: { start: at, end: at + 2 }, newText: "99" }];
    const after = reparse(before, file(applyEdits(text, edits)), edits);
    const changed = after.items.findIndex((item, i) => item !== before.items[i]);
    expect(changed).toBe(30);
    expect(after.items.slice(0, 30)).toEqual(before.items.slice(0, 30));
    expect(printSExpr(after.items[30] as Node)).toContain("(fn f99 x y)");
    expect(after.items).toStrictEqual(parse(after.source).items);
    // The previous tree is read after the reparse: the new tree is built from it.
    const collect = (tree: Tree, out: Set<unknown>): Set<unknown> => {
      out.add(tree);
      for (const child of tree.children) {
        if (child instanceof Tree) collect(child, out);
        else out.add(child);
      }
      return out;
    };
    const old = collect(before.tree, new Set());
    const shared = [...collect(after.tree, new Set())].filter((node) => old.has(node));
    expect(shared.length).toBeGreaterThan(0);
    expect(after.tree.toString()).toBe(parser.parse(after.source.text).toString());
  });

  it("keeps the items after an edit that moves nothing, and only those", () => {
    let text = "";
    for (let i = 0; i < 50; i++) text += `fn f${i} x y =\n    x * ${i} + f${i} y x\n`;
    const before = parse(file(text));
    // Same length: every item after the edited one is where it was.
    const at = text.indexOf("x * 20") + 4;
    const same: TextEdit[] = [{ span: { start: at, end: at + 2 }, newText: "77" }];
    const after = reparse(before, file(applyEdits(text, same)), same);
    expect(after.items).toStrictEqual(parse(after.source).items);
    expect(after.items.filter((item, i) => item !== before.items[i]).length).toBe(1);
    expect(after.items[21]).toBe(before.items[21]);
    expect(changedItems(before.items, after)).toEqual([20]);
    expect(changedItems(before.itemVector, after)).toEqual([20]);
    // Only the previous result's own list (or vector) says which items changed.
    expect(changedItems([...before.items], after)).toBeUndefined();
    expect(changedItems(after.itemVector, after)).toBeUndefined();
    // One more character: the items after it moved, so they are parsed again.
    const longer: TextEdit[] = [{ span: { start: at, end: at + 2 }, newText: "777" }];
    const moved = reparse(before, file(applyEdits(text, longer)), longer);
    expect(moved.items).toStrictEqual(parse(moved.source).items);
    expect(moved.items[19]).toBe(before.items[19]);
    expect(moved.items[21]).not.toBe(before.items[21]);
    // Two edits whose moves cancel out: the items after both are kept again.
    const first = text.indexOf("x * 10") + 4;
    const cancel: TextEdit[] = [
      { span: { start: first, end: first + 2 }, newText: "1" },
      { span: { start: at, end: at + 2 }, newText: "777" },
    ];
    const back = reparse(before, file(applyEdits(text, cancel)), cancel);
    expect(back.items).toStrictEqual(parse(back.source).items);
    expect(back.items[15]).not.toBe(before.items[15]);
    expect(back.items[30]).toBe(before.items[30]);
  });

  it(
    "reparse after random same-length replacements equals a fresh parse",
    () => {
      fc.assert(
        fc.property(
          cadenzaProgram,
          fc.array(fc.tuple(fc.nat(), fc.constantFrom("0", "7", "x", " ", "\n", "(", ")", "+")), {
            minLength: 1,
            maxLength: 6,
          }),
          (start, replacements) => {
            let text = start;
            let previous = parse(file(text));
            for (const [n, ch] of replacements) {
              if (text.length === 0) break;
              const at = n % text.length;
              const edits: TextEdit[] = [{ span: { start: at, end: at + 1 }, newText: ch }];
              const next = applyEdits(text, edits);
              const incremental = reparse(previous, file(next), edits);
              // Where the reparse says which items may have changed, all others are the same
              // (read from the vectors, before any list of items is built).
              const fresh = changedItems(previous.itemVector, incremental);
              if (fresh !== undefined) {
                const [now, then] = [incremental.itemVector, previous.itemVector];
                expect(now.length).toBe(then.length);
                const listed = new Set(fresh);
                for (let i = 0; i < now.length; i++)
                  if (!listed.has(i)) expect(now.get(i)).toBe(then.get(i));
              }
              expectVector(incremental, parse(file(next)).items);
              expect(changedItems(previous.items, incremental)).toEqual(fresh);
              text = next;
              previous = incremental;
            }
          },
        ),
        { numRuns: 200 },
      );
    },
    HEAVY,
  );

  it(
    "takes over runs of items with attributes and doc comments, and only where untouched",
    () => {
      const lines: string[] = [];
      for (let i = 0; i < 40; i++) {
        if (i % 3 === 0) lines.push(`## The function number ${i}.`, `## It adds ${i}.`);
        if (i % 4 === 1) lines.push("@export");
        lines.push(`fn g${i} x =`, `    x + ${i}`);
        if (i % 5 === 2) lines.push(`# a comment after ${i}`);
      }
      const text = `${lines.join("\n")}\n`;
      const before = parse(file(text));
      expect(before.items).toStrictEqual(parse(file(text)).items);
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(), fc.constantFrom("0", "7", "x", " ", "#", "@", "\n", "y")), {
            minLength: 1,
            maxLength: 3,
          }),
          (replacements) => {
            let current = text;
            let previous = before;
            for (const [n, ch] of replacements) {
              const at = n % current.length;
              const edits: TextEdit[] = [{ span: { start: at, end: at + 1 }, newText: ch }];
              const next = applyEdits(current, edits);
              const incremental = reparse(previous, file(next), edits);
              expect(incremental.items).toStrictEqual(parse(file(next)).items);
              current = next;
              previous = incremental;
            }
          },
        ),
        { numRuns: 300 },
      );
      // A doc comment edited in place: the item below it gets the new doc, the others stay.
      const at = text.indexOf("It adds 21.") + "It adds ".length;
      const edits: TextEdit[] = [{ span: { start: at, end: at + 2 }, newText: "99" }];
      const after = reparse(before, file(applyEdits(text, edits)), edits);
      expect(after.items).toStrictEqual(parse(after.source).items);
      // (The body above the comment is parsed again too: the token after it, past the
      // comment, decided where it ended.)
      const changed = after.items.flatMap((item, i) => (item === before.items[i] ? [] : [i]));
      expect(changed.length).toBeLessThanOrEqual(3);
      expect(changed).toContain(21);
      expect(after.items[1]).toBe(before.items[1]);
      expect(after.items.at(-1)).toBe(before.items.at(-1));
    },
    HEAVY,
  );

  it("patches the item vector of a large file at the edited item, keeping every other item", () => {
    // More items than one chunk of a vector (1024), the edited one in the middle.
    const count = 3000;
    const lines: string[] = [];
    for (let i = 0; i < count; i++) lines.push(`fn f${i} x y = x * ${i} + f${i} y x`);
    const text = `${lines.join("\n")}\n`;
    const first = parse(file(text));
    const at = text.indexOf("x * 1500 ") + 4;
    const texts = [text, applyEdits(text, [{ span: { start: at, end: at + 4 }, newText: "2500" }])];
    let previous = first;
    for (let round = 1; round <= 6; round++) {
      const [before, next] = [texts[(round + 1) % 2]!, texts[round % 2]!];
      const edits: TextEdit[] = [
        { span: { start: at, end: at + 4 }, newText: next.slice(at, at + 4) },
      ];
      expect(applyEdits(before, edits)).toBe(next);
      const result = reparse(previous, file(next), edits);
      expect(changedItems(previous.itemVector, result)).toEqual([1500]);
      const [now, then] = [result.itemVector, previous.itemVector];
      expect(now.length).toBe(count);
      for (let i = 0; i < count; i++) if (i !== 1500) expect(now.get(i)).toBe(then.get(i));
      expect(printSExpr(now.get(1500)!)).toContain(round % 2 === 1 ? "2500" : "1500");
      // The items of the first parse are the same objects after any number of edits.
      expect(now.get(0)).toBe(first.items[0]);
      expect(now.get(count - 1)).toBe(first.items[count - 1]);
      // Read the list only every other round: a result whose list was never built is
      // reparsed the same way.
      if (round % 2 === 0) expectVector(result, parse(file(next)).items);
      previous = result;
    }
    expectVector(previous, parse(previous.source).items);
  });

  it("attaches doc comments after edits that add or remove lines", () => {
    // Items with doc comments, and blanks at the ends of lines that an edit can turn into
    // line breaks without moving anything.
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) {
      if (i % 2 === 0) lines.push(`## Doc of ${i}.`);
      if (i % 4 === 0) lines.push(`## More about ${i}.`);
      lines.push(`fn g${i} x =   `, `    x + ${i}   `);
    }
    const text = `${lines.join("\n")}\n`;
    const before = parse(file(text));
    const blank = (i: number): number => text.indexOf(`    x + ${i}   `) + `    x + ${i}`.length;
    const docOf = (result: ParseResult, i: number): string | undefined => {
      const item = result.itemVector.get(i)!;
      if (item.kind !== "apply" || item.callee.kind !== "ident" || item.callee.name !== "__doc__")
        return undefined;
      const doc = item.args[0]!;
      return doc.kind === "literal" && doc.value.type === "string" ? doc.value.value : undefined;
    };
    expect(docOf(before, 20)).toBe("Doc of 20.\nMore about 20.");
    expect(docOf(before, 21)).toBeUndefined();
    const cases: [string, TextEdit[]][] = [
      // A blank turned into a line break: one line more, nothing moves.
      ["one line more", [{ span: { start: blank(5), end: blank(5) + 1 }, newText: "\n" }]],
      ["two lines more", [{ span: { start: blank(5), end: blank(5) + 2 }, newText: "\n\n" }]],
      // Lines added before a run of untouched items, and the doc above item 20 edited after
      // it: the doc comments are read again after the run.
      [
        "lines added, then a doc edited",
        [
          { span: { start: blank(3), end: blank(3) + 3 }, newText: "\n\n\n" },
          {
            span: { start: text.indexOf("Doc of 20"), end: text.indexOf("Doc of 20") + 3 },
            newText: "Text",
          },
        ],
      ],
      // A blank line inserted between a doc comment and its item after a run: no doc.
      [
        "doc detached",
        [
          { span: { start: blank(3), end: blank(3) + 1 }, newText: "\n" },
          { span: { start: text.indexOf("fn g20"), end: text.indexOf("fn g20") }, newText: "\n" },
        ],
      ],
      // A line removed (an item joined to a blank), before a doc comment.
      [
        "a line removed",
        [
          {
            span: { start: text.indexOf("fn g7 x") - 1, end: text.indexOf("fn g7 x") },
            newText: "\n\n\n",
          },
          { span: { start: blank(12), end: text.indexOf("## Doc of 14") }, newText: "\n" },
        ],
      ],
      ["a line break removed", [{ span: { start: blank(9) + 3, end: blank(9) + 4 }, newText: "" }]],
    ];
    for (const [name, edits] of cases) {
      const next = applyEdits(text, edits);
      const after = reparse(before, file(next), edits);
      const fresh = parse(file(next));
      expect(fresh.diagnostics, name).toEqual([]);
      expectVector(after, fresh.items);
      // Every item with a doc comment in the text has it.
      const documented = fresh.items.filter((_, i) => docOf(fresh, i) !== undefined).length;
      expect(documented, name).toBeGreaterThan(10);
      // The items before the first edit are the previous ones.
      expect(after.itemVector.get(1), name).toBe(before.itemVector.get(1));
    }
    const [, edits] = cases[2]!;
    const after = reparse(before, file(applyEdits(text, edits)), edits);
    expect(docOf(after, 20)).toBe("Text of 20.\nMore about 20.");
    expect(docOf(after, 22)).toBe("Doc of 22.");
    const detached = reparse(before, file(applyEdits(text, cases[3]![1])), cases[3]![1]);
    expect(docOf(detached, 20)).toBeUndefined();
    expect(docOf(detached, 18)).toBe("Doc of 18.");
  });

  it(
    "reparse equals a fresh parse after random edits of line breaks around doc comments",
    () => {
      const block = fc.record({
        docs: fc.array(fc.constantFrom("## d", "## e f", "  ## g", "# c"), { maxLength: 2 }),
        blank: fc.constantFrom("", "\n", "\n  "),
        item: fc.constantFrom(
          "let a = 1  ",
          "fn f x =  \n    x + 1 ",
          "@export\nfn h y = y",
          "g 2",
        ),
      });
      const program = fc
        .array(block, { minLength: 1, maxLength: 12 })
        .map((blocks) =>
          blocks.map((b) => [...b.docs, `${b.blank}${b.item}`].join("\n")).join("\n"),
        );
      const edit = fc.tuple(
        fc.nat(),
        fc.nat({ max: 2 }),
        fc.constantFrom("\n", " ", "", "\n\n", "## x\n", "\n## y\n"),
      );
      fc.assert(
        fc.property(program, fc.array(edit, { minLength: 1, maxLength: 5 }), (start, steps) => {
          let text = start;
          let previous = parse(file(text));
          for (const [n, length, newText] of steps) {
            const at = n % (text.length + 1);
            const edits: TextEdit[] = [
              { span: { start: at, end: Math.min(text.length, at + length) }, newText },
            ];
            const next = applyEdits(text, edits);
            const incremental = reparse(previous, file(next), edits);
            const fresh = parse(file(next));
            expectVector(incremental, fresh.items);
            text = next;
            previous = incremental;
          }
        }),
        { numRuns: 300 },
      );
    },
    HEAVY,
  );

  it("a reparse that inserts a carriage return or a byte order mark leaves the fast path", () => {
    const text = "fn f x = x + 1\nfn g y = y * 2\nf 1\n";
    const before = parse(file(text));
    for (const inserted of ["\r", "\ufeff"]) {
      const at = text.indexOf("y * 2");
      const edits: TextEdit[] = [{ span: { start: at, end: at }, newText: inserted }];
      const next = applyEdits(text, edits);
      const after = reparse(before, file(next), edits);
      expect(after.items).toStrictEqual(parse(file(next)).items);
      expect(after.diagnostics).toStrictEqual(parse(file(next)).diagnostics);
      expect(parseFast(file(next))).toBeUndefined();
    }
  });

  it("reparses with the Lezer path into a text the fast path bails out on", () => {
    const text = "let a = 1\nlet b = [2, 3]\n";
    const before = parse(file(text));
    const edits: TextEdit[] = [{ span: { start: 23, end: 24 }, newText: "" }];
    const after = reparse(before, file(applyEdits(text, edits)), edits);
    expect(after.diagnostics.map((d) => d.message)).toEqual(["expected `]`"]);
    expect(after.items[0]).toBe(before.items[0]);
    expect(summary(after)).toEqual(summary(parse(after.source)));
  });
});
