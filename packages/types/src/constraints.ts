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
import {
  forEachVarOccurrence,
  mapPacked,
  type NumName,
  num,
  resolve,
  setLink,
  type Type,
  type TypeVar,
} from "./types.js";
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
      /**
       * `c = a ⊔ b ⊔ …` on magnitudes (n-ary, so that chains of operations stay one
       * predicate). When `c` is one of the `args` it reads `others ≤ c`.
       */
      readonly kind: "join";
      readonly args: readonly Type[];
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
      return [...c.args, c.c];
    case "add":
      return [c.left, c.right, c.result];
    case "order":
    case "equal":
      return [c.left, c.right];
    case "trait":
      return [c.type];
  }
}

/**
 * {@link forEachVarOccurrence} over the types of a constraint, in the order of
 * {@link constraintTypes}, without allocating.
 */
export function forEachConstraintVarOccurrence(c: Constraint, visit: (v: TypeVar) => void): void {
  switch (c.kind) {
    case "join":
      for (let i = 0; i < c.args.length; i++) forEachVarOccurrence(c.args[i]!, visit);
      forEachVarOccurrence(c.c, visit);
      return;
    case "add":
      forEachVarOccurrence(c.left, visit);
      forEachVarOccurrence(c.right, visit);
      forEachVarOccurrence(c.result, visit);
      return;
    case "order":
    case "equal":
      forEachVarOccurrence(c.left, visit);
      forEachVarOccurrence(c.right, visit);
      return;
    case "trait":
      forEachVarOccurrence(c.type, visit);
      return;
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
      return { kind: "join", args: mapPacked(c.args, f), c: f(c.c), site };
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

/** The operands of a join, resolved: the largest concrete magnitude and the variables. */
export function joinParts(
  args: readonly Type[],
  c: Type,
): { concrete: NumName; vars: TypeVar[]; selfRef: boolean; unknown: boolean } {
  let concrete: NumName = "Integer";
  const vars: TypeVar[] = [];
  let selfRef = false;
  let unknown = false;
  const rc = resolve(c);
  for (const a of args) {
    const r = resolve(a);
    if (r.kind === "num") concrete = maxNum(concrete, r.name);
    else if (r.kind === "var") {
      if (r === rc) selfRef = true;
      else if (!vars.includes(r)) vars.push(r);
    } else unknown = true;
  }
  return { concrete, vars, selfRef, unknown };
}

/** One attempt at `c = a ⊔ b ⊔ …`. */
export function stepJoin(args: readonly Type[], c0: Type): StepResult {
  const c = resolve(c0);
  if (c.kind !== "num" && c.kind !== "var") return DONE;
  // The operands, without allocating (this runs for every stuck join on every solving pass).
  let concrete: NumName = "Integer";
  let selfRef = false;
  let first: TypeVar | undefined;
  let distinct = 0;
  for (let i = 0; i < args.length; i++) {
    const r = resolve(args[i]!);
    if (r.kind === "num") concrete = maxNum(concrete, r.name);
    else if (r.kind === "var") {
      if (r === c) selfRef = true;
      else if (first === undefined) {
        first = r;
        distinct = 1;
      } else if (r !== first && distinct === 1) distinct = 2;
    } else return DONE;
  }
  if (concrete === "Float") return unifyOr(c, num("Float"));
  if (!selfRef) {
    if (distinct === 0) return unifyOr(c, num(concrete));
    if (distinct === 1 && concrete === "Integer") return unifyOr(c, first!);
  }
  if (c.kind === "num") {
    if (RANK[concrete] > RANK[c.name]) return { kind: "failed", expected: c, found: num(concrete) };
    if (c.name === "Integer") {
      for (const v of joinParts(args, c).vars) {
        const r = unifyOr(v, c);
        if (r.kind !== "done") return r;
      }
      return DONE;
    }
    // Below c: one variable must reach it.
    if (RANK[concrete] < RANK[c.name] && distinct === 1) return unifyOr(first!, c);
    return STUCK;
  }
  // `others ≤ c`: trivially true when the others are only Integer.
  if (selfRef && distinct === 0 && concrete === "Integer") return DONE;
  return STUCK;
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
  const start = (t: Type): void => {
    const r = resolve(t);
    if (r.kind === "var" && r.varKind === "num" && !value.has(r)) value.set(r, "Integer");
  };
  for (const j of joins) {
    for (const t of j.args) start(t);
    start(j.c);
  }
  /** The join of a join's operands with `from`; undefined when an operand is not a magnitude. */
  const joined = (j: Extract<Constraint, { kind: "join" }>, from: NumName): NumName | undefined => {
    let acc = from;
    for (const a of j.args) {
      const p = get(a);
      if (p === undefined) return undefined;
      acc = maxNum(acc, p);
    }
    return acc;
  };
  for (let changed = true, guard = 0; changed && guard < 100; guard++) {
    changed = false;
    for (const j of joins) {
      const c = resolve(j.c);
      if (c.kind !== "var") continue;
      const current = value.get(c) ?? "Integer";
      const want = joined(j, current);
      if (want !== undefined && want !== current) {
        value.set(c, want);
        changed = true;
      }
    }
  }
  // The variables are free magnitudes: linking them cannot fail, so no unification is needed.
  value.forEach((n, v) => {
    const r = resolve(v);
    if (r.kind === "var") setLink(r, num(n));
  });
  return joins.filter((j) => {
    const c = get(j.c);
    if (c === undefined) return false;
    const parts = joined(j, "Integer");
    return parts !== undefined && parts !== c;
  });
}
