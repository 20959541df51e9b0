/**
 * Dimensions form a free abelian group over base units and dimension variables. Products are
 * maps to integer exponents; unification solves `d1 · d2⁻¹ = 1` over the integers as in
 * Kennedy's dimension types ("Dimension types", ESOP 1994): pick the variable with the
 * smallest exponent; if it divides every other exponent, solve for it, otherwise substitute a
 * fresh variable that reduces the exponents modulo it and repeat (Euclid's algorithm on the
 * exponents). This gives most general unifiers, so `fn speed d t = d / t` generalises.
 */
import {
  type Dimension,
  freshVar,
  resolve,
  setLevel,
  setLink,
  type Type,
  type TypeVar,
} from "./types.js";

type MutableDim = { bases: Map<string, number>; vars: Map<TypeVar, number> };

function empty(): MutableDim {
  return { bases: new Map(), vars: new Map() };
}

function addInto(acc: MutableDim, t: Type, exponent: number, depth = 0): void {
  if (exponent === 0) return;
  const r = resolve(t);
  if (r.kind === "var") {
    acc.vars.set(r, (acc.vars.get(r) ?? 0) + exponent);
    return;
  }
  if (r.kind !== "dim" || depth > 10_000) return;
  for (const [b, e] of r.bases) acc.bases.set(b, (acc.bases.get(b) ?? 0) + e * exponent);
  for (const [v, e] of r.vars) addInto(acc, v, e * exponent, depth + 1);
}

function freeze(acc: MutableDim): Dimension {
  return {
    kind: "dim",
    bases: [...acc.bases]
      .filter(([, e]) => e !== 0)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    vars: [...acc.vars].filter(([, e]) => e !== 0).sort((a, b) => a[0].id - b[0].id),
  };
}

/**
 * The normal form of a dimension term (a {@link Dimension} or a dimension variable): linked
 * variables expanded, exponents summed, zero exponents dropped, keys sorted. Two dimensions
 * are equal exactly when their normal forms are structurally equal.
 */
export function normalizeDimension(t: Type): Dimension {
  const r = resolve(t);
  if (r.kind === "dim" && isNormal(r)) return r;
  const acc = empty();
  addInto(acc, t, 1);
  return freeze(acc);
}

/**
 * Whether a dimension term is already in normal form: no linked variable and variables in
 * increasing id order (terms built here are normalised; a copy made by instantiation may list
 * its fresh variables in another order).
 */
function isNormal(d: Dimension): boolean {
  const vars = d.vars;
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i]![0];
    if (v.link !== undefined || vars[i]![1] === 0) return false;
    if (i > 0 && vars[i - 1]![0].id >= v.id) return false;
  }
  return true;
}

/** The dimension of one base unit. */
export function baseDimension(name: string): Dimension {
  return { kind: "dim", bases: [[name, 1]], vars: [] };
}

/** The dimension consisting of one variable. */
export function varDimension(v: TypeVar): Dimension {
  return { kind: "dim", bases: [], vars: [[v, 1]] };
}

/** A dimension from base-unit exponents. */
export function dimensionOf(bases: Iterable<readonly [string, number]>): Dimension {
  const acc = empty();
  for (const [b, e] of bases) acc.bases.set(b, (acc.bases.get(b) ?? 0) + e);
  return freeze(acc);
}

/** `a · b`. */
export function mulDimensions(a: Type, b: Type): Dimension {
  const acc = empty();
  addInto(acc, a, 1);
  addInto(acc, b, 1);
  return freeze(acc);
}

/** `a / b`. */
export function divDimensions(a: Type, b: Type): Dimension {
  const acc = empty();
  addInto(acc, a, 1);
  addInto(acc, b, -1);
  return freeze(acc);
}

/** `a^k`. */
export function powDimension(a: Type, k: number): Dimension {
  const acc = empty();
  addInto(acc, a, k);
  return freeze(acc);
}

/** `a⁻¹`. */
export function invDimension(a: Type): Dimension {
  return powDimension(a, -1);
}

/** Whether a dimension normalises to `1`. */
export function isDimensionless(t: Type): boolean {
  const d = normalizeDimension(t);
  return d.bases.length === 0 && d.vars.length === 0;
}

/** Whether two dimensions are equal (after normalisation; variables compared by identity). */
export function dimensionsEqual(a: Type, b: Type): boolean {
  const q = divDimensions(a, b);
  return q.bases.length === 0 && q.vars.length === 0;
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function link(v: TypeVar, d: Dimension): void {
  // Levels: every variable of the solution now lives wherever `v` lived.
  for (const [w] of d.vars) if (w.level > v.level) setLevel(w, v.level);
  setLink(v, d);
}

/**
 * Solves `a = b` for the variables of both sides, linking them. Returns false (and links
 * nothing) when no integer solution exists, e.g. `meter = second` or `u² = meter³`.
 */
export function unifyDimensions(a: Type, b: Type): boolean {
  let eq = divDimensions(a, b);
  const pending: [TypeVar, Dimension][] = [];
  for (let guard = 0; guard < 1000; guard++) {
    if (eq.vars.length === 0) {
      if (eq.bases.length !== 0) return false;
      break;
    }
    // The variable with the smallest absolute exponent.
    let best = eq.vars[0]!;
    for (const entry of eq.vars) if (Math.abs(entry[1]) < Math.abs(best[1])) best = entry;
    const [v, raw] = best;
    // Work with a positive exponent: d = 1 iff d⁻¹ = 1.
    const sign = raw < 0 ? -1 : 1;
    const x = raw * sign;
    const others: [Type, number][] = [];
    for (const [w, e] of eq.vars) if (w !== v) others.push([w, e * sign]);
    const bases: [string, number][] = eq.bases.map(([n, e]) => [n, e * sign]);
    const divides = others.every(([, e]) => e % x === 0) && bases.every(([, e]) => e % x === 0);
    if (divides) {
      // v = Π others^(-e/x)
      const acc = empty();
      for (const [w, e] of others) addInto(acc, w, -e / x);
      for (const [n, e] of bases) acc.bases.set(n, -e / x);
      pending.push([v, freeze(acc)]);
      break;
    }
    if (others.length === 0) return false; // only base units left and x does not divide them
    // v = v' · Π others^(-⌊e/x⌋): the equation becomes v'^x · Π others^(e mod x) = 1.
    const fresh = freshVar("dim", v.level);
    const acc = empty();
    acc.vars.set(fresh, 1);
    for (const [w, e] of others) addInto(acc, w, -floorDiv(e, x));
    for (const [n, e] of bases) acc.bases.set(n, (acc.bases.get(n) ?? 0) - floorDiv(e, x));
    const solution = freeze(acc);
    pending.push([v, solution]);
    // Rewrite the equation with v replaced.
    const next = empty();
    next.vars.set(fresh, x);
    for (const [w, e] of others) addInto(next, w, e - floorDiv(e, x) * x);
    for (const [n, e] of bases) next.bases.set(n, e - floorDiv(e, x) * x);
    eq = freeze(next);
  }
  // Link in order: later solutions refer to fresh variables introduced after earlier ones,
  // and earlier ones refer to those fresh variables, so every link stays acyclic.
  for (const [v, d] of pending) link(v, d);
  return true;
}
