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

// The loops of this file are indexed and do not destructure: they run for every arithmetic
// operation of a program, mostly in unoptimised code on a first check, where `for…of` and
// `[a, b] =` allocate an iterator and its results per step.

function addBase(acc: MutableDim, name: string, exponent: number): void {
  const bases = acc.bases;
  for (let i = 0; i < bases.length; i++) {
    const entry = bases[i]!;
    if (entry[0] === name) {
      entry[1] += exponent;
      return;
    }
  }
  acc.bases.push([name, exponent]);
}

function addVar(acc: MutableDim, v: TypeVar, exponent: number): void {
  const vars = acc.vars;
  for (let i = 0; i < vars.length; i++) {
    const entry = vars[i]!;
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
  const bases = r.bases;
  for (let i = 0; i < bases.length; i++) addBase(acc, bases[i]![0], bases[i]![1] * exponent);
  const vars = r.vars;
  for (let i = 0; i < vars.length; i++)
    addInto(acc, vars[i]![0], vars[i]![1] * exponent, depth + 1);
}

function freeze(acc: MutableDim): Dimension {
  const bases = nonZero(acc.bases);
  const vars = nonZero(acc.vars);
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

/** The entries of a product with a non-zero exponent (the same array when all are). */
function nonZero<K>(entries: [K, number][]): [K, number][] {
  let out: [K, number][] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (out === undefined && entry[1] === 0) out = entries.slice(0, i);
    else if (out !== undefined && entry[1] !== 0) out.push(entry);
  }
  return out ?? entries;
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
    const x = a.bases[i]!;
    const y = b.bases[i]!;
    if (x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function link(v: TypeVar, d: Dimension): void {
  // Levels: every variable of the solution now lives wherever `v` lived.
  const vars = d.vars;
  for (let i = 0; i < vars.length; i++) {
    const w = vars[i]![0];
    if (w.level > v.level) setLevel(w, v.level);
  }
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
    if (ra.id < rb.id) link(ra, varDimension(rb));
    else link(rb, varDimension(ra));
    return true;
  }
  return solveDimensions(ra, rb);
}

/**
 * The general case of {@link unifyDimensions} (Kennedy's algorithm), a function of its own:
 * the common shapes above are compiled without it.
 */
function solveDimensions(ra: Type, rb: Type): boolean {
  let eq = divDimensions(ra, rb);
  const pending: [TypeVar, Dimension][] = [];
  for (let guard = 0; guard < 1000; guard++) {
    if (eq.vars.length === 0) {
      if (eq.bases.length !== 0) return false;
      break;
    }
    // The variable with the smallest absolute exponent.
    const vars = eq.vars;
    let best = vars[0]!;
    for (let i = 1; i < vars.length; i++)
      if (Math.abs(vars[i]![1]) < Math.abs(best[1])) best = vars[i]!;
    const v = best[0];
    const raw = best[1];
    // Work with a positive exponent: d = 1 iff d⁻¹ = 1.
    const sign = raw < 0 ? -1 : 1;
    const x = raw * sign;
    const others: [TypeVar, number][] = [];
    for (let i = 0; i < vars.length; i++)
      if (vars[i]![0] !== v) others.push([vars[i]![0], vars[i]![1] * sign]);
    const bases: [string, number][] = [];
    for (let i = 0; i < eq.bases.length; i++) bases.push([eq.bases[i]![0], eq.bases[i]![1] * sign]);
    let divides = true;
    for (let i = 0; i < others.length && divides; i++) if (others[i]![1] % x !== 0) divides = false;
    for (let i = 0; i < bases.length && divides; i++) if (bases[i]![1] % x !== 0) divides = false;
    if (divides) {
      // v = Π others^(-e/x)
      const acc = empty();
      for (let i = 0; i < others.length; i++) addInto(acc, others[i]![0], -others[i]![1] / x);
      for (let i = 0; i < bases.length; i++) addBase(acc, bases[i]![0], -bases[i]![1] / x);
      pending.push([v, freeze(acc)]);
      break;
    }
    if (others.length === 0) return false; // only base units left and x does not divide them
    // v = v' · Π others^(-⌊e/x⌋): the equation becomes v'^x · Π others^(e mod x) = 1.
    const fresh = freshVar("dim", v.level);
    const acc = empty();
    addVar(acc, fresh, 1);
    for (let i = 0; i < others.length; i++)
      addInto(acc, others[i]![0], -floorDiv(others[i]![1], x));
    for (let i = 0; i < bases.length; i++) addBase(acc, bases[i]![0], -floorDiv(bases[i]![1], x));
    const solution = freeze(acc);
    pending.push([v, solution]);
    // Rewrite the equation with v replaced.
    const next = empty();
    addVar(next, fresh, x);
    for (let i = 0; i < others.length; i++) {
      const e = others[i]![1];
      addInto(next, others[i]![0], e - floorDiv(e, x) * x);
    }
    for (let i = 0; i < bases.length; i++) {
      const e = bases[i]![1];
      addBase(next, bases[i]![0], e - floorDiv(e, x) * x);
    }
    eq = freeze(next);
  }
  // Link in order: later solutions refer to fresh variables introduced after earlier ones,
  // and earlier ones refer to those fresh variables, so every link stays acyclic.
  for (let i = 0; i < pending.length; i++) link(pending[i]![0], pending[i]![1]);
  return true;
}
