import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FiberOutcome } from "../src/index.ts";
import {
  buildModel,
  dagArb,
  graphArb,
  type Model,
  num,
  oracle,
  type Spec,
  sameValue,
  specArb,
  type Value,
} from "./dag.ts";

type Action =
  | { readonly t: "set"; readonly i: number; readonly v: number }
  | { readonly t: "get"; readonly j: number }
  | { readonly t: "all" }
  | {
      readonly t: "fiber";
      readonly j: number;
      /** A second fiber polled in turn with the first. */
      readonly also: number | null;
      /** Poll this many pauses, then make these edits, and so on. */
      readonly rounds: readonly {
        readonly steps: number;
        readonly edits: readonly [number, number][];
      }[];
      readonly after: "finish" | "cancel" | "abandon";
      readonly policy: "read-change" | "any-change";
    };

const small = fc.integer({ min: 0, max: 4 });

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("set" as const), i: fc.nat(10), v: small }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("get" as const), j: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("all" as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("fiber" as const),
      j: fc.nat(20),
      also: fc.option(fc.nat(20), { nil: null }),
      rounds: fc.array(
        fc.record({
          steps: fc.integer({ min: 1, max: 4 }),
          edits: fc.array(fc.tuple(fc.nat(10), small), { minLength: 1, maxLength: 2 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      after: fc.constantFrom("finish" as const, "cancel" as const, "abandon" as const),
      policy: fc.constantFrom("read-change" as const, "any-change" as const),
    }),
  },
);

const capacityArb = fc.constantFrom(Number.POSITIVE_INFINITY, 1, 2, 3, 8);

function read(model: Model, j: number): Value {
  return model.db.get(model.queryOf(j), j);
}

let cancelledOnRead = 0;

describe("incremental results equal a from-scratch computation", () => {
  it("on random DAGs, random edits, random reads, fibers and LRU bounds", () => {
    fc.assert(
      fc.property(
        specArb,
        fc.array(small, { minLength: 5, maxLength: 5 }),
        fc.array(actionArb, { maxLength: 30 }),
        capacityArb,
        fc.boolean(),
        (
          spec: Spec,
          initial: number[],
          actions: Action[],
          capacity: number,
          propagation: boolean,
        ) => {
          const inputs = initial.slice(0, spec.inputs);
          const model = buildModel(spec, inputs, capacity, propagation);
          const n = spec.nodes.length;
          const set = (i: number, v: number) => {
            inputs[i % spec.inputs] = v;
            model.input.set(i % spec.inputs, v);
          };
          for (const a of actions) {
            switch (a.t) {
              case "set":
                set(a.i, a.v);
                break;
              case "get": {
                const j = a.j % n;
                expect(read(model, j)).toEqual(oracle(spec, inputs).values[j]);
                break;
              }
              case "all": {
                const expected = oracle(spec, inputs).values;
                for (let j = 0; j < n; j++) expect(read(model, j)).toEqual(expected[j]);
                break;
              }
              case "fiber": {
                // One fiber, or two interleaved, polled round by round with edits between.
                const fibers = [a.j, ...(a.also === null ? [] : [a.also])].map((k) => {
                  const j = k % n;
                  return { j, fiber: model.db.run(model.queryOf(j), j, { cancelOn: a.policy }) };
                });
                const settle = (j: number, outcome: FiberOutcome<Value>) => {
                  if (outcome.kind === "ok") {
                    // A fiber that carried on across edits gives the value at the new revision.
                    expect(outcome.value).toEqual(oracle(spec, inputs).values[j]);
                  } else {
                    expect(outcome).toEqual({ kind: "cancelled", reason: "input-changed" });
                    if (a.policy === "read-change") cancelledOnRead++;
                  }
                };
                for (const round of a.rounds) {
                  for (const { j, fiber } of fibers) {
                    if (fiber.outcome !== undefined) continue;
                    const r = fiber.poll({ yields: round.steps });
                    if (r.kind === "finished") settle(j, r.outcome);
                  }
                  for (const [i, v] of round.edits) set(i, v);
                }
                for (const { j, fiber } of fibers) {
                  if (fiber.outcome !== undefined) continue;
                  if (a.after === "cancel") {
                    expect(fiber.cancel()).toEqual({ kind: "cancelled", reason: "requested" });
                  } else if (a.after === "finish") {
                    const end = fiber.poll();
                    if (end.kind !== "finished") throw new Error("poll() must finish");
                    settle(j, end.outcome);
                  }
                  // "abandon": never resumed again, which must not disturb anything else.
                }
                break;
              }
            }
          }
          // Every node, incrementally, equals both the oracle and a fresh database.
          const expected = oracle(spec, inputs).values;
          const fresh = buildModel(spec, inputs, Number.POSITIVE_INFINITY, false);
          for (let j = 0; j < n; j++) {
            const value = read(model, j);
            expect(value).toEqual(expected[j]);
            expect(value).toEqual(read(fresh, j));
          }
          // With nothing changed, reading everything again runs nothing.
          const before = [...model.runs];
          for (let j = 0; j < n; j++) read(model, j);
          if (capacity === Number.POSITIVE_INFINITY) expect(model.runs).toEqual(before);
        },
      ),
      { numRuns: 500 },
    );
    // The runs above must have exercised the interesting path at least once.
    expect(cancelledOnRead).toBeGreaterThan(0);
  });
});

type Step =
  | { readonly t: "set"; readonly i: number; readonly v: number }
  | { readonly t: "get"; readonly j: number }
  | { readonly t: "fiber"; readonly j: number }
  | { readonly t: "some"; readonly js: readonly number[] };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant("set" as const), i: fc.nat(20), v: small }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("get" as const), j: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("fiber" as const), j: fc.nat(40) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("some" as const),
      js: fc.array(fc.nat(40), { minLength: 1, maxLength: 6 }),
    }),
  },
);

describe("propagation", () => {
  it("partial reads between edits, by db.get and by fibers, equal a from-scratch computation", () => {
    fc.assert(
      fc.property(
        dagArb(8, 25),
        fc.array(small, { minLength: 8, maxLength: 8 }),
        fc.array(stepArb, { maxLength: 40 }),
        capacityArb,
        fc.boolean(),
        (spec: Spec, initial: number[], steps: Step[], capacity: number, propagation) => {
          const inputs = initial.slice(0, spec.inputs);
          const model = buildModel(spec, inputs, capacity, propagation);
          const n = spec.nodes.length;
          let expected = oracle(spec, inputs).values;
          for (const step of steps) {
            switch (step.t) {
              case "set":
                inputs[step.i % spec.inputs] = step.v;
                model.input.set(step.i % spec.inputs, step.v);
                expected = oracle(spec, inputs).values;
                break;
              case "get":
                expect(read(model, step.j % n)).toEqual(expected[step.j % n]);
                break;
              case "fiber": {
                const j = step.j % n;
                const end = model.db.run(model.queryOf(j), j).poll();
                expect(end.kind === "finished" && end.outcome).toEqual({
                  kind: "ok",
                  value: expected[j],
                });
                break;
              }
              case "some":
                for (const j of step.js) expect(read(model, j % n)).toEqual(expected[j % n]);
                break;
            }
          }
          // Fibers first (whatever propagation left pending), then reads, from the top.
          for (let j = 0; j < n; j++) {
            const end = model.db.run(model.queryOf(j), j).poll();
            expect(end.kind === "finished" && end.outcome).toEqual({
              kind: "ok",
              value: expected[j],
            });
          }
          const fresh = buildModel(spec, inputs, Number.POSITIVE_INFINITY, false);
          for (let j = n - 1; j >= 0; j--) expect(read(model, j)).toEqual(read(fresh, j));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("propagation with cycles", () => {
  it("partial reads between edits of random graphs give a fresh database's outcomes", () => {
    fc.assert(
      fc.property(
        graphArb,
        fc.array(small, { minLength: 3, maxLength: 3 }),
        fc.array(stepArb, { maxLength: 30 }),
        capacityArb,
        (spec: Spec, initial: number[], steps: Step[], capacity: number) => {
          const inputs = initial.slice(0, spec.inputs);
          const model = buildModel(spec, inputs, capacity);
          const n = spec.nodes.length;
          const outcome = (m: Model, j: number) => {
            const r = m.db.result(m.queryOf(j), j);
            return r.kind === "ok" ? r : { kind: r.kind };
          };
          const check = (j: number) => {
            const fresh = buildModel(spec, inputs, Number.POSITIVE_INFINITY, false);
            expect(outcome(model, j)).toEqual(outcome(fresh, j));
          };
          for (const step of steps) {
            switch (step.t) {
              case "set":
                inputs[step.i % spec.inputs] = step.v;
                model.input.set(step.i % spec.inputs, step.v);
                break;
              case "get":
              case "fiber":
                check(step.j % n);
                break;
              case "some":
                for (const j of step.js) check(j % n);
                break;
            }
          }
          for (let j = 0; j < n; j++) check(j);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("early cut-off is exact", () => {
  it("a node reruns only if something it read last time has a different value", () => {
    fc.assert(
      fc.property(
        specArb,
        fc.array(small, { minLength: 5, maxLength: 5 }),
        fc.array(fc.array(fc.tuple(fc.nat(10), small), { maxLength: 4 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.boolean(),
        (spec: Spec, initial: number[], rounds: [number, number][][], propagation: boolean) => {
          const inputs = initial.slice(0, spec.inputs);
          const model = buildModel(spec, inputs, Number.POSITIVE_INFINITY, propagation);
          const n = spec.nodes.length;
          for (let j = 0; j < n; j++) read(model, j);
          let previous = oracle(spec, inputs);
          for (const edits of rounds) {
            // An input counts as touched if some set actually changed its value, even if a
            // later set put the old value back (the revision moved on either way).
            const touched = new Set<number>();
            for (const [i, v] of edits) {
              const k = i % spec.inputs;
              if (inputs[k] !== v) touched.add(k);
              inputs[k] = v;
              model.input.set(k, v);
            }
            const runsBefore = [...model.runs];
            for (let j = 0; j < n; j++) read(model, j);
            const now = oracle(spec, inputs);
            for (let j = 0; j < n; j++) {
              expect(num(read(model, j))).toBe(num(now.values[j]!));
              const reran = model.runs[j]! > runsBefore[j]!;
              const cause = previous.reads[j]!.some((ref) =>
                ref.kind === "input"
                  ? touched.has(ref.index)
                  : !sameValue(previous.values[ref.index]!, now.values[ref.index]!),
              );
              // Completeness is covered by the value check; this is minimality.
              if (reran) expect(cause).toBe(true);
              expect(model.runs[j]! - runsBefore[j]!).toBeLessThanOrEqual(1);
            }
            previous = now;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("cycles in random graphs", () => {
  it("terminate, and incremental outcomes equal a fresh database's", () => {
    fc.assert(
      fc.property(
        graphArb,
        fc.array(small, { minLength: 3, maxLength: 3 }),
        fc.array(fc.array(fc.tuple(fc.nat(10), small), { maxLength: 3 }), { maxLength: 6 }),
        capacityArb,
        fc.boolean(),
        (
          spec: Spec,
          initial: number[],
          rounds: [number, number][][],
          capacity: number,
          propagation: boolean,
        ) => {
          const inputs = initial.slice(0, spec.inputs);
          const model = buildModel(spec, inputs, capacity, propagation);
          const n = spec.nodes.length;
          const outcomes = (m: Model) =>
            Array.from({ length: n }, (_, j) => {
              const r = m.db.result(m.queryOf(j), j);
              return r.kind === "ok" ? r : { kind: r.kind };
            });
          for (const edits of rounds) {
            // Read in a varying order so that cycles are entered from different places.
            outcomes(model);
            for (const [i, v] of edits) {
              inputs[i % spec.inputs] = v;
              model.input.set(i % spec.inputs, v);
            }
            const fresh = buildModel(spec, inputs, Number.POSITIVE_INFINITY, false);
            const expected = outcomes(fresh).reverse();
            expect(outcomes(model).reverse()).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
