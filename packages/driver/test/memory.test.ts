import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { createCompiler } from "../src/index.js";

// A full collection on demand (the flag is set for this process; `gc` comes from a context
// made after it).
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

describe("an editing session keeps no earlier versions alive", () => {
  it("drops the source, parse, evaluation and edited items of versions edited since", async () => {
    const c = createCompiler();
    const text = (k: number): string => {
      const lines = ["fn f0 x = x + 1"];
      for (let i = 1; i < 50; i++) lines.push(`fn f${i} x = f${i - 1} x + ${i === 25 ? k : i}`);
      return `${lines.join("\n")}\nf49 1\n`;
    };
    c.setFile("m.cdz", text(1000));
    expect(c.diagnostics("m.cdz")).toEqual([]);
    // The first version's objects, and the item the next edits change.
    const first = {
      source: new WeakRef(c.source("m.cdz")),
      parse: new WeakRef(c.parse("m.cdz")),
      evaluation: new WeakRef(c.evaluation("m.cdz")),
      item: new WeakRef(c.parse("m.cdz").itemVector.get(25)!),
    };
    // Body edits (every phase takes the previous version over), each text new.
    for (let k = 1001; k < 1010; k++) {
      c.setFile("m.cdz", text(k));
      expect(c.diagnostics("m.cdz")).toEqual([]);
    }
    // (A WeakRef keeps its target alive until the end of the job that made or read it.)
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(first.source.deref()).toBeUndefined();
    expect(first.parse.deref()).toBeUndefined();
    expect(first.evaluation.deref()).toBeUndefined();
    expect(first.item.deref()).toBeUndefined();
  });
});
