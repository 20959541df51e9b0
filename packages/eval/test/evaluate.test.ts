import { describe, expect, it } from "vitest";
import { run } from "./support/sexpr.js";

describe("core evaluation (S-expression input)", () => {
  it("evaluates literals", () => {
    expect(run(`42 1.5 "hi" 'c' :"s" true (__tuple__) (__tuple__ 1)`)).toEqual([
      "42 : Integer",
      "1.5 : Float",
      '"hi" : String',
      "'c' : Char",
      ':"s" : Symbol',
      "true : Bool",
      "() : Unit",
      "(1,) : (Integer,)",
    ]);
  });

  it("binds and reassigns", () => {
    expect(run("(= (let x) 1) (= x (+ x 41)) x")).toEqual([
      "() : Unit",
      "() : Unit",
      "42 : Integer",
    ]);
  });

  it("defines and calls functions", () => {
    expect(run("(= (fn add x y) (+ x y)) (add 3 4) (= (fn get) 42) get add")).toEqual([
      "() : Unit",
      "7 : Integer",
      "() : Unit",
      "42 : Integer",
      "<fn add> : fn(a, a) -> a",
    ]);
  });

  it("infers function types", () => {
    expect(run("(= (fn double x) (* x 2)) (typeof double)")).toEqual([
      "() : Unit",
      "fn(Integer) -> Integer : Type",
    ]);
  });

  it("recurses through hoisting", () => {
    expect(
      run(
        "(= (fn even n) (if (== n 0) true (odd (- n 1)))) (= (fn odd n) (if (== n 0) false (even (- n 1)))) (even 10)",
      ),
    ).toEqual(["() : Unit", "() : Unit", "true : Bool"]);
  });

  it("reports undefined variables with suggestions", () => {
    expect(run("(= (let value) 10) vlaue")).toEqual([
      "error: undefined variable: `vlaue` [not found in this scope]",
    ]);
  });

  it("numbers follow the tower", () => {
    expect(run("(/ 1 2) (/ 10 5) (+ (/ 1 2) 0.5) (> (/ 1 2) (/ 1 3))")).toEqual([
      "1/2 : Rational",
      "2 : Rational",
      "1.0 : Float",
      "true : Bool",
    ]);
  });

  it("keeps going after an error", () => {
    expect(run('(+ 1 "a") undefined_thing (/ 1 0)')).toEqual([
      "error: type mismatch [cannot apply `+` to Integer and String]",
      "error: undefined variable: `undefined_thing` [not found in this scope]",
      "error: division by zero [cannot divide by zero]",
    ]);
  });
});
