import { describe, expect, it } from "vitest";
import { baseDimension, divDimensions, powDimension } from "../src/dimension.js";
import { factorText, renderType, TypeNamer, unitText } from "../src/print.js";
import {
  BOOL,
  CHAR,
  con,
  fnType,
  freshVar,
  listType,
  namedType,
  num,
  numberType,
  quantity,
  recordType,
  STRING,
  type Type,
  tupleType,
  UNIT,
  UNKNOWN,
} from "../src/types.js";

const INTEGER = numberType("Integer");
const meter = baseDimension("meter");
const second = baseDimension("second");

/** Data-driven: each type renders exactly as LANGUAGE.md §7 prints it. */
function check(t: Type, expected: string): void {
  expect(renderType(t)).toBe(expected);
}

describe("type rendering (LANGUAGE.md §7)", () => {
  const a = freshVar("type", 0);
  const b = freshVar("type", 0);
  const cases: [string, Type, string][] = [
    ["Integer", INTEGER, "Integer"],
    ["Rational", numberType("Rational"), "Rational"],
    ["function", fnType([INTEGER], INTEGER), "fn(Integer) -> Integer"],
    ["no parameters", fnType([], STRING), "fn() -> String"],
    ["record", recordType([{ name: "x", type: INTEGER }]), "{ x: Integer }"],
    ["empty record", recordType([]), "{}"],
    [
      "open record",
      recordType([{ name: "x", type: INTEGER }], freshVar("row", 0)),
      "{ x: Integer, ... }",
    ],
    ["list", listType(INTEGER), "[Integer]"],
    ["nested list", listType(listType(INTEGER)), "[[Integer]]"],
    ["unknown list", listType(UNKNOWN), "[Unknown]"],
    ["tuple", tupleType([INTEGER, STRING]), "(Integer, String)"],
    ["one-tuple", tupleType([INTEGER]), "(Integer,)"],
    ["unit", UNIT, "Unit"],
    ["cell", con("Cell", [INTEGER]), "Cell Integer"],
    ["char and bool", tupleType([CHAR, BOOL]), "(Char, Bool)"],
    ["struct", namedType({ kind: "struct", name: "Point", fields: [] }), "Point"],
    [
      "quantity",
      quantity(num("Integer"), divDimensions(meter, second), [
        { unit: "meter", exponent: 1 },
        { unit: "second", exponent: -1 },
      ]),
      "Quantity Integer meter/second",
    ],
    [
      "quantity from its dimension",
      quantity(num("Float"), divDimensions(meter, powDimension(second, 2)), undefined),
      "Quantity Float meter/second²",
    ],
    ["variables in order of appearance", fnType([b, a], b), "fn(a, b) -> a"],
  ];
  for (const [name, t, expected] of cases) it(name, () => check(t, expected));

  it("shares names across the types of one message", () => {
    const v = freshVar("type", 0);
    const namer = new TypeNamer();
    expect([renderType(listType(v), namer), renderType(v, namer)]).toEqual(["[a]", "a"]);
  });
});

describe("unit text (LANGUAGE.md §5.8)", () => {
  const cases: [[string, number][], string, string][] = [
    [[["meter", 1]], "meter", "meter"],
    [
      [
        ["meter", 1],
        ["second", 1],
      ],
      "meter·second",
      "meter·second",
    ],
    [
      [
        ["meter", 1],
        ["second", -2],
      ],
      "meter/second²",
      "meter/second²",
    ],
    [
      [
        ["kilogram", 1],
        ["meter", 1],
        ["second", -2],
      ],
      "kilogram·meter/second²",
      "kilogram·meter/second²",
    ],
    [[["second", -1]], "second⁻¹", "1/second"],
    [[["meter", 10]], "meter¹⁰", "meter¹⁰"],
    [[], "dimensionless", "dimensionless"],
  ];
  for (const [powers, text, factor] of cases) {
    const units = powers.map(([unit, exponent]) => ({ unit, exponent }));
    it(text, () => {
      expect(unitText(units)).toBe(text);
      expect(factorText(units)).toBe(factor);
    });
  }
});
