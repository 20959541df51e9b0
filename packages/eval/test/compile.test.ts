// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for unquotes and interpolation.
import { renderDiagnostics, SourceFile } from "@cadenza/core";
import { conformanceDir, loadCases } from "@cadenza/test-support";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileStats } from "../src/compile.js";
import { type EvalOptions, evaluateSource } from "../src/index.js";
import { dedent } from "./support/cdz.js";

/**
 * The compiled fast path (`compile.ts`) must be invisible: every program prints the same
 * transcript and the same diagnostics (with the same stack traces) whether user functions
 * are compiled or run on the tree walker.
 */
function output(text: string, options: EvalOptions): string {
  const source = SourceFile.fromRaw("test.cdz", text);
  const r = evaluateSource(source, options);
  const printed =
    r.allDiagnostics.length > 0 ? renderDiagnostics(r.allDiagnostics, () => source) : r.transcript;
  return `${printed}[${r.status}; untaken: ${r.module.untakenBranches.length}]`;
}

function agree(text: string, options: EvalOptions = {}): string {
  const walked = output(text, { ...options, compile: false });
  const compiled = output(text, options);
  expect(compiled).toBe(walked);
  return compiled;
}

/** Runs a program and returns how many closures were compiled and how many were not. */
function linked(text: string): { compiled: number; walked: number } {
  const before = { ...compileStats };
  agree(text);
  return {
    compiled: compileStats.compiled - before.compiled,
    walked: compileStats.walked - before.walked,
  };
}

const programs: Record<string, string> = {
  "recursion and arithmetic": `
    fn fib n = if n < 2 then n else (fib (n - 1)) + (fib (n - 2))
    fib 15
    fn fact n =
        match n
            0 => 1
            n => n * fact n - 1
    fact 25
    fact 40
    fn pow2 n = if n == 0 then 1 else 2 * pow2 n - 1
    pow2 126
    pow2 127
  `,
  "numbers across the tower": `
    fn f a b = (a + b, a - b, a * b, a / b, a % b, a < b, a == b, a != b, -a)
    f 7 2
    f 7.5 2.0
    f 7 2.5
    f (1/2) 3
    f 9007199254740991 1
    f -9007199254740991 10
    f 5 0
  `,
  "division by zero inside a function": `
    fn g x = x / 0.0
    fn h x = (g x) + 1
    h 3.0
  `,
  "errors carry a stack trace": `
    fn inner x = x + "a"
    fn middle x = inner (x * 2)
    fn outer x = middle x
    outer 5
    let f = \\x -> inner x
    f 1
  `,
  "undefined variables suggest names in scope": `
    fn f count =
        let counter = 1
        coutn + counter
    f 1
    fn g = missing
    g
    fn h x =
        let y =
            let inner = 1
            inner
        inner
    h 1
  `,
  "closures capture by reference": `
    fn make_counter start =
        let count = start
        fn next = count += 1
        fn get = count
        (next, get)
    let (next, get) = make_counter 10
    next
    next
    get
    fn adders n = List.map (0..n) \\i -> \\x -> x + i
    let fs = adders 3
    List.map fs \\f -> f 10
    fn shadow x =
        let y = x
        let g = \\ -> y
        let y = 100
        (g, y)
    shadow 1
  `,
  "hoisting inside functions": `
    fn parity n =
        fn is_even k = if k == 0 then true else is_odd k - 1
        fn is_odd k = if k == 0 then false else is_even k - 1
        (is_even n, is_odd n)
    parity 7
    fn early =
        let r = later 1
        fn later x = x
        r
    early
  `,
  "match patterns": `
    enum Shape { Circle { radius: Float }, Square Float, Dot }
    use Shape
    struct Point { x = Integer, y = Integer }
    fn area s =
        match s
            (Shape.Circle { radius }) => radius * radius * 3.0
            (Shape.Square side) => side * side
            Dot => 0.0
    (area (Shape.Circle { radius = 2.0 }), area (Shape.Square 3.0), area Shape.Dot)
    fn describe v =
        match v
            0 => "zero"
            -1 => "minus one"
            1.5 => "one and a half"
            "s" => "a string"
            'c' => "a char"
            true => "yes"
            (a, b) => $"pair \${a} \${b}"
            [] => "empty"
            [x] => $"one \${x}"
            [x, ...rest] => $"many \${x} \${rest}"
            { k } => $"record \${k}"
            _ => "other"
    (describe 0, describe -1, describe 1.5, describe "s", describe 'c', describe true)
    (describe (1, 2), describe [], describe [7], describe [1, 2, 3], describe { k = 1 }, describe 2)
    fn px p =
        match p
            (Point { x, y }) => x + y
    px (Point { x = 1, y = 2 })
    fn only_zero n =
        match n
            0 => "zero"
    only_zero 3
  `,
  "variant names in patterns": `
    enum Status { Pending, Done }
    use Status
    fn check s =
        match s
            Pending => 1
            Done => 2
    (check Status.Pending, check Status.Done)
    fn rebind Pending = Pending
    rebind 5
  `,
  "let patterns in functions": `
    fn swap p =
        let (a, b) = p
        (b, a)
    swap (1, "x")
    swap (1, 2, 3)
    fn fields r =
        let { x, y = b } = r
        x + b
    fields { x = 1, y = 2 }
    fields { x = 1 }
    fn nested t =
        let (a, (b, _)) = t
        a + b
    nested (1, (2, 3))
  `,
  "loops and reassignment": `
    fn sum_to n =
        let total = 0
        for i in (0..=n)
            total += i
        total
    sum_to 100
    fn squares n =
        let out = []
        for i in (1..n)
            let sq = i * i
            out = [...out, sq]
        out
    squares 5
    fn pairs xs =
        let s = ""
        for (a, b) in xs
            s = s + $"\${a}=\${b};"
        s
    pairs [(1, "a"), (2, "b")]
    fn bad = for x in 5
        x
    bad
    fn after =
        for i in (0..2)
            let seen = i
        seen
    after
    fn float_loop n =
        let x = 0.0
        for i in (0..n)
            x = x * 0.5 + 1.0
        x
    float_loop 10
  `,
  "strings, interpolation and lists": `
    fn greet name = $"hello \${name}, \${String.len name} letters"
    greet "ada"
    fn build n =
        let s = ""
        for i in (0..n)
            s = s + (String.from_int i) + ","
        s
    build 5
    fn lists a = ([a, a + 1], [a, "x"], (a,), [])
    lists 1
    fn at xs i = xs[i]
    (at [1, 2, 3] 1, at (1, 2) 0)
    at [1, 2] 5
    at [1, 2] -1
    at 5 0
  `,
  "records and fields": `
    fn make x y = { x, y, sum = x + y }
    make 1 2
    (make 1 2).sum
    fn get r = r.missing
    get { a = 1 }
    fn get2 v = v.x
    get2 5
    fn spread r = { ...r, z = 3 }
    spread { x = 1 }
    spread 4
  `,
  "pipelines and builtins": `
    fn double x = x * 2
    fn twice f x = f (f x)
    fn pipe xs = xs |> List.map \\x -> x + 1 |> List.fold 0 \\a b -> a + b
    pipe [1, 2, 3]
    fn p2 x = x |> double |> twice double
    p2 3
    fn p3 x = x |> \\y -> y * 10
    p3 4
    fn cells =
        let c = Cell.new 0
        Cell.update c \\v -> v + 5
        Cell.set c (Cell.get c) + 1
        Cell.get c
    cells
  `,
  "typeof and assert": `
    fn t x = typeof x
    (t 1, t "s", t [1], t \\y -> y + 1)
    fn check x = assert x > 0 "must be positive"
    check 1
    check -1
    fn check2 x = assert x
    check2 5
  `,
  logic: `
    fn both a b = a && b
    fn either a b = a || b
    (both true false, either false true, both false 1)
    both 1 true
    either false 2
  `,
  "quantities and units": `
    measure meter
    measure second
    measure kilometer = 1000 meter
    fn speed d t = d / t
    speed 100meter 10second
    fn add_len a b = a + b
    add_len 1kilometer 5meter
    add_len 1meter 1second
    fn scale x = meter x
    scale 5
  `,
  "structs and enums built in functions": `
    struct Point { x = Integer, y = Integer }
    enum Result { Ok Integer, Err String }
    fn mk a b = Point { x = a, y = b }
    mk 1 2
    mk 1 "no"
    fn ok v = Result.Ok v
    ok 5
    ok "s"
  `,
  "zero-parameter functions and thunks": `
    fn answer = 42
    fn use_answer = answer + 1
    use_answer
    fn call_thunk t = t
    call_thunk (\\ -> 7)
    fn clone x = *x
    clone [1, 2]
  `,
  "macros reaching functions as values": `
    macro twice_m e = quote \${e} + \${e}
    fn apply_macro m = m 21
    apply_macro twice_m
    fn uses_macro x = twice_m x
    uses_macro 4
  `,
  "rebinding operators and forms": `
    fn add a b = a + b
    add 1 2
    let (+) = \\a b -> a * b
    add 2 5
    fn add2 a b = a + b
    add2 2 5
  `,
  "error values propagate silently": `
    let broken = 1 + "a"
    fn use x = x + 1
    use broken
    fn use2 = broken * 2
    use2
  `,
  "deep recursion": `
    fn count n =
        match n
            0 => 0
            n => 1 + count (n - 1)
    count 3000
    fn spin n = spin (n + 1)
    spin 0
  `,
  "functions that call nothing but reach user code through thunks": `
    fn leaf x = x
    fn deep n = leaf (\\ -> deep (n + 1))
    deep 0
    fn plus_one x = x + 1
    plus_one (\\ -> 5)
  `,
  "integer overflow": `
    fn grow n = n * 1000000000000
    grow (grow (grow 1))
    grow (grow (grow (grow 1)))
  `,
  "closures over every kind of scope": `
    fn nest a =
        let b = a * 2
        let f = \\x ->
            let c = x + b
            \\y -> a + b + c + y
        let g = f 1
        g 10
    nest 3
    fn per_iteration n =
        let fs = []
        for i in (0..n)
            let j = i * 10
            fs = [...fs, \\ -> i + j]
        List.map fs \\g -> g
    per_iteration 3
    fn in_arms v =
        match v
            (a, b) =>
                let s = a + b
                \\x -> x * s
            n => \\x -> x + n
    let times5 = in_arms (2, 3)
    let plus5 = in_arms 5
    (times5 2, plus5 1)
    fn blocks x =
        let g =
            let y = x + 1
            let z = y * 2
            \\w -> w + y + z
        g 100
    blocks 1
    fn helpers n =
        let base = n
        fn twice k = add_base (add_base k)
        fn add_base k = k + base
        let over = \\k -> twice k
        base = 1000
        over 1
    helpers 5
    fn mutate =
        let count = 0
        let bump = \\ -> count += 1
        bump
        bump
        let count = 50
        bump
        count
    mutate
    fn shadowed x =
        let x = x + 1
        let f = \\ -> x
        let x = 0
        f
    shadowed 1
  `,
  "blocks as values": `
    fn f x =
        let y =
            let z = x * 2
            z + 1
        y * 3
    f 2
    fn g x = if x > 0 then
        let a = x
        a
    else
        0
    g 3
  `,
};

describe("compiled functions behave as the tree walker", () => {
  for (const [name, text] of Object.entries(programs)) {
    it(name, () => {
      const stats = linked(dedent(text));
      expect(stats.compiled).toBeGreaterThan(0);
      // Only a function whose body invokes a macro is left to the tree walker.
      expect(stats.walked).toBe(name.startsWith("macros") ? 1 : 0);
    });
  }

  it("under step budgets and cancellation", () => {
    const program = dedent(`
      fn spin n = if n == 0 then 0 else (spin (n - 1)) + (spin (n - 1))
      spin 30
    `);
    for (const steps of [50, 500, 5000]) {
      const walked = evaluateSource(SourceFile.fromRaw("test.cdz", program), {
        compile: false,
        budget: { steps },
      });
      const compiled = evaluateSource(SourceFile.fromRaw("test.cdz", program), {
        budget: { steps },
      });
      expect(compiled.status).toBe("budget-exhausted");
      expect(walked.status).toBe("budget-exhausted");
      expect(compiled.diagnostics.map((d) => d.message)).toEqual(
        walked.diagnostics.map((d) => d.message),
      );
    }
    let polls = 0;
    const signal = {
      get aborted(): boolean {
        return ++polls > 5;
      },
    };
    const r = evaluateSource(SourceFile.fromRaw("test.cdz", program), { signal });
    expect(r.status).toBe("cancelled");
  });

  const dir = conformanceDir();
  it.skipIf(dir === undefined)("on every conformance program", () => {
    for (const c of loadCases(dir!)) agree(c.input);
  });
});

// Random programs: a function built from a small grammar, called with several arguments.
const leaf = fc.constantFrom(
  "a",
  "b",
  "c",
  "1",
  "2",
  "0",
  "2.5",
  '"s"',
  "true",
  "[1, 2]",
  "(1, 2)",
  "{ k = 1 }",
  "zz",
  "(h 1)",
  "(g 1 2)",
  "Status.On",
  "(Cell.new 1)",
);
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc
      .tuple(
        tie("e"),
        fc.constantFrom("+", "-", "*", "/", "%", "<", "<=", "==", "!=", "&&", "||", "**"),
        tie("e"),
      )
      .map(([x, op, y]) => `(${x} ${op} ${y})`),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([c, t, f]) => `(if ${c} then ${t} else ${f})`),
    fc.tuple(tie("e"), tie("e")).map(([x, y]) => `[${x}, ${y}]`),
    fc.tuple(tie("e"), tie("e")).map(([x, y]) => `(${x}, ${y})`),
    fc.tuple(tie("e"), tie("e")).map(([x, y]) => `${x}[${y}]`),
    tie("e").map((x) => `(\\c -> ${x}) 3`),
    tie("e").map((x) => `(List.map [1, 2] \\c -> ${x})`),
    tie("e").map((x) => `(List.fold [1, 2] 0 \\acc c -> acc + ${x})`),
    tie("e").map((x) => `(${x} |> \\c -> c)`),
    tie("e").map((x) => `(${x} |> g 1)`),
    tie("e").map((x) => `$"<\${${x}}>"`),
    tie("e").map((x) => `(-${x})`),
    tie("e").map((x) => `(typeof ${x})`),
    tie("e").map((x) => `{ k = ${x}, j = c }.k`),
    tie("e").map((x) => `(h ${x})`),
    tie("e").map(
      (x) =>
        `(match ${x}\n            0 => a\n            Status.On => 1\n            (p, q) => q\n            [u, ...t] => t\n            { k } => k\n            c => c)`,
    ),
  ),
})).e;

/** Items of the function body: bindings, reassignments, loops, local functions. */
const statement = fc.oneof(
  expr.map((e) => `let c = ${e}`),
  expr.map((e) => `let d = ${e}`),
  expr.map((e) => `c = ${e}`),
  expr.map((e) => `c += ${e}`),
  expr.map((e) => `a = ${e}`),
  expr.map((e) => `b *= ${e}`),
  expr.map((e) => `let (p, q) = (${e}, a)`),
  expr.map((e) => `let f2 = \\y -> y + ${e}`),
  expr.map((e) => `c = f2 ${e}`),
  expr.map((e) => `for i in (0..2)\n        c = ${e}`),
  expr.map((e) => `for (p, q) in [(1, 2)]\n        let w = ${e}\n        c = w`),
  expr.map((e) => `fn h y = ${e}`),
  expr.map((e) => `assert ${e}`),
  expr,
);

describe("random functions", () => {
  test.prop([fc.array(statement, { maxLength: 4 }), expr, expr], {
    numRuns: Number(process.env.CDZ_RUNS ?? 150),
  })(
    "agree with the tree walker",
    (items, body, other) => {
      const program = [
        "enum Status { On, Off }",
        `fn g c d = ${other}`,
        "fn h y = y",
        "fn f a b =",
        "    let c = a",
        ...items.map((i) => `    ${i}`),
        `    ${body}`,
        "f 1 2",
        'f 2.5 "s"',
        "f [1] (1, 2)",
        "f Status.On 0",
        "",
      ].join("\n");
      // Budgets count steps differently on the fast path; the generous budget only guards
      // against a runaway case, and such a case is compared by status alone.
      const options = { budget: { steps: 2_000_000 } };
      const walked = output(program, { ...options, compile: false });
      const compiled = output(program, options);
      if (walked.includes("[budget-exhausted")) expect(compiled).toContain("[budget-exhausted");
      else if (walked.includes("the evaluator ran out of stack space")) {
        // Where JavaScript's own stack runs out (recursion through builtins) depends on frame
        // sizes, in the tree walker too: only the diagnostic is the same.
        expect(compiled).toContain("the evaluator ran out of stack space");
      } else expect(compiled).toBe(walked);
    },
    120_000,
  );
});
