import { describe, expect, it } from "vitest";
import {
  CycleError,
  createDatabase,
  cycleDiagnostic,
  defineInput,
  defineQuery,
  type Query,
  type QueryResult,
} from "../src/index.ts";

function names(result: QueryResult<unknown>): string[] {
  if (result.kind !== "cycle") throw new Error(`expected a cycle, got ${JSON.stringify(result)}`);
  return result.cycle.participants.map((p) => `${p.query}(${p.keyString})`);
}

describe("cycles", () => {
  it("a query requiring itself is a cycle, not a stack overflow", () => {
    const db = createDatabase();
    const self: Query<number, number> = defineQuery(
      db,
      "self",
      (ctx, k: number) => ctx.get(self, k) + 1,
    );
    const result = db.result(self, 7);
    expect(names(result)).toEqual(["self(7)"]);
    expect(db.stats("self").cycles).toBe(1);
  });

  it("reports the participants as a query/cycle diagnostic, the same from any entry point", () => {
    const db = createDatabase();
    const a: Query<number, number> = defineQuery(db, "a", (ctx, k: number) => ctx.get(b, k) + 1);
    const b: Query<number, number> = defineQuery(
      db,
      "b",
      (ctx, k: number) => ctx.get(c, k * 2) + 1,
    );
    const c: Query<number, number> = defineQuery(
      db,
      "c",
      (ctx, k: number) => ctx.get(a, k / 2) + 1,
    );
    const fromB = db.result(b, 1);
    expect(names(fromB)).toEqual(["a(1)", "b(1)", "c(2)"]);
    if (fromB.kind !== "cycle") throw new Error("unreachable");
    const d = fromB.diagnostic;
    expect(d.code).toBe("query/cycle");
    expect(d.severity).toBe("error");
    expect(d.message).toBe("dependency cycle between queries: a(1) → b(1) → c(2) → a(1)");
    expect(d.notes.map((n) => `${n.kind}: ${n.message}`)).toEqual([
      "note: a(1) requires b(1)",
      "note: b(1) requires c(2)",
      "note: c(2) requires a(1)",
      "help: break the cycle, or give one of these queries a `recover` value",
    ]);
    // Every participant memoised the same cycle.
    expect(names(db.result(a, 1))).toEqual(names(fromB));
    expect(names(db.result(c, 2))).toEqual(names(fromB));
    expect(db.stats("a").executions + db.stats("b").executions + db.stats("c").executions).toBe(3);
    // A fresh database entering elsewhere describes it identically.
    const db2 = createDatabase();
    const a2: Query<number, number> = defineQuery(db2, "a", (ctx, k: number) => ctx.get(b2, k) + 1);
    const b2: Query<number, number> = defineQuery(
      db2,
      "b",
      (ctx, k: number) => ctx.get(c2, k * 2) + 1,
    );
    const c2: Query<number, number> = defineQuery(
      db2,
      "c",
      (ctx, k: number) => ctx.get(a2, k / 2) + 1,
    );
    expect(db2.result(c2, 2)).toEqual(fromB);
  });

  it("db.get throws a CycleError carrying the diagnostic", () => {
    const db = createDatabase();
    const a: Query<null, number> = defineQuery(db, "a", (ctx) => ctx.get(a, null));
    let caught: unknown;
    try {
      db.get(a, null);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CycleError);
    expect((caught as CycleError).diagnostic.code).toBe("query/cycle");
    expect((caught as CycleError).message).toBe(
      "dependency cycle between queries: a(null) → a(null)",
    );
  });

  it("a query depending on a cycle gets the cycle; ctx.result lets it handle it", () => {
    const db = createDatabase();
    const loop: Query<null, number> = defineQuery(db, "loop", (ctx) => ctx.get(loop, null));
    const user = defineQuery(db, "user", (ctx) => ctx.get(loop, null) * 2);
    const careful = defineQuery(db, "careful", (ctx) => {
      const r = ctx.result(loop, null);
      return r.kind === "ok" ? r.value : -1;
    });
    expect(names(db.result(user, null))).toEqual(["loop(null)"]);
    expect(db.result(careful, null)).toEqual({ kind: "ok", value: -1 });
    expect(db.stats("user").cycles).toBe(0); // it is not on the cycle, it depends on it
  });

  it("recover gives the participants a value instead", () => {
    const db = createDatabase();
    const seen: string[] = [];
    const a: Query<null, string> = defineQuery(db, "a", (ctx) => `a+${ctx.get(b, null)}`, {
      recover: (cycle) => {
        seen.push(cycle.participants.map((p) => p.query).join(","));
        return "a-recovered";
      },
    });
    const b: Query<null, string> = defineQuery(db, "b", (ctx) => `b+${ctx.get(a, null)}`);
    const top = defineQuery(db, "top", (ctx) => ctx.get(a, null).toUpperCase());
    expect(db.get(top, null)).toBe("A-RECOVERED");
    expect(seen).toEqual(["a,b"]);
    // b is on the cycle without recovery.
    expect(db.result(b, null).kind).toBe("cycle");
  });

  it("is detected again, or not, as inputs change", () => {
    const db = createDatabase();
    const link = defineInput<string, string | null>(db, "link");
    const follow: Query<string, string> = defineQuery(db, "follow", (ctx, k: string) => {
      const next = ctx.get(link, k);
      return next === null ? k : ctx.get(follow, next);
    });
    link.set("a", "b");
    link.set("b", "c");
    link.set("c", null);
    expect(db.get(follow, "a")).toBe("c");
    link.set("c", "a"); // closes a loop
    expect(names(db.result(follow, "a"))).toEqual(['follow("a")', 'follow("b")', 'follow("c")']);
    expect(names(db.result(follow, "b"))).toEqual(['follow("a")', 'follow("b")', 'follow("c")']);
    link.set("b", null); // breaks it
    expect(db.get(follow, "a")).toBe("b");
    expect(db.get(follow, "c")).toBe("b");
  });

  it("a long cycle neither overflows the stack nor hangs", () => {
    const db = createDatabase();
    const n = 300;
    const ring: Query<number, number> = defineQuery(db, "ring", (ctx, k: number) =>
      ctx.get(ring, (k + 1) % n),
    );
    const result = db.result(ring, 0);
    expect(names(result)).toHaveLength(n);
    expect(names(result)[0]).toBe("ring(0)");
    expect(names(result)[1]).toBe("ring(1)");
  });

  it("a query that catches the CycleError of its own cycle still gets the cycle", () => {
    const db = createDatabase();
    const a: Query<null, number> = defineQuery(db, "a", (ctx) => {
      try {
        return ctx.get(b, null);
      } catch {
        return 0;
      }
    });
    const b: Query<null, number> = defineQuery(db, "b", (ctx) => ctx.get(a, null) + 1);
    expect(db.result(a, null).kind).toBe("cycle");
    expect(db.result(b, null).kind).toBe("cycle");
  });

  it("cycle memos are verified like any other and stay cycles across unrelated edits", () => {
    const db = createDatabase();
    const other = defineInput<null, number>(db, "other");
    const gate = defineInput<null, boolean>(db, "gate");
    const a: Query<null, number> = defineQuery(db, "a", (ctx) =>
      ctx.get(gate, null) ? ctx.get(b, null) : 1,
    );
    const b: Query<null, number> = defineQuery(db, "b", (ctx) => ctx.get(a, null) + 1);
    const top = defineQuery(db, "top", (ctx) => {
      const r = ctx.result(a, null);
      return r.kind === "ok" ? r.value : -1;
    });
    gate.set(null, true);
    other.set(null, 0);
    expect(db.get(top, null)).toBe(-1);
    other.set(null, 1);
    expect(db.get(top, null)).toBe(-1);
    expect(db.stats("top").executions).toBe(1);
    gate.set(null, false);
    expect(db.get(top, null)).toBe(1);
    expect(db.get(b, null)).toBe(2);
    gate.set(null, true);
    expect(db.get(top, null)).toBe(-1);
  });

  it("cycleDiagnostic can point at a source location", () => {
    const d = cycleDiagnostic(
      { participants: [{ query: "typeOf", key: "f", keyString: '"f"' }] },
      { file: "main.cdz", span: { start: 4, end: 9 } },
    );
    expect(d.file).toBe("main.cdz");
    expect(d.primary.span).toEqual({ start: 4, end: 9 });
    expect(d.message).toBe('dependency cycle between queries: typeOf("f") → typeOf("f")');
  });

  it("cycles through generator queries in a fiber", () => {
    const db = createDatabase();
    const a: Query<null, number> = defineQuery(db, "a", function* (ctx) {
      yield "a";
      return (yield* ctx.fetch(b, null)) + 1;
    });
    const b: Query<null, number> = defineQuery(db, "b", function* (ctx) {
      yield "b";
      return (yield* ctx.fetch(a, null)) + 1;
    });
    const fiber = db.run(a, null);
    const end = fiber.poll();
    expect(end.yields.map((y) => y.value)).toEqual(["a", "b"]);
    expect(end.kind === "finished" && end.outcome.kind).toBe("cycle");
  });
});
