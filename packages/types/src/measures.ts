/**
 * Units of measure as the checker sees them (LANGUAGE.md §5.8): each unit has a dimension over
 * base units and an exact conversion factor, so that the checker can compute the magnitude
 * type of a conversion (`500millimeter + 2inch` is `Quantity Float millimeter` because the
 * factor of `inch` is inexact) exactly as the evaluator will.
 */
import { dimensionOf } from "./dimension.js";
import { type Dimension, mapPacked, type NumName, type UnitPower } from "./types.js";

/** An exact fraction with a positive denominator, in lowest terms. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

/** What the checker knows about one unit. */
export interface MeasureInfo {
  readonly name: string;
  /** Base unit name → exponent. A base unit's dimension is itself. */
  readonly dimension: ReadonlyMap<string, number>;
  /** The value of one of this unit in base units; undefined when it could not be computed. */
  readonly factor: Ratio | undefined;
  /** Whether a Float took part in the factor. */
  readonly inexact: boolean;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** A normalised ratio. */
export function ratio(num: bigint, den: bigint = 1n): Ratio {
  if (den === 0n) return { num: 0n, den: 1n };
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/** `a · b`. */
export function ratioMul(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.num, a.den * b.den);
}

/** `a / b`. */
export function ratioDiv(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den, a.den * b.num);
}

/** `a^k` for an integer `k`. */
export function ratioPow(a: Ratio, k: number): Ratio {
  const e = BigInt(Math.abs(k));
  return k >= 0 ? ratio(a.num ** e, a.den ** e) : ratio(a.den ** e, a.num ** e);
}

/** The exact decimal value of a Float literal's text, as the evaluator counts it (§5.8). */
export function decimalRatio(value: number): Ratio {
  if (!Number.isFinite(value)) return ratio(0n);
  const text = value.toString();
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text);
  if (!m) return ratio(0n);
  const digits = BigInt((m[2] ?? "") + (m[3] ?? ""));
  const exponent = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  const signed = m[1] === "-" ? -digits : digits;
  return exponent >= 0
    ? ratio(signed * 10n ** BigInt(exponent))
    : ratio(signed, 10n ** BigInt(-exponent));
}

export { SI_PREFIXES } from "@cadenza/syntax";

/** Every unit known to one check, by name. Later definitions replace earlier ones. */
export class UnitRegistry {
  private readonly units = new Map<string, MeasureInfo>();
  /** The base powers and dimension of single units (`1meter` is everywhere), until a define. */
  private readonly singles = new Map<string, { powers: UnitPower[]; dimension: Dimension }>();

  /** Adds (or replaces) a unit. */
  define(info: MeasureInfo): void {
    this.units.set(info.name, info);
    this.singles.clear();
  }

  /** {@link basePowers} and {@link dimensionOf} of one unit to the first power, cached. */
  private single(unit: string): { powers: UnitPower[]; dimension: Dimension } {
    let s = this.singles.get(unit);
    if (s === undefined) {
      const powers = this.basePowers([{ unit, exponent: 1 }]);
      s = { powers, dimension: dimensionOf(powers.map((p) => [p.unit, p.exponent] as const)) };
      this.singles.set(unit, s);
    }
    return s;
  }

  /** Defines a base unit: a new dimension. */
  defineBase(name: string): MeasureInfo {
    const info: MeasureInfo = {
      name,
      dimension: new Map([[name, 1]]),
      factor: ratio(1n),
      inexact: false,
    };
    this.define(info);
    return info;
  }

  /** The unit of the given name. */
  get(name: string): MeasureInfo | undefined {
    return this.units.get(name);
  }

  /** Whether a unit of that name exists. */
  has(name: string): boolean {
    return this.units.has(name);
  }

  /** Every unit, in definition order. */
  all(): MeasureInfo[] {
    return [...this.units.values()];
  }

  /**
   * The dimension of a unit product as base-unit powers, in order of first appearance (the
   * order the evaluator prints dimensions in). Unknown units count as base units.
   */
  basePowers(units: readonly UnitPower[]): UnitPower[] {
    const out = new Map<string, number>();
    for (const { unit, exponent } of units) {
      const info = this.units.get(unit);
      const dim = info?.dimension ?? new Map([[unit, 1]]);
      for (const [base, e] of dim) out.set(base, (out.get(base) ?? 0) + e * exponent);
    }
    return [...out].filter(([, e]) => e !== 0).map(([unit, exponent]) => ({ unit, exponent }));
  }

  /** The dimension term of a unit product. */
  dimensionOf(units: readonly UnitPower[]): Dimension {
    if (units.length === 1 && units[0]!.exponent === 1)
      return this.single(units[0]!.unit).dimension;
    return dimensionOf(this.basePowers(units).map((p) => [p.unit, p.exponent] as const));
  }

  /** The combined factor of a unit product, undefined when some factor is unknown. */
  factorOf(units: readonly UnitPower[]): { factor: Ratio; inexact: boolean } | undefined {
    let factor = ratio(1n);
    let inexact = false;
    for (const { unit, exponent } of units) {
      const info = this.units.get(unit);
      if (info?.factor === undefined) return undefined;
      factor = ratioMul(factor, ratioPow(info.factor, exponent));
      inexact ||= info.inexact;
    }
    return { factor, inexact };
  }

  /**
   * The magnitude type a conversion from `from` to `to` multiplies by, as the evaluator does
   * it: nothing for a ratio of 1, Integer for an exact whole ratio, Rational for another exact
   * ratio, Float when an inexact factor takes part; `unknown` when a factor is unknown.
   */
  conversion(from: readonly UnitPower[], to: readonly UnitPower[]): NumName | "none" | "unknown" {
    const f = this.factorOf(from);
    const t = this.factorOf(to);
    if (f === undefined || t === undefined) return "unknown";
    const r = ratioDiv(f.factor, t.factor);
    if (r.num === r.den) return "none";
    if (f.inexact || t.inexact) return "Float";
    return r.den === 1n ? "Integer" : "Rational";
  }

  /** Whether two single units have the same dimension. */
  sameDimension(a: string, b: string): boolean {
    const x = this.single(a).powers;
    const y = this.single(b).powers;
    return (
      x.length === y.length &&
      x.every((p) => y.some((q) => q.unit === p.unit && q.exponent === p.exponent))
    );
  }

  /**
   * The units of `left * right` or `left / right` and the conversion the right operand goes
   * through first (LANGUAGE.md §5.8): each unit of `right` whose dimension equals that of a
   * unit of `left` is converted to that unit; then exponents add (or subtract) in order of
   * first appearance, left operand first, and zero exponents vanish.
   */
  combine(
    left: readonly UnitPower[],
    right: readonly UnitPower[],
    sign: 1 | -1,
  ): { units: UnitPower[]; conversion: NumName | "none" | "unknown" } {
    const from: UnitPower[] = [];
    const to: UnitPower[] = [];
    const renamed = mapPacked(right, (p) => {
      if (left.some((q) => q.unit === p.unit)) return p;
      const target = left.find((q) => this.sameDimension(q.unit, p.unit));
      if (target === undefined) return p;
      from.push(p);
      to.push({ unit: target.unit, exponent: p.exponent });
      return { unit: target.unit, exponent: p.exponent };
    });
    const out = mapPacked(left, (p) => ({ unit: p.unit, exponent: p.exponent }));
    for (const { unit, exponent } of renamed) {
      const existing = out.find((p) => p.unit === unit);
      if (existing) existing.exponent += sign * exponent;
      else out.push({ unit, exponent: sign * exponent });
    }
    return {
      units: out.filter((p) => p.exponent !== 0),
      conversion: from.length === 0 ? "none" : this.conversion(from, to),
    };
  }
}
