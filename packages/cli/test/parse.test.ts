import { conformanceDir, loadSyntaxCases, MISSING_CONFORMANCE } from "@cadenza/test-support";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { memoryIO } from "../src/memory-io.js";

/** Runs `cadenza ARGV…` against an in-memory IO holding `files`. */
async function run(argv: string[], files: Record<string, string> = {}, stdin?: string) {
  const io = memoryIO(files, stdin === undefined ? {} : { stdin });
  const code = await main(argv, io, { version: "0.0.0" });
  return { code, out: io.out(), err: io.err() };
}

describe("cadenza parse", () => {
  it("prints nothing and exits 0 when there is no syntax error", async () => {
    const r = await run(["parse", "a.cdz"], { "a.cdz": "let x = 1 + 2 * 3\nf x y\n" });
    expect(r).toEqual({ code: 0, out: "", err: "" });
  });

  it("prints every syntax diagnostic on stderr and exits 1", async () => {
    const r = await run(["parse", "a.cdz"], { "a.cdz": "[1, 2\nfoo\nlet y =\n" });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error: expected `]`\n --> a.cdz:2:1");
    expect(r.err).toContain("error: unexpected end of file\n --> a.cdz:3:");
    expect(r.err.match(/^error: /gm)).toHaveLength(2);
  });

  it("accepts several files and reports the errors of each", async () => {
    const files = { "good.cdz": "let a = 1\n", "bad1.cdz": "f (\n", "bad2.cdz": "x = ;\n" };
    expect(await run(["parse", "good.cdz", "good.cdz"], files)).toEqual({
      code: 0,
      out: "",
      err: "",
    });
    const r = await run(["parse", "bad1.cdz", "good.cdz", "bad2.cdz"], files);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain(" --> bad1.cdz:1:");
    expect(r.err).toContain(" --> bad2.cdz:1:");
    expect(r.err).not.toContain("good.cdz");
    expect(r.err.indexOf("bad1.cdz")).toBeLessThan(r.err.indexOf("bad2.cdz"));
  });

  it("exits 1 when a file cannot be read, after parsing the others", async () => {
    const r = await run(["parse", "nope.cdz", "bad.cdz"], { "bad.cdz": "f (\n" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("error: cannot read nope.cdz: no such file\n");
    expect(r.err).toContain(" --> bad.cdz:1:");
    expect(await run(["parse", "nope.cdz"])).toEqual({
      code: 1,
      out: "",
      err: "error: cannot read nope.cdz: no such file\n",
    });
  });

  it("reads standard input for -", async () => {
    expect(await run(["parse", "-"], {}, "1 + 2\n")).toEqual({ code: 0, out: "", err: "" });
    const r = await run(["parse", "-"], {}, "1 +\n");
    expect(r.code).toBe(1);
    expect(r.err).toContain(" --> <stdin>:1:");
  });

  it("needs at least one file", async () => {
    const r = await run(["parse"]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
  });
});

describe("cadenza parse --tree", () => {
  it("prints the S-expression of each top-level item, one per line", async () => {
    const r = await run(["parse", "--tree", "a.cdz"], { "a.cdz": "let x = 1 + 2 * 3\nf x y\n" });
    expect(r).toEqual({ code: 0, out: "(= (let x) (+ 1 (* 2 3)))\n(f x y)\n", err: "" });
  });

  it("keeps an item with a block or a multi-line string on one line", async () => {
    const text = "match n\n    0 => \"zero\nlines\"\n    _ => '\\n'\nlet s = 1\n";
    const r = await run(["parse", "--tree", "a.cdz"], { "a.cdz": text });
    expect(r).toEqual({
      code: 0,
      out: `(match n (__block__ (=> 0 "zero\\nlines") (=> _ '\\n')))\n(= (let s) 1)\n`,
      err: "",
    });
  });

  it("prints the items of each file in turn", async () => {
    const r = await run(["parse", "--tree", "a.cdz", "b.cdz"], {
      "a.cdz": "a\nb\n",
      "b.cdz": "c\n",
    });
    expect(r).toEqual({ code: 0, out: "a\nb\nc\n", err: "" });
  });

  it("still prints the tree of a broken file, with its diagnostics and exit 1", async () => {
    const r = await run(["parse", "--tree", "a.cdz"], { "a.cdz": "let x =\nlet y = [1, 2\n" });
    expect(r.code).toBe(1);
    expect(r.out).toBe("(= (let x) <error>)\n(= (let y) (__list__ 1 2))\n");
    expect(r.err).toContain("error: expected expression, found `end of line`");
    expect(r.err).toContain("error: expected `]`");
  });
});

// The shared conformance data (`$CADENZA_CONFORMANCE`, else `shared/conformance` beside the
// repository): every file of syntax/invalid fails with diagnostics, every file of
// syntax/valid passes silently. Skipped, with a message, when the data is absent.
const dir = conformanceDir();

describe.skipIf(dir === undefined)("cadenza parse on the conformance files of syntax/", () => {
  if (dir === undefined) {
    console.warn(MISSING_CONFORMANCE);
    return;
  }
  const cases = loadSyntaxCases(dir);
  const invalid = cases.filter((c) => !c.valid);
  const valid = cases.filter((c) => c.valid);
  const files = Object.fromEntries(cases.map((c) => [c.file, c.text]));

  it("finds both kinds of files", () => {
    expect(invalid.length).toBeGreaterThan(0);
    expect(valid.length).toBeGreaterThan(0);
  });

  it.each(invalid.map((c) => c.file))("%s exits 1 with diagnostics", async (file) => {
    const r = await run(["parse", file], files);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^error: /);
    expect(r.err).toContain(` --> ${file}:`);
  });

  it.each(valid.map((c) => c.file))("%s exits 0 with no output", async (file) => {
    expect(await run(["parse", file], files)).toEqual({ code: 0, out: "", err: "" });
  });

  it("takes them all in one invocation", async () => {
    expect(await run(["parse", ...valid.map((c) => c.file)], files)).toEqual({
      code: 0,
      out: "",
      err: "",
    });
    const r = await run(["parse", ...invalid.map((c) => c.file)], files);
    expect(r.code).toBe(1);
    for (const c of invalid) expect(r.err).toContain(` --> ${c.file}:`);
  });
});
