import { describe, expect, it } from "vitest";
import {
  type CompileEvent,
  type Compiler,
  createCompiler,
  type DiagEvent,
  type ProgressEvent,
  poll,
} from "../src/index.js";

const PROGRAM = `measure meter
fn area w h = w * h
fn perimeter w h = 2 * (w + h)
fn broken = 1 + "s"
let a = area 2meter 3meter
perimeter 1 2
missing + 1
`;

function compiler(text: string = PROGRAM): Compiler {
  const c = createCompiler();
  c.setFile("main.cdz", text);
  return c;
}

/** Drains a compilation one event at a time. */
function drain(c: Compiler, options = {}): CompileEvent[] {
  const fiber = c.start("main.cdz", options);
  const events: CompileEvent[] = [];
  for (let i = 0; i < 10_000 && !fiber.done; i++) events.push(...poll(fiber, { events: 1 }).events);
  return events;
}

const progress = (events: readonly CompileEvent[]): string[] =>
  events
    .filter((e): e is ProgressEvent => e.kind === "progress")
    .map((e) => `${e.pass}:${e.phase} ${e.done}/${e.total}`);

describe("the event stream", () => {
  it("reports progress with pass attribution, then diagnostics, deps and done", () => {
    const events = drain(compiler(), { yieldEvery: 1_000_000 });
    expect(progress(events)).toEqual([
      "parse:parse 0/1",
      "parse:parse 1/1",
      "eval:evaluate 0/7",
      "eval:evaluate 7/7",
      "types:declarations 0/1",
      "types:declarations 1/1",
      "types:infer 0/7",
      "types:infer 7/7",
      "types:assemble 1/1",
    ]);
    const kinds = events.map((e) => e.kind);
    expect(kinds.slice(-2)).toEqual(["deps", "done"]);
    expect(events.find((e) => e.kind === "deps")).toEqual({
      kind: "deps",
      file: "main.cdz",
      deps: [],
    });
  });

  it("yields after every N nodes of inference", () => {
    const events = drain(compiler(), { yieldEvery: 1 });
    // One report per group (each has at least one node), and the phase's end.
    expect(progress(events).filter((p) => p.startsWith("types:infer"))).toEqual([
      "types:infer 0/7",
      "types:infer 1/7",
      "types:infer 2/7",
      "types:infer 3/7",
      "types:infer 4/7",
      "types:infer 5/7",
      "types:infer 6/7",
      "types:infer 7/7",
    ]);
  });

  it("emits every diagnostic of the file once, in the file's order, with its pass", () => {
    const c = compiler();
    const events = drain(c);
    const diags = events.filter((e): e is DiagEvent => e.kind === "diag");
    expect(diags.map((d) => d.diagnostic)).toEqual(c.diagnostics("main.cdz"));
    expect(diags.map((d) => `${d.pass} ${d.code} ${d.message}`)).toEqual([
      "eval eval/undefined-variable undefined variable: `missing`",
      "types types/type-mismatch type mismatch",
    ]);
    const first = diags[0]!;
    expect(first.range).toEqual(first.diagnostic.primary.span);
    expect(first.file).toBe("main.cdz");
    expect(first.severity).toBe("error");
    const done = events[events.length - 1]!;
    expect(done.kind === "done" && done.result).toMatchObject({
      entry: "main.cdz",
      errors: 2,
      warnings: 0,
      evaluation: "completed",
    });
  });

  it("the diagnostics of a parse error come from the parse pass", () => {
    const events = drain(compiler("let x = [1,\n"));
    const diags = events.filter((e): e is DiagEvent => e.kind === "diag");
    expect(diags[0]?.pass).toBe("parse");
  });
});

describe("poll budgets", () => {
  it("an events budget returns at most that many events per poll", () => {
    const fiber = compiler().start("main.cdz");
    const sizes: number[] = [];
    let result: unknown;
    while (!fiber.done) {
      const r = poll(fiber, { events: 3 });
      sizes.push(r.events.length);
      if (r.done) result = r.result;
    }
    expect(sizes.every((n) => n <= 3)).toBe(true);
    expect(sizes.slice(0, -1).every((n) => n === 3)).toBe(true);
    expect(result).toBeDefined();
  });

  it("a nodes budget stops once that many nodes were processed", () => {
    const fiber = compiler().start("main.cdz", { yieldEvery: 1 });
    // Parsing reports the 7 items as its nodes: a budget of 1 stops right there.
    const first = poll(fiber, { nodes: 1 });
    expect(progress(first.events)).toEqual(["parse:parse 0/1", "parse:parse 1/1"]);
    expect(first.done).toBe(false);
    const rest = poll(fiber);
    expect(rest.done).toBe(true);
  });

  it("a millisecond budget is measured with the compiler's clock", () => {
    let now = 0;
    const c = createCompiler({ clock: () => now });
    c.setFile("main.cdz", PROGRAM);
    const fiber = c.start("main.cdz");
    // The clock does not move: the budget is never spent, everything runs.
    expect(poll(fiber, { millis: 5 }).done).toBe(true);
    const again = c.start("main.cdz");
    // The clock jumps past the budget after the first step: one step per poll.
    const r = poll(again, {
      get millis() {
        now += 10;
        return 5;
      },
    });
    expect(r.events).toHaveLength(1);
    expect(r.done).toBe(false);
  });

  it("without a budget a poll runs to the end", () => {
    const r = poll(compiler().start("main.cdz"));
    expect(r.done).toBe(true);
    expect(r.events[r.events.length - 1]!.kind).toBe("done");
  });
});

describe("cancellation", () => {
  it("a cancelled compilation ends with a final cancelled event", () => {
    const c = compiler();
    const fiber = c.start("main.cdz", { yieldEvery: 1 });
    poll(fiber, { events: 4 });
    fiber.cancel();
    const r = poll(fiber, { events: 100 });
    expect(r.events).toEqual([{ kind: "cancelled", reason: "requested" }]);
    expect(r).toMatchObject({ done: true, cancelled: true });
    expect(fiber.done).toBe(true);
    expect(poll(fiber).events).toEqual([]);
  });

  it("an edit while it is suspended cancels it as stale; the work done is kept", () => {
    const c = compiler();
    const fiber = c.start("main.cdz", { yieldEvery: 1 });
    // Run until some groups are inferred.
    let seen = 0;
    while (seen < 3) {
      for (const e of poll(fiber, { events: 1 }).events)
        if (e.kind === "progress" && e.phase === "infer" && e.done > 0) seen++;
    }
    const inferred = c.stats().queries.infer!.executions;
    expect(inferred).toBeGreaterThan(0);
    c.setFile("main.cdz", `${PROGRAM}area 1 1\n`);
    const r = poll(fiber);
    expect(r.events).toEqual([{ kind: "cancelled", reason: "stale" }]);
    // Starting again reuses the groups inferred before the edit: only the rest and the new
    // item are inferred.
    c.resetStats();
    expect(poll(c.start("main.cdz")).done).toBe(true);
    expect(c.stats().queries.infer!.executions).toBe(7 + 1 - inferred);
  });

  it("an edit of another file does not stop it", () => {
    const c = compiler();
    c.setFile("other.cdz", "1");
    const fiber = c.start("main.cdz");
    poll(fiber, { events: 2 });
    c.setFile("other.cdz", "2");
    const r = poll(fiber);
    expect(r.cancelled).toBeUndefined();
    expect(r.result?.errors).toBe(2);
  });

  it("a compilation that already finished cannot be cancelled", () => {
    const fiber = compiler().start("main.cdz");
    poll(fiber);
    fiber.cancel();
    expect(poll(fiber)).toMatchObject({ events: [], done: true });
  });
});
