import { describe, expect, it } from "vitest";
import { SI_PREFIXES, unitProductText } from "../src/index.js";

/** check(units as [name, exponent] pairs, expected unit text) */
function check(units: readonly (readonly [string, number])[], expected: string): void {
  const powers = units.map(([name, exponent]) => ({ name, exponent }));
  expect(unitProductText(powers, (p) => p.name)).toBe(expected);
}

describe("unitProductText", () => {
  it("writes the examples of LANGUAGE.md §5.8", () => {
    check([["meter", 1]], "meter");
    check(
      [
        ["meter", 1],
        ["second", 1],
      ],
      "meter·second",
    );
    check(
      [
        ["meter", 1],
        ["second", -2],
      ],
      "meter/second²",
    );
    check(
      [
        ["kilogram", 1],
        ["meter", 1],
        ["second", -2],
      ],
      "kilogram·meter/second²",
    );
  });

  it("keeps the minus without a positive unit, writes several digits, and nothing for none", () => {
    check([["second", -1]], "second⁻¹");
    check([["meter", 10]], "meter¹⁰");
    check([], "");
    check([["meter", 0]], "");
  });
});

describe("SI_PREFIXES", () => {
  it("has the eight prefixes of §5.8 with their powers of ten", () => {
    expect(SI_PREFIXES.size).toBe(8);
    expect([SI_PREFIXES.get("nano"), SI_PREFIXES.get("kilo"), SI_PREFIXES.get("giga")]).toEqual([
      -9, 3, 9,
    ]);
  });
});
