import { describe, expect, it } from "vitest";
import { formatSignatures } from "../src/index.js";
import { checkText } from "./helpers.js";

/** What `cadenza check --signatures` prints for `text` (which must check cleanly). */
function signatures(text: string): string {
  const r = checkText(text);
  expect(r.rendered, "diagnostics").toBe("");
  return formatSignatures(r);
}

const lines = (...xs: string[]): string => xs.map((x) => `${x}\n`).join("");

describe("formatSignatures", () => {
  it("prints nothing for a file without definitions", () => {
    expect(signatures("1 + 2\n")).toBe("");
  });

  it("monomorphic definitions", () => {
    expect(
      signatures('let n = 1\nlet s = "a"\nfn inc x = x + 1\nlet xs = [1.5, 2.5]\nfn yes = true\n'),
    ).toBe(
      lines(
        "n : Integer",
        "s : String",
        "inc : forall a. [Numeric a] => fn(a) -> a",
        "xs : [Float]",
        "yes : fn() -> Bool",
      ),
    );
  });

  it("polymorphic functions and values", () => {
    expect(
      signatures(
        "fn id x = x\nfn const a b = a\nfn compose f g = \\x -> f (g x)\nlet empty = []\nfn pair a b = (a, b)\n",
      ),
    ).toBe(
      lines(
        "id : forall a. fn(a) -> a",
        "const : forall a b. fn(a, b) -> a",
        "compose : forall a b c. fn(fn(a) -> b, fn(c) -> a) -> fn(c) -> b",
        "empty : forall a. [a]",
        "pair : forall a b. fn(a, b) -> (a, b)",
      ),
    );
  });

  it("constrained functions", () => {
    expect(
      signatures(
        "fn add a b = a + b\nfn lt a b = a < b\nfn same a b = a == b\nfn neg x = -x\nfn sum xs = List.fold xs 0 \\acc x -> acc + x\n",
      ),
    ).toBe(
      lines(
        "add : forall a b c. [Add a b c] => fn(a, b) -> c",
        "lt : forall a b. [Comparable a b] => fn(a, b) -> Bool",
        "same : forall a b. [Equatable a b] => fn(a, b) -> Bool",
        "neg : forall a u. [Numeric a] => fn(Quantity a u) -> Quantity a u",
        "sum : forall a. [Numeric a] => fn([a]) -> a",
      ),
    );
  });

  it("unit-polymorphic functions and concrete units", () => {
    expect(
      signatures(
        [
          "measure meter",
          "measure second",
          "fn speed d t = d / t",
          "fn area w h = w * h",
          "fn square x = area x x",
          "fn double x = x + x",
          "let v = speed 100meter 9.58second",
          "let a = area 2meter 3meter",
          "fn per_second x = x / 1second",
          "fn in_meters x = x meter",
          "fn mps d = d / 2second + 1meter/1second",
          "",
        ].join("\n"),
      ),
    ).toBe(
      lines(
        "speed : forall a b u v. [Numeric a, Numeric b] => fn(Quantity a u, Quantity b v) -> Quantity (a ⊔ b ⊔ Rational) u/v",
        "area : forall a b u v. [Numeric a, Numeric b] => fn(Quantity a u, Quantity b v) -> Quantity (a ⊔ b) u·v",
        "square : forall a u. [Numeric a] => fn(Quantity a u) -> Quantity a u²",
        "double : forall a b. [Add a a b] => fn(a) -> b",
        "v : Quantity Float meter/second",
        "a : Quantity Integer meter²",
        "per_second : forall a u. [Numeric a] => fn(Quantity a u) -> Quantity (a ⊔ Rational) u/second",
        "in_meters : forall a u. [Numeric a] => fn(Quantity a u) -> Quantity a meter·u",
        "mps : forall a. [Numeric a] => fn(Quantity a meter) -> Quantity (a ⊔ Rational) meter/second",
      ),
    );
  });

  it("rows, structs and enums in types; the declarations themselves are not listed", () => {
    expect(
      signatures(
        [
          "struct Point { x = Float, y = Float }",
          "enum Shape { Circle Float, Square Float }",
          "type Meters = Float",
          "fn get_x p = p.x",
          "fn origin = Point { x = 0.0, y = 0.0 }",
          "fn unit_circle = Shape.Circle 1.0",
          "",
        ].join("\n"),
      ),
    ).toBe(
      lines(
        "get_x : forall a. fn({ x: a, ... }) -> a",
        "origin : fn() -> Point",
        "unit_circle : fn() -> Shape",
      ),
    );
  });

  it("lines follow definition order, mutual recursion included", () => {
    expect(
      signatures(
        "fn even n = if n == 0 then true else odd (n - 1)\nfn odd n = if n == 0 then false else even (n - 1)\nlet (q, r) = (7, 2.5)\n",
      ),
    ).toBe(
      lines(
        "even : forall a. [Numeric a] => fn(a) -> Bool",
        "odd : forall a. [Numeric a] => fn(a) -> Bool",
        "q : Integer",
        "r : Float",
      ),
    );
  });

  it("a redefined name appears once, at its first definition, with its last type", () => {
    expect(signatures('let x = 1\nfn f y = y\nlet x = "now a string"\n')).toBe(
      lines("x : String", "f : forall a. fn(a) -> a"),
    );
  });

  it("block-local definitions are not top-level signatures", () => {
    expect(signatures("fn outer x =\n    fn inner y = y * 2\n    inner x\n")).toBe(
      lines("outer : forall a u. [Numeric a] => fn(Quantity a u) -> Quantity a u"),
    );
  });

  it("effects and trait predicates appear in the signature", () => {
    expect(
      signatures(
        [
          "effect Log = { log: fn(String) -> Unit }",
          "fn greet name = Log.log name",
          "trait Show a = { show: fn(a) -> String }",
          "fn describe x = Show.show x",
          "",
        ].join("\n"),
      ),
    ).toBe(
      lines("greet : fn(String) -> Unit ! Log", "describe : forall a. [Show a] => fn(a) -> String"),
    );
  });
});

describe("CheckResult.schemes", () => {
  it("is a read-only map rendered on demand, in definition order", () => {
    const r = checkText("fn id x = x\nlet n = 1\nfn twice f x = f (f x)\n");
    const schemes = r.schemes;
    expect(schemes.size).toBe(3);
    expect(schemes.has("n")).toBe(true);
    expect(schemes.has("missing")).toBe(false);
    expect(schemes.get("missing")).toBeUndefined();
    expect(schemes.get("id")).toBe("forall a. fn(a) -> a");
    expect([...schemes.keys()]).toEqual(["id", "n", "twice"]);
    expect([...schemes.values()]).toEqual([
      "forall a. fn(a) -> a",
      "Integer",
      "forall a. fn(fn(a) -> a, a) -> a",
    ]);
    expect(new Map(schemes)).toEqual(new Map([...schemes.entries()]));
    const seen: string[] = [];
    schemes.forEach((text, name, map) => {
      expect(map).toBe(schemes);
      seen.push(`${name} : ${text}`);
    });
    expect(seen.join("\n")).toBe(formatSignatures(r).trimEnd());
    // The same text each time it is asked for.
    expect(schemes.get("twice")).toBe(schemes.get("twice"));
  });
});
