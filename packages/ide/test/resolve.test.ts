import { describe, expect, it } from "vitest";
import { definition, resolveNames } from "../src/index.ts";
import { fixture } from "./helpers.ts";

/**
 * `$0` marks a use, `$1` the identifier it must resolve to; without `$1` the name must not
 * resolve to a binding of the file (a built-in, a field, or nothing).
 */
function check(source: string): void {
  const { file, cursor, markers } = fixture(source);
  const expected = markers.get(1);
  const found = definition(file, cursor);
  if (expected === undefined) expect(found).toBeUndefined();
  else expect(found?.target.start, "binding site").toBe(expected);
}

describe("name resolution", () => {
  const cases: [string, string][] = [
    ["a let is visible after its item", "let $1x = 1\n$0x + 1"],
    ["a later let shadows an earlier one", "let x = 1\nlet $1x = 2\n$0x"],
    ["the right side of a let sees the earlier binding", "let $1x = 1\nlet x = $0x + 1"],
    ["parameters are visible in the body", "fn f $1a b = $0a + b"],
    ["a parameter shadows a top-level name", "let a = 1\nfn f $1a = $0a"],
    ["functions are hoisted in their block", "fn f = $0g 1\nfn $1g x = x"],
    ["functions of a block see each other", "fn outer =\n    fn a = $0b\n    fn $1b = 1\n    a"],
    ["a block's let does not leak", "fn f =\n    let y = 1\n    y\n$0y"],
    [
      "a block's let shadows inside the block only",
      "let $1y = 0\nfn f =\n    let y = 1\n    y\n$0y",
    ],
    ["lambda parameters", "let f = \\$1x -> $0x * 2"],
    ["match arm patterns bind in their arm", "fn f v = match v\n    ($1a, b) => $0a\n    _ => 0"],
    ["each arm has its own scope", "let $1a = 5\nfn f v = match v\n    (a, b) => a\n    _ => $0a"],
    ["record patterns bind fields", "let { $1x, y = b } = { x = 1, y = 2 }\n$0x"],
    ["record patterns bind renamed fields", "let { x, y = $1b } = { x = 1, y = 2 }\n$0b"],
    ["list rest patterns", "fn f xs = match xs\n    [h, ...$1t] => $0t\n    _ => []"],
    ["tuple parameters", "fn f ($1a, b) = $0a"],
    ["for binds its pattern in the body", "for $1i in [1, 2]\n    $0i"],
    ["record fields are not references", "let x = 1\nlet r = { $0x = 2 }"],
    ["shorthand record fields are references", "let $1x = 1\nlet r = { $0x }"],
    ["field access is not a reference", "let x = 1\nlet r = { x = 2 }\nr.$0x"],
    ["a struct field through its type", "struct P { $1x = Integer }\nlet p = P { x = 1 }\np.$0x"],
    ["a struct constructor names its fields", "struct P { $1x = Integer }\nlet p = P { $0x = 1 }"],
    ["enum variants through the enum", "enum S { $1A, B }\nS.$0A"],
    ["variants brought in by use", "enum S { $1A, B }\nuse { A } = S\n$0A"],
    ["use of a whole enum", "enum S { A, $1B }\nuse S\n$0B"],
    [
      "a variant in a match pattern matches it",
      "enum S { $1A, B }\nuse S\nfn f v = match v\n    $0A => 1\n    _ => 2",
    ],
    ["units in quantities", "measure $1meter\n3$0meter"],
    ["units made by @si", "@si kilo\nmeasure $1meter\n3$0kilometer"],
    ["units in derived measures", "measure $1meter\nmeasure foot = 0.3048 $0meter"],
    ["types in annotations", "struct $1P { x = Integer }\nlet p: $0P = P { x = 1 }"],
    ["aliases", "type $1Len = Integer\nlet n: $0Len = 3"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Cadenza source, not a template.
    ["macro parameters in unquotes", "macro twice $1e = quote ${$0e} + ${e}"],
    ["quoted names are syntax", "let x = 1\nmacro m = quote $0x + 1"],
    ["reassignment writes the visible binding", "let $1x = 1\n$0x = 2"],
    ["compound assignment", "let $1x = 1\n$0x += 2"],
    ["docof names a binding", "fn $1f = 1\ndocof $0f"],
    ["built-ins do not resolve to the file", "$0List.map [1] \\x -> x"],
    ["library members do not resolve to the file", "List.$0map [1] \\x -> x"],
    ["a shadowed namespace is a value", "let List = { map = 1 }\nList.$0map"],
    ["unknown names stay unresolved", "$0nowhere + 1"],
    ["recursive functions see themselves", "fn $1fact n = if n < 1 then 1 else n * $0fact (n - 1)"],
    ["struct types may refer to themselves", "struct $1Node { next = [$0Node] }"],
  ];
  for (const [name, source] of cases) it(name, () => check(source));

  it("records where every binding is visible", () => {
    const { file, markers } = fixture("let x = 1\nfn f a =\n    let y = a$0\n    y\n$1");
    const names = (offset: number) =>
      resolveNames(file)
        .visibleAt(offset)
        .map((b) => b.name);
    expect(names(markers.get(0)!)).toEqual(["a", "x", "f"]);
    expect(names(markers.get(1)!)).toEqual(["x", "f"]);
  });

  it("never throws on broken programs", () => {
    for (const source of [
      "let = \nfn",
      "match\n    =>",
      "fn f (a, = 1",
      "{ = }",
      "let x = [1,",
      "use",
      // An attribute or a doc comment with nothing to apply to (found by the server's fuzz).
      "(@si)",
      "{@si ",
      "[@si kilo, 1]",
      '(__doc__ "text")',
    ]) {
      const { file } = fixture(source);
      expect(() => resolveNames(file)).not.toThrow();
    }
  });

  it("marks the name of an attribute being typed as an attribute", () => {
    const { file } = fixture("(@si)");
    const si = resolveNames(file).occurrenceAt(3);
    expect(si?.ident.name).toBe("si");
    expect(si?.target).toEqual({ kind: "attribute", argument: false });
  });
});
