import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  formatRational,
  gcd,
  ratAdd,
  ratCompare,
  ratDiv,
  ratFromDecimal,
  ratFromFloatExact,
  rational,
  ratMul,
  ratSub,
  ratToFloat,
} from "../src/rational.js";

const big = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
const nonZero = big.filter((n) => n !== 0n);
const rat = fc.tuple(big, nonZero).map(([n, d]) => rational(n, d));

describe("rationals", () => {
  test.prop([big, nonZero])("are normalised: lowest terms, positive denominator", (n, d) => {
    const r = rational(n, d);
    expect(r.den > 0n).toBe(true);
    expect(gcd(r.num, r.den) === 1n || r.num === 0n).toBe(true);
    expect(r.num * d).toBe(n * r.den);
  });

  test.prop([rat, rat])("add and subtract are inverse", (a, b) => {
    expect(ratSub(ratAdd(a, b), b)).toEqual(a);
  });

  test.prop([rat, rat.filter((r) => r.num !== 0n)])("multiply and divide are inverse", (a, b) => {
    expect(ratDiv(ratMul(a, b), b)).toEqual(a);
  });

  test.prop([rat, rat])("comparison is antisymmetric", (a, b) => {
    expect(ratCompare(a, b)).toBe(-ratCompare(b, a) || 0);
  });

  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true })])(
    "a double converts to its exact rational and back",
    (x) => {
      const r = ratFromFloatExact(x)!;
      expect(ratToFloat(r)).toBe(x === 0 ? 0 : x);
    },
  );

  test.prop([big, nonZero])(
    "conversion to Float rounds like a correctly rounded division",
    (n, d) => {
      const r = rational(n, d);
      // Small cases are exact in doubles; large ones are checked against a neighbour test.
      const f = ratToFloat(r);
      const exact = ratFromFloatExact(f)!;
      const next = ratFromFloatExact(nextUp(f))!;
      const prev = ratFromFloatExact(nextDown(f))!;
      const dist = (x: typeof r) => abs(ratSub(x, r));
      expect(ratCompare(dist(exact), dist(next)) <= 0).toBe(true);
      expect(ratCompare(dist(exact), dist(prev)) <= 0).toBe(true);
    },
  );

  it("reads decimals exactly", () => {
    expect(ratFromDecimal("25.4")).toEqual({ num: 127n, den: 5n });
    expect(ratFromDecimal("1e+21")).toEqual({ num: 10n ** 21n, den: 1n });
    expect(ratFromDecimal("1.5e-7")).toEqual({ num: 3n, den: 20000000n });
    expect(ratFromDecimal("x")).toBeUndefined();
  });

  it("prints n/d or n", () => {
    expect(formatRational(rational(6n, 4n))).toBe("3/2");
    expect(formatRational(rational(-1n, 2n))).toBe("-1/2");
    expect(formatRational(rational(10n, 5n))).toBe("2");
  });
});

function abs(r: { num: bigint; den: bigint }) {
  return r.num < 0n ? { num: -r.num, den: r.den } : r;
}

function nextUp(x: number): number {
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  if (x === 0) return Number.MIN_VALUE;
  u[0] = x > 0 ? u[0]! + 1n : u[0]! - 1n;
  return b[0]!;
}

function nextDown(x: number): number {
  return -nextUp(-x);
}
