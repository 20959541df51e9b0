import { describe, expect, it } from "vitest";
import { createDatabase, defineInput, defineQuery, type FiberYield } from "../src/index.ts";

/**
 * A generator query summing `part(i)` for i < count, yielding after each part, over a
 * sync query `part` reading input `cell`.
 */
function summing() {
  const db = createDatabase();
  const cell = defineInput<number, number>(db, "cell");
  const unrelated = defineInput<null, number>(db, "unrelated");
  const log: string[] = [];
  const part = defineQuery(db, "part", (ctx, i: number) => ctx.get(cell, i) * 10);
  const sum = defineQuery(db, "sum", function* (ctx, count: number) {
    let total = 0;
    try {
      for (let i = 0; i < count; i++) {
        total += yield* ctx.fetch(part, i);
        yield { done: i + 1, total: count };
      }
      return total;
    } finally {
      log.push(`sum(${count}) finally`);
    }
  });
  for (let i = 0; i < 5; i++) cell.set(i, i);
  unrelated.set(null, 0);
  return { db, cell, unrelated, part, sum, log };
}

const values = (ys: readonly FiberYield[]) => ys.map((y) => y.value);

describe("fibers", () => {
  it("run a generator query with a budget of pauses", () => {
    const { db, sum } = summing();
    const fiber = db.run(sum, 3);
    expect(fiber.outcome).toBeUndefined();
    const first = fiber.poll({ yields: 2 });
    expect(first.kind).toBe("pending");
    expect(values(first.yields)).toEqual([
      { done: 1, total: 3 },
      { done: 2, total: 3 },
    ]);
    expect(first.yields[0]).toMatchObject({ kind: "yield", query: "sum", key: 3 });
    const rest = fiber.poll();
    expect(rest).toEqual({
      kind: "finished",
      yields: [{ kind: "yield", query: "sum", key: 3, value: { done: 3, total: 3 } }],
      outcome: { kind: "ok", value: 30 },
    });
    expect(fiber.outcome).toEqual({ kind: "ok", value: 30 });
    // The result is memoised like any other.
    expect(db.get(sum, 3)).toBe(30);
    expect(db.stats("sum").executions).toBe(1);
  });

  it("are iterators whose return value is the outcome", () => {
    const { db, sum } = summing();
    const fiber = db.run(sum, 2);
    const seen: unknown[] = [];
    for (const pause of fiber) seen.push(pause.value);
    expect(seen).toHaveLength(2);
    expect(fiber.next()).toEqual({ done: true, value: { kind: "ok", value: 10 } });
  });

  it("can stop on a condition, such as a deadline", () => {
    const { db, sum } = summing();
    let calls = 0;
    const fiber = db.run(sum, 4);
    const r = fiber.poll({ shouldStop: () => ++calls >= 3 });
    expect(r.kind).toBe("pending");
    expect(r.yields).toHaveLength(3);
  });

  it("pass on the pauses of generator sub-queries read with ctx.fetch", () => {
    const db = createDatabase();
    const inner = defineQuery(db, "inner", function* (_ctx, k: number) {
      yield `inner ${k} a`;
      yield `inner ${k} b`;
      return k;
    });
    const outer = defineQuery(db, "outer", function* (ctx, k: number) {
      yield "outer start";
      const a = yield* ctx.fetch(inner, k);
      const b = ctx.get(inner, k + 1); // sync read: runs to completion, pauses swallowed
      return a + b;
    });
    const end = db.run(outer, 1).poll();
    expect(end.yields.map((y) => `${y.query}: ${y.value}`)).toEqual([
      "outer: outer start",
      "inner: inner 1 a",
      "inner: inner 1 b",
    ]);
    expect(end.kind === "finished" && end.outcome).toEqual({ kind: "ok", value: 3 });
  });

  it("are cancelled at a yield point when an input they read changes", () => {
    const { db, cell, sum, log } = summing();
    const fiber = db.run(sum, 4);
    expect(fiber.poll({ yields: 2 }).kind).toBe("pending"); // read cells 0 and 1
    cell.set(1, 100);
    const end = fiber.poll();
    expect(end).toEqual({
      kind: "finished",
      yields: [],
      outcome: { kind: "cancelled", reason: "input-changed" },
    });
    expect(log).toEqual(["sum(4) finally"]); // the generator was closed
    expect(db.stats("sum").cancellations).toBe(1);
    // Nothing was memoised for the cancelled query; its completed sub-queries were.
    expect(db.cacheInfo("sum").values).toBe(0);
    expect(db.cacheInfo("part").values).toBe(2);
    expect(db.get(sum, 4)).toBe(10 * (0 + 100 + 2 + 3));
    expect(db.stats("part").executions).toBe(5); // part(0) reused, part(1) redone, 2 and 3 new
  });

  it("carry on when the inputs that changed were not read", () => {
    const { db, cell, unrelated, sum } = summing();
    const fiber = db.run(sum, 4);
    fiber.poll({ yields: 2 });
    unrelated.set(null, 1);
    cell.set(3, 7); // not read yet: the fiber will see the new value
    const end = fiber.poll();
    expect(end.kind === "finished" && end.outcome).toEqual({
      kind: "ok",
      value: 10 * (0 + 1 + 2 + 7),
    });
    expect(db.get(sum, 4)).toBe(100);
    expect(db.stats("sum").executions).toBe(1);
  });

  it("carry on when a change is cut off before reaching what they read", () => {
    const { db, cell, sum } = summing();
    const fiber = db.run(sum, 3);
    fiber.poll({ yields: 1 });
    cell.set(0, 0); // same value: not even a new revision
    expect(db.revision).toBe(7);
    const end = fiber.poll();
    expect(end.kind === "finished" && end.outcome).toEqual({ kind: "ok", value: 30 });
  });

  it("revalidate through queries: a changed input whose effect is cut off does not cancel", () => {
    const db = createDatabase();
    const n = defineInput<null, number>(db, "n");
    const parity = defineQuery(db, "parity", (ctx) => ctx.get(n, null) % 2);
    const slow = defineQuery(db, "slow", function* (ctx) {
      const p = yield* ctx.fetch(parity, null);
      yield;
      yield;
      return p === 0 ? "even" : "odd";
    });
    n.set(null, 1);
    const fiber = db.run(slow, null);
    fiber.poll({ yields: 1 });
    n.set(null, 3);
    fiber.poll({ yields: 1 });
    expect(fiber.outcome).toBeUndefined();
    n.set(null, 4);
    expect(fiber.poll()).toMatchObject({ outcome: { kind: "cancelled", reason: "input-changed" } });
    expect(db.get(slow, null)).toBe("even");
  });

  it("with cancelOn any-change, stop on any edit", () => {
    const { db, unrelated, sum } = summing();
    const fiber = db.run(sum, 4, { cancelOn: "any-change" });
    fiber.poll({ yields: 1 });
    unrelated.set(null, 5);
    expect(fiber.poll()).toMatchObject({ outcome: { kind: "cancelled", reason: "input-changed" } });
  });

  it("can be cancelled by the host, closing every generator on the stack", () => {
    const db = createDatabase();
    const log: string[] = [];
    const inner = defineQuery(db, "inner", function* () {
      try {
        yield "inner";
        return 1;
      } finally {
        log.push("inner finally");
      }
    });
    const outer = defineQuery(db, "outer", function* (ctx) {
      try {
        return yield* ctx.fetch(inner, null);
      } finally {
        log.push("outer finally");
      }
    });
    const fiber = db.run(outer, null);
    expect(fiber.poll({ yields: 1 }).yields).toHaveLength(1);
    expect(fiber.cancel()).toEqual({ kind: "cancelled", reason: "requested" });
    expect(log).toEqual(["inner finally", "outer finally"]);
    expect(fiber.poll()).toEqual({
      kind: "finished",
      yields: [],
      outcome: { kind: "cancelled", reason: "requested" },
    });
    expect(db.stats("inner").cancellations).toBe(1);
    expect(db.stats("outer").cancellations).toBe(1);
    // A cancelled fiber left the database clean: the same query runs normally.
    expect(db.get(outer, null)).toBe(1);
    // A fiber cancelled before it started never ran.
    const unstarted = db.run(outer, null);
    expect(unstarted.cancel()).toEqual({ kind: "cancelled", reason: "requested" });
  });

  it("report errors as outcomes", () => {
    const db = createDatabase();
    const bad = defineQuery(db, "bad", function* () {
      yield;
      throw new Error("boom");
    });
    const end = db.run(bad, null).poll();
    expect(end.kind === "finished" && end.outcome.kind).toBe("error");
    expect(
      end.kind === "finished" &&
        end.outcome.kind === "error" &&
        (end.outcome.error as Error).message,
    ).toBe("boom");
    expect(db.cacheInfo(bad).values).toBe(0);
  });

  it("generator queries also run synchronously with db.get", () => {
    const { db, sum } = summing();
    expect(db.get(sum, 5)).toBe(100);
  });

  it("interleave with each other and with synchronous reads", () => {
    const { db, cell, sum, part } = summing();
    const f1 = db.run(sum, 4);
    const f2 = db.run(sum, 4);
    f1.poll({ yields: 1 });
    f2.poll({ yields: 3 });
    expect(db.get(part, 3)).toBe(30);
    cell.set(4, 40); // read by neither
    f1.poll({ yields: 1 });
    expect(f2.poll()).toMatchObject({ outcome: { kind: "ok", value: 60 } });
    expect(f1.poll()).toMatchObject({ outcome: { kind: "ok", value: 60 } });
    expect(db.get(sum, 4)).toBe(60);
    expect(db.get(sum, 5)).toBe(60 + 400);
  });

  it("an abandoned fiber does not disturb later computations", () => {
    const { db, cell, sum } = summing();
    db.run(sum, 4).poll({ yields: 2 }); // never resumed
    cell.set(0, 9);
    expect(db.get(sum, 4)).toBe(10 * (9 + 1 + 2 + 3));
  });

  it("cancel a suspended verification whose earlier dependencies changed", () => {
    // `top` reads `a` then the generator query `slow`. After an edit, verifying `top` finds
    // `a` unchanged and re-executes `slow`, which pauses; `a` then changes under it.
    const db = createDatabase();
    const a = defineInput<null, number>(db, "a");
    const b = defineInput<null, number>(db, "b");
    const slow = defineQuery(db, "slow", function* (ctx) {
      const v = yield* ctx.fetch(b, null);
      yield "slow";
      return v % 2;
    });
    const top = defineQuery(db, "top", function* (ctx) {
      const x = yield* ctx.fetch(a, null);
      const y = yield* ctx.fetch(slow, null);
      return x * 10 + y;
    });
    a.set(null, 1);
    b.set(null, 1);
    expect(db.get(top, null)).toBe(11);
    b.set(null, 3); // slow recomputes an equal value
    const fiber = db.run(top, null);
    expect(values(fiber.poll({ yields: 1 }).yields)).toEqual(["slow"]);
    a.set(null, 2);
    const end = fiber.poll();
    if (end.kind === "finished" && end.outcome.kind === "ok") expect(end.outcome.value).toBe(21);
    else expect(end).toMatchObject({ outcome: { kind: "cancelled", reason: "input-changed" } });
    expect(db.get(top, null)).toBe(21);
  });

  it("revalidation does not mistake a query suspended above for a cycle", () => {
    // `top` read `mid`, which read `sub(0)`; `sub(0)`'s value was evicted, so when `top`
    // reads it again it reruns and pauses. An edit makes revalidation rerun `mid`, which
    // reads `sub(0)`: that is not a cycle, even though `sub(0)` is suspended on the stack.
    const db = createDatabase();
    const x = defineInput<null, number>(db, "x");
    const y = defineInput<null, number>(db, "y");
    const sub = defineQuery(
      db,
      "sub",
      function* (ctx, k: number) {
        yield `sub ${k}`;
        return (yield* ctx.fetch(x, null)) + k;
      },
      { capacity: 1 },
    );
    const mid = defineQuery(
      db,
      "mid",
      (ctx) => ctx.get(sub, 0) + ctx.get(sub, 1) + (ctx.get(y, null) > 100 ? 1 : 0),
    );
    const top = defineQuery(db, "top", function* (ctx) {
      const m = yield* ctx.fetch(mid, null);
      const s = yield* ctx.fetch(sub, 0);
      return m * 100 + s;
    });
    x.set(null, 1);
    y.set(null, 1);
    const fiber = db.run(top, null);
    expect(values(fiber.poll({ yields: 1 }).yields)).toEqual(["sub 0"]);
    y.set(null, 2); // mid reruns during revalidation and computes the same value
    expect(fiber.poll()).toMatchObject({ outcome: { kind: "ok", value: 301 } });
    expect(db.result(mid, null)).toEqual({ kind: "ok", value: 3 });
    expect(db.stats(mid).cycles + db.stats(sub).cycles).toBe(0);
  });

  it("a fiber cannot be driven from inside a query", () => {
    const { db, sum } = summing();
    const fiber = db.run(sum, 2);
    const meddler = defineQuery(db, "meddler", () => fiber.poll());
    expect(() => db.get(meddler, null)).toThrow(/while a query is running/);
  });
});
