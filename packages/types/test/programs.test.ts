import { describe, it } from "vitest";
import { checkSchemes } from "./helpers.js";

/** Whole programs that use many features at once: no diagnostic, and these schemes. */
const PHYSICS = `@si kilo milli
measure gram
measure meter
measure second
fn speed d t = d / t
fn kinetic m v = m * v * v / 2
let v = speed 100meter 9.58second
let e = kinetic 80kilogram v
let total = List.fold [1meter, 2meter, 3meter] 0meter \\acc x -> acc + x
total > 5meter
fn clamp x lo hi = if x < lo then lo else if x > hi then hi else x
clamp 5 0 10
clamp 1.5meter 0meter 1meter
`;

const SHAPES = `struct Point { x = Float, y = Float }
enum Shape { Circle { center: Point, radius: Float }, Polygon [Point] }
fn area s =
    match s
        (Shape.Circle { radius }) => 3.14159 * radius * radius
        (Shape.Polygon points) => 0.0
let shapes = [Shape.Circle { center = Point { x = 0.0, y = 0.0 }, radius = 1.0 }, Shape.Polygon []]
let areas = List.map shapes area
fn norm p = Float.sqrt (p.x * p.x + p.y * p.y)
norm (Point { x = 3.0, y = 4.0 })
norm { x = 1, y = 2 }
`;

const FUNCTIONS = `fn compose f g = \\x -> f (g x)
let inc_then_double = compose (\\x -> x * 2) (\\x -> x + 1)
inc_then_double 5
let pairs = List.map [1, 2, 3] \\n -> (n, String.from_int n)
let names = List.map pairs \\p ->
    let (n, s) = p
    s
fn sum xs = List.fold xs 0 \\acc x -> acc + x
sum [1, 2, 3]
sum [0.5, 1.5]
`;

describe("programs", () => {
  it("physics with units", () =>
    checkSchemes(PHYSICS, {
      v: "Quantity Float meter/second",
      e: "Quantity Float gram·meter²/second²",
      total: "Quantity Integer meter",
      clamp: "forall a. [Comparable a] => fn(a, a, a) -> a",
    }));

  it("shapes with structs, enums and rows", () =>
    checkSchemes(SHAPES, {
      area: "fn(Shape) -> Float",
      areas: "[Float]",
      norm: "forall a b. [Numeric a, Numeric b] => fn({ x: a, y: b, ... }) -> Float",
    }));

  it("higher-order functions", () =>
    checkSchemes(FUNCTIONS, {
      compose: "forall a b c. fn(fn(a) -> b, fn(c) -> a) -> fn(c) -> b",
      inc_then_double: "fn(Integer) -> Integer",
      names: "[String]",
      sum: "forall a. [Numeric a] => fn([a]) -> a",
    }));
});
