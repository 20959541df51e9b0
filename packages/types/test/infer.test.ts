import { describe, it } from "vitest";
import { checkSchemes, checkType } from "./helpers.js";

/** Programs and the schemes their definitions get. */
const SCHEMES: [string, string, Record<string, string>][] = [
  ["identity", "fn id x = x", { id: "forall a. fn(a) -> a" }],
  [
    "let-polymorphism of a lambda",
    'let id = \\x -> x\nlet pair = (id 1, id "a")',
    { id: "forall a. fn(a) -> a", pair: "(Integer, String)" },
  ],
  ["a literal fixes the type", "fn inc x = x + 1", { inc: "forall a. [Numeric a] => fn(a) -> a" }],
  [
    "String.from_int fixes Integer",
    "fn show n = String.from_int n",
    { show: "fn(Integer) -> String" },
  ],
  [
    "+ is overloaded on Strings",
    'fn greet name = "hello " + name',
    { greet: "fn(String) -> String" },
  ],
  [
    "+ stays a predicate when nothing is known",
    "fn add x y = x + y",
    { add: "forall a b c. [Add a b c] => fn(a, b) -> c" },
  ],
  [
    "units generalise (issue: speed)",
    "fn speed d t = d / t",
    {
      speed:
        "forall a b u v. [Numeric a, Numeric b] => fn(Quantity a u, Quantity b v) -> Quantity (a ⊔ b ⊔ Rational) u/v",
    },
  ],
  [
    "area infers a squared dimension",
    "fn area w h = w * h\nfn square x = area x x",
    {
      area: "forall a b u v. [Numeric a, Numeric b] => fn(Quantity a u, Quantity b v) -> Quantity (a ⊔ b) u·v",
      square: "forall a u. [Numeric a] => fn(Quantity a u) -> Quantity a u²",
    },
  ],
  [
    "a dimension variable with a unit",
    "measure meter\nfn add_meter x = x + 1meter",
    { add_meter: "forall a. [Numeric a] => fn(Quantity a meter) -> Quantity a meter" },
  ],
  [
    "comparison",
    "fn max x y = if x > y then x else y",
    { max: "forall a. [Comparable a] => fn(a, a) -> a" },
  ],
  [
    "row polymorphism: field access opens the record",
    "fn get_x p = p.x",
    { get_x: "forall a. fn({ x: a, ... }) -> a" },
  ],
  [
    "two fields",
    "fn norm p = p.x * p.x + p.y * p.y",
    {
      norm: "forall a b u. [Numeric a, Numeric b] => fn({ x: Quantity a u, y: Quantity b u, ... }) -> Quantity (a ⊔ b) u²",
    },
  ],
  [
    "mutual recursion is one binding group",
    "fn is_even n = if n == 0 then true else is_odd (n - 1)\nfn is_odd n = if n == 0 then false else is_even (n - 1)",
    {
      is_even: "forall a. [Numeric a] => fn(a) -> Bool",
      is_odd: "forall a. [Numeric a] => fn(a) -> Bool",
    },
  ],
  [
    "recursion with promotion",
    "fn factorial n =\n    match n\n        0 => 1\n        n => n * factorial (n - 1)",
    { factorial: "forall a. [Numeric a] => fn(a) -> a" },
  ],
  [
    "higher order",
    "fn apply f x = f x\nfn twice f x = f (f x)",
    { apply: "forall a b. fn(fn(a) -> b, a) -> b", twice: "forall a. fn(fn(a) -> a, a) -> a" },
  ],
  ["zero parameters", "fn get_value = 42", { get_value: "fn() -> Integer" }],
  [
    "closures over lets",
    "let factor = 10\nfn scale x = x * factor",
    { scale: "forall a u. [Numeric a] => fn(Quantity a u) -> Quantity a u" },
  ],
  [
    "use before definition (hoisting)",
    "fn a x = b x\nfn b y = y",
    { a: "forall a. fn(a) -> a", b: "forall a. fn(a) -> a" },
  ],
  ["value restriction", "let c = Cell.new []", { c: "Cell [Unknown]" }],
  ["library generics", 'let lengths = List.map ["a", "bc"] String.len', { lengths: "[Integer]" }],
  ["fold", "let total = List.fold [1, 2, 3] 0 \\acc x -> acc + x", { total: "Integer" }],
  ["fold promotes", "let total = List.fold [0.5, 1.5] 0 \\acc x -> acc + x", { total: "Float" }],
  ["a reassigned variable widens", "let total = 0\ntotal = total + 0.5", { total: "Float" }],
  [
    "structs",
    "struct Point { x = Integer, y = Integer }\nfn origin = Point { x = 0, y = 0 }\nfn px p = p.x",
    { origin: "fn() -> Point", px: "forall a. fn({ x: a, ... }) -> a" },
  ],
  [
    "enums and match",
    "enum Shape { Circle Float, Rect { w: Float, h: Float }, Empty }\nfn area s =\n    match s\n        (Shape.Circle r) => 3.14 * r * r\n        (Shape.Rect { w, h }) => w * h\n        Shape.Empty => 0.0",
    { area: "fn(Shape) -> Float" },
  ],
  [
    "aliases are transparent",
    "type P = { x: Integer }\nlet p: P = { x = 1 }",
    { p: "{ x: Integer }" },
  ],
  ["tuples destructure", 'let (a, b) = (1, "s")', { a: "Integer", b: "String" }],
  [
    "rest of a record",
    'let { x, ...rest } = { x = 1, y = 2.5, z = "s" }',
    { rest: "{ y: Float, z: String }" },
  ],
  [
    "local functions",
    "fn outer x =\n    fn inner y = y + x\n    inner 10",
    { outer: "forall a. [Numeric a] => fn(a) -> a" },
  ],
];

/** Programs and the type of their last item. */
const TYPES: [string, string, string][] = [
  ["Integer / Integer is Rational", "10 / 5", "Rational"],
  ["promotion to Float", "1 + 2.5", "Float"],
  ["rational plus integer", "1 / 2 + 1", "Rational"],
  ["comparison across the tower", "1 == 1.0", "Bool"],
  [
    "quantities",
    "measure meter\nmeasure second\n100meter / 10second",
    "Quantity Rational meter/second",
  ],
  ["the dimensionless result collapses", "measure meter\n200meter / 100meter", "Rational"],
  [
    "derived units convert exactly",
    "measure millimeter\nmeasure meter = 1000 millimeter\n500millimeter + 1meter",
    "Quantity Integer millimeter",
  ],
  [
    "the other way round gives Rational",
    "measure millimeter\nmeasure meter = 1000 millimeter\n1meter + 500millimeter",
    "Quantity Rational meter",
  ],
  [
    "inexact factors give Float",
    "measure millimeter\nmeasure inch = 25.4 millimeter\n500millimeter + 2inch",
    "Quantity Float millimeter",
  ],
  [
    "multiplication",
    "measure meter\nmeasure second\n100meter * 10second",
    "Quantity Integer meter·second",
  ],
  ["powers with a literal exponent", "measure meter\n(3meter) ** 2", "Quantity Integer meter²"],
  ["negative exponent", "2 ** -1", "Rational"],
  ["SI prefixes", "@si kilo\nmeasure meter\n1kilometer + 500meter", "Quantity Rational kilometer"],
  [
    "SI prefixes the other way",
    "@si kilo\nmeasure meter\n500meter + 1kilometer",
    "Quantity Integer meter",
  ],
  [
    "quantity from an expression",
    "measure meter\nlet w = 10\nmeter (w * 2)",
    "Quantity Integer meter",
  ],
  ["a number applied to a unit", "measure meter\n10 meter", "Quantity Integer meter"],
  ["branches join", "if true then 1 else 2.5", "Float"],
  ["empty list", "[]", "[Unknown]"],
  ["typeof reports the inferred type", "fn double x = x * 2\ntypeof double", "Type"],
  ["record spread", "let base = { x = 1 }\n{ ...base, y = 2 }", "{ x: Integer, y: Integer }"],
  ["indexing", "[10, 20][0]", "Integer"],
  ["ranges", "1..4", "[Integer]"],
  [
    "Record.from_struct",
    "struct Point { x = Integer, y = Integer }\nRecord.from_struct (Point { x = 1, y = 2 })",
    "{ x: Integer, y: Integer }",
  ],
  [
    "Record.split",
    'Record.split { name = "a", age = 1, email = "e" } [:"name"]',
    "({ name: String }, { age: Integer, email: String })",
  ],
  ["pipeline", "[1, 2] |> List.len", "Integer"],
  ["pipeline into a call", "[1, 2] |> List.map \\x -> x * 0.5", "[Float]"],
  ["untaken branches are checked too", 'if false then String.len "never" else 0', "Integer"],
];

describe("schemes of definitions", () => {
  for (const [name, source, expected] of SCHEMES) it(name, () => checkSchemes(source, expected));
});

describe("types of expressions", () => {
  for (const [name, source, expected] of TYPES) it(name, () => checkType(source, expected));
});
