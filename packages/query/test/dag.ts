// A random-DAG model shared by the property tests: a spec of queries over inputs, an oracle
// that evaluates it directly, and a database built from it.
import fc from "fast-check";
import {
  createDatabase,
  type Database,
  defineInput,
  defineQuery,
  type Input,
  type Query,
  structuralEqual,
} from "../src/index.ts";

export type Ref =
  | { readonly kind: "input"; readonly index: number }
  | {
      readonly kind: "node";
      readonly index: number;
    };

export interface NodeSpec {
  readonly refs: readonly Ref[];
  /** `cond` reads its first ref and then, depending on it, the rest or only the last. */
  readonly op: "sum" | "mod" | "max" | "cond";
  /** Plain numbers, or boxed in objects and arrays to exercise structural equality. */
  readonly shape: "number" | "object" | "array";
  readonly generator: boolean;
}

export interface Spec {
  readonly inputs: number;
  readonly nodes: readonly NodeSpec[];
}

/** Random DAGs: node `i` reads inputs and nodes before it. */
export function dagArb(maxInputs: number, maxNodes: number): fc.Arbitrary<Spec> {
  return fc
    .record({
      inputs: fc.integer({ min: 1, max: maxInputs }),
      nodes: fc.array(
        fc.record({
          refs: fc.array(fc.tuple(fc.boolean(), fc.nat(40)), { minLength: 1, maxLength: 4 }),
          op: fc.constantFrom("sum", "mod", "max", "cond"),
          shape: fc.constantFrom("number", "object", "array"),
          generator: fc.boolean(),
        }),
        { minLength: 1, maxLength: maxNodes },
      ),
    })
    .map(({ inputs, nodes }) => ({
      inputs,
      nodes: nodes.map((n, i) => ({
        ...n,
        refs: n.refs.map(
          ([toNode, x]): Ref =>
            toNode && i > 0 ? { kind: "node", index: x % i } : { kind: "input", index: x % inputs },
        ),
      })),
    }));
}

export const specArb: fc.Arbitrary<Spec> = dagArb(5, 10);

/** Like {@link specArb}, but refs may point at any node: graphs with cycles. */
export const graphArb: fc.Arbitrary<Spec> = fc
  .record({
    inputs: fc.integer({ min: 1, max: 3 }),
    nodes: fc.array(
      fc.record({
        refs: fc.array(fc.tuple(fc.boolean(), fc.nat(20)), { minLength: 1, maxLength: 3 }),
        op: fc.constantFrom("sum", "mod", "max", "cond"),
        shape: fc.constantFrom("number", "object", "array"),
        generator: fc.boolean(),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ inputs, nodes }) => ({
    inputs,
    nodes: nodes.map((n) => ({
      ...n,
      refs: n.refs.map(
        ([toNode, x]): Ref =>
          toNode ? { kind: "node", index: x % nodes.length } : { kind: "input", index: x % inputs },
      ),
    })),
  }));

export type Value = number | { readonly v: number } | readonly [number];

export function num(value: Value): number {
  return typeof value === "number"
    ? value
    : Array.isArray(value)
      ? value[0]
      : (value as { v: number }).v;
}

/** Evaluates node `i`, reading refs through `read`, yielding between reads. */
export function* computeNode(
  spec: Spec,
  i: number,
  read: (ref: Ref) => Generator<unknown, Value, unknown>,
): Generator<unknown, Value, unknown> {
  const node = spec.nodes[i]!;
  const refs = node.refs;
  const values: number[] = [];
  const get = function* (ref: Ref) {
    yield i;
    const v = num(yield* read(ref));
    values.push(v);
    return v;
  };
  let result: number;
  switch (node.op) {
    case "sum":
    case "mod":
    case "max": {
      for (const r of refs) yield* get(r);
      result =
        node.op === "max"
          ? Math.max(...values)
          : values.reduce((a, b) => a + b, 0) % (node.op === "mod" ? 3 : Number.POSITIVE_INFINITY);
      break;
    }
    case "cond": {
      const first = yield* get(refs[0]!);
      if (refs.length === 1) result = first;
      else if (first % 2 === 0) {
        result = 0;
        for (const r of refs.slice(1)) result += yield* get(r);
      } else result = (yield* get(refs[refs.length - 1]!)) * 2;
      break;
    }
  }
  return node.shape === "number" ? result : node.shape === "object" ? { v: result } : [result];
}

/** A generator that computes `f()` when first resumed and returns it without pausing. */
function* immediately<T>(f: () => T): Generator<never, T, unknown> {
  yield* [];
  return f();
}

export function drain<T>(g: Generator<unknown, T, unknown>): T {
  let r = g.next();
  while (!r.done) r = g.next();
  return r.value;
}

/** The reference semantics: evaluates every node directly, recording what each one read. */
export function oracle(spec: Spec, inputs: readonly number[]): { values: Value[]; reads: Ref[][] } {
  const values: Value[] = [];
  const reads: Ref[][] = [];
  for (let i = 0; i < spec.nodes.length; i++) {
    const read: Ref[] = [];
    values.push(
      drain(
        computeNode(spec, i, (ref) =>
          immediately(() => {
            read.push(ref);
            return ref.kind === "input" ? inputs[ref.index]! : values[ref.index]!;
          }),
        ),
      ),
    );
    reads.push(read);
  }
  return { values, reads };
}

export interface Model {
  readonly db: Database;
  readonly input: Input<number, number>;
  readonly sync: Query<number, Value>;
  readonly gen: Query<number, Value>;
  /** The query a node is defined by. */
  queryOf(i: number): Query<number, Value>;
  /** How many times each node's function started. */
  readonly runs: number[];
}

/**
 * A database computing the spec: one sync and one generator query, keyed by node index, with
 * or without propagation.
 */
export function buildModel(
  spec: Spec,
  inputs: readonly number[],
  capacity: number,
  propagation: boolean = true,
): Model {
  const db = createDatabase({ capacity, propagation });
  const input = defineInput<number, number>(db, "input");
  const runs = spec.nodes.map(() => 0);
  const queryOf = (i: number) => (spec.nodes[i]!.generator ? gen : sync);
  const sync: Query<number, Value> = defineQuery(db, "node", (ctx, i: number) => {
    runs[i]!++;
    return drain(
      computeNode(spec, i, (ref) =>
        immediately(() =>
          ref.kind === "input" ? ctx.get(input, ref.index) : ctx.get(queryOf(ref.index), ref.index),
        ),
      ),
    );
  });
  const gen: Query<number, Value> = defineQuery(db, "gnode", function* (ctx, i: number) {
    runs[i]!++;
    return yield* computeNode(spec, i, (ref) =>
      ref.kind === "input" ? ctx.fetch(input, ref.index) : ctx.fetch(queryOf(ref.index), ref.index),
    );
  });
  inputs.forEach((v, i) => {
    input.set(i, v);
  });
  return { db, input, sync, gen, queryOf, runs };
}

export function sameValue(a: Value, b: Value): boolean {
  return structuralEqual(a, b);
}
