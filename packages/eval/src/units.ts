import { unitProductText } from "@cadenza/syntax";
import {
  arith,
  float,
  int,
  isNumError,
  type Num,
  type NumResult,
  numCompare,
  numNeg,
  rat,
  toFloat,
} from "./numbers.js";
import { type Rational, ratDiv, ratMul, ratPow, ratToFloat } from "./rational.js";

/**
 * A unit of measure defined by `measure` (LANGUAGE.md §5.8). A base unit is its own
 * dimension; a derived unit has the dimension of the quantity that defined it and an exact
 * conversion factor relative to the base units, marked inexact when a Float took part.
 * Units are compared by identity: redefining a name makes a new unit.
 */
export interface UnitDef {
  readonly name: string;
  /** The dimension: base units with non-zero exponents, in order of first appearance. */
  readonly dimension: Dimension;
  /** The value of one of this unit in base units. */
  readonly factor: Rational;
  /** Whether a Float took part in the factor. */
  readonly inexact: boolean;
}

/** A product of base units with non-zero integer exponents. */
export type Dimension = ReadonlyMap<UnitDef, number>;

/** One named unit raised to a non-zero integer power. */
export interface UnitPower {
  readonly unit: UnitDef;
  readonly exponent: number;
}

/** A product of named units, kept in order of first appearance. */
export type UnitProduct = readonly UnitPower[];

/** A quantity: a number of the tower with a non-empty unit product. */
export interface QuantityValue {
  readonly kind: "quantity";
  readonly magnitude: Num;
  readonly units: UnitProduct;
}

/** Defines a new base unit, which is a new dimension. */
export function baseUnit(name: string): UnitDef {
  const dimension = new Map<UnitDef, number>();
  const unit: UnitDef = { name, dimension, factor: { num: 1n, den: 1n }, inexact: false };
  dimension.set(unit, 1);
  return unit;
}

/**
 * Defines a derived unit equal to `magnitude` of `units`: it gets their dimension and the
 * factor `magnitude × factor(units)`.
 */
export function derivedUnit(
  name: string,
  magnitude: Rational,
  magnitudeInexact: boolean,
  units: UnitProduct,
): UnitDef {
  const f = productFactor(units);
  return {
    name,
    dimension: dimensionOf(units),
    factor: ratMul(magnitude, f.factor),
    inexact: magnitudeInexact || f.inexact,
  };
}

/** The unit `prefix + unit.name` for an SI prefix power of ten. */
export function prefixedUnit(prefix: string, power: number, unit: UnitDef): UnitDef {
  const scale: Rational =
    power >= 0 ? { num: 10n ** BigInt(power), den: 1n } : { num: 1n, den: 10n ** BigInt(-power) };
  return derivedUnit(prefix + unit.name, scale, false, [{ unit, exponent: 1 }]);
}

/** The dimension of a unit product: its units expanded into base units. */
export function dimensionOf(units: UnitProduct): Dimension {
  const out = new Map<UnitDef, number>();
  for (const { unit, exponent } of units) {
    for (const [base, e] of unit.dimension) out.set(base, (out.get(base) ?? 0) + e * exponent);
  }
  for (const [base, e] of out) if (e === 0) out.delete(base);
  return out;
}

/** Whether two dimensions are equal. */
export function dimensionsEqual(a: Dimension, b: Dimension): boolean {
  if (a.size !== b.size) return false;
  for (const [base, e] of a) if (b.get(base) !== e) return false;
  return true;
}

/** Whether two unit products are the same units with the same exponents (order ignored). */
export function unitProductsEqual(a: UnitProduct, b: UnitProduct): boolean {
  if (a.length !== b.length) return false;
  return a.every((p) => b.some((q) => q.unit === p.unit && q.exponent === p.exponent));
}

/** The combined factor of a unit product and whether it is inexact. */
export function productFactor(units: UnitProduct): { factor: Rational; inexact: boolean } {
  let factor: Rational = { num: 1n, den: 1n };
  let inexact = false;
  for (const { unit, exponent } of units) {
    factor = ratMul(factor, ratPow(unit.factor, BigInt(exponent)));
    inexact ||= unit.inexact;
  }
  return { factor, inexact };
}

/**
 * Converts a magnitude from units `from` to units `to` (same dimension): multiplies by
 * `factor(from) / factor(to)`, as an Integer when exact and integral, a Rational when exact,
 * else as the nearest Float with the multiplication done in Float (LANGUAGE.md §5.8).
 */
export function convertMagnitude(magnitude: Num, from: UnitProduct, to: UnitProduct): NumResult {
  const f = productFactor(from);
  const t = productFactor(to);
  const ratio = ratDiv(f.factor, t.factor);
  if (ratio.num === ratio.den) return magnitude;
  if (f.inexact || t.inexact) return float(toFloat(magnitude) * ratToFloat(ratio));
  return arith("*", magnitude, ratio.den === 1n ? int(ratio.num) : rat(ratio));
}

/**
 * Multiplies unit products (`sign` 1) or divides them (`sign` -1): exponents add or subtract
 * in order of first appearance, left operand first; zero exponents vanish.
 */
export function combineUnits(a: UnitProduct, b: UnitProduct, sign: 1 | -1): UnitProduct {
  const out: { unit: UnitDef; exponent: number }[] = a.map((p) => ({ ...p }));
  for (const { unit, exponent } of b) {
    const existing = out.find((p) => p.unit === unit);
    if (existing) existing.exponent += sign * exponent;
    else out.push({ unit, exponent: sign * exponent });
  }
  return out.filter((p) => p.exponent !== 0);
}

/** Raises a unit product to an integer power. */
export function powerUnits(a: UnitProduct, k: number): UnitProduct {
  if (k === 0) return [];
  return a.map((p) => ({ unit: p.unit, exponent: p.exponent * k }));
}

/** The unit text of LANGUAGE.md §5.8 (empty for the empty product). */
export function unitText(units: UnitProduct): string {
  return unitProductText(units, (p) => p.unit.name);
}

/** The text of a dimension in base units, `dimensionless` when empty. */
export function dimensionText(dimension: Dimension): string {
  if (dimension.size === 0) return "dimensionless";
  return unitText([...dimension].map(([unit, exponent]) => ({ unit, exponent })));
}

/** A quantity, or the plain number when no units are left (LANGUAGE.md D5). */
export function quantity(magnitude: Num, units: UnitProduct): QuantityValue | Num {
  return units.length === 0 ? magnitude : { kind: "quantity", magnitude, units };
}

/** Why a quantity operation failed: an arithmetic error or a dimension mismatch. */
export type QuantityError = Exclude<NumResult, Num> | "dimension";

/** The result of a quantity operation. */
export type QuantityResult = QuantityValue | Num | QuantityError;

/** A number or quantity viewed as magnitude and units (a plain number has no units). */
function view(x: QuantityValue | Num): { magnitude: Num; units: UnitProduct } {
  return x.kind === "quantity" ? x : { magnitude: x, units: [] };
}

/**
 * `+`, `-` or `%` on quantities (or a quantity and a plain number, which is a dimension
 * error): the right operand is converted to the left's units.
 */
export function quantityAddLike(
  op: "+" | "-" | "%",
  left: QuantityValue | Num,
  right: QuantityValue | Num,
): QuantityResult {
  const l = view(left);
  const r = view(right);
  if (!dimensionsEqual(dimensionOf(l.units), dimensionOf(r.units))) return "dimension";
  const converted = convertMagnitude(r.magnitude, r.units, l.units);
  if (isNumError(converted)) return converted;
  const m = arith(op, l.magnitude, converted);
  return isNumError(m) ? m : quantity(m, l.units);
}

/** Compares quantities of one dimension after converting the right one to the left's units. */
export function quantityCompare(
  left: QuantityValue | Num,
  right: QuantityValue | Num,
): -1 | 0 | 1 | undefined | QuantityError {
  const l = view(left);
  const r = view(right);
  if (!dimensionsEqual(dimensionOf(l.units), dimensionOf(r.units))) return "dimension";
  const converted = convertMagnitude(r.magnitude, r.units, l.units);
  if (isNumError(converted)) return converted;
  return numCompare(l.magnitude, converted);
}

/**
 * `*` or `/` on quantities and numbers: each unit of the right operand whose dimension equals
 * that of a unit of the left one is first converted to that unit; then exponents combine.
 */
export function quantityMulDiv(
  op: "*" | "/",
  left: QuantityValue | Num,
  right: QuantityValue | Num,
): QuantityResult {
  const l = view(left);
  const r = view(right);
  const from: UnitPower[] = [];
  const to: UnitPower[] = [];
  const renamed: UnitPower[] = r.units.map((p) => {
    if (l.units.some((q) => q.unit === p.unit)) return p;
    const dim = dimensionOf([{ unit: p.unit, exponent: 1 }]);
    const target = l.units.find((q) =>
      dimensionsEqual(dimensionOf([{ unit: q.unit, exponent: 1 }]), dim),
    );
    if (!target) return p;
    from.push(p);
    to.push({ unit: target.unit, exponent: p.exponent });
    return { unit: target.unit, exponent: p.exponent };
  });
  let rm = r.magnitude;
  if (from.length > 0) {
    const c = convertMagnitude(rm, from, to);
    if (isNumError(c)) return c;
    rm = c;
  }
  const m = arith(op, l.magnitude, rm);
  if (isNumError(m)) return m;
  return quantity(m, combineUnits(l.units, renamed, op === "*" ? 1 : -1));
}

/** `q ** k` for an Integer exponent: exponents are multiplied by `k`. */
export function quantityPow(q: QuantityValue, k: Num & { kind: "integer" }): QuantityResult {
  const m = arith("**", q.magnitude, k);
  if (isNumError(m)) return m;
  return quantity(m, powerUnits(q.units, Number(k.value)));
}

/** `-q`. */
export function quantityNeg(q: QuantityValue): QuantityResult {
  const m = numNeg(q.magnitude);
  return isNumError(m) ? m : quantity(m, q.units);
}
