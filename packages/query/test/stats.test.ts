import { describe, expect, it } from "vitest";
import { createDatabase, defineInput, defineQuery } from "../src/index.ts";

describe("stats", () => {
  it("count executions, hits, verifications and cut-offs per query, and reset", () => {
    // Pull only, so that `top` is deep-verified (propagation stops at `half`'s cut-off).
    const db = createDatabase({ propagation: false });
    const n = defineInput<null, number>(db, "n");
    const half = defineQuery(db, "half", (ctx) => Math.floor(ctx.get(n, null) / 2));
    const top = defineQuery(db, "top", (ctx) => ctx.get(half, null) + ctx.get(half, null));
    n.set(null, 2);
    db.get(top, null);
    db.get(top, null);
    expect(db.stats(top)).toMatchObject({ executions: 1, hits: 1, verifications: 0, cutoffs: 0 });
    expect(db.stats(half)).toMatchObject({ executions: 1, hits: 1 });
    n.set(null, 3);
    db.get(top, null);
    expect(db.stats(top)).toMatchObject({ executions: 1, hits: 2, verifications: 1 });
    expect(db.stats(half)).toMatchObject({ executions: 2, cutoffs: 1 });
    db.resetStats();
    expect(db.stats(top)).toEqual({
      executions: 0,
      hits: 0,
      verifications: 0,
      cutoffs: 0,
      evictions: 0,
      cancellations: 0,
      cycles: 0,
      totalTime: 0,
      selfTime: 0,
    });
    // Stats are snapshots.
    const snapshot = db.stats("half");
    db.get(half, null);
    expect(snapshot.hits).toBe(0);
  });

  it("charge time to the query running, inclusively and exclusively, with an injected clock", () => {
    let now = 0;
    const db = createDatabase({ clock: () => now });
    const leaf = defineQuery(db, "leaf", () => {
      now += 5;
      return 1;
    });
    const root = defineQuery(db, "root", (ctx) => {
      now += 1;
      const v = ctx.get(leaf, null);
      now += 2;
      return v;
    });
    db.get(root, null);
    expect(db.stats(leaf)).toMatchObject({ totalTime: 5, selfTime: 5 });
    expect(db.stats(root)).toMatchObject({ totalTime: 8, selfTime: 3 });
  });

  it("do not charge a fiber's suspended time", () => {
    let now = 0;
    const db = createDatabase({ clock: () => now });
    const slow = defineQuery(db, "slow", function* () {
      now += 1;
      yield;
      now += 1;
      return 0;
    });
    const fiber = db.run(slow, null);
    fiber.poll({ yields: 1 });
    now += 1000; // the host does something else
    fiber.poll();
    expect(db.stats(slow).totalTime).toBe(2);
  });

  it("report each execution with its query and key to onExecute, and nothing else", () => {
    const seen: [string, unknown][] = [];
    const db = createDatabase({ onExecute: (query, key) => seen.push([query, key]) });
    const n = defineInput<string, number>(db, "n");
    const double = defineQuery(db, "double", (ctx, k: string) => ctx.get(n, k) * 2);
    const sum = defineQuery(db, "sum", (ctx, ks: readonly string[]) =>
      ks.reduce((s, k) => s + ctx.get(double, k), 0),
    );
    n.set("a", 1);
    n.set("b", 2);
    expect(db.get(sum, ["a", "b"])).toBe(6);
    expect(seen).toEqual([
      ["sum", ["a", "b"]],
      ["double", "a"],
      ["double", "b"],
    ]);
    seen.length = 0;
    db.get(sum, ["a", "b"]); // a hit
    n.set("b", 3);
    expect(db.get(sum, ["a", "b"])).toBe(8);
    // Verification is not execution: `double a` is verified, not run.
    expect(seen).toEqual([
      ["double", "b"],
      ["sum", ["a", "b"]],
    ]);
    expect(db.stats(double).executions).toBe(3);
  });
});
