import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  arith,
  float,
  formatFloat,
  formatNum,
  INT_MAX,
  INT_MIN,
  int,
  intAdd,
  intMul,
  intNeg,
  intPow,
  intToBigInt,
  type Num,
  numCompare,
  numEquals,
  rat,
} from "../src/numbers.js";
import { rational } from "../src/rational.js";

const inRange = fc.bigInt({ min: INT_MIN, max: INT_MAX });

function show(r: ReturnType<typeof arith>): string {
  return typeof r === "string" ? r : `${formatNum(r)}:${r.kind}`;
}

describe("integers", () => {
  test.prop([inRange, inRange])("add agrees with BigInt and checks the range", (a, b) => {
    const r = intAdd(int(a).value, int(b).value);
    const exact = a + b;
    if (exact > INT_MAX || exact < INT_MIN) expect(r).toBe("overflow");
    else expect(r).toEqual(int(exact));
  });

  test.prop([inRange, inRange])("multiply agrees with BigInt and checks the range", (a, b) => {
    const r = intMul(int(a).value, int(b).value);
    const exact = a * b;
    if (exact > INT_MAX || exact < INT_MIN) expect(r).toBe("overflow");
    else expect(r).toEqual(int(exact));
  });

  test.prop([fc.integer(), fc.integer()])("the small fast path stays canonical", (a, b) => {
    const r = intMul(a, b);
    if (r !== "overflow") {
      expect(
        typeof r.value === "number"
          ? Number.isSafeInteger(r.value)
          : !Number.isSafeInteger(Number(r.value)),
      ).toBe(true);
      expect(intToBigInt(r.value)).toBe(BigInt(a) * BigInt(b));
    }
  });

  it("holds the 128-bit range", () => {
    expect(intNeg(INT_MIN)).toBe("overflow");
    expect(intPow(2, 127n)).toBe("overflow");
    expect(intPow(2, 126n)).toEqual(int(2n ** 126n));
    expect(intPow(-2, 127n)).toEqual(int(INT_MIN));
    expect(intAdd(INT_MAX, 1)).toBe("overflow");
  });
});

describe("the tower", () => {
  const i = (n: number): Num => int(n);
  const r = (n: bigint, d: bigint): Num => rat(rational(n, d));
  it("promotes and divides as §6 says", () => {
    expect(show(arith("/", i(1), i(2)))).toBe("1/2:rational");
    expect(show(arith("/", i(10), i(5)))).toBe("2:rational");
    expect(show(arith("+", r(1n, 2n), float(0.5)))).toBe("1.0:float");
    expect(show(arith("*", r(2n, 3n), r(3n, 4n)))).toBe("1/2:rational");
    expect(show(arith("%", i(7), i(-3)))).toBe("1:integer");
    expect(show(arith("%", i(-7), i(3)))).toBe("-1:integer");
    expect(show(arith("**", i(2), i(-2)))).toBe("1/4:rational");
    expect(show(arith("**", i(2), float(0.5)))).toBe("1.4142135623730951:float");
    expect(show(arith("/", float(1), float(0)))).toBe("division-by-zero");
    expect(show(arith("%", r(1n, 2n), i(0)))).toBe("division-by-zero");
  });

  it("compares across the tower", () => {
    expect(numEquals(i(1), float(1))).toBe(true);
    expect(numCompare(r(1n, 2n), r(1n, 3n))).toBe(1);
    expect(numCompare(float(Number.NaN), i(1))).toBeUndefined();
  });

  test.prop([
    fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
    fc.bigInt({ min: 1n, max: 10n ** 12n }),
  ])("integer division is the exact rational", (a, b) => {
    const q = arith("/", int(a), int(b));
    expect(q).toEqual(rat(rational(a, b)));
  });
});

describe("Float printing", () => {
  it("adds .0 to mantissas without a point", () => {
    expect(formatFloat(1)).toBe("1.0");
    expect(formatFloat(0.5)).toBe("0.5");
    expect(formatFloat(1e21)).toBe("1.0e+21");
    expect(formatFloat(1.5e-7)).toBe("1.5e-7");
    expect(formatFloat(-0)).toBe("-0.0");
    expect(formatFloat(Number.NaN)).toBe("NaN");
    expect(formatFloat(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
    expect(formatFloat(1 / 3)).toBe("0.3333333333333333");
  });

  test.prop([fc.double({ noNaN: true })])("round-trips", (x) => {
    const text = formatFloat(x);
    expect(Number(text.replace(".0e", "e"))).toBe(x);
    expect(/[.]|NaN|Infinity/.test(text)).toBe(true);
  });
});
