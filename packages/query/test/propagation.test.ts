import { describe, expect, it } from "vitest";
import {
  CycleError,
  createDatabase,
  type Database,
  defineInput,
  defineQuery,
  type Query,
} from "../src/index.ts";
import { catchingQueries } from "./catching.ts";

/** Verifications and executions of every query of `db`, summed. */
function work(db: Database, queries: readonly string[]): number {
  let total = 0;
  for (const q of queries) {
    const s = db.stats(q);
    total += s.verifications + s.executions;
  }
  return total;
}

describe("propagation costs what changed", () => {
  const N = 10_000;

  function wide(propagation: boolean) {
    const executed = new Map<string, number>();
    const db = createDatabase({
      propagation,
      onExecute: (query, key) => {
        const id = `${query}(${String(key)})`;
        executed.set(id, (executed.get(id) ?? 0) + 1);
      },
    });
    const value = defineInput<number, number>(db, "value");
    // Each leaf collapses its input to a sign, so most edits are cut off right there.
    const leaf = defineQuery(db, "leaf", (ctx, i: number) => Math.sign(ctx.get(value, i)));
    const root = defineQuery(db, "root", (ctx, n: number) => {
      let positive = 0;
      for (let i = 0; i < n; i++) if (ctx.get(leaf, i) > 0) positive++;
      return positive;
    });
    for (let i = 0; i < N; i++) value.set(i, 1);
    expect(db.get(root, N)).toBe(N);
    db.resetStats();
    executed.clear();
    return { db, value, root, executed };
  }

  it("a cut-off leaf costs O(1): the root is neither re-executed nor walked", () => {
    const { db, value, root, executed } = wide(true);
    value.set(4321, 7); // still positive
    expect(db.get(root, N)).toBe(N);
    expect(db.stats("root").executions).toBe(0);
    expect(db.stats("root").verifications).toBe(0);
    expect(db.stats("leaf").cutoffs).toBe(1);
    expect([...executed.keys()]).toEqual(["leaf(4321)"]);
    expect(work(db, ["root", "leaf"])).toBeLessThan(20);
    // Nothing changed since: reading again is a hit.
    expect(db.get(root, N)).toBe(N);
    expect(work(db, ["root", "leaf"])).toBeLessThan(20);
  });

  it("a changed leaf reruns the root once and leaves the other leaves alone", () => {
    const { db, value, root, executed } = wide(true);
    value.set(4321, -1);
    expect(db.get(root, N)).toBe(N - 1);
    expect(db.stats("root").executions).toBe(1);
    expect(db.stats("leaf").executions).toBe(1);
    // Only the changed leaf's dependencies were checked; no other leaf was verified.
    expect(db.stats("leaf").verifications).toBe(1);
    expect([...executed.keys()].sort()).toEqual(["leaf(4321)", `root(${N})`]);
  });

  it("without propagation the same edit walks every leaf (the cost it removes)", () => {
    const { db, value, root } = wide(false);
    value.set(4321, 7);
    expect(db.get(root, N)).toBe(N);
    expect(db.stats("root").executions).toBe(0);
    expect(db.stats("root").verifications).toBe(1);
    // Each leaf is reached from the root and verified one by one.
    expect(db.stats("leaf").verifications).toBeGreaterThanOrEqual(N - 1);
  });

  it("several edits between reads are propagated together", () => {
    const { db, value, root, executed } = wide(true);
    value.set(1, 5);
    value.set(2, -5);
    value.set(3, 9);
    value.set(2, 4); // back to positive: leaf(2) ends equal
    expect(db.get(root, N)).toBe(N);
    expect(db.stats("root").executions).toBe(0);
    expect([...executed.keys()].sort()).toEqual(["leaf(1)", "leaf(2)", "leaf(3)"]);
  });
});

describe("propagation and the pull algorithm together", () => {
  it("a query re-executed in propagation that newly reads a dirty slot not yet popped gets its new value", () => {
    const db = createDatabase();
    const flag = defineInput<null, boolean>(db, "flag");
    const c = defineInput<null, number>(db, "c");
    // A chain three high over `c`.
    const h1 = defineQuery(db, "h1", (ctx) => ctx.get(c, null) + 1);
    const h2 = defineQuery(db, "h2", (ctx) => ctx.get(h1, null) * 2);
    const h3 = defineQuery(db, "h3", (ctx) => ctx.get(h2, null) + 100);
    // Low in the graph until the flag makes it read the top of the chain.
    const top = defineQuery(db, "top", (ctx) => (ctx.get(flag, null) ? ctx.get(h3, null) : -1));
    flag.set(null, false);
    c.set(null, 1);
    expect(db.get(top, null)).toBe(-1);
    expect(db.get(h3, null)).toBe(104);
    // Both change: `top` (height 1) is popped before h2 and h3, which are dirty.
    flag.set(null, true);
    c.set(null, 2);
    expect(db.get(top, null)).toBe(106);
    expect(db.get(h3, null)).toBe(106);
    expect(db.stats("h1").executions).toBe(2);
    expect(db.stats("h2").executions).toBe(2);
    expect(db.stats("h3").executions).toBe(2);
    expect(db.stats("top").executions).toBe(2);
    // `top` now sits above h3 and follows it.
    c.set(null, 3);
    expect(db.get(top, null)).toBe(108);
  });

  it("a dependency that is pending when read is pulled, not taken as final", () => {
    const db = createDatabase();
    const a = defineInput<null, number>(db, "a");
    const b = defineInput<null, number>(db, "b");
    const low = defineQuery(db, "low", (ctx) => ctx.get(a, null) * 10);
    const mid = defineQuery(db, "mid", (ctx) => ctx.get(low, null) + 1);
    // `pick` reads `b` first; it reads `mid` only when `b` is odd.
    const pick = defineQuery(db, "pick", (ctx) =>
      ctx.get(b, null) % 2 === 1 ? ctx.get(mid, null) : 0,
    );
    a.set(null, 1);
    b.set(null, 0);
    expect(db.get(pick, null)).toBe(0);
    expect(db.get(mid, null)).toBe(11);
    a.set(null, 2);
    b.set(null, 1);
    expect(db.get(pick, null)).toBe(21);
  });

  it("changes made by a fiber between propagations still reach the dependents", () => {
    const db = createDatabase();
    const x = defineInput<null, number>(db, "x");
    const inner = defineQuery(db, "inner", (ctx) => ctx.get(x, null) * 2);
    const outer = defineQuery(db, "outer", (ctx) => ctx.get(inner, null) + 1);
    const gen = defineQuery(db, "gen", function* (ctx) {
      yield;
      return yield* ctx.fetch(inner, null);
    });
    x.set(null, 1);
    expect(db.get(outer, null)).toBe(3);
    x.set(null, 2);
    // A fiber brings `inner` up to date (changedAt = this revision) without propagating.
    const fiber = db.run(gen, null);
    const end = fiber.poll();
    expect(end.kind === "finished" && end.outcome).toEqual({ kind: "ok", value: 4 });
    // An unrelated edit, then a read: `outer` must see the change made under the fiber.
    const y = defineInput<null, number>(db, "y");
    y.set(null, 1);
    expect(db.get(outer, null)).toBe(5);
  });

  it("dependencies that change direction over time do not fool the height order", () => {
    const db = createDatabase();
    const sel = defineInput<null, boolean>(db, "sel");
    const x = defineInput<null, number>(db, "x");
    const y = defineInput<null, number>(db, "y");
    const z = defineInput<null, number>(db, "z");
    const c1 = defineQuery(db, "c1", (ctx) => ctx.get(x, null) * 10);
    const a: Query<null, number> = defineQuery(db, "a", (ctx) =>
      ctx.get(sel, null) ? ctx.get(b, null) + 1 : ctx.get(c1, null) + 1,
    );
    const b: Query<null, number> = defineQuery(db, "b", (ctx) =>
      ctx.get(sel, null) ? ctx.get(y, null) : ctx.get(a, null) + 100,
    );
    const t = defineQuery(db, "t", (ctx) => ctx.get(b, null) + ctx.get(z, null) * 1000);
    sel.set(null, true);
    x.set(null, 1);
    y.set(null, 1);
    z.set(null, 0);
    expect(db.get(a, null)).toBe(2);
    expect(db.get(t, null)).toBe(1);
    // `b` now reads `a`, which used to read `b`.
    sel.set(null, false);
    expect(db.get(a, null)).toBe(11);
    expect(db.get(b, null)).toBe(111);
    expect(db.get(t, null)).toBe(111);
    x.set(null, 2);
    z.set(null, 1);
    expect(db.get(t, null)).toBe(1121);
    expect(db.get(b, null)).toBe(121);
  });
});

describe("cycles and errors under propagation", () => {
  it("cycles are reported as before, and go away when an input breaks them", () => {
    for (const propagation of [true, false]) {
      const db = createDatabase({ propagation });
      const loop = defineInput<null, boolean>(db, "loop");
      const a: Query<number, number> = defineQuery(db, "a", (ctx, k: number) =>
        ctx.get(loop, null) ? ctx.get(b, k) + 1 : 0,
      );
      const b: Query<number, number> = defineQuery(db, "b", (ctx, k: number) => ctx.get(a, k) + 1);
      const top = defineQuery(db, "top", (ctx, k: number) => ctx.get(b, k) * 10);
      loop.set(null, false);
      expect(db.get(top, 1)).toBe(10);
      loop.set(null, true);
      expect(() => db.get(top, 1)).toThrow(CycleError);
      const r = db.result(a, 1);
      expect(r.kind === "cycle" && r.cycle.participants.map((p) => p.query)).toEqual(["a", "b"]);
      loop.set(null, false);
      expect(db.get(top, 1)).toBe(10);
      expect(db.get(a, 1)).toBe(0);
    }
  });

  it("readers of cycle participants wait for the cycle to be settled", () => {
    // `a` and `b` form a cycle while x and y are odd; `u` reads `b` and sits at the height of
    // `a` once the cycle has been stored, so a height order alone would take `b` as final.
    const results: number[][] = [];
    for (const propagation of [true, false]) {
      const db = createDatabase({ propagation });
      const x = defineInput<null, number>(db, "x");
      const y = defineInput<null, number>(db, "y");
      const z = defineInput<null, number>(db, "z");
      const a: Query<null, number> = defineQuery(db, "a", (ctx) =>
        ctx.get(x, null) % 2 === 1 ? ctx.get(b, null) + 1 : 0,
      );
      const b: Query<null, number> = defineQuery(db, "b", (ctx) =>
        ctx.get(y, null) % 2 === 1 ? ctx.get(a, null) + 1 : 10,
      );
      const u = defineQuery(db, "u", (ctx) => {
        const r = ctx.result(b, null);
        return (r.kind === "ok" ? r.value : -1) + ctx.get(z, null) * 100;
      });
      const seen: number[] = [];
      x.set(null, 1);
      y.set(null, 1);
      z.set(null, 0);
      seen.push(db.get(u, null));
      z.set(null, 1);
      x.set(null, 0); // breaks the cycle: b = a + 1 = 1
      seen.push(db.get(u, null));
      z.set(null, 5);
      x.set(null, 1); // the cycle again
      seen.push(db.get(u, null));
      results.push(seen);
    }
    expect(results[0]).toEqual([-1, 101, 499]);
    expect(results[1]).toEqual(results[0]);
  });

  it("an error thrown during propagation surfaces from db.get as without propagation", () => {
    const seen: string[][] = [];
    for (const propagation of [true, false]) {
      const log: string[] = [];
      const db = createDatabase({ propagation });
      const n = defineInput<number, number>(db, "n");
      const checked = defineQuery(db, "checked", (ctx, k: number) => {
        const v = ctx.get(n, k);
        if (v < 0) throw new RangeError(`negative ${k}`);
        return v;
      });
      const sum = defineQuery(db, "sum", (ctx) => ctx.get(checked, 0) + ctx.get(checked, 1));
      const other = defineQuery(db, "other", (ctx) => ctx.get(n, 2) * 2);
      const attempt = (f: () => unknown) => {
        try {
          log.push(`ok ${String(f())}`);
        } catch (e) {
          log.push(`${(e as Error).name}: ${(e as Error).message}`);
        }
      };
      n.set(0, 1);
      n.set(1, 2);
      n.set(2, 3);
      attempt(() => db.get(sum, null));
      attempt(() => db.get(other, null));
      n.set(1, -1);
      n.set(2, 4);
      attempt(() => db.get(other, null));
      attempt(() => db.get(sum, null));
      attempt(() => db.get(checked, 1));
      attempt(() => db.get(checked, 0));
      n.set(2, 5);
      attempt(() => db.get(sum, null));
      attempt(() => db.get(other, null));
      n.set(1, 7);
      attempt(() => db.get(sum, null));
      attempt(() => db.get(other, null));
      seen.push(log);
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]).toEqual([
      "ok 3",
      "ok 6",
      "ok 8",
      "RangeError: negative 1",
      "RangeError: negative 1",
      "ok 1",
      "RangeError: negative 1",
      "ok 10",
      "ok 8",
      "ok 10",
    ]);
  });

  it("a query catching an error from a dependency hears when the error goes away", () => {
    const db = createDatabase();
    const { n, safe } = catchingQueries(db);
    const top = defineQuery(db, "top", (ctx) => ctx.get(safe, null) * 2);
    n.set(null, -5);
    expect(db.get(top, null)).toBe(-2);
    n.set(null, -6);
    expect(db.get(top, null)).toBe(-2);
    n.set(null, 4);
    expect(db.get(top, null)).toBe(8);
  });
});
