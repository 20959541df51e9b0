import { renderFloat } from "@cadenza/syntax";
import {
  bitLength,
  formatRational,
  type Rational,
  ratAdd,
  ratCompare,
  ratDiv,
  rational,
  ratMul,
  ratNeg,
  ratPow,
  ratRem,
  ratSub,
  ratToFloat,
} from "./rational.js";

/**
 * An Integer (LANGUAGE.md §6) in canonical form: a JavaScript number when it is a safe
 * integer (the fast path), a BigInt otherwise. Canonical form makes `===` numeric equality.
 * Every Integer value lies in the signed 128-bit range.
 */
export type Int = number | bigint;

/** The smallest Integer, -2^127. */
export const INT_MIN: bigint = -(2n ** 127n);
/** The largest Integer, 2^127 - 1. */
export const INT_MAX: bigint = 2n ** 127n - 1n;

/** An Integer value. */
export interface IntegerValue {
  readonly kind: "integer";
  readonly value: Int;
}

/** A Rational value; integral rationals stay Rational. */
export interface RationalValue {
  readonly kind: "rational";
  readonly value: Rational;
}

/** A Float value (IEEE-754 binary64). */
export interface FloatValue {
  readonly kind: "float";
  readonly value: number;
}

/** A number of the tower: Integer < Rational < Float. */
export type Num = IntegerValue | RationalValue | FloatValue;

/**
 * Why an arithmetic operation has no result: an Integer left the 128-bit range, a divisor was
 * zero, or an exact power would exceed {@link MAX_POW_BITS}.
 */
export type NumError = "overflow" | "division-by-zero" | "too-large";

/** The result of an arithmetic operation. */
export type NumResult = Num | NumError;

/** Whether a result is an error rather than a number. */
export function isNumError(r: NumResult): r is NumError {
  return typeof r === "string";
}

/** The canonical form of a BigInt Integer (no range check). */
export function canonicalInt(b: bigint): Int {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** Whether a BigInt lies in the Integer range. */
export function inIntRange(b: bigint): boolean {
  return b >= INT_MIN && b <= INT_MAX;
}

/** The BigInt value of an Integer. */
export function intToBigInt(a: Int): bigint {
  return typeof a === "bigint" ? a : BigInt(a);
}

/** An Integer value from a number or BigInt (canonicalised, no range check). */
export function int(value: number | bigint): IntegerValue {
  return { kind: "integer", value: typeof value === "bigint" ? canonicalInt(value) : value };
}

/** A Rational value. */
export function rat(value: Rational): RationalValue {
  return { kind: "rational", value };
}

/** A Float value. */
export function float(value: number): FloatValue {
  return { kind: "float", value };
}

function checked(b: bigint): IntegerValue | "overflow" {
  return inIntRange(b) ? int(b) : "overflow";
}

/** `a + b` on Integers, or `"overflow"`. */
export function intAdd(a: Int, b: Int): IntegerValue | "overflow" {
  if (typeof a === "number" && typeof b === "number") {
    const r = a + b;
    if (Number.isSafeInteger(r)) return { kind: "integer", value: r };
  }
  return checked(intToBigInt(a) + intToBigInt(b));
}

/** `a - b` on Integers, or `"overflow"`. */
export function intSub(a: Int, b: Int): IntegerValue | "overflow" {
  if (typeof a === "number" && typeof b === "number") {
    const r = a - b;
    if (Number.isSafeInteger(r)) return { kind: "integer", value: r };
  }
  return checked(intToBigInt(a) - intToBigInt(b));
}

/** `a * b` on Integers, or `"overflow"`. */
export function intMul(a: Int, b: Int): IntegerValue | "overflow" {
  if (typeof a === "number" && typeof b === "number") {
    // A safe result of the double product is exact: an inexact product is at least 2^53.
    const r = a * b;
    if (Number.isSafeInteger(r)) return { kind: "integer", value: r === 0 ? 0 : r };
  }
  return checked(intToBigInt(a) * intToBigInt(b));
}

/** `-a` on an Integer, or `"overflow"` for -2^127. */
export function intNeg(a: Int): IntegerValue | "overflow" {
  if (typeof a === "number") return { kind: "integer", value: a === 0 ? 0 : -a };
  return checked(-a);
}

/** `a % b` on Integers (truncated), or `"division-by-zero"`. */
export function intRem(a: Int, b: Int): IntegerValue | "division-by-zero" {
  if (b === 0) return "division-by-zero";
  if (typeof a === "number" && typeof b === "number") {
    const r = a % b;
    return { kind: "integer", value: r === 0 ? 0 : r };
  }
  return int(intToBigInt(a) % intToBigInt(b));
}

/** `a ** k` on Integers with `k >= 0`, or `"overflow"`; stops as soon as the range is left. */
export function intPow(a: Int, k: bigint): IntegerValue | "overflow" {
  let base = intToBigInt(a);
  if (base === 0n) return int(k === 0n ? 1n : 0n);
  if (base === 1n) return int(1n);
  if (base === -1n) return int(k % 2n === 0n ? 1n : -1n);
  if (k > 128n) return "overflow";
  let result = 1n;
  let e = k;
  while (e > 0n) {
    if (e & 1n) {
      result *= base;
      if (!inIntRange(result)) return "overflow";
    }
    e >>= 1n;
    if (e > 0n) {
      base *= base;
      if (base > INT_MAX * 2n && e > 0n) return "overflow";
    }
  }
  return checked(result);
}

/** The bitwise operators on Integers (`& | ^ << >>`); shifts out of range are `"overflow"`. */
export function intBitwise(
  op: "&" | "|" | "^" | "<<" | ">>",
  a: Int,
  b: Int,
): IntegerValue | "overflow" {
  const x = intToBigInt(a);
  const y = intToBigInt(b);
  switch (op) {
    case "&":
      return int(x & y);
    case "|":
      return int(x | y);
    case "^":
      return int(x ^ y);
    case "<<":
      if (y < 0n) return intBitwise(">>", a, -y);
      if (x === 0n) return int(0n);
      if (y > 128n) return "overflow";
      return checked(x << y);
    case ">>":
      if (y < 0n) return intBitwise("<<", a, -y);
      return int(y > 200n ? (x < 0n ? -1n : 0n) : x >> y);
  }
}

/** `~a` on an Integer. */
export function intNot(a: Int): IntegerValue {
  return int(~intToBigInt(a));
}

/** The tower rank: Integer 0, Rational 1, Float 2. */
function rank(n: Num): 0 | 1 | 2 {
  return n.kind === "integer" ? 0 : n.kind === "rational" ? 1 : 2;
}

/** The exact rational value of an Integer or Rational. */
export function toRational(n: IntegerValue | RationalValue): Rational {
  return n.kind === "integer" ? { num: intToBigInt(n.value), den: 1n } : n.value;
}

/** The nearest double to any number of the tower. */
export function toFloat(n: Num): number {
  switch (n.kind) {
    case "integer":
      return Number(n.value);
    case "rational":
      return ratToFloat(n.value);
    case "float":
      return n.value;
  }
}

function isZero(n: Num): boolean {
  switch (n.kind) {
    case "integer":
      return n.value === 0;
    case "rational":
      return n.value.num === 0n;
    case "float":
      return n.value === 0;
  }
}

/** The arithmetic operators of the tower. */
export type ArithOp = "+" | "-" | "*" | "/" | "%" | "**";

/**
 * Applies an arithmetic operator with promotion (LANGUAGE.md §6): the lower operand is
 * converted to the higher type; `/` of Integers is Rational; `**` with an Integer exponent
 * stays exact.
 */
export function arith(op: ArithOp, a: Num, b: Num): NumResult {
  if (op === "**") return numPow(a, b);
  if ((op === "/" || op === "%") && isZero(b)) return "division-by-zero";
  const r = Math.max(rank(a), rank(b));
  if (r === 2) {
    const x = toFloat(a);
    const y = toFloat(b);
    switch (op) {
      case "+":
        return float(x + y);
      case "-":
        return float(x - y);
      case "*":
        return float(x * y);
      case "/":
        return float(x / y);
      case "%":
        return float(x % y);
    }
  }
  if (r === 0 && op !== "/") {
    const x = (a as IntegerValue).value;
    const y = (b as IntegerValue).value;
    switch (op) {
      case "+":
        return intAdd(x, y);
      case "-":
        return intSub(x, y);
      case "*":
        return intMul(x, y);
      case "%":
        return intRem(x, y);
    }
  }
  const x = toRational(a as IntegerValue | RationalValue);
  const y = toRational(b as IntegerValue | RationalValue);
  switch (op) {
    case "+":
      return rat(ratAdd(x, y));
    case "-":
      return rat(ratSub(x, y));
    case "*":
      return rat(ratMul(x, y));
    case "/":
      return rat(ratDiv(x, y));
    case "%":
      return rat(ratRem(x, y));
  }
}

function numPow(a: Num, b: Num): NumResult {
  if (b.kind === "integer" && a.kind !== "float") {
    const k = intToBigInt(b.value);
    if (a.kind === "integer") {
      if (k >= 0n) return intPow(a.value, k);
      if (a.value === 0) return "division-by-zero";
      const base = intToBigInt(a.value);
      if (base === 1n || base === -1n) return rat(rational(k % 2n === 0n ? 1n : base));
      if (tooLarge(base, 1n, k)) return "too-large";
      return rat(ratPow({ num: base, den: 1n }, k));
    }
    if (a.value.num === 0n && k < 0n) return "division-by-zero";
    if (tooLarge(a.value.num, a.value.den, k)) return "too-large";
    return rat(ratPow(a.value, k));
  }
  return float(toFloat(a) ** toFloat(b));
}

/** The largest number of bits a Rational part may reach through `**` (2^24, about 5 million digits). */
export const MAX_POW_BITS: number = 2 ** 24;

function tooLarge(num: bigint, den: bigint, k: bigint): boolean {
  const bits = Math.max(bitLength(num), bitLength(den));
  const e = k < 0n ? -k : k;
  return bits > 1 && BigInt(bits - 1) * e > BigInt(MAX_POW_BITS);
}

/** `-a` in the operand's type, or `"overflow"`. */
export function numNeg(a: Num): NumResult {
  switch (a.kind) {
    case "integer":
      return intNeg(a.value);
    case "rational":
      return rat(ratNeg(a.value));
    case "float":
      return float(-a.value);
  }
}

/**
 * Compares two numbers by value across the tower: exactly between Integer and Rational, in
 * doubles when a Float takes part. Undefined when a NaN makes them unordered.
 */
export function numCompare(a: Num, b: Num): -1 | 0 | 1 | undefined {
  if (a.kind === "integer" && b.kind === "integer") {
    const x = a.value;
    const y = b.value;
    if (typeof x === "number" && typeof y === "number") return x < y ? -1 : x > y ? 1 : 0;
    const bx = intToBigInt(x);
    const by = intToBigInt(y);
    return bx < by ? -1 : bx > by ? 1 : 0;
  }
  if (a.kind === "float" || b.kind === "float") {
    const x = toFloat(a);
    const y = toFloat(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return undefined;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return ratCompare(toRational(a), toRational(b));
}

/** Numeric equality across the tower (`1 == 1.0`). */
export function numEquals(a: Num, b: Num): boolean {
  return numCompare(a, b) === 0;
}

/** The type name of a number: `Integer`, `Rational` or `Float`. */
export function numTypeName(n: Num): "Integer" | "Rational" | "Float" {
  return n.kind === "integer" ? "Integer" : n.kind === "rational" ? "Rational" : "Float";
}

/**
 * A Float as the REPL prints it (LANGUAGE.md §7): the shortest round-trip digits of
 * `Number#toString`, with `.0` added to a mantissa without a point (`1.0`, `1.0e+21`). The
 * parser's S-expressions print Floats the same way, so this is its renderer.
 */
export const formatFloat: (x: number) => string = renderFloat;

/** Any number as the REPL prints it. */
export function formatNum(n: Num): string {
  switch (n.kind) {
    case "integer":
      return String(n.value);
    case "rational":
      return formatRational(n.value);
    case "float":
      return formatFloat(n.value);
  }
}
