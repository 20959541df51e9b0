// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza source text uses `${…}`.
import { describe, expect, it } from "vitest";
import { check, parseText, sexprs } from "./helpers.js";

// LANGUAGE.md §1: the uniform tree.
describe("uniform tree (§1 table)", () => {
  it.each([
    ["f a b", "(f a b)"],
    ["(f a) b", "(f a b)"],
    ["((f a) b)", "(f a b)"],
    ["a + b * c", "(+ a (* b c))"],
    ["[1, 2]", "(__list__ 1 2)"],
    ["[]", "(__list__)"],
    ["{ a = 1, b }", "(__record__ (= a 1) b)"],
    ["{}", "(__record__)"],
    ["(1, 2)", "(__tuple__ 1 2)"],
    ["(1,)", "(__tuple__ 1)"],
    ["()", "()"],
    ["(x)", "x"],
    ["xs[0]", "(__index__ xs 0)"],
    ["p.x", "(. p x)"],
    ["a::b", "(:: a b)"],
    ["25.4meter", "(meter 25.4)"],
    ["-x", "(- x)"],
    ["!x", "(! x)"],
    ["...x", "(... x)"],
    ["let x = 1", "(= (let x) 1)"],
    ["fn add x y = x + y", "(= (fn add x y) (+ x y))"],
    ["foo\n    a\n    b", "(foo (__block__\n  a\n  b))"],
    ["\\x y -> e", "(-> (\\ x y) e)"],
    ["if c then a else b", "(if c a b)"],
    ["${e}", "(__unquote__ e)"],
    ["${...e}", "(__unquote__ (... e))"],
    ["@attr\nitem", "(@ attr item)"],
    ["## one\n## two\nitem", '(__doc__ "one\ntwo" item)'],
    ["p: T", "(: p T)"],
    ["x |> f a", "(|> x (f a))"],
    ['$"a ${x} b"', '(__interpolate__ "a " x " b")'],
    [':"mul_${n}"', '(__symbol__ "mul_" n)'],
    [':"name"', ':"name"'],
  ])("%j", (input, expected) => check(input, expected));

  it("does not flatten operator applications or prefix forms", () => {
    check("(a + b) c", "((+ a b) c)");
    check("-x y", "((- x) y)");
    check("1 + 2 c", "((+ 1 2) c)");
  });

  it("spans an application over its whole source and operators over their token", () => {
    const [item] = parseText("foo (1 + 2) bar").items;
    expect(item?.span).toEqual({ start: 0, end: 15 });
    if (item?.kind !== "apply") throw new Error("expected an application");
    const sum = item.args[0];
    if (sum?.kind !== "apply") throw new Error("expected (+ 1 2)");
    expect(sum.span).toEqual({ start: 5, end: 10 });
    expect(sum.callee.span).toEqual({ start: 7, end: 8 });
  });

  it("gives synthetic heads the span of the token that introduced them", () => {
    const [list] = parseText("[1, 2]").items;
    if (list?.kind !== "apply") throw new Error("expected a list");
    expect(list.callee.span).toEqual({ start: 0, end: 1 });
    const [block] = parseText("f\n    a").items;
    if (block?.kind !== "apply") throw new Error("expected an application");
    const b = block.args[0];
    if (b?.kind !== "apply") throw new Error("expected a block");
    expect(b.callee.span).toEqual({ start: 6, end: 6 });
    expect(b.span).toEqual({ start: 6, end: 7 });
  });
});

// LANGUAGE.md §4.2: the application rule D1, with every documented consequence.
describe("application rule D1 (§4.2 table)", () => {
  it.each([
    ["f x + 1", "(f (+ x 1))"],
    ["f x y", "(f x y)"],
    ["f x + g y", "(f (+ x (g y)))"],
    ['assert v == 2 "msg"', '(assert (== v 2) "msg")'],
    ["a == f x", "(== a (f x))"],
    ["n * factorial n - 1", "(* n (factorial (- n 1)))"],
    ["n => is_odd n - 1", "(=> n (is_odd (- n 1)))"],
    ["x |> f 3", "(|> x (f 3))"],
    ["let x = foo 1 + 2", "(= (let x) (foo (+ 1 2)))"],
    ["Cell.set c (Cell.get c) + 1", "((. Cell set) c (+ ((. Cell get) c) 1))"],
    ["double_it 10 + 5", "(double_it (+ 10 5))"],
    ["typeof a == typeof b", "(typeof (== a (typeof b)))"],
    ["match b true => x false => y", "(match b (=> true (x (=> false y))))"],
    ["Result.Ok v => v", "((. Result Ok) (=> v v))"],
  ])("%j", (input, expected) => check(input, expected));

  it("takes a qualified name as the head of a right operand", () => {
    check("a == List.len xs", "(== a ((. List len) xs))");
    check("a == std::io::read f", "(== a ((:: (:: std io) read) f))");
  });

  it("keeps taking arguments after the head of a right operand", () => {
    check("g a == f x y = 2", "(= (g (== a (f x y))) 2)");
    check("a == f x + 1 y", "(== a (f (+ x 1) y))");
  });

  it("does not treat a non-name operand as a head", () => {
    check("a == x.y[0] z", "((== a (__index__ (. x y) 0)) z)");
    check("a + 1 y", "((+ a 1) y)");
  });

  it("lets a block be the argument of a name in a right operand", () => {
    check("a == f\n    x", "(== a (f (__block__\n  x)))");
  });

  it("does not let `then` or `else` start an argument", () => {
    check("if f x then g y else h z", "(if (f x) (g y) (h z))");
    check("if a == f then 1 else 2", "(if (== a f) 1 2)");
  });
});

// LANGUAGE.md §4.1: precedence and associativity.
describe("precedence (§4.1)", () => {
  it.each([
    ["a |> b |> c", "(|> (|> a b) c)"],
    ["a |?", "(|? a)"],
    ["a .. b", "(.. a b)"],
    ["a ..= b", "(..= a b)"],
    ["1..3", "(.. 1 3)"],
    ["a = b = c", "(= a (= b c))"],
    ["a -> b -> c", "(-> a (-> b c))"],
    ["x += 1", "(+= x 1)"],
    ["a <<= b", "(<<= a b)"],
    ["a => b => c", "(=> (=> a b) c)"],
    ["a : b : c", "(: (: a b) c)"],
    ["a || b && c", "(|| a (&& b c))"],
    ["a == b != c", "(!= (== a b) c)"],
    ["a < b == c > d", "(== (< a b) (> c d))"],
    ["a | b ^ c & d", "(| a (^ b (& c d)))"],
    ["a << b + c", "(<< a (+ b c))"],
    ["a + b - c", "(- (+ a b) c)"],
    ["a * b / c % d", "(% (/ (* a b) c) d)"],
    ["a + b?", "(+ a (? b))"],
    ["a ** b ** c", "(** a (** b c))"],
    ["a.b.c", "(. (. a b) c)"],
    ["a::b::c", "(:: (:: a b) c)"],
    ["a[0][1]", "(__index__ (__index__ a 0) 1)"],
    ["a.b[0]", "(__index__ (. a b) 0)"],
    ["x??", "(? (? x))"],
    ["foo x? y? z?", "(foo (? x) (? y) (? z))"],
    ["foo 1 |> bar |?", "(|? (|> (foo 1) bar))"],
    ["foo 1 |> bar 2 |? |> baz 3", "(|> (|? (|> (foo 1) (bar 2))) (baz 3))"],
    ["let x = (foo 1 + 2)?", "(= (let x) (? (foo (+ 1 2))))"],
    ["1/2 > 1/3", "(> (/ 1 2) (/ 1 3))"],
    ["p.x = p.x + 5", "(= (. p x) (+ (. p x) 5))"],
    ["-x * 2", "(* (- x) 2)"],
    ["-x ** 2", "(- (** x 2))"],
    ["-p.x", "(- (. p x))"],
    ["-x?", "(? (- x))"],
    [
      "xs |> List.map \\x -> x * 2 |> List.len",
      "(|> (|> xs ((. List map) (-> (\\ x) (* x 2)))) (. List len))",
    ],
    ["\\x -> a = b", "(-> (\\ x) (= a b))"],
    ["\\x -> a .. b", "(.. (-> (\\ x) a) b)"],
    ["\\(a, b) -> a", "(-> (\\ (__tuple__ a b)) a)"],
    ["\\{ x, y } -> x", "(-> (\\ (__record__ x y)) x)"],
    ["\\_ -> 1", "(-> (\\ _) 1)"],
    ["let add_op = +", "(= (let add_op) +)"],
    ["(+ 1 2)", "(+ 1 2)"],
    ["(- 1 2)", "(- 1 2)"],
    ["map (*) xs", "(map * xs)"],
    ["{ x, ... }", "(__record__ x ...)"],
    ["let not = !", "(= (let not) !)"],
    ["f !x ~y", "(f (! x) (~ y))"],
    ["f ...xs", "(f (... xs))"],
    ["fn cloned_x = *x", "(= (fn cloned_x) (* x))"],
    ["$x", "($ x)"],
    ["arr [0]", "(arr (__list__ 0))"],
    ["arr[0]", "(__index__ arr 0)"],
    ["[1, 2, 3][0]", "(__index__ (__list__ 1 2 3) 0)"],
    ["(get_point x).field", "(. (get_point x) field)"],
    ["record.${name}", "(. record (__unquote__ name))"],
    ["fn ${name} x = x", "(= (fn (__unquote__ name) x) x)"],
    ["if a then if b then x else y", "(if a (if b x y))"],
    ["f if c then a else b", "(f (if c a b))"],
    ["let x = if a then 1 else 2", "(= (let x) (if a 1 2))"],
    ["if c then a |> f", "(if c (|> a f))"],
  ])("%j", (input, expected) => check(input, expected));
});

// LANGUAGE.md §4.3: the minus rule D2.
describe("minus rule D2 (§4.3 table)", () => {
  it.each([
    ["a - b", "(- a b)"],
    ["a-b", "(- a b)"],
    ["a -b", "(- a b)"],
    ["f -1", "(- f 1)"],
    ["f (-1)", "(f (- 1))"],
    ["a * -b", "(* a (- b))"],
    ["x = -5", "(= x (- 5))"],
    ["[1, -2]", "(__list__ 1 (- 2))"],
    ["nums[-1]", "(__index__ nums (- 1))"],
    ["42\n-17", "42\n(- 17)"],
    ["42\n- 17", "(- 42 17)"],
    ["{ a = -1 }", "(__record__ (= a (- 1)))"],
    ["-(a + b)", "(- (+ a b))"],
    ["x = - 5", "(= x (- 5))"],
    ["a * *b", "(* a (* b))"],
    ["a\n*b", "a\n(* b)"],
    ["a\n* b", "(* a b)"],
  ])("%j", (input, expected) => check(input, expected));
});

describe("literals in the tree", () => {
  it("decodes numbers, strings, characters and symbols", () => {
    check("1_000_000", "1000000");
    check("3.14", "3.14");
    check("1.0", "1.0");
    check("2e3", "2000.0");
    check("1.5e-7", "1.5e-7");
    check("2em", "(em 2)");
    check("1e5meter", "(meter 100000.0)");
    check("10meter 5inch 3.14foot", "((meter 10) (inch 5) (foot 3.14))");
    check('"a\\tb\\u{1F30D}"', '"a\tb🌍"');
    check("'\\n'", "'\\n'");
    check("'λ'", "'λ'");
    check(':"a b"', ':"a b"');
    check('"${x}"', '"${x}"');
    check("170141183460469231731687303715884105727", "170141183460469231731687303715884105727");
  });

  it("reads identifiers with Unicode and emoji", () => {
    for (const name of ["_", "_123", "hello_", "αβγ", "你好", "x²", "🎉", "hello🎉world", "___"]) {
      check(name, name);
    }
    check("foo-bar", "(- foo bar)");
  });

  it("keeps interpolation parts in order and drops empty text", () => {
    check('$"${a}${b}"', "(__interpolate__ a b)");
    check('$"x ${f y} z"', '(__interpolate__ "x " (f y) " z")');
    check('$"plain"', '(__interpolate__ "plain")');
    check('$"\\"${x}\\""', '(__interpolate__ "\\"" x "\\"")');
  });
});

describe("attributes and documentation (§3.1)", () => {
  it("wraps the next item, in source order", () => {
    check("## d\n@a\nitem", '(__doc__ "d" (@ a item))');
    check("@a\n## d\nitem", '(@ a (__doc__ "d" item))');
    check("@si kilo\nmeasure meter", "(@ (si kilo) (measure meter))");
    check("@a\n@b\nx", "(@ a (@ b x))");
  });

  it("takes the doc text after `##` minus one space", () => {
    check("##\n##  two\n### h\nx", '(__doc__ "\n two\n# h" x)');
  });

  it("attaches doc comments inside blocks to block items", () => {
    check("f =\n    ## inner\n    x", '(= f (__block__\n  (__doc__ "inner" x)))');
  });

  it("ignores doc comments not directly above an item at the same indentation", () => {
    check("## orphan\n\nx", "x");
    check("[\n  ## inside\n  1\n]", "(__list__ 1)");
    check("x ## not a doc comment", "x");
    check("x\n## trailing", "x");
  });

  it("ignores an attribute with no following item", () => {
    check("x\n@dangling", "x");
  });

  it("spans the wrappers from the first doc line or the attribute", () => {
    const [item] = parseText("## d\n@a\nitem").items;
    expect(item?.span).toEqual({ start: 0, end: 12 });
  });
});

describe("comments", () => {
  it("are ignored by the uniform tree", () => {
    expect(sexprs("# c\nlet foo = # comment here\n    let bar = 123 # other\n    bar")).toBe(
      "(= (let foo) (__block__\n  (= (let bar) 123)\n  bar))",
    );
  });
});
