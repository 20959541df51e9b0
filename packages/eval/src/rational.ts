/**
 * Exact rationals over BigInt (LANGUAGE.md §6): always normalised to lowest terms with a
 * positive denominator, so that structural equality of the two fields is numeric equality.
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** The greatest common divisor of `|a|` and `|b|` (0 only when both are 0). */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** `num / den` in lowest terms with a positive denominator. `den` must not be zero. */
export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError("rational with zero denominator");
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (den === 1n) return { num, den };
  const g = gcd(num, den);
  return g === 1n ? { num, den } : { num: num / g, den: den / g };
}

/** The sum `a + b`. */
export function ratAdd(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return rational(a.num + b.num, a.den);
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** The difference `a - b`. */
export function ratSub(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return rational(a.num - b.num, a.den);
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

/** The product `a * b`. */
export function ratMul(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

/** The quotient `a / b`; `b` must not be zero. */
export function ratDiv(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den, a.den * b.num);
}

/** The negation `-a`. */
export function ratNeg(a: Rational): Rational {
  return { num: -a.num, den: a.den };
}

/** `a - b * trunc(a / b)`; `b` must not be zero. */
export function ratRem(a: Rational, b: Rational): Rational {
  const q = ratTrunc(ratDiv(a, b));
  return ratSub(a, ratMul(b, { num: q, den: 1n }));
}

/** The integer part of `a`, rounded toward zero. */
export function ratTrunc(a: Rational): bigint {
  return a.num / a.den;
}

/** `a ** k` for an integer exponent; `a` must not be zero when `k` is negative. */
export function ratPow(a: Rational, k: bigint): Rational {
  if (k < 0n) return ratPow(rational(a.den, a.num), -k);
  return { num: a.num ** k, den: a.den ** k };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function ratCompare(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The number of bits of `|n|` (0 for 0). */
export function bitLength(n: bigint): number {
  if (n < 0n) n = -n;
  if (n === 0n) return 0;
  return n.toString(2).length;
}

const TWO_53 = 2n ** 53n;

/**
 * The double nearest to `a` (ties to even), computed exactly: plain division when both parts
 * are below 2^53 (then it is correctly rounded), else a 55-bit quotient with a sticky bit.
 */
export function ratToFloat(a: Rational): number {
  const { num, den } = a;
  if (num === 0n) return 0;
  const negative = num < 0n;
  const n = negative ? -num : num;
  if (n < TWO_53 && den < TWO_53) return Number(num) / Number(den);
  // Choose a shift so that the quotient has 55 or 56 significant bits.
  const shift = bitLength(n) - bitLength(den) - 55;
  const scaledN = shift < 0 ? n << BigInt(-shift) : n;
  const scaledD = shift > 0 ? den << BigInt(shift) : den;
  let q = scaledN / scaledD;
  const sticky = scaledN % scaledD !== 0n;
  // Round to odd: two or more bits below the double's precision plus a sticky bit make the
  // final round-to-nearest-even of Number() correct.
  q = (q << 1n) | (sticky ? 1n : 0n);
  const magnitude = scaleByPowerOfTwo(Number(q), shift - 1);
  return negative ? -magnitude : magnitude;
}

/** `x * 2 ** e` without intermediate overflow or underflow of the power. */
function scaleByPowerOfTwo(x: number, e: number): number {
  let result = x;
  let rest = e;
  while (rest > 1000) {
    result *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    result *= 2 ** -1000;
    rest += 1000;
  }
  return result * 2 ** rest;
}

/**
 * The exact value of a finite double as a rational. Doubles are dyadic, so this is exact.
 * Returns undefined for NaN and infinities.
 */
export function ratFromFloatExact(x: number): Rational | undefined {
  if (!Number.isFinite(x)) return undefined;
  if (Number.isInteger(x)) return { num: BigInt(x), den: 1n };
  let mantissa = x;
  let exponent = 0;
  while (!Number.isInteger(mantissa)) {
    mantissa *= 2;
    exponent++;
  }
  return rational(BigInt(mantissa), 2n ** BigInt(exponent));
}

/**
 * The rational value of a decimal numeral such as `25.4`, `-1.5e-7` or `1e+21` (the forms
 * JavaScript prints). Returns undefined when the text is not such a numeral.
 */
export function ratFromDecimal(text: string): Rational | undefined {
  const m = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const sign = m[1] === "-" ? -1n : 1n;
  const digits = (m[2] ?? "") + (m[3] ?? "");
  const exponent = Number(m[4] ?? "0") - (m[3] ?? "").length;
  const mantissa = sign * BigInt(digits);
  return exponent >= 0
    ? { num: mantissa * 10n ** BigInt(exponent), den: 1n }
    : rational(mantissa, 10n ** BigInt(-exponent));
}

/** `n/d` in lowest terms, or `n` when the value is integral (LANGUAGE.md §7). */
export function formatRational(a: Rational): string {
  return a.den === 1n ? a.num.toString() : `${a.num}/${a.den}`;
}
