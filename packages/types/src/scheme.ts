/**
 * Type schemes `forall vs. [C] => T`: level-based generalisation (a variable is generalisable
 * when its level is deeper than the binding's) and instantiation with fresh variables,
 * re-issuing the scheme's constraints at the use site.
 */
import type { Span } from "@cadenza/core";
import { type Constraint, constraintTypes, mapConstraint } from "./constraints.js";
import { normalizeDimension } from "./dimension.js";
import { forEachVar, freshVar, num, resolve, setLevel, type Type, type TypeVar } from "./types.js";
import { unify } from "./unify.js";

/** The level of generalised (quantified) variables. */
export const GENERIC: number = Number.POSITIVE_INFINITY;

/** A polymorphic type: its quantified variables have level {@link GENERIC}. */
export interface Scheme {
  /** The quantified variables, in order of first appearance in `type`. */
  readonly vars: readonly TypeVar[];
  /** Predicates every instantiation must satisfy. */
  readonly constraints: readonly Constraint[];
  readonly type: Type;
}

/** A scheme without quantified variables. */
export function monoScheme(type: Type): Scheme {
  return { vars: [], constraints: [], type };
}

/** A copy of `t` in which variables of level {@link GENERIC} are replaced through `map`. */
export function copyGeneric(t: Type, map: Map<TypeVar, TypeVar>, level: number): Type {
  const go = (x: Type): Type => {
    const r = resolve(x);
    switch (r.kind) {
      case "var": {
        if (r.level !== GENERIC) return r;
        let v = map.get(r);
        if (v === undefined) {
          v = freshVar(r.varKind, level);
          map.set(r, v);
        }
        return v;
      }
      case "num":
      case "unknown":
      case "named":
        return r;
      case "dim": {
        const d = normalizeDimension(r);
        if (d.vars.every(([v]) => v.level !== GENERIC)) return d;
        return normalizeDimension({
          kind: "dim",
          bases: d.bases,
          vars: d.vars.map(([v, e]) => [go(v) as TypeVar, e] as const),
        });
      }
      case "quantity":
        return { ...r, magnitude: go(r.magnitude), dim: go(r.dim) };
      case "con":
        return r.args.length === 0 ? r : { ...r, args: r.args.map(go) };
      case "fn":
        return { ...r, params: r.params.map(go), result: go(r.result), effects: go(r.effects) };
      case "tuple":
        return { ...r, items: r.items.map(go) };
      case "list":
        return { ...r, element: go(r.element) };
      case "record":
        return {
          ...r,
          fields: r.fields.map((f) => ({ name: f.name, type: go(f.type) })),
          rest: r.rest === undefined ? undefined : go(r.rest),
        };
      case "effects":
        return { ...r, rest: r.rest === undefined ? undefined : go(r.rest) };
    }
  };
  return go(t);
}

/** An instantiated scheme: a fresh type and the constraints it brings along. */
export interface Instance {
  readonly type: Type;
  readonly constraints: readonly Constraint[];
  /** Old quantified variable → its fresh copy. */
  readonly map: ReadonlyMap<TypeVar, TypeVar>;
}

/**
 * Instantiates a scheme at `level`. The scheme's constraints are re-issued with their site
 * moved to `useSite` (when given), naming the function they came through.
 */
export function instantiate(
  scheme: Scheme,
  level: number,
  useSite?: { readonly span: Span; readonly via: string },
): Instance {
  if (scheme.vars.length === 0) return { type: scheme.type, constraints: [], map: new Map() };
  const map = new Map<TypeVar, TypeVar>();
  const type = copyGeneric(scheme.type, map, level);
  const constraints = scheme.constraints.map((c) =>
    mapConstraint(
      c,
      (t) => copyGeneric(t, map, level),
      useSite === undefined ? c.site : { ...c.site, span: useSite.span, via: useSite.via },
    ),
  );
  return { type, constraints, map };
}

function constraintVars(c: Constraint): TypeVar[] {
  const out: TypeVar[] = [];
  for (const t of constraintTypes(c)) forEachVar(t, (v) => out.push(v));
  return out;
}

/** The result of {@link generalize}. */
export interface Generalized {
  readonly scheme: Scheme;
  /** The constraints that stay with the enclosing scope. */
  readonly remaining: Constraint[];
}

/**
 * Generalises `type` over the variables deeper than `level`. A constraint moves into the
 * scheme when all its variables are generalisable and it is connected to the type; a
 * constraint that also mentions outer variables keeps its variables monomorphic (they are
 * lowered to `level`) and stays pending; a constraint on generalisable variables that the
 * type does not mention is ambiguous and stays pending for defaulting.
 */
export function generalize(type: Type, level: number, pending: readonly Constraint[]): Generalized {
  // 1. Constraints mixing outer and inner variables pin their inner variables.
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of pending) {
      const vars = constraintVars(c);
      if (vars.some((v) => v.level <= level) && vars.some((v) => v.level > level)) {
        for (const v of vars) {
          if (v.level > level) {
            setLevel(v, level);
            changed = true;
          }
        }
      }
    }
  }
  // 2. Variables reachable from the type, then from constraints connected to it.
  const reach = new Set<TypeVar>();
  forEachVar(type, (v) => {
    if (v.level > level) reach.add(v);
  });
  const candidates = pending.filter((c) => {
    const vars = constraintVars(c);
    return vars.length > 0 && vars.every((v) => v.level > level);
  });
  const inScheme = new Set<Constraint>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of candidates) {
      if (inScheme.has(c)) continue;
      const vars = constraintVars(c);
      if (vars.some((v) => reach.has(v))) {
        inScheme.add(c);
        for (const v of vars) reach.add(v);
        changed = true;
      }
    }
  }
  // 3. Ambiguous constraints stay pending at this level.
  const remaining: Constraint[] = [];
  for (const c of pending) {
    if (inScheme.has(c)) continue;
    for (const v of constraintVars(c)) if (v.level > level) setLevel(v, level);
    remaining.push(c);
  }
  const vars = [...reach];
  for (const v of vars) setLevel(v, GENERIC);
  return {
    scheme: { vars, constraints: [...inScheme], type },
    remaining,
  };
}

/** Lowers every variable of `t` deeper than `level` to `level`: `t` stays monomorphic. */
export function lowerTo(t: Type, level: number): void {
  forEachVar(t, (v) => {
    if (v.level > level && v.level !== GENERIC) setLevel(v, level);
  });
}

/** Variables in negative (parameter) positions of a type. */
function negativeVars(t: Type): Set<TypeVar> {
  const out = new Set<TypeVar>();
  const go = (x: Type, negative: boolean): void => {
    const r = resolve(x);
    switch (r.kind) {
      case "var":
        if (negative) out.add(r);
        return;
      case "quantity":
        go(r.magnitude, negative);
        go(r.dim, negative);
        return;
      case "dim":
        for (const [v] of r.vars) go(v, negative);
        return;
      case "con":
        for (const a of r.args) go(a, true);
        return;
      case "fn":
        for (const p of r.params) go(p, !negative);
        go(r.result, negative);
        return;
      case "tuple":
        for (const i of r.items) go(i, negative);
        return;
      case "list":
        // Lists are invariant: count both ways.
        go(r.element, true);
        go(r.element, negative);
        return;
      case "record":
        for (const f of r.fields) go(f.type, negative);
        if (r.rest !== undefined) go(r.rest, negative);
        return;
      default:
        return;
    }
  };
  go(t, false);
  return out;
}

/**
 * Simplifies the magnitude bounds that argument passing and reassignment create, before
 * generalising (in the spirit of polarity-based simplification): variables bounded by each
 * other both ways are equal, and a variable that only has lower bounds and occurs only in
 * result positions takes its least value (its single lower bound, or the largest concrete
 * one). Without this, `fn square x = area x x` would read `[a ≤ b] => … (a ⊔ b)`.
 */
export function simplifyBounds(type: Type, level: number, pending: readonly Constraint[]): void {
  type Join = Extract<Constraint, { kind: "join" }>;
  // Not a type guard: a join that is not `a ≤ b` is still a join.
  const isLe = (c: Constraint): boolean => {
    if (c.kind !== "join") return false;
    const r = resolve(c.c);
    return r === resolve(c.a) || r === resolve(c.b);
  };
  const lowerOf = (c: Join): [Type, Type] => {
    const r = resolve(c.c);
    return [resolve(r === resolve(c.a) ? c.b : c.a), r];
  };
  const local = (t: Type): t is TypeVar =>
    t.kind === "var" && t.varKind === "num" && t.level > level && t.level !== GENERIC;
  // 1. a ≤ b and b ≤ a: a = b.
  for (let changed = true, guard = 0; changed && guard < 100; guard++) {
    changed = false;
    const les = pending.filter(isLe).map((c) => lowerOf(c as Join));
    for (const [x, y] of les) {
      if (x === y || !local(x) || !local(y)) continue;
      if (les.some(([p, q]) => p === y && q === x)) {
        unifyVars(x, y);
        changed = true;
      }
    }
  }
  // 2. Only lower bounds and only positive occurrences: the least value.
  const negative = negativeVars(type);
  const inOther = new Set<TypeVar>();
  for (const c of pending) {
    if (isLe(c)) {
      const [x] = lowerOf(c as Join);
      forEachVar(x, (v) => inOther.add(v));
      continue;
    }
    // Joins are monotone in their operands: lowering an operand only lowers the result.
    if (c.kind === "join") {
      forEachVar(c.c, (v) => inOther.add(v));
      continue;
    }
    for (const t of constraintTypes(c)) forEachVar(t, (v) => inOther.add(v));
  }
  const bounds = new Map<TypeVar, Type[]>();
  for (const c of pending) {
    if (!isLe(c)) continue;
    const [x, y] = lowerOf(c as Join);
    if (!local(y)) continue;
    const list = bounds.get(y) ?? [];
    list.push(x);
    bounds.set(y, list);
  }
  // A magnitude with no lower bound left (`Integer ≤ b` holds trivially and is dropped) and
  // only positive occurrences is an Integer.
  const candidate = (v: TypeVar): void => {
    if (local(v) && !bounds.has(v)) bounds.set(v, []);
  };
  forEachVar(type, candidate);
  for (const c of pending)
    if (c.kind === "join" && !isLe(c)) for (const t of [c.a, c.b]) forEachVar(t, candidate);
  for (const [v, lower] of bounds) {
    if (negative.has(v) || inOther.has(v) || resolve(v) !== v) continue;
    const distinct = [...new Set(lower.map(resolve))];
    if (distinct.length === 0) unifyVars(v, num("Integer"));
    else if (distinct.length === 1) unifyVars(v, distinct[0]!);
  }
}

function unifyVars(a: Type, b: Type): void {
  unify(a, b);
}
