import { describe, expect, it } from "vitest";
import { createDatabase, defineInput, defineQuery, type Query } from "../src/index.ts";
import { catchingQueries } from "./catching.ts";

/**
 * An input, a query that collapses it to its parity, and a query formatting the parity.
 * Without propagation, so that the counts show the pull algorithm's deep verifications.
 */
function parityChain() {
  const db = createDatabase({ propagation: false });
  const n = defineInput<string, number>(db, "n");
  const parity = defineQuery(db, "parity", (ctx, k: string) => ctx.get(n, k) % 2);
  const label = defineQuery(db, "label", (ctx, k: string) =>
    ctx.get(parity, k) === 0 ? "even" : "odd",
  );
  const shout = defineQuery(db, "shout", (ctx, k: string) => ctx.get(label, k).toUpperCase());
  return { db, n, parity, label, shout };
}

describe("early cut-off", () => {
  it("an intermediate query recomputing an equal value stops propagation", () => {
    const { db, n, shout } = parityChain();
    n.set("x", 1);
    expect(db.get(shout, "x")).toBe("ODD");
    expect(db.stats("parity").executions).toBe(1);
    expect(db.stats("label").executions).toBe(1);
    expect(db.stats("shout").executions).toBe(1);

    n.set("x", 3); // parity is still 1
    expect(db.get(shout, "x")).toBe("ODD");
    expect(db.stats("parity").executions).toBe(2);
    expect(db.stats("parity").cutoffs).toBe(1);
    // Neither dependent reran: they were verified, found unchanged, and answered from memo.
    expect(db.stats("label").executions).toBe(1);
    expect(db.stats("shout").executions).toBe(1);
    expect(db.stats("label").verifications).toBe(1);
    expect(db.stats("shout").verifications).toBe(1);
    expect(db.stats("shout").hits).toBe(1);
  });

  it("a real change propagates, and cut-off applies again further up", () => {
    const db = createDatabase();
    const n = defineInput<number, number>(db, "n");
    const mod = defineQuery(db, "mod", (ctx, k: number) => ctx.get(n, k) % 4);
    const big = defineQuery(db, "big", (ctx, k: number) => ctx.get(mod, k) >= 2);
    const top = defineQuery(db, "top", (ctx, k: number) => (ctx.get(big, k) ? "big" : "small"));
    n.set(0, 0);
    expect(db.get(top, 0)).toBe("small");
    n.set(0, 1); // mod 0 → 1 changes, big stays false
    expect(db.get(top, 0)).toBe("small");
    expect(db.stats("mod").executions).toBe(2);
    expect(db.stats("big").executions).toBe(2);
    expect(db.stats("big").cutoffs).toBe(1);
    expect(db.stats("top").executions).toBe(1);
    n.set(0, 2); // big becomes true
    expect(db.get(top, 0)).toBe("big");
    expect(db.stats("top").executions).toBe(2);
  });

  it("compares with structural equality by default, and with a custom equals when given", () => {
    const db = createDatabase();
    const text = defineInput<number, string>(db, "text");
    const words = defineQuery(db, "words", (ctx, k: number) => ctx.get(text, k).split(/\s+/));
    const count = defineQuery(db, "count", (ctx, k: number) => ctx.get(words, k).length);
    const lengths = defineQuery(db, "lengths", (ctx, k: number) => ctx.get(text, k).length, {
      equals: (a, b) => Math.floor(a / 10) === Math.floor(b / 10),
    });
    const bucket = defineQuery(db, "bucket", (ctx, k: number) =>
      Math.floor(ctx.get(lengths, k) / 10),
    );
    text.set(1, "a b c");
    expect(db.get(count, 1)).toBe(3);
    expect(db.get(bucket, 1)).toBe(0);
    text.set(1, "a  b c"); // a new array with equal contents
    expect(db.get(count, 1)).toBe(3);
    expect(db.get(bucket, 1)).toBe(0);
    expect(db.stats("words").cutoffs).toBe(1);
    expect(db.stats("count").executions).toBe(1);
    expect(db.stats("lengths").cutoffs).toBe(1);
    expect(db.stats("bucket").executions).toBe(1);
  });

  it("returns the newly computed value even when it is cut off", () => {
    const db = createDatabase();
    const s = defineInput<number, { n: number; note: string }>(db, "s");
    const q = defineQuery(db, "q", (ctx, k: number) => ctx.get(s, k), {
      equals: (a, b) => a.n === b.n,
    });
    s.set(0, { n: 1, note: "first" });
    expect(db.get(q, 0).note).toBe("first");
    s.set(0, { n: 1, note: "second" });
    expect(db.get(q, 0).note).toBe("second");
    expect(db.stats("q").cutoffs).toBe(1);
  });
});

describe("dependency tracking", () => {
  it("reruns only queries that read what changed", () => {
    // Pull only: propagation would also recompute length("c"), which read what changed.
    const db = createDatabase({ propagation: false });
    const file = defineInput<string, string>(db, "file");
    const length = defineQuery(db, "length", (ctx, f: string) => ctx.get(file, f).length);
    const total = defineQuery(db, "total", (ctx, fs: readonly string[]) =>
      fs.reduce((sum, f) => sum + ctx.get(length, f), 0),
    );
    file.set("a", "xx");
    file.set("b", "yyy");
    file.set("c", "z");
    expect(db.get(total, ["a", "b"])).toBe(5);
    expect(db.get(length, "c")).toBe(1);
    file.set("c", "zzzz"); // nobody computing total read c
    expect(db.get(total, ["a", "b"])).toBe(5);
    expect(db.stats("length").executions).toBe(3);
    expect(db.stats("total").executions).toBe(1);
    file.set("b", "y");
    expect(db.get(total, ["a", "b"])).toBe(3);
    expect(db.stats("length").executions).toBe(4);
    expect(db.stats("total").executions).toBe(2);
  });

  it("tracks dependencies read conditionally, as of the last execution", () => {
    const db = createDatabase();
    const flag = defineInput<null, boolean>(db, "flag");
    const a = defineInput<null, number>(db, "a");
    const b = defineInput<null, number>(db, "b");
    const pick = defineQuery(db, "pick", (ctx) =>
      ctx.get(flag, null) ? ctx.get(a, null) : ctx.get(b, null),
    );
    flag.set(null, true);
    a.set(null, 1);
    b.set(null, 2);
    expect(db.get(pick, null)).toBe(1);
    b.set(null, 20); // not read
    expect(db.get(pick, null)).toBe(1);
    expect(db.stats("pick").executions).toBe(1);
    flag.set(null, false);
    expect(db.get(pick, null)).toBe(20);
    expect(db.stats("pick").executions).toBe(2);
    a.set(null, 10); // no longer read
    expect(db.get(pick, null)).toBe(20);
    expect(db.stats("pick").executions).toBe(2);
  });

  it("verifies dependencies in order and stops at the first change", () => {
    // Pull only: propagation recomputes `costly` (its input changed) whoever reads it.
    const db = createDatabase({ propagation: false });
    const mode = defineInput<null, "cheap" | "costly">(db, "mode");
    const data = defineInput<null, number>(db, "data");
    const costly = defineQuery(db, "costly", (ctx) => ctx.get(data, null) * 2);
    const top = defineQuery(db, "top", (ctx) =>
      ctx.get(mode, null) === "cheap" ? 0 : ctx.get(costly, null),
    );
    mode.set(null, "costly");
    data.set(null, 1);
    expect(db.get(top, null)).toBe(2);
    // Both change; `mode` comes first in top's dependencies, so top reruns without
    // `costly` ever being brought up to date (a new execution does not read it).
    mode.set(null, "cheap");
    data.set(null, 5);
    expect(db.get(top, null)).toBe(0);
    expect(db.stats("costly").executions).toBe(1);
    expect(db.stats("costly").verifications).toBe(0);
  });

  it("brings memos up to date across several revisions at once", () => {
    const db = createDatabase();
    const n = defineInput<number, number>(db, "n");
    const sq = defineQuery(db, "sq", (ctx, k: number) => ctx.get(n, k) ** 2);
    const sum = defineQuery(db, "sum", (ctx, k: number) => ctx.get(sq, k) + ctx.get(sq, k + 1));
    n.set(0, 2);
    n.set(1, 3);
    expect(db.get(sum, 0)).toBe(13);
    n.set(0, -2);
    n.set(5, 1);
    n.set(1, -3);
    n.set(5, 2);
    expect(db.revision).toBe(7);
    expect(db.get(sum, 0)).toBe(13);
    expect(db.stats("sum").executions).toBe(1);
    expect(db.stats("sq").cutoffs).toBe(2);
  });

  it("keys queries by structured value, not identity", () => {
    const db = createDatabase();
    let runs = 0;
    const q = defineQuery(db, "q", (_ctx, k: readonly [string, number]) => {
      runs++;
      return `${k[0]}:${k[1]}`;
    });
    expect(db.get(q, ["a", 1])).toBe("a:1");
    expect(db.get(q, ["a", 1])).toBe("a:1");
    expect(db.get(q, ["a", 2])).toBe("a:2");
    expect(db.get(q, ["1", 1] as const)).toBe("1:1");
    expect(runs).toBe(3);
    const custom = defineQuery(db, "custom", (_ctx, k: Date) => k.getUTCFullYear(), {
      keyOf: (k) => k.toISOString(),
    });
    expect(db.get(custom, new Date(Date.UTC(2024, 0, 1)))).toBe(2024);
    expect(db.get(custom, new Date(Date.UTC(2024, 0, 1)))).toBe(2024);
    expect(db.stats(custom).executions).toBe(1);
  });

  it("does not memoise errors, but records the failed read so a catching caller reruns", () => {
    const db = createDatabase();
    const { n, checked, safe } = catchingQueries(db);
    n.set(null, -5);
    expect(() => db.get(checked, null)).toThrow("negative");
    expect(() => db.get(checked, null)).toThrow("negative");
    expect(db.stats("checked").executions).toBe(2);
    expect(db.get(safe, null)).toBe(-1);
    n.set(null, 4);
    expect(db.get(safe, null)).toBe(4);
  });
});

describe("inputs", () => {
  it("start a new revision only when the value changes", () => {
    const db = createDatabase();
    const i = defineInput<string, readonly number[]>(db, "i");
    expect(db.revision).toBe(1);
    i.set("k", [1, 2]);
    expect(db.revision).toBe(2);
    i.set("k", [1, 2]);
    expect(db.revision).toBe(2);
    i.set("k", [1, 3]);
    expect(db.revision).toBe(3);
    expect(i.get("k")).toEqual([1, 3]);
    expect(db.get(i, "k")).toEqual([1, 3]);
    expect(i.has("k")).toBe(true);
    expect(i.has("other")).toBe(false);
  });

  it("honour a custom equals", () => {
    const db = createDatabase();
    const i = defineInput<null, string>(db, "i", { equals: (a, b) => a.trim() === b.trim() });
    i.set(null, "x");
    i.set(null, " x ");
    expect(db.revision).toBe(2);
    expect(i.get(null)).toBe("x");
  });

  it("report a missing value by name and key", () => {
    const db = createDatabase();
    const i = defineInput<string, number>(db, "size");
    const q = defineQuery(db, "q", (ctx, k: string) => ctx.get(i, k));
    expect(() => i.get("a")).toThrow('input size("a") has no value');
    expect(() => db.get(q, "a")).toThrow('input size("a") has no value');
    i.set("a", 1);
    expect(db.get(q, "a")).toBe(1);
  });
});

describe("misuse is reported, not silently wrong", () => {
  it("queries cannot read inputs untracked, set inputs, or call db.get", () => {
    const db = createDatabase();
    const i = defineInput<null, number>(db, "i");
    i.set(null, 1);
    const untracked = defineQuery(db, "untracked", () => i.get(null));
    const writes = defineQuery(db, "writes", () => i.set(null, 2));
    const nested = defineQuery(db, "nested", () => db.get(i, null));
    const nestedQuery = defineQuery(db, "nestedQuery", () => db.get(untracked, null));
    expect(() => db.get(untracked, null)).toThrow(/while a query is running/);
    expect(() => db.get(writes, null)).toThrow(/while a query is running/);
    expect(() => db.get(nested, null)).toThrow(/while a query is running/);
    expect(() => db.get(nestedQuery, null)).toThrow(/while a query is running/);
    // The database is still usable afterwards.
    expect(db.revision).toBe(2);
    const fine = defineQuery(db, "fine", (ctx) => ctx.get(i, null) + 1);
    expect(db.get(fine, null)).toBe(2);
  });

  it("a context cannot be used after its query returned", () => {
    const db = createDatabase();
    let leaked: import("../src/index.ts").QueryContext | undefined;
    const i = defineInput<null, number>(db, "i");
    i.set(null, 1);
    const q = defineQuery(db, "q", (ctx) => {
      leaked = ctx;
      return 0;
    });
    db.get(q, null);
    expect(() => leaked!.get(i, null)).toThrow(/after the query returned/);
  });

  it("names are unique and handles belong to one database", () => {
    const db = createDatabase();
    const other = createDatabase();
    defineInput(db, "x");
    expect(() => defineQuery(db, "x", () => 1)).toThrow(/already defined/);
    const q = defineQuery(other, "q", () => 1);
    const uses = defineQuery(db, "uses", (ctx) => ctx.get(q, null));
    expect(() => db.get(q, null)).toThrow(/another database/);
    expect(() => db.get(uses, null)).toThrow(/another database/);
    expect(() => db.stats("nope")).toThrow(/no query named nope/);
  });

  it("a chain too deep for the JavaScript stack throws RangeError and leaves the database sound", () => {
    const db = createDatabase();
    const x = defineInput<null, number>(db, "x");
    const depth: Query<number, number> = defineQuery(db, "depth", (ctx, i: number) =>
      i === 0 ? ctx.get(x, null) : ctx.get(depth, i - 1) + 1,
    );
    x.set(null, 0);
    expect(() => db.get(depth, 200_000)).toThrow(RangeError);
    expect(db.get(depth, 300)).toBe(300);
    x.set(null, 5);
    expect(db.get(depth, 300)).toBe(305);
    // Built up in steps, every step finds the previous one memoised.
    for (let i = 0; i <= 3000; i += 300) db.get(depth, i);
    expect(db.get(depth, 3000)).toBe(3005);
  });

  it("rejects an invalid capacity", () => {
    const db = createDatabase();
    expect(() => defineQuery(db, "q", () => 1, { capacity: 0 })).toThrow(RangeError);
    expect(() => defineQuery(db, "r", () => 1, { capacity: 1.5 })).toThrow(RangeError);
  });
});
