import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { memoryIO } from "../src/memory-io.js";
import { since, until } from "./watch-helpers.js";

async function run(argv: string[], files: Record<string, string>) {
  const io = memoryIO(files);
  const code = await main(argv, io, { version: "0.0.0" });
  return { code, out: io.out(), err: io.err() };
}

const TWO = {
  "a.cdz": "measure meter\nmeasure second\nfn speed d t = d / t\nspeed 10meter 2second\n",
  "b.cdz": "fn twice x = x * 2\ntwice 21\n",
};

describe("cadenza check through the compiler", () => {
  it("checks several files: diagnostics of each, one summary, exit 1 on errors", async () => {
    const r = await run(["check", "a.cdz", "b.cdz"], {
      "a.cdz": "fn f x = x + 1\n",
      "b.cdz": 'fn g = 1 + "s"\n',
    });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error: type mismatch\n --> b.cdz:1:8");
    expect(r.err.trimEnd().split("\n").at(-1)).toBe("checked 2 files: 1 error");
  });

  it("exits 0 when every file is clean", async () => {
    expect(await run(["check", "a.cdz", "b.cdz"], TWO)).toEqual({
      code: 0,
      out: "",
      err: "checked 2 files: no errors\n",
    });
  });

  it("reports compile-time errors of top-level code once, and a missing file", async () => {
    const r = await run(["check", "a.cdz", "nope.cdz"], {
      "a.cdz": "measure meter\nmeasure second\n1meter + 1second\n",
    });
    expect(r.code).toBe(1);
    // The evaluator and the checker agree on this error: it is reported once.
    expect(r.err.match(/error: incompatible dimensions/g)).toHaveLength(1);
    expect(r.err).toContain("error: cannot read nope.cdz: no such file\n");
    expect(r.err).toContain("checked 1 file: 1 error\n");
  });
});

describe("cadenza check --watch", () => {
  it("re-checks on changes and prints only what changed, and how long it took", async () => {
    const io = memoryIO({ ...TWO });
    const done = main(["check", "--watch", "a.cdz", "b.cdz"], io, { version: "0.0.0" });
    await until(() => io.watching().length === 2);
    expect(io.err()).toBe("checked 2 files: no errors\nwatching 2 files for changes\n");

    // A new error: printed in full, with a summary.
    let mark = io.err().length;
    io.change("b.cdz", 'fn twice x = x * 2\ntwice 21\nfn bad = 1 + "s"\n');
    await until(() => io.err().includes("re-checked"));
    expect(since(io, mark)).toContain("error: ");
    expect(since(io, mark)).toContain(" --> b.cdz:3:");
    expect(since(io, mark).trimEnd().split("\n").at(-1)).toBe(
      "re-checked 2 files in T ms: 1 new, 0 fixed (1 error)",
    );

    // An edit that moves the error without changing it: nothing new, nothing fixed.
    mark = io.err().length;
    io.change("b.cdz", '# a comment\nfn twice x = x * 2\ntwice 21\nfn bad = 1 + "s"\n');
    await until(() => since(io, mark).includes("re-checked"));
    expect(since(io, mark)).toBe("re-checked 2 files in T ms: no change (1 error)\n");

    // The fix: one line.
    mark = io.err().length;
    io.change("b.cdz", "fn twice x = x * 2\ntwice 21\n");
    await until(() => since(io, mark).includes("re-checked"));
    const fixed = since(io, mark);
    expect(fixed).toMatch(/^fixed: b\.cdz:4:10: error: type mismatch\n/);
    expect(fixed.trimEnd().split("\n").at(-1)).toBe(
      "re-checked 2 files in T ms: 0 new, 1 fixed (no errors)",
    );

    // Ctrl-C: the command ends with the status of the last check.
    io.endWatching();
    expect(await done).toBe(0);
    expect(io.watching()).toEqual([]);
    expect(io.out()).toBe("");
  });

  it("ends with exit 1 when the last check failed, and survives a removed file", async () => {
    const io = memoryIO({ ...TWO });
    const done = main(["check", "-w", "a.cdz", "b.cdz"], io, { version: "0.0.0" });
    await until(() => io.watching().length === 2);
    const mark = io.err().length;
    io.change("a.cdz", undefined);
    await until(() => since(io, mark).includes("re-checked"));
    expect(since(io, mark)).toBe(
      "error: cannot read a.cdz: it was removed\nre-checked 2 files in T ms: no change (no errors)\n",
    );
    io.endWatching();
    expect(await done).toBe(1);
  });

  it("re-checks the files that use nothing of the changed one without rerunning them", async () => {
    const io = memoryIO({ ...TWO });
    const done = main(["check", "-w", "-q", "a.cdz", "b.cdz"], io, { version: "0.0.0" });
    await until(() => io.watching().length === 2);
    io.change("a.cdz", "1 + true\n");
    await until(() => io.err().includes("error"));
    io.endWatching();
    expect(await done).toBe(1);
    // --quiet: the diagnostics, but no summaries.
    expect(io.err()).not.toContain("re-checked");
    expect(io.err()).not.toContain("watching");
  });
});
