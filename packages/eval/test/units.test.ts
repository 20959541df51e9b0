import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { int, type Num, numEquals, rat } from "../src/numbers.js";
import { rational } from "../src/rational.js";
import {
  baseUnit,
  combineUnits,
  convertMagnitude,
  derivedUnit,
  dimensionOf,
  dimensionsEqual,
  dimensionText,
  prefixedUnit,
  type QuantityValue,
  quantityAddLike,
  quantityCompare,
  quantityMulDiv,
  type UnitProduct,
  unitProductsEqual,
  unitText,
} from "../src/units.js";

const meter = baseUnit("meter");
const second = baseUnit("second");
const kilogram = baseUnit("kilogram");
const millimeter = baseUnit("millimeter");
const inch = derivedUnit("inch", rational(127n, 5n), true, [{ unit: millimeter, exponent: 1 }]);
const centimeter = derivedUnit("centimeter", rational(10n), false, [
  { unit: millimeter, exponent: 1 },
]);
const meterMm = derivedUnit("meter", rational(100n), false, [{ unit: centimeter, exponent: 1 }]);
const kilometer = prefixedUnit("kilo", 3, meter);

const units = [meter, second, kilogram];
const product: fc.Arbitrary<UnitProduct> = fc
  .uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 })
  .chain((idx) =>
    fc
      .array(
        fc.integer({ min: -3, max: 3 }).filter((e) => e !== 0),
        { minLength: idx.length, maxLength: idx.length },
      )
      .map((exps) => idx.map((i, k) => ({ unit: units[i]!, exponent: exps[k]! }))),
  );
const magnitude: fc.Arbitrary<Num> = fc
  .tuple(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: 1n, max: 50n }))
  .map(([n, d]) => (d === 1n ? int(n) : rat(rational(n, d))));
const quantity: fc.Arbitrary<QuantityValue> = fc
  .tuple(magnitude, product)
  .map(([m, u]) => ({ kind: "quantity", magnitude: m, units: u }));

function same(a: unknown, b: unknown): boolean {
  const view = (x: unknown) =>
    (x as QuantityValue).kind === "quantity"
      ? (x as QuantityValue)
      : { magnitude: x as Num, units: [] };
  const p = view(a);
  const q = view(b);
  return numEquals(p.magnitude, q.magnitude) && unitProductsEqual(p.units, q.units);
}

describe("unit algebra", () => {
  test.prop([quantity, quantity])("multiplication commutes up to unit order", (a, b) => {
    expect(same(quantityMulDiv("*", a, b), quantityMulDiv("*", b, a))).toBe(true);
  });

  test.prop([quantity, quantity.filter((q) => !numEquals(q.magnitude, int(0)))])(
    "dividing by what was multiplied gives the quantity back",
    (a, b) => {
      const product = quantityMulDiv("*", a, b);
      expect(typeof product).not.toBe("string");
      expect(same(quantityMulDiv("/", product as QuantityValue, b), a)).toBe(true);
    },
  );

  test.prop([product, product])("dimensions of products add", (a, b) => {
    const combined = dimensionOf(combineUnits(a, b, 1));
    const back = dimensionOf(combineUnits(combineUnits(a, b, 1), b, -1));
    expect(dimensionsEqual(back, dimensionOf(a))).toBe(true);
    expect(combined.size <= 3).toBe(true);
  });

  test.prop([magnitude])("exact conversions round-trip", (m) => {
    const there = convertMagnitude(
      m,
      [{ unit: meterMm, exponent: 1 }],
      [{ unit: millimeter, exponent: 1 }],
    );
    const back = convertMagnitude(
      there as Num,
      [{ unit: millimeter, exponent: 1 }],
      [{ unit: meterMm, exponent: 1 }],
    );
    expect(numEquals(back as Num, m)).toBe(true);
  });

  it("converts through chains of derived units exactly", () => {
    expect(
      convertMagnitude(
        int(1),
        [{ unit: meterMm, exponent: 1 }],
        [{ unit: millimeter, exponent: 1 }],
      ),
    ).toEqual(int(1000));
    expect(
      convertMagnitude(int(1), [{ unit: kilometer, exponent: 1 }], [{ unit: meter, exponent: 1 }]),
    ).toEqual(int(1000));
  });

  it("uses Float when a factor is inexact", () => {
    const r = quantityAddLike(
      "+",
      { kind: "quantity", magnitude: int(500), units: [{ unit: millimeter, exponent: 1 }] },
      { kind: "quantity", magnitude: int(2), units: [{ unit: inch, exponent: 1 }] },
    );
    expect(r).toEqual({
      kind: "quantity",
      magnitude: { kind: "float", value: 550.8 },
      units: [{ unit: millimeter, exponent: 1 }],
    });
  });

  it("refuses different dimensions", () => {
    const m = {
      kind: "quantity" as const,
      magnitude: int(1),
      units: [{ unit: meter, exponent: 1 }],
    };
    const s = {
      kind: "quantity" as const,
      magnitude: int(1),
      units: [{ unit: second, exponent: 1 }],
    };
    expect(quantityAddLike("+", m, s)).toBe("dimension");
    expect(quantityCompare(m, int(1))).toBe("dimension");
  });

  it("writes unit text with superscripts", () => {
    expect(unitText([{ unit: meter, exponent: 1 }])).toBe("meter");
    expect(
      unitText([
        { unit: meter, exponent: 1 },
        { unit: second, exponent: 1 },
      ]),
    ).toBe("meter·second");
    expect(
      unitText([
        { unit: meter, exponent: 1 },
        { unit: second, exponent: -2 },
      ]),
    ).toBe("meter/second²");
    expect(
      unitText([
        { unit: kilogram, exponent: 1 },
        { unit: meter, exponent: 1 },
        { unit: second, exponent: -2 },
      ]),
    ).toBe("kilogram·meter/second²");
    expect(unitText([{ unit: second, exponent: -1 }])).toBe("second⁻¹");
    expect(unitText([{ unit: meter, exponent: 10 }])).toBe("meter¹⁰");
    expect(dimensionText(dimensionOf([{ unit: inch, exponent: 2 }]))).toBe("millimeter²");
    expect(dimensionText(new Map())).toBe("dimensionless");
  });
});
