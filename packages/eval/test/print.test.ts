import { describe, expect, it } from "vitest";
import { float, int } from "../src/numbers.js";
import { renderEntry, renderSyntax, renderValue } from "../src/print.js";
import { rational } from "../src/rational.js";
import type { StructDef } from "../src/types.js";
import { fnType, INTEGER, listType, renderType, UNIT_TYPE } from "../src/types.js";
import { baseUnit } from "../src/units.js";
import {
  list,
  record,
  str,
  sym,
  syntax,
  tuple,
  typeValue,
  UNIT,
  type Value,
} from "../src/values.js";
import { sexpr } from "./support/sexpr.js";

const meter = baseUnit("meter");
const second = baseUnit("second");
const point: StructDef = {
  name: "Point",
  fields: [
    ["x", INTEGER],
    ["y", INTEGER],
  ],
};

describe("REPL rendering (§7)", () => {
  const cases: [Value, string][] = [
    [int(1000000), "1000000 : Integer"],
    [{ kind: "rational", value: rational(-1n, 2n) }, "-1/2 : Rational"],
    [float(1e21), "1.0e+21 : Float"],
    [str('She said "hi"\\'), '"She said \\"hi\\"\\\\" : String'],
    [{ kind: "char", value: "\n" }, "'\\n' : Char"],
    [{ kind: "char", value: "λ" }, "'λ' : Char"],
    [sym("name"), ':"name" : Symbol'],
    [UNIT, "() : Unit"],
    [tuple([int(42)]), "(42,) : (Integer,)"],
    [tuple([int(1), str("a")]), '(1, "a") : (Integer, String)'],
    [list([]), "[] : [Unknown]"],
    [list([list([int(1)]), list([])]), "[[1], []] : [[Integer]]"],
    [record(new Map()), "{} : {}"],
    [
      record(
        new Map<string, Value>([
          ["x", int(10)],
          ["y", int(20)],
        ]),
      ),
      "{ x = 10, y = 20 } : { x: Integer, y: Integer }",
    ],
    [
      {
        kind: "struct",
        def: point,
        fields: new Map([
          ["x", int(1)],
          ["y", int(2)],
        ]),
      },
      "Point { x = 1, y = 2 } : Point",
    ],
    [
      {
        kind: "quantity",
        magnitude: int(10),
        units: [
          { unit: meter, exponent: 1 },
          { unit: second, exponent: -1 },
        ],
      },
      "10meter/second : Quantity Integer meter/second",
    ],
    [
      {
        kind: "quantity",
        magnitude: { kind: "rational", value: rational(3n, 2n) },
        units: [{ unit: meter, exponent: 1 }],
      },
      "3/2meter : Quantity Rational meter",
    ],
    [{ kind: "unit", unit: meter }, "meter : Measure"],
    [typeValue(fnType([INTEGER], INTEGER)), "fn(Integer) -> Integer : Type"],
    [{ kind: "cell", value: int(0) }, "Cell(0) : Cell Integer"],
  ];
  for (const [value, expected] of cases) {
    it(expected, () => expect(renderEntry(value)).toBe(expected));
  }

  it("renders enum payloads, parenthesising when needed", () => {
    const def = {
      name: "Result",
      variants: [
        { name: "Ok", payload: { kind: "value" as const, type: INTEGER } },
        { name: "Err", payload: { kind: "value" as const, type: INTEGER } },
      ],
    };
    const ok = (payload: Value): Value => ({
      kind: "variant",
      def,
      variant: def.variants[0]!,
      payload,
    });
    expect(renderValue(ok(int(42)))).toBe("Ok 42");
    expect(renderValue(ok(ok(int(1))))).toBe("Ok (Ok 1)");
    expect(renderValue(ok(str("no way")))).toBe('Ok "no way"');
  });

  it("renders types", () => {
    expect(renderType(UNIT_TYPE)).toBe("Unit");
    expect(renderType(listType(listType(INTEGER)))).toBe("[[Integer]]");
    expect(renderType(fnType([], INTEGER))).toBe("fn() -> Integer");
  });

  it("renders syntax as S-expressions with indented blocks", () => {
    const [tree] = sexpr("(+ 1 42)");
    expect(renderValue(syntax(tree!))).toBe("Syntax (+ 1 42)");
    const [block] = sexpr('(__block__ (p "Summary line.") (h1 "Details") (f (__block__ a b)))');
    expect(renderSyntax(block!)).toBe(
      '(__block__\n  (p "Summary line.")\n  (h1 "Details")\n  (f (__block__\n    a\n    b)))',
    );
    const [unit] = sexpr("(__tuple__)");
    expect(renderSyntax(unit!)).toBe("()");
  });
});
