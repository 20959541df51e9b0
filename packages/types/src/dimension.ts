/**
 * Dimensions form a free abelian group over base units and dimension variables. Products are
 * maps to integer exponents; unification solves `d1 · d2⁻¹ = 1` over the integers as in
 * Kennedy's dimension types ("Dimension types", ESOP 1994): pick the variable with the
 * smallest exponent; if it divides every other exponent, solve for it, otherwise substitute a
 * fresh variable that reduces the exponents modulo it and repeat (Euclid's algorithm on the
 * exponents). This gives most general unifiers, so `fn speed d t = d / t` generalises.
 */
import {
  DIMENSIONLESS,
  type Dimension,
  freshVar,
  resolve,
  setLevel,
  setLink,
  type Type,
  type TypeVar,
} from "./types.js";

/**
 * A product being built: small association lists (dimensions have a handful of factors, and
 * maps cost far more to create than a linear search over two or three entries).
 */
type MutableDim = { bases: [string, number][]; vars: [TypeVar, number][] };

function empty(): MutableDim {
  return { bases: [], vars: [] };
}

function addBase(acc: MutableDim, name: string, exponent: number): void {
  for (const entry of acc.bases) {
    if (entry[0] === name) {
      entry[1] += exponent;
      return;
    }
  }
  acc.bases.push([name, exponent]);
}

function addVar(acc: MutableDim, v: TypeVar, exponent: number): void {
  for (const entry of acc.vars) {
    if (entry[0] === v) {
      entry[1] += exponent;
      return;
    }
  }
  acc.vars.push([v, exponent]);
}

function addInto(acc: MutableDim, t: Type, exponent: number, depth = 0): void {
  if (exponent === 0) return;
  const r = resolve(t);
  if (r.kind === "var") {
    addVar(acc, r, exponent);
    return;
  }
  if (r.kind !== "dim" || depth > 10_000) return;
  for (const [b, e] of r.bases) addBase(acc, b, e * exponent);
  for (const [v, e] of r.vars) addInto(acc, v, e * exponent, depth + 1);
}

function freeze(acc: MutableDim): Dimension {
  const bases = acc.bases.filter(([, e]) => e !== 0);
  const vars = acc.vars.filter(([, e]) => e !== 0);
  if (bases.length === 0 && vars.length === 0) return DIMENSIONLESS;
  // Insertion sorts: a handful of factors, and `Array.prototype.sort` allocates.
  for (let i = 1; i < bases.length; i++) {
    const x = bases[i]!;
    let j = i - 1;
    for (; j >= 0 && bases[j]![0] > x[0]; j--) bases[j + 1] = bases[j]!;
    bases[j + 1] = x;
  }
  for (let i = 1; i < vars.length; i++) {
    const x = vars[i]!;
    let j = i - 1;
    for (; j >= 0 && vars[j]![0].id > x[0].id; j--) vars[j + 1] = vars[j]!;
    vars[j + 1] = x;
  }
  return { kind: "dim", bases, vars };
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
  for (const [b, e] of bases) addBase(acc, b, e);
  return freeze(acc);
}

/** `a · b`. */
export function mulDimensions(a: Type, b: Type): Dimension {
  if (isOne(b)) return normalizeDimension(a);
  if (isOne(a)) return normalizeDimension(b);
  const acc = empty();
  addInto(acc, a, 1);
  addInto(acc, b, 1);
  return freeze(acc);
}

/** `a / b`. */
export function divDimensions(a: Type, b: Type): Dimension {
  if (isOne(b)) return normalizeDimension(a);
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

/** Whether a term is the dimension `1` as it stands (no normalisation). */
function isOne(t: Type): boolean {
  const r = resolve(t);
  return r.kind === "dim" && r.bases.length === 0 && r.vars.length === 0;
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

/** Whether two normalised dimensions without variables are equal. */
function sameBases(a: Dimension, b: Dimension): boolean {
  if (a.bases.length !== b.bases.length) return false;
  for (let i = 0; i < a.bases.length; i++) {
    const [n, e] = a.bases[i]!;
    const [m, f] = b.bases[i]!;
    if (n !== m || e !== f) return false;
  }
  return true;
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
  const ra = resolve(a);
  const rb = resolve(b);
  if (ra === rb) return true;
  // The common shapes, solved as the general algorithm below would solve them.
  if (ra.kind === "dim" && rb.kind === "dim" && ra.vars.length === 0 && rb.vars.length === 0)
    return sameBases(ra, rb);
  if (ra.kind === "var" && rb.kind === "dim" && rb.vars.length === 0 && isNormal(rb)) {
    link(ra, rb);
    return true;
  }
  if (rb.kind === "var" && ra.kind === "dim" && ra.vars.length === 0 && isNormal(ra)) {
    link(rb, ra);
    return true;
  }
  if (ra.kind === "var" && rb.kind === "var") {
    // The variable of lower id is solved for: `v = w`.
    const [lo, hi] = ra.id < rb.id ? [ra, rb] : [rb, ra];
    link(lo, { kind: "dim", bases: [], vars: [[hi, 1]] });
    return true;
  }
  let eq = divDimensions(ra, rb);
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
      for (const [n, e] of bases) addBase(acc, n, -e / x);
      pending.push([v, freeze(acc)]);
      break;
    }
    if (others.length === 0) return false; // only base units left and x does not divide them
    // v = v' · Π others^(-⌊e/x⌋): the equation becomes v'^x · Π others^(e mod x) = 1.
    const fresh = freshVar("dim", v.level);
    const acc = empty();
    addVar(acc, fresh, 1);
    for (const [w, e] of others) addInto(acc, w, -floorDiv(e, x));
    for (const [n, e] of bases) addBase(acc, n, -floorDiv(e, x));
    const solution = freeze(acc);
    pending.push([v, solution]);
    // Rewrite the equation with v replaced.
    const next = empty();
    addVar(next, fresh, x);
    for (const [w, e] of others) addInto(next, w, e - floorDiv(e, x) * x);
    for (const [n, e] of bases) addBase(next, n, e - floorDiv(e, x) * x);
    eq = freeze(next);
  }
  // Link in order: later solutions refer to fresh variables introduced after earlier ones,
  // and earlier ones refer to those fresh variables, so every link stays acyclic.
  for (const [v, d] of pending) link(v, d);
  return true;
}
