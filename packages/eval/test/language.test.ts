// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for unquotes and interpolation.
import { describe, expect, it } from "vitest";
import { cdz, dedent } from "./support/cdz.js";

/** End-to-end: Cadenza text through the real parser and the evaluator (LANGUAGE.md §5). */
const run = (text: string): string => cdz(dedent(text));

describe("§5.1 bindings, scope and patterns", () => {
  it("destructures tuples, records and rests", () => {
    expect(
      run(`
        let (a, (b, c)) = (1, (2, 3))
        let { x, y = renamed, ...rest } = { x = 1, y = 2, z = 3, w = 4 }
        (a + b + c, x, renamed, rest)
        let { x, ... } = { x = 5, q = 6 }
        x
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      () : Unit
      (6, 1, 2, { z = 3, w = 4 }) : (Integer, Integer, Integer, { z: Integer, w: Integer })
      () : Unit
      5 : Integer
      "
    `);
  });

  it("shadows with let and reassigns the innermost binding", () => {
    expect(
      run(`
        let x = 1
        fn get_x = x
        let x = 2
        x = 3
        (get_x, x)
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      () : Unit
      () : Unit
      () : Unit
      (1, 3) : (Integer, Integer)
      "
    `);
  });

  it("checks annotations", () => {
    expect(
      run(`
        type Pair = (Integer, String)
        let p: Pair = (1, "a")
        let xs: [Integer] = []
        let bad: Integer = "no"
      `),
    ).toMatchInlineSnapshot(`
      "error: type mismatch
       --> test.cdz:4:20
        |
      4 | let bad: Integer = "no"
        |                    ^^^^ expected Integer, found String
        |
      "
    `);
  });

  it("reports a binding that ended with its block", () => {
    expect(
      run(`
        let outer =
            let inner = 1
            inner + 1
        inner
      `),
    ).toMatchInlineSnapshot(`
      "error: undefined variable: \`inner\`
       --> test.cdz:4:1
        |
      4 | inner
        | ^^^^^ not found in this scope
        |
        = note: \`inner\` is defined inside a block and not visible here
        = help: move the binding outside the block if you need it here
      "
    `);
  });

  it("hoists functions for mutual recursion but not for early calls", () => {
    expect(
      run(`
        fn is_even n = if n == 0 then true else is_odd (n - 1)
        fn is_odd n = if n == 0 then false else is_even (n - 1)
        is_even 10
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      () : Unit
      true : Bool
      "
    `);
    expect(
      run(`
        later 1
        fn later x = x
      `),
    ).toMatchInlineSnapshot(`
      "error: undefined variable: \`later\`
       --> test.cdz:1:1
        |
      1 | later 1
        | ^^^^^ not found in this scope
        |
        = help: use \`let later = ...\` to define it
      "
    `);
  });
});

describe("§5.2 functions", () => {
  it("applies with exact arity, auto-applies zero-parameter functions, and has operator values", () => {
    expect(
      run(`
        fn add x y = x + y
        fn answer = 42
        let plus = +
        (add 1 2, answer, plus 3 4, (- 5), * "cloned")
        \\x -> x
        add
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      () : Unit
      () : Unit
      (3, 42, 7, -5, "cloned") : (Integer, Integer, Integer, Integer, String)
      <fn> : fn(a) -> a
      <fn add> : fn(a, a) -> a
      "
    `);
  });

  it("reports calling a non-function and too many arguments", () => {
    expect(
      run(`
        fn one x = x
        one 1 2
        "text" 1
      `),
    ).toMatchInlineSnapshot(`
      "error: arity mismatch
       --> test.cdz:2:1
        |
      2 | one 1 2
        | ^^^ function expects 1 argument, got 2
        |
        = note: function \`one\` is defined with parameter: x
        = help: remove the extra argument(s)

      error: not callable
       --> test.cdz:3:1
        |
      3 | "text" 1
        | ^^^^^^ value of type String is not a function
        |
        = note: only functions can be called with arguments
      "
    `);
  });

  it("shares captured variables between closures (D3)", () => {
    expect(
      run(`
        fn make_counter =
            let count = 0
            let increment = \\_ -> count += 1
            let read = \\_ -> count
            (increment, read)
        let (inc, read) = make_counter
        inc ()
        inc ()
        read ()
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      () : Unit
      () : Unit
      () : Unit
      2 : Integer
      "
    `);
  });
});

describe("§5.3 match and if", () => {
  it("matches every pattern kind", () => {
    expect(
      run(`
        enum Shape { Circle { radius: Float }, Square Float, Dot }
        struct Point { x: Integer, y: Integer }
        fn describe v =
            match v
                0 => "zero"
                -1 => "minus one"
                "s" => "a string"
                'c' => "a char"
                :"k" => "a symbol"
                true => "true"
                () => "unit"
                [] => "empty"
                [only] => "one element"
                [first, ...others] => "several"
                (a, b) => "pair"
                (Point { x, y }) => "point"
                (Shape.Circle { radius }) => "circle"
                (Shape.Square side) => "square"
                Shape.Dot => "dot"
                { name } => name
                _ => "other"
        [describe 0, describe (-1), describe "s", describe 'c', describe :"k", describe true, describe ()]
        [describe [], describe [1], describe [1, 2], describe (1, 2), describe (Point { x = 1, y = 2 })]
        [describe (Shape.Circle { radius = 1.0 }), describe (Shape.Square 2.0), describe Shape.Dot]
        [describe { name = "record" }, describe 1.5]
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      () : Unit
      () : Unit
      ["zero", "minus one", "a string", "a char", "a symbol", "true", "unit"] : [String]
      ["empty", "one element", "several", "pair", "point"] : [String]
      ["circle", "square", "dot"] : [String]
      ["record", "other"] : [String]
      "
    `);
  });

  it("reports a non-exhaustive match and a non-Bool condition", () => {
    expect(
      run(`
        match 3
            1 => "one"
        if "yes" then 1 else 2
      `),
    ).toMatchInlineSnapshot(`
      "error: non-exhaustive match
       --> test.cdz:1:7
        |
      1 | match 3
        |       ^ no arm matches this value
        |
        = note: value: 3

      error: type mismatch
       --> test.cdz:3:4
        |
      3 | if "yes" then 1 else 2
        |    ^^^^^ expected Bool, found String
        |
      "
    `);
  });
});

describe("§5.4–§5.6 compound values", () => {
  it("builds, indexes and updates lists and records", () => {
    expect(
      run(`
        let xs = [1, 2, 3]
        xs[0] = 10
        [...xs, 4]
        1..4
        let r = { a = 1, b = { c = 2 } }
        r.b.c += 40
        { ...r, a = 0, d = 5 }
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      () : Unit
      [10, 2, 3, 4] : [Integer]
      [1, 2, 3] : [Integer]
      () : Unit
      () : Unit
      { a = 0, b = { c = 42 }, d = 5 } : { a: Integer, b: { c: Integer }, d: Integer }
      "
    `);
  });

  it("checks structs and enum payloads", () => {
    expect(
      run(`
        struct Point { x = Integer, y = Integer }
        enum Result { Ok Integer, Err String }
        Point { x = 1, y = 2, z = 3 }
        Result.Ok "no"
        Point { x = 1 }
      `),
    ).toMatchInlineSnapshot(`
      "error: unknown struct field
       --> test.cdz:3:23
        |
      3 | Point { x = 1, y = 2, z = 3 }
        |                       ^ struct \`Point\` has no field \`z\`
        |
        = note: struct Point requires fields: x, y

      error: type mismatch
       --> test.cdz:4:11
        |
      4 | Result.Ok "no"
        |           ^^^^ expected Integer, found String
        |

      error: missing struct field
       --> test.cdz:5:7
        |
      5 | Point { x = 1 }
        |       ^^^^^^^^^ missing field \`y\`
        |
        = note: struct Point requires fields: x, y
      "
    `);
  });
});

describe("§5.7 typeof, assert, pipelines", () => {
  it("infers function types", () => {
    expect(
      run(`
        fn double x = x * 2
        fn half x = x / 2
        fn apply f x = f x
        fn first xs = xs[0]
        fn greet name = "Hello, " + name
        fn choose c a b = if c then a else b
        [typeof double, typeof half, typeof apply, typeof first, typeof greet, typeof choose]
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      () : Unit
      () : Unit
      () : Unit
      () : Unit
      () : Unit
      [fn(Integer) -> Integer, fn(Integer) -> Rational, fn(fn(a) -> b, a) -> b, fn([a]) -> a, fn(String) -> String, fn(Bool, a, a) -> a] : [Type]
      "
    `);
  });

  it("pipes values into first arguments", () => {
    expect(
      run(`
        fn sub a b = a - b
        10 |> sub 3
        [1, 2, 3] |> List.map \\x -> x * 2 |> List.len
        [1, 2, 3]
            |> List.fold 0 \\acc x -> acc + x
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      7 : Integer
      3 : Integer
      6 : Integer
      "
    `);
  });

  it("reports assertion failures with their message", () => {
    expect(run(`assert 1 > 2 "one is not more than two"`)).toMatchInlineSnapshot(`
      "error: assertion failed: one is not more than two
       --> test.cdz:1:8
        |
      1 | assert 1 > 2 "one is not more than two"
        |        ^^^^^ this condition is false
        |
      "
    `);
  });
});

describe("§5.8 measures", () => {
  it("converts, multiplies and simplifies quantities", () => {
    expect(
      run(`
        @si kilo milli
        measure meter
        measure second
        measure inch = 25.4 millimeter
        1kilometer + 500meter
        2inch + 1millimeter
        let speed = 10meter / 2second
        speed * 4second
        (3meter) ** 2
        1 / 2second
        meter (2 + 3)
        Quantity.to_string (typeof speed)
        100meter > 1kilometer
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      () : Unit
      () : Unit
      3/2kilometer : Quantity Rational kilometer
      2.0393700787401574inch : Quantity Float inch
      () : Unit
      20meter : Quantity Rational meter
      9meter² : Quantity Integer meter²
      1/2second⁻¹ : Quantity Rational second⁻¹
      5meter : Quantity Integer meter
      "meter/second" : String
      false : Bool
      "
    `);
  });

  it("rejects invalid measure definitions", () => {
    expect(run(`measure m = 5`)).toMatchInlineSnapshot(`
      "error: invalid \`measure\` form
       --> test.cdz:1:1
        |
      1 | measure m = 5
        | ^^^^^^^^^^^^^ expected \`measure NAME = QUANTITY\`
        |
      "
    `);
  });
});

describe("§5.9 macros", () => {
  it("splices lists and evaluates quoted arguments", () => {
    expect(
      run(`
        let args = [Syntax.literal 1, Syntax.literal 2]
        quote add ${"${...args}"} 3
        macro twice e =
            quote
                ${"${e}"}
                ${"${e}"}
        let n = 0
        twice (quote n = n + 1)
        n
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      Syntax (add 1 2 3) : Syntax
      () : Unit
      () : Unit
      () : Unit
      2 : Integer
      "
    `);
  });

  it("runs unhygienic block expansions in the caller's scope without losing its hoisted functions", () => {
    expect(
      run(`
        @unhygienic
        macro make =
            quote
                fn helper = 1
                let made = 2
        fn user = later 5
        make
        fn later x = x + helper + made
        user
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      () : Unit
      () : Unit
      () : Unit
      8 : Integer
      "
    `);
  });

  it("passes the argument's type to typeof inside a macro", () => {
    expect(
      run(`
        macro type_name e = Type.name (typeof e)
        type_name 1.5
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      :"Float" : Symbol
      "
    `);
  });

  it("reports unquote outside quote", () => {
    expect(run(`1 + ${"${2}"}`)).toMatchInlineSnapshot(`
      "error: unquote outside quote
       --> test.cdz:1:5
        |
      1 | 1 + \${2}
        |     ^^^^ only allowed inside quote or in a definition name
        |
      "
    `);
  });
});

describe("§5.10 documentation", () => {
  it("converts documentation to syntax", () => {
    expect(
      run(`
        ## Adds *two* numbers.
        ##
        ## - \`a\` first
        ## - \`b\` second
        ##
        ## \`\`\`
        ## assert (add 1 2) == 3
        ## \`\`\`
        fn add a b = a + b
        docof add
      `),
    ).toMatchInlineSnapshot(`
      "() : Unit
      Syntax (__block__
        (p "Adds " (em "two") " numbers.")
        (ul (li (code_inline "a") " first") (li (code_inline "b") " second"))
        (code "" "assert (add 1 2) == 3")) : Syntax
      "
    `);
  });
});
