import { describe, expect, it } from "vitest";
import { createDatabase, defineInput, defineQuery } from "../src/index.ts";

describe("memory bound", () => {
  it("keeps at most `capacity` values and as many tombstones per query", () => {
    const db = createDatabase();
    const n = defineInput<number, number>(db, "n");
    const double = defineQuery(db, "double", (ctx, k: number) => ctx.get(n, k) * 2, {
      capacity: 2,
    });
    for (let k = 0; k < 6; k++) n.set(k, k);
    for (let k = 0; k < 6; k++) expect(db.get(double, k)).toBe(2 * k);
    expect(db.cacheInfo(double)).toEqual({ values: 2, tombstones: 2, capacity: 2 });
    expect(db.stats(double).evictions).toBe(4);
    // The most recently used survive.
    expect(db.get(double, 5)).toBe(10);
    expect(db.get(double, 4)).toBe(8);
    expect(db.stats(double).executions).toBe(6);
    // Inputs are never evicted.
    for (let k = 0; k < 6; k++) expect(n.get(k)).toBe(k);
  });

  it("uses recency: a value read often stays", () => {
    const db = createDatabase();
    const q = defineQuery(db, "q", (_ctx, k: number) => k, { capacity: 2 });
    db.get(q, 0);
    for (let k = 1; k < 10; k++) {
      db.get(q, k);
      db.get(q, 0);
    }
    expect(db.stats(q).executions).toBe(10);
    expect(db.stats(q).hits).toBe(9);
  });

  it("the database capacity is the default of its queries", () => {
    const db = createDatabase({ capacity: 3 });
    const q = defineQuery(db, "q", (_ctx, k: number) => k);
    const r = defineQuery(db, "r", (_ctx, k: number) => k, { capacity: Number.POSITIVE_INFINITY });
    for (let k = 0; k < 10; k++) {
      db.get(q, k);
      db.get(r, k);
    }
    expect(db.cacheInfo(q).values).toBe(3);
    expect(db.cacheInfo(r).values).toBe(10);
  });

  it("an evicted memo is recomputed on demand", () => {
    const db = createDatabase();
    let runs = 0;
    const q = defineQuery(
      db,
      "q",
      (_ctx, k: number) => {
        runs++;
        return { k };
      },
      { capacity: 1 },
    );
    expect(db.get(q, 1)).toEqual({ k: 1 });
    expect(db.get(q, 2)).toEqual({ k: 2 });
    expect(db.get(q, 1)).toEqual({ k: 1 });
    expect(runs).toBe(3);
  });

  it("dependents of an evicted memo verify through its tombstone without rerunning", () => {
    const db = createDatabase();
    const n = defineInput<number, number>(db, "n");
    const unrelated = defineInput<null, number>(db, "unrelated");
    const mid = defineQuery(db, "mid", (ctx, k: number) => ctx.get(n, k) + 1, { capacity: 1 });
    const top = defineQuery(db, "top", (ctx, k: number) => ctx.get(mid, k) * 10);
    n.set(0, 0);
    n.set(1, 1);
    unrelated.set(null, 0);
    expect(db.get(top, 0)).toBe(10);
    expect(db.get(top, 1)).toBe(20); // evicts mid(0)'s value
    expect(db.cacheInfo(mid)).toMatchObject({ values: 1, tombstones: 1 });
    unrelated.set(null, 1);
    expect(db.get(top, 0)).toBe(10);
    expect(db.stats(top).executions).toBe(2);
    expect(db.stats(mid).executions).toBe(2); // the tombstone was verified, not rerun
  });

  it("an evicted memo whose inputs changed reruns; its dependents rerun and cut off in turn", () => {
    const db = createDatabase();
    const n = defineInput<number, number>(db, "n");
    const mid = defineQuery(db, "mid", (ctx, k: number) => ctx.get(n, k) % 2, { capacity: 1 });
    const top = defineQuery(db, "top", (ctx, k: number) => ctx.get(mid, k) * 10);
    const above = defineQuery(db, "above", (ctx, k: number) => `${ctx.get(top, k)}!`);
    n.set(0, 1);
    n.set(1, 1);
    expect(db.get(above, 0)).toBe("10!");
    db.get(mid, 1); // evicts mid(0)
    n.set(0, 3); // mid(0) recomputes 1 but has no old value to compare with
    expect(db.get(above, 0)).toBe("10!");
    expect(db.stats(top).executions).toBe(2); // could not be cut off at mid…
    expect(db.stats(top).cutoffs).toBe(1); // …so it was cut off at top
    expect(db.stats(above).executions).toBe(1);
  });

  it("a recomputed tombstone keeps its change stamp for dependents verified long ago", () => {
    const db = createDatabase();
    const x = defineInput<null, number>(db, "x");
    const y = defineInput<null, number>(db, "y");
    const q = defineQuery(db, "q", (ctx, k: number) => ctx.get(x, null) + k, { capacity: 1 });
    const p = defineQuery(db, "p", (ctx) => ctx.get(q, 0) * 2);
    x.set(null, 1);
    y.set(null, 1);
    expect(db.get(p, null)).toBe(2); // p verified here
    x.set(null, 5);
    expect(db.get(q, 0)).toBe(5); // q(0) changes; p is not looked at
    db.get(q, 1); // evicts q(0)
    y.set(null, 2);
    expect(db.get(q, 0)).toBe(5); // verified tombstone, recomputed
    expect(db.get(p, null)).toBe(10); // p must still see that q(0) changed after it
  });

  it("dropped memos make their dependents rerun safely", () => {
    const db = createDatabase();
    const n = defineInput<number, number>(db, "n");
    const leaf = defineQuery(db, "leaf", (ctx, k: number) => ctx.get(n, k), { capacity: 1 });
    const sum = defineQuery(db, "sum", (ctx, k: number) => ctx.get(leaf, k) + ctx.get(leaf, k + 1));
    for (let k = 0; k < 5; k++) n.set(k, k);
    expect(db.get(sum, 0)).toBe(1);
    for (let k = 2; k < 5; k++) db.get(leaf, k); // leaf(0) and leaf(1) are dropped entirely
    expect(db.cacheInfo(leaf)).toMatchObject({ values: 1, tombstones: 1 });
    expect(db.get(sum, 0)).toBe(1);
    n.set(1, 10);
    expect(db.get(sum, 0)).toBe(10);
  });

  it("bounded queries inside deep recursion keep cycle detection sound", () => {
    const db = createDatabase();
    const fib = defineQuery(
      db,
      "fib",
      (ctx, k: number): number => (k < 2 ? k : ctx.get(fib, k - 1) + ctx.get(fib, k - 2)),
      { capacity: 2 },
    );
    expect(db.get(fib, 30)).toBe(832040);
    expect(db.cacheInfo(fib).values).toBe(2);
  });
});
