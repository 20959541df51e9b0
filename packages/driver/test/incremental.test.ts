import { describe, expect, it } from "vitest";
import { type Compiler, createCompiler } from "../src/index.js";

/**
 * Early cut-off, proven with the query counters: after an edit, how many times each query
 * ran. `infer` is the inference of one binding group.
 */

const PROGRAM = `fn square x = x * x
fn area w h = w * h
fn cube x = square x * x
fn volume w h d = area w h * d
let side = 3
cube side
volume 1 2 3
`;

/** Sets the text, resets the counters, asks for everything, returns executions per query. */
function edit(c: Compiler, text: string): Record<string, number> {
  c.setFile("m.cdz", text);
  c.resetStats();
  c.diagnostics("m.cdz");
  const out: Record<string, number> = {};
  for (const [name, s] of Object.entries(c.stats().queries)) out[name] = s.executions;
  return out;
}

/** The binding groups `infer` ran for since the compiler was made (by their first id). */
const inferred = new WeakMap<Compiler, string[]>();
function inferredGroups(c: Compiler): string[] {
  return inferred.get(c) ?? [];
}

/** Starts recording the groups `infer` runs for (through the queries' execution counter). */
function recordInference(c: Compiler): void {
  const log: string[] = [];
  inferred.set(c, log);
  const q = (c as unknown as { q: { countExecution(query: string, key: unknown): void } }).q;
  const count = q.countExecution.bind(q);
  q.countExecution = (query, key) => {
    if (query === "infer") log.push((key as readonly string[])[0]!);
    count(query, key);
  };
}

function compiler(text: string = PROGRAM): Compiler {
  const c = createCompiler();
  c.setFile("m.cdz", text);
  c.diagnostics("m.cdz");
  return c;
}

describe("early cut-off", () => {
  it("a body edit that keeps the signature reruns exactly one inference query", () => {
    const c = compiler();
    const runs = edit(c, PROGRAM.replace("fn square x = x * x", "fn square x = (x * x)"));
    expect(runs.infer).toBe(1);
    // Its signature was recomputed and found equal: nothing that uses `square` reran.
    expect(c.stats().queries.signatures!.cutoffs).toBe(1);
    // The file-wide passes run once (evaluation reruns on any edit of its file).
    expect(runs.parse).toBe(1);
    expect(runs.evaluate).toBe(1);
    expect(runs.typecheck).toBe(1);
  });

  it("a body edit of a large file touches one definition input and one chunk of units", () => {
    const lines = ["fn f0 x = x + 1"];
    for (let i = 1; i < 600; i++) lines.push(`fn f${i} x = f${i - 1} x + ${i}`);
    lines.push("f599 1");
    const text = `${lines.join("\n")}\n`;
    const c = compiler(text);
    // The same length: nothing moves.
    const runs = edit(c, text.replace("fn f300 x = f299 x + 300", "fn f300 x = f299 x + 301"));
    expect(runs.infer).toBe(1);
    // Only the edited definition is read again; the index and the places stay.
    expect(runs.definition).toBe(1);
    expect(runs.index ?? 0).toBe(0);
    expect(runs.starts ?? 0).toBe(0);
    // One chunk of inference units is placed again, and one chunk per level above it (600
    // units: chunks of 16 units, of 16 chunks, then the root); the file's result reads the root.
    expect(runs.checkChunk).toBe(3);
    expect(runs.typecheck).toBe(1);
    // And nothing else is even verified: the database pushed the edit up from the one input
    // it changed (verifying every memo would be thousands: 600 definitions, groups, chunks).
    const verified = Object.values(c.stats().queries).reduce((n, q) => n + q.verifications, 0);
    expect(verified).toBeLessThan(30);
    expect(c.diagnostics("m.cdz")).toEqual([]);
    // A definition that moves (text inserted above it) keeps its inference; its errors move.
    const broken = text.replace("fn f500 x = f499 x + 500", 'fn f500 x = f499 x + "s"');
    edit(c, broken);
    const at = c.diagnostics("m.cdz")[0]!.primary.span.start;
    const moved = edit(c, `# a comment\n${broken}`);
    expect(moved.infer ?? 0).toBe(0);
    expect(c.diagnostics("m.cdz")[0]!.primary.span.start).toBe(at + "# a comment\n".length);
  });

  it("an edit that moves later definitions places again only the chunks with diagnostics", () => {
    const lines = ["fn f0 x = x + 1"];
    for (let i = 1; i < 600; i++) lines.push(`fn f${i} x = f${i - 1} x + ${i}`);
    lines.push('fn bad x = f10 x + "s"');
    const text = `${lines.join("\n")}\n`;
    const c = compiler(text);
    const before = c.diagnostics("m.cdz");
    expect(before).toHaveLength(1);
    // One character more in f300: every later definition moves, none changes.
    const runs = edit(c, text.replace("fn f300 x = f299 x + 300", "fn f300 x = f299 x + 3000"));
    expect(runs.infer).toBe(1);
    // The edited unit's chunk and the chunks above it, and the chunk whose diagnostic moved
    // (only chunks with diagnostics read where definitions start); not the other 36.
    expect(runs.checkChunk).toBeLessThanOrEqual(5);
    const after = c.diagnostics("m.cdz");
    expect(after).toHaveLength(1);
    expect(after[0]!.primary.span.start).toBe(before[0]!.primary.span.start + 1);
  });

  it("a body edit that changes the signature reruns its users too, and no others", () => {
    const c = compiler();
    // `square` becomes Float-valued: `cube` uses it, `cube side` uses `cube`.
    const runs = edit(c, PROGRAM.replace("fn square x = x * x", "fn square x = x * x * 1.5"));
    expect(runs.infer).toBe(3);
    expect(c.typecheck("m.cdz").schemes.get("cube")).toBe(
      "forall a u. [Numeric a] => fn(Quantity a u) -> Quantity Float u⁴",
    );
  });

  it("a signature change stops where the users' signatures stay the same", () => {
    const c = compiler("fn f x = x + 1\nfn g x = (f x) == 2\nfn h x = g x\nh 1\n");
    // `f` changes type; `g` still returns Bool: `h` and `h 1` do not rerun.
    const runs = edit(c, "fn f x = x + 1.5\nfn g x = (f x) == 2\nfn h x = g x\nh 1\n");
    expect(runs.infer).toBe(2);
  });

  it("moving definitions by an edit elsewhere reruns nothing else", () => {
    const c = compiler();
    const runs = edit(c, `# a comment that moves everything\n\n${PROGRAM}`);
    expect(runs.infer).toBe(0);
  });

  it("adding a definition infers only its group, and renumbers nothing", () => {
    const c = compiler();
    const before = c.definitions("m.cdz").map((d) => d.id);
    const runs = edit(c, `fn double x = x + x\n${PROGRAM}`);
    expect(runs.infer).toBe(1);
    const after = c.definitions("m.cdz").map((d) => d.id);
    expect(after).toEqual(["m.cdz#double", ...before]);
    expect(after).toContain("m.cdz#expr:1");
  });

  it("removing a used definition reruns its users", () => {
    const c = compiler();
    recordInference(c);
    c.setFile("m.cdz", PROGRAM.replace("fn area w h = w * h\n", ""));
    c.diagnostics("m.cdz");
    // `volume` now refers to nothing: its group and `volume 1 2 3` rerun. (So does the
    // removed `area`'s own memo, once, with nothing to infer: the database pushes a change
    // to every memo that read it, and cannot know that none will be read again.)
    expect(
      inferredGroups(c)
        .filter((g) => g !== "m.cdz#area")
        .sort(),
    ).toEqual(["m.cdz#expr:1", "m.cdz#volume"]);
    expect(c.diagnostics("m.cdz").map((d) => d.message)).toContain("undefined variable: `area`");
  });

  it("a change to a declaration reruns every group of the file", () => {
    const text = "struct P { x = Integer }\nfn get p = p.x\nfn one = 1\nget (P { x = 1 })\n";
    const c = compiler(text);
    const runs = edit(c, text.replace("x = Integer", "x = Integer, y = Integer"));
    expect(runs.declarations).toBe(1);
    expect(runs.infer).toBe(4);
  });

  it("an unchanged text starts no revision and runs nothing", () => {
    const c = compiler();
    const revision = c.stats().revision;
    const runs = edit(c, PROGRAM);
    expect(c.stats().revision).toBe(revision);
    expect(Object.values(runs).every((n) => n === 0)).toBe(true);
  });

  it("a reassigned variable is inferred with the items that assign it", () => {
    const c = compiler("let total = 0\nfn add x = total = total + x\nadd 0.5\ntotal\n");
    expect(c.typecheck("m.cdz").schemes.get("total")).toBe("Float");
    expect(c.diagnostics("m.cdz")).toEqual([]);
  });
});

describe("imports found after an edit", () => {
  it("an item edited into an import is seen, in a file that had none", () => {
    const c = createCompiler();
    c.setFile("lib.cdz", "@export\nfn twice x = x * 2\n");
    const text = "zzzzzzzzzzzz\nfn f x = x + 1\nf 2\n";
    c.setFile("main.cdz", text);
    c.diagnostics("main.cdz");
    expect(c.imports("main.cdz")).toEqual([]);
    // The same length: the other items are kept, and only the edited one is looked at.
    c.setFile("main.cdz", text.replace("zzzzzzzzzzzz", "import lib *"));
    expect(c.imports("main.cdz")).toEqual(["lib.cdz"]);
    expect(c.diagnostics("main.cdz")).toEqual([]);
    c.setFile("main.cdz", text.replace("zzzzzzzzzzzz", "import lib *").replace("f 2", "twice 2"));
    expect(c.diagnostics("main.cdz")).toEqual([]);
  });
});

describe("files are independent", () => {
  it("editing one file reruns nothing of another", () => {
    const c = createCompiler();
    c.setFile("a.cdz", "fn f x = x\nf 1\n");
    c.setFile("b.cdz", "fn g x = x + 1\ng 2\n");
    c.diagnostics("a.cdz");
    c.diagnostics("b.cdz");
    c.setFile("a.cdz", "fn f x = x\nf 2\n");
    c.resetStats();
    recordInference(c);
    c.diagnostics("b.cdz");
    // (Reading brings every file's per-definition inputs up to date, and the database
    // brings memos up to date in height order: `a`'s edited item may be parsed, evaluated
    // and inferred again now rather than when `a` is next read.)
    expect(c.stats().files["b.cdz"]).toBeUndefined();
    expect(inferredGroups(c).filter((g) => !g.startsWith("a.cdz#"))).toEqual([]);
  });
});
