// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza source text uses `${…}`.
import { describe, expect, it } from "vitest";
import { check, parseText } from "./helpers.js";

// LANGUAGE.md §3: layout.
describe("items and continuation (§3.1, §3.2)", () => {
  it("starts an item on every line at the reference indentation", () => {
    check("let a = 1\nlet b = 2", "(= (let a) 1)\n(= (let b) 2)");
    check("\nfoo 123 456", "(foo 123 456)");
  });

  it("uses the first line of each top-level item as its reference", () => {
    check("  a\n  b", "a\nb");
    check("  a\nb", "a\nb");
    check("a\n  b", "(a (__block__\n  b))");
    check("    a\n  b\nc", "a\nb\nc");
  });

  it("continues with an operator-led line at the same or a deeper indentation", () => {
    check("foo 1 + 2\n|> bar 3\n|> baz 4 * 5", "(|> (|> (foo (+ 1 2)) (bar 3)) (baz (* 4 5)))");
    check("a\n    + b", "(+ a b)");
    check("x\n.field\n.other", "(. (. x field) other)");
    check("x\n?", "(? x)");
    check("x\n|?", "(|? x)");
  });

  it("does not continue with an operator-led line that is shallower than the item", () => {
    check("  a\n+ b", "a\n(+ b)");
  });

  it("treats `-` per D2 at the start of a line", () => {
    check("42\n-17", "42\n(- 17)");
    check("42\n- 17", "(- 42 17)");
    check("42\n-(1)", "42\n(- 1)");
    // A lone `-` is not a tight prefix: it continues the line, and its operand is missing.
    expect(parseText("42\n-\n17").diagnostics.map((d) => d.message)).toEqual([
      "expected expression, found `end of line`",
    ]);
  });

  it("ignores blank lines and comment-only lines", () => {
    check("a\n\n   \n# comment\n  # indented comment\nb", "a\nb");
    check("f =\n    a\n\n    # c\n    b", "(= f (__block__\n  a\n  b))");
  });

  it("counts a tab as four columns", () => {
    check("f =\n\ta\n    b", "(= f (__block__\n  a\n  b))");
    check("f =\n\t\ta\n        b", "(= f (__block__\n  a\n  b))");
    check("f =\n  \ta\n      b", "(= f (__block__\n  a\n  b))");
  });

  it("keeps line breaks inside strings out of layout", () => {
    check('let s = "a\nb"\nx', '(= (let s) "a\nb")\nx');
    check('let s = $"a\n${b}\nc"\nx', '(= (let s) (__interpolate__ "a\n" b "\nc"))\nx');
  });

  it("tolerates carriage returns left in the text", () => {
    check("a = 1\r\nb\r\n  c", "(= a 1)\n(b (__block__\n  c))");
  });

  it("parses empty and comment-only files to no items", () => {
    check("", "");
    check("\n\n", "");
    check("# only a comment\n", "");
    check("## a dangling doc comment", "");
  });
});

describe("blocks (§3.3)", () => {
  it("makes a block the right operand of a preceding infix operator", () => {
    check(
      "let a = 1\nlet level1 =\n    let b = 2\n    let level2 =\n        let c = 3\n        a + b + c\n    level2\nlevel1",
      [
        "(= (let a) 1)",
        "(= (let level1) (__block__",
        "  (= (let b) 2)",
        "  (= (let level2) (__block__",
        "    (= (let c) 3)",
        "    (+ (+ a b) c)))",
        "  level2))",
        "level1",
      ].join("\n"),
    );
    check("fn increment =\n  counter += 1", "(= (fn increment) (__block__\n  (+= counter 1)))");
    check("let x = 1 +\n    2", "(= (let x) (+ 1 (__block__\n  2)))");
  });

  it("makes a block one more argument of the innermost application", () => {
    check(
      "match n\n    0 => 1\n    n => n * factorial n - 1",
      "(match n (__block__\n  (=> 0 1)\n  (=> n (* n (factorial (- n 1))))))",
    );
    check(
      "quote\n    let temp = ${x}\n    ${x} + ${y}",
      "(quote (__block__\n  (= (let temp) (__unquote__ x))\n  (+ (__unquote__ x) (__unquote__ y))))",
    );
    check(
      "for num in [2, 3, 5, 10]\n    fn ${name} x = x * num",
      "(for num in (__list__ 2 3 5 10) (__block__\n  (= (fn (__unquote__ name) x) (* x num))))",
    );
    check("foo 1 + 2\n    x", "(foo (+ 1 2) (__block__\n  x))");
    check("foo 1\n    2", "(foo 1 (__block__\n  2))");
  });

  it("continues the current block item with deeper lines", () => {
    check("f =\n    a\n        + b\n    c", "(= f (__block__\n  (+ a b)\n  c))");
    check("f =\n    g\n        x\n    c", "(= f (__block__\n  (g (__block__\n    x))\n  c))");
  });

  it("ends a block at a shallower line, then applies §3.2 to that line", () => {
    check("foo\n        a\n    b", "(foo (__block__\n  a) (__block__\n    b))");
    check("foo\n    a\n|> bar", "(|> (foo (__block__\n  a)) bar)");
    check("f =\n    a\n        b\nc", "(= f (__block__\n  (a (__block__\n    b))))\nc");
  });

  it("closes every open block at the end of the input", () => {
    check(
      "a =\n  b =\n    c =\n      d",
      "(= a (__block__\n  (= b (__block__\n    (= c (__block__\n      d))))))",
    );
  });

  it("gives lambdas block bodies", () => {
    check(
      "List.fold funcs init \\acc fn_syntax ->\n    Syntax.apply fn_syntax [acc]",
      "((. List fold) funcs init (-> (\\ acc fn_syntax) (__block__\n  ((. Syntax apply) fn_syntax (__list__ acc)))))",
    );
  });

  it("lets parameters of a lambda continue on a deeper line", () => {
    check("\\x\n    y -> x", "(-> (\\ x y) x)");
  });
});

describe("delimiters (§3.4)", () => {
  it("ignores line breaks and indentation inside delimiters", () => {
    check("[ 1\n, 2\n, 3]", "(__list__ 1 2 3)");
    check("[1, 2,\n    3, 4,\n    5]", "(__list__ 1 2 3 4 5)");
    check("[\n    1,\n    2,\n    3\n]", "(__list__ 1 2 3)");
    check("{ a = 1\n, b = 2\n}", "(__record__ (= a 1) (= b 2))");
    check("{\n  a = 1,\n  b = 2,\n}", "(__record__ (= a 1) (= b 2))");
    check("(1,\n 2)", "(__tuple__ 1 2)");
  });

  it("continues the line normally after the closer", () => {
    check("foo (\n    a + b\n) c d e + f", "(foo (+ a b) c d (+ e f))");
    check("foo [\n    a + b\n] c d e + f", "(foo (__list__ (+ a b)) c d (+ e f))");
    check("foo 1 {\n  a = 1\n} 2\nbar", "(foo 1 (__record__ (= a 1)) 2)\nbar");
  });

  it("opens no block inside delimiters", () => {
    check("(f\n    x)", "(f x)");
    check("[f =\n    x]", "(__list__ (= f x))");
  });

  it("accepts enum bodies with trailing commas", () => {
    check(
      "enum Shape {\n    Circle { radius: Float },\n    Rectangle { width: Float, height: Float }\n}",
      "(enum Shape (__record__ (Circle (__record__ (: radius Float))) (Rectangle (__record__ (: width Float) (: height Float)))))",
    );
  });

  it("closes an unclosed delimiter at a line no deeper than the opener's", () => {
    const result = parseText("foo [\nbar");
    expect(result.items.length).toBe(2);
    expect(result.diagnostics.map((d) => d.message)).toEqual(["expected `]`"]);
    // Even a plain continuation of the elements must be indented deeper than the opener.
    // The guard then starts a new item there, where the closer is stray.
    expect(parseText("(1,\n2)").diagnostics.map((d) => d.message)).toEqual([
      "expected `)`",
      "expected expression, found `)`",
    ]);
  });

  it("lets a line at the opener's indentation start with the closer or a comma", () => {
    check("x = [\n  1\n]", "(= x (__list__ 1))");
    check("x = [1\n, 2]", "(= x (__list__ 1 2))");
  });
});

describe("if … then … else (§3.5)", () => {
  it("reads the branches on one line", () => {
    check("if c then a else b", "(if c a b)");
    check("if c then a", "(if c a)");
    check("if (typeof ty) == Integer then 1 else 2", "(if (== (typeof ty) Integer) 1 2)");
  });

  it("takes a block after `then` at the end of a line and `else` on a later line", () => {
    check(
      "if use_fast_path then\n    quote (fn compute x = x * 2)\nelse\n    quote (fn compute x = x + x)",
      "(if use_fast_path (__block__\n  (quote (= (fn compute x) (* x 2)))) (__block__\n    (quote (= (fn compute x) (+ x x)))))",
    );
    check("if c then a\nelse b", "(if c a b)");
    check("if c then a\n    else b", "(if c a b)");
    check("if c\n    then a\n    else b", "(if c a b)");
  });

  it("chains else-if", () => {
    check("if a then 1 else if b then 2 else 3", "(if a 1 (if b 2 3))");
    check("if a then 1\nelse if b then 2\nelse 3", "(if a 1 (if b 2 3))");
  });

  it("does not take `else` on a line shallower than the one holding `if`", () => {
    const result = parseText("  if c then a\nelse b");
    expect(result.diagnostics.length).toBeGreaterThan(0);
    const continued = parseText("x = foo\n    |> if c then a\nelse b");
    expect(continued.diagnostics.map((d) => d.message)).toEqual([
      "expected expression, found `else`",
    ]);
    check("x = foo\n    |> if c then a\n    else b", "(|> (= x foo) (if c a b))");
    check("f =\n    if c then a\n    else b", "(= f (__block__\n  (if c a b)))");
  });

  it("keeps a block item's `if` and the next item apart", () => {
    check("f =\n    if c then a\n    b", "(= f (__block__\n  (if c a)\n  b))");
  });
});

describe("unnormalised text", () => {
  it("tolerates a byte order mark and carriage returns", () => {
    check("\uFEFFa\n  b", "(a (__block__\n  b))");
    check("\uFEFF  a\n  b", "a\nb");
  });
});
