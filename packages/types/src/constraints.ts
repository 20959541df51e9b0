/**
 * Trait predicates: what operators and library functions require of the types they touch.
 * They are kept as deferred constraints while their types are unknown, solved as soon as
 * inference learns enough, generalised into schemes (`forall a b c. [Add a b c] => …`) and
 * checked again at every instantiation.
 *
 * The numeric tower (LANGUAGE.md §6) is typed by *constrained promotion*: the magnitude of a
 * result is the join (least upper bound) of the operand magnitudes in the chain
 * `Integer < Rational < Float`, written `c = a ⊔ b`. A join is solved as soon as it is
 * determined and stays a predicate otherwise; at the top level the remaining magnitudes take
 * their least solution (a variable no literal constrains defaults to `Integer`). `a ≤ b` is the
 * join `b = a ⊔ b`; it types a variable that is reassigned with a wider number.
 */
import type { Span } from "@cadenza/core";
import { type NumName, num, resolve, type Type, type TypeVar } from "./types.js";
import { unify } from "./unify.js";

/** Where a constraint comes from, for its diagnostics. */
export interface Site {
  /** The whole expression (an operator application, a call). */
  readonly span: Span;
  /** The operator or function name the constraint is about. */
  readonly operator: string;
  /** The left and right operand spans, when the site is a binary operator. */
  readonly left?: Span;
  readonly right?: Span;
  /** The function whose scheme this constraint was instantiated from, when it was. */
  readonly via?: string;
}

/** A deferred predicate on types. */
export type Constraint =
  | {
      /** `c = a ⊔ b` on magnitudes. */
      readonly kind: "join";
      readonly a: Type;
      readonly b: Type;
      readonly c: Type;
      readonly site: Site;
    }
  | {
      /** `left + right : result`: numbers and quantities (with promotion) or Strings. */
      readonly kind: "add";
      readonly left: Type;
      readonly right: Type;
      readonly result: Type;
      readonly site: Site;
    }
  | {
      /** `left < right` and friends: numbers/quantities of one dimension, Strings, Chars. */
      readonly kind: "order";
      readonly left: Type;
      readonly right: Type;
      readonly site: Site;
    }
  | {
      /** `left == right`: structural, numbers comparable across the tower. */
      readonly kind: "equal";
      readonly left: Type;
      readonly right: Type;
      readonly site: Site;
    }
  | {
      /** A user-declared trait (`Shape a`): some `impl` must exist for the type. */
      readonly kind: "trait";
      readonly trait: string;
      readonly type: Type;
      readonly site: Site;
    };

/** The types a constraint mentions. */
export function constraintTypes(c: Constraint): Type[] {
  switch (c.kind) {
    case "join":
      return [c.a, c.b, c.c];
    case "add":
      return [c.left, c.right, c.result];
    case "order":
    case "equal":
      return [c.left, c.right];
    case "trait":
      return [c.type];
  }
}

/** The same constraint with every type mapped (and optionally a new site). */
export function mapConstraint(
  c: Constraint,
  f: (t: Type) => Type,
  site: Site = c.site,
): Constraint {
  switch (c.kind) {
    case "join":
      return { kind: "join", a: f(c.a), b: f(c.b), c: f(c.c), site };
    case "add":
      return { kind: "add", left: f(c.left), right: f(c.right), result: f(c.result), site };
    case "order":
      return { kind: "order", left: f(c.left), right: f(c.right), site };
    case "equal":
      return { kind: "equal", left: f(c.left), right: f(c.right), site };
    case "trait":
      return { kind: "trait", trait: c.trait, type: f(c.type), site };
  }
}

const RANK: Record<NumName, number> = { Integer: 0, Rational: 1, Float: 2 };
const BY_RANK: readonly NumName[] = ["Integer", "Rational", "Float"];

/** The larger of two magnitudes in the tower. */
export function maxNum(a: NumName, b: NumName): NumName {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The outcome of one attempt at a constraint. */
export type StepResult =
  | { readonly kind: "done" }
  | { readonly kind: "stuck" }
  /** The constraint cannot hold; `expected`/`found` describe the conflict. */
  | { readonly kind: "failed"; readonly expected: Type; readonly found: Type };

const DONE: StepResult = { kind: "done" };
const STUCK: StepResult = { kind: "stuck" };

function unifyOr(expected: Type, found: Type): StepResult {
  return unify(expected, found) === undefined ? DONE : { kind: "failed", expected, found };
}

/** One attempt at `c = a ⊔ b`. */
export function stepJoin(a0: Type, b0: Type, c0: Type): StepResult {
  const a = resolve(a0);
  const b = resolve(b0);
  const c = resolve(c0);
  if (a.kind === "unknown" || b.kind === "unknown" || c.kind === "unknown") return DONE;
  if (a.kind === "num" && b.kind === "num") return unifyOr(c, num(maxNum(a.name, b.name)));
  if (a === b) return unifyOr(c, a);
  if (a.kind === "num" && a.name === "Integer") return unifyOr(c, b);
  if (b.kind === "num" && b.name === "Integer") return unifyOr(c, a);
  if ((a.kind === "num" && a.name === "Float") || (b.kind === "num" && b.name === "Float")) {
    return unifyOr(c, num("Float"));
  }
  if (c.kind === "num") {
    if (c.name === "Integer") {
      const r = unifyOr(a, c);
      return r.kind === "done" ? unifyOr(b, c) : r;
    }
    // One side known: it must not exceed c; if it is below c the other side must be c.
    for (const [known, other] of [
      [a, b],
      [b, a],
    ] as const) {
      if (known.kind !== "num") continue;
      if (RANK[known.name] > RANK[c.name]) return { kind: "failed", expected: c, found: known };
      if (RANK[known.name] < RANK[c.name]) return unifyOr(other, c);
    }
    return STUCK;
  }
  return STUCK;
}

/** Whether a join holds for fully known magnitudes. */
function joinHolds(a: NumName, b: NumName, c: NumName): boolean {
  return maxNum(a, b) === c;
}

/**
 * Gives every magnitude variable of the remaining joins its least solution: start from
 * `Integer` and raise results to the join of their operands until nothing changes (the
 * tower has three levels, so this ends quickly), then link the variables. Returns the joins
 * that still do not hold, which are genuine errors.
 */
export function defaultJoins(
  joins: readonly Extract<Constraint, { kind: "join" }>[],
): Extract<Constraint, { kind: "join" }>[] {
  const value = new Map<TypeVar, NumName>();
  const get = (t: Type): NumName | undefined => {
    const r = resolve(t);
    if (r.kind === "num") return r.name;
    if (r.kind === "var") return value.get(r) ?? "Integer";
    return undefined;
  };
  for (const j of joins) {
    for (const t of [j.a, j.b, j.c]) {
      const r = resolve(t);
      if (r.kind === "var" && r.varKind === "num" && !value.has(r)) value.set(r, "Integer");
    }
  }
  for (let changed = true, guard = 0; changed && guard < 100; guard++) {
    changed = false;
    for (const j of joins) {
      const c = resolve(j.c);
      if (c.kind !== "var") continue;
      const a = get(j.a);
      const b = get(j.b);
      const current = value.get(c) ?? "Integer";
      if (a === undefined || b === undefined) continue;
      const want = maxNum(maxNum(a, b), current);
      if (want !== current) {
        value.set(c, want);
        changed = true;
      }
    }
  }
  for (const [v, n] of value) if (resolve(v).kind === "var") unify(v, num(n));
  return joins.filter((j) => {
    const a = get(j.a);
    const b = get(j.b);
    const c = get(j.c);
    return a !== undefined && b !== undefined && c !== undefined && !joinHolds(a, b, c);
  });
}

/** The magnitude names in tower order. */
export const TOWER: readonly NumName[] = BY_RANK;
