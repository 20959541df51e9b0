// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for interpolation.
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { memoryIO } from "../src/memory-io.js";

async function run(argv: string[], files: Record<string, string> = {}) {
  const io = memoryIO(files);
  const code = await main(argv, io, { version: "0.0.0" });
  return { code, out: io.out(), err: io.err() };
}

const hello = [
  'fn greet name = println $"hello, ${name}"',
  'greet "ada"',
  'print "no line break"',
  "1 + 1",
  "",
].join("\n");

describe("cadenza run", () => {
  it("shows only what the program prints, not its transcript", async () => {
    expect(await run(["run", "hello.cdz"], { "hello.cdz": hello })).toEqual({
      code: 0,
      out: "hello, ada\nno line break",
      err: "",
    });
  });

  it("prints the output made before an error, then the error, and exits 1", async () => {
    const r = await run(["run", "a.cdz"], {
      "a.cdz": 'println "before"\nlet xs = [1, 2]\nxs[5]\nprintln "after"\n',
    });
    expect(r.code).toBe(1);
    expect(r.out).toBe("before\nafter\n");
    expect(r.err).toContain("error: index out of bounds\n --> a.cdz:3:4");
  });

  it("does not run a program that does not parse", async () => {
    const r = await run(["run", "a.cdz"], { "a.cdz": 'println "never"\nlet x = (1, \n' });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error:");
  });

  it("stops a program that loops forever at --max-steps", async () => {
    const forever = [
      'println "starting"',
      "fn spin n = if n == 0 then 0 else (spin (n - 1)) + (spin (n - 1))",
      "spin 100",
      "",
    ].join("\n");
    const r = await run(["run", "--max-steps", "200000", "spin.cdz"], { "spin.cdz": forever });
    expect(r.code).toBe(1);
    expect(r.out).toBe("starting\n");
    expect(r.err).toContain("error: evaluation step budget exhausted\n --> spin.cdz:2:13");
    expect(r.err).toContain("= note: the budget allows 200000 evaluation steps");
  });

  it("rejects a --max-steps that is not a number", async () => {
    const r = await run(["run", "--max-steps", "lots", "a.cdz"], { "a.cdz": "1\n" });
    expect(r.code).toBe(2);
    expect(r.err).toContain("--max-steps expects a whole number of steps, got lots");
  });
});

describe("cadenza eval and program output", () => {
  it("keeps stdout the transcript and sends printed text to stderr", async () => {
    expect(await run(["eval", "hello.cdz"], { "hello.cdz": hello })).toEqual({
      code: 0,
      out: "() : Unit\n() : Unit\n() : Unit\n2 : Integer\n",
      err: "hello, ada\nno line break",
    });
  });

  it("prints only diagnostics when there is one (LANGUAGE.md §9)", async () => {
    const r = await run(["eval", "a.cdz"], { "a.cdz": 'println "hi"\n1 + "a"\n' });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err.startsWith("error: type mismatch")).toBe(true);
  });

  it("accepts --max-steps too", async () => {
    const r = await run(["eval", "--max-steps", "50", "a.cdz"], {
      "a.cdz": "fn f n = if n == 0 then 0 else f (n - 1)\nf 1000\n",
    });
    expect(r.code).toBe(1);
    expect(r.err).toContain("evaluation step budget exhausted");
  });
});
