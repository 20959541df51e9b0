import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { memoryIO } from "../src/memory-io.js";

/** check(argv, files, expected) — runs the real command set against an in-memory IO. */
async function run(argv: string[], files: Record<string, string> = {}, stdin?: string) {
  const io = memoryIO(files, stdin === undefined ? {} : { stdin });
  const code = await main(argv, io, { version: "0.0.0" });
  return { code, out: io.out(), err: io.err() };
}

describe("cadenza eval", () => {
  it("prints the transcript on stdout and exits 0", async () => {
    const r = await run(["eval", "a.cdz"], { "a.cdz": "let x = 20\nx * 2 + 2\n10 / 4\n" });
    expect(r).toEqual({ code: 0, out: "() : Unit\n42 : Integer\n5/2 : Rational\n", err: "" });
  });

  it("prints only diagnostics, named as the path was given, and exits 1", async () => {
    const r = await run(["eval", "dir/a.cdz"], { "dir/a.cdz": "1 + 1\nvlaue\n" });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error: undefined variable: `vlaue`\n --> dir/a.cdz:2:1");
  });

  it("reports a missing file in one line", async () => {
    expect(await run(["eval", "nope.cdz"])).toEqual({
      code: 1,
      out: "",
      err: "error: cannot read nope.cdz: no such file\n",
    });
  });

  it("reads standard input for -", async () => {
    const r = await run(["eval", "-"], {}, "1 + 2\n");
    expect(r).toMatchObject({ code: 0, out: "3 : Integer\n" });
  });
});

describe("cadenza run", () => {
  it("prints nothing for a good program and diagnostics for a bad one", async () => {
    expect(await run(["run", "a.cdz"], { "a.cdz": "let x = 1\n" })).toEqual({
      code: 0,
      out: "",
      err: "",
    });
    const bad = await run(["run", "a.cdz"], { "a.cdz": "[1, 2][7]\n" });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("error: index out of bounds");
  });
});

describe("cadenza check", () => {
  it("reports a unit mismatch in code that never runs", async () => {
    const program = "measure meter\nmeasure second\nfn never x = 100meter + 5second\n";
    const r = await run(["check", "a.cdz"], { "a.cdz": program });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error: incompatible dimensions");
    expect(r.err).toContain(" --> a.cdz:3:");
  });

  it("prints signatures: polymorphic, constrained and unit-polymorphic", async () => {
    const program = [
      "measure meter",
      "measure second",
      "fn identity x = x",
      "fn add a b = a + b",
      "fn speed d t = d / t",
      "let limit = 100meter / 10second",
      "",
    ].join("\n");
    const r = await run(["check", "--signatures", "a.cdz"], { "a.cdz": program });
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines.map((l) => l.split(" : ")[0])).toEqual(["identity", "add", "speed", "limit"]);
    expect(lines[0]).toMatch(/^identity : forall a\. fn\(a\) -> a$/);
    expect(lines[1]).toMatch(/^add : forall .*\[.*\] => fn\(.*\) -> /);
    expect(lines[3]).toBe("limit : Quantity Rational meter/second");
  });

  it("checks every .cdz file below a folder, with a heading per file for --signatures", async () => {
    const files = {
      "proj/a.cdz": "fn one = 1\n",
      "proj/lib/b.cdz": "fn two = 2\n",
      "proj/notes.txt": "not cadenza",
      "proj/.hidden/c.cdz": "this is not checked +",
    };
    const r = await run(["check", "--signatures", "proj"], files);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      "# proj/a.cdz\none : fn() -> Integer\n# proj/lib/b.cdz\ntwo : fn() -> Integer\n",
    );
    expect(r.err).toContain("checked 2 files: no errors");
    const empty = await run(["check", "proj/lib/none"], files);
    expect(empty.code).toBe(1);
  });

  it("exits 0 on a well-typed file", async () => {
    const r = await run(["check", "a.cdz"], { "a.cdz": "fn speed d t = d / t\nspeed 10 2\n" });
    expect(r.code).toBe(0);
  });
});

describe("cadenza repl", () => {
  it("keeps bindings across entries and survives errors", async () => {
    const r = await run(["repl"], {}, "let x = 2\nmissing\nx * 21\n");
    expect(r.code).toBe(0);
    expect(r.out).toBe("() : Unit\n42 : Integer\n");
    expect(r.err).toContain(" --> repl:1:1");
  });
});
