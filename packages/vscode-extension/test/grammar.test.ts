import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { check, type Expectation, scopeProblems } from "./check.ts";
import { tokenize } from "./textmate.ts";

const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");

const INT = "constant.numeric.integer.decimal.cadenza";
const FLOAT = "constant.numeric.float.decimal.cadenza";
const UNIT = "keyword.other.unit.cadenza";
const STRING = "string.quoted.double.cadenza";
const INTERPOLATED = "string.quoted.double.interpolated.cadenza";
const EMBEDDED = "meta.embedded.line.cadenza";
const SYMBOL = "constant.other.symbol.cadenza";
const CHAR = "string.quoted.single.char.cadenza";
const ESCAPE = "constant.character.escape";
const DOC = "comment.block.documentation.cadenza";
const COMMENT = "comment.line.number-sign.cadenza";
const VAR = "variable.other.cadenza";
const ARITH = "keyword.operator.arithmetic.cadenza";

/** Every fixture and what its tokens must look like. */
const cases: Record<string, readonly Expectation[]> = {
  "comments.cdz": [
    ["#", "punctuation.definition.comment", COMMENT],
    [" A line comment.", COMMENT],
    ["##", DOC, "punctuation.definition.comment"],
    [" Converts a length, see ", DOC],
    ["`to_meters`", DOC, "markup.inline.raw"],
    ["##", DOC],
    ["##", DOC],
    ["# Heading", DOC, "!comment.line"],
    ["let", "storage.type.let"],
    ["1", INT],
    ["## not a doc comment", COMMENT, "!documentation"],
    ["##", DOC],
    [" indented doc line", DOC],
    ["# trailing # hashes", COMMENT],
    ['"# not a comment"', STRING, "!comment"],
  ],
  "strings.cdz": [
    ['"hello world"', STRING],
    ["\\t", STRING, `${ESCAPE}.cadenza`],
    ["\\n", ESCAPE],
    ["\\r", ESCAPE],
    ["\\\\", ESCAPE],
    ['\\"', ESCAPE],
    ["\\'", ESCAPE],
    ["\\0", ESCAPE],
    ['"', STRING, "punctuation.definition.string.end"],
    ["\\u{3BB}", "constant.character.escape.unicode"],
    ["\\u{1F30D}", "constant.character.escape.unicode"],
    ["\\u{10FFFF}", "constant.character.escape.unicode"],
    ["\\u{0}", "constant.character.escape.unicode"],
    ["\\u{110000}", STRING, "invalid.illegal.unicode-escape"],
    ["\\u{D800}", "invalid.illegal.unicode-escape"],
    ["\\u{}", "invalid.illegal.unicode-escape"],
    ["\\u{1234567}", "invalid.illegal.unicode-escape"],
    ["\\u{zz}", "invalid.illegal.unicode-escape"],
    ["\\q", STRING, "invalid.illegal.unknown-escape"],
    [" and ", STRING, "!invalid"],
    ["\\x", "invalid.illegal.unknown-escape"],
    // A plain string never interpolates: `${x}` is five characters of string.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Cadenza source, not a template.
    ['"${x}"', STRING, "!interpolation", "!embedded", "!unquote", "!variable"],
    // Strings span lines; a `#` inside is text.
    ['"line one\n    line two # not a comment\n"', STRING, "!comment"],
    ["after_string", VAR, "!string"],
  ],
  "interpolation.cdz": [
    ['$"', INTERPOLATED, "punctuation.definition.string.begin"],
    ["a ", INTERPOLATED, "!embedded"],
    ["${", "punctuation.section.embedded.begin", "meta.interpolation"],
    ["b", EMBEDDED, VAR],
    ["+", EMBEDDED, ARITH],
    ["1", EMBEDDED, INT],
    ["}", "punctuation.section.embedded.end", "!embedded.line"],
    [' c"', INTERPOLATED, "!embedded"],
    // Braces inside `${…}` stay balanced: the record's `}` does not end the interpolation.
    ["${", "punctuation.section.embedded.begin"],
    ["{", EMBEDDED, "punctuation.section.braces.begin"],
    ["1", EMBEDDED, INT],
    ["}", EMBEDDED, "punctuation.section.braces.end"],
    [".a", EMBEDDED],
    ["}", "punctuation.section.embedded.end"],
    [' done"', INTERPOLATED, "!embedded"],
    ['\\"', INTERPOLATED, ESCAPE],
    ["name", EMBEDDED, VAR],
    ['\\"', ESCAPE],
    ["\\n", ESCAPE],
    [':"', SYMBOL, "punctuation.definition.symbol.begin"],
    ["mul_", SYMBOL, "!embedded"],
    ["${", SYMBOL, "punctuation.section.embedded.begin"],
    ["n", SYMBOL, EMBEDDED, VAR],
    ["}", SYMBOL, "punctuation.section.embedded.end"],
    ['"', SYMBOL, "punctuation.definition.symbol.end"],
    [':"plain"', SYMBOL, "!embedded"],
    ["path", "entity.name.variable"],
    ["a", VAR],
    ["::", "punctuation.accessor.path", "!symbol"],
    ["b", VAR],
    ["CONST_", SYMBOL],
    ["String", EMBEDDED, "support.class"],
    ["from_int", EMBEDDED, "support.function.builtin"],
  ],
  "chars.cdz": [
    ["'c'", CHAR, "!invalid"],
    ["'", CHAR, "punctuation.definition.char.begin"],
    ["\\'", CHAR, ESCAPE],
    ["'", CHAR, "punctuation.definition.char.end"],
    ["'\\n'", CHAR, "!invalid"],
    ["'λ'", CHAR, "!invalid"],
    ["\\u{3BB}", CHAR, "constant.character.escape.unicode"],
    ["\\x", CHAR, "invalid.illegal.unknown-escape"],
    ["''", CHAR, "invalid.illegal.empty-char"],
    ["ab", CHAR, "invalid.illegal.multiple-chars"],
    // No closing quote on the line: only the rest of that line is the broken literal.
    ["'a", CHAR, "invalid.illegal.unterminated-char"],
    ["let", "storage.type.let", "!char"],
    ["1", INT],
  ],
  "numbers.cdz": [
    ["42", INT],
    ["1_000_000", INT],
    ["3.14", FLOAT],
    ["1.5e10", FLOAT],
    ["3.2e-5", FLOAT],
    ["2e3", FLOAT],
    ["25.4", FLOAT],
    ["meter", UNIT],
    // `e` without a digit after it is not an exponent: `2em` is 2 in the unit `em`.
    ["2", INT],
    ["em", UNIT],
    // `1..3` is a range, not the float `1.`.
    ["1", INT],
    ["..", "keyword.operator.range"],
    ["3", INT],
    ["1", INT],
    ["..=", "keyword.operator.range"],
    ["3", INT],
    // `1.x` is field access on 1.
    ["1", INT],
    [".", "punctuation.accessor"],
    ["x", "variable.other.property"],
    // No signed literals: `-17` is negation applied to 17.
    ["-", ARITH],
    ["17", INT],
    ["100", INT],
    ["meter", UNIT],
    ["/", ARITH],
    ["10", INT],
    ["second", UNIT],
    ["1.5e10", FLOAT],
    ["meter", UNIT],
    // Digits inside an identifier are not a number.
    ["x2", VAR, "!numeric"],
  ],
  "definitions.cdz": [
    ["let", "storage.type.let"],
    ["width", "entity.name.variable"],
    ["10", INT],
    ["let", "storage.type.let"],
    ["let", "storage.type.let"],
    ["let", "storage.type.let"],
    ["p", "entity.name.variable"],
    [":", "keyword.operator.type.annotation"],
    ["Point", "entity.name.type"],
    ["fn", "storage.type.function"],
    ["add", "entity.name.function"],
    ["x", "variable.parameter"],
    ["y", "variable.parameter"],
    ["=", "keyword.operator.assignment", "!meta.definition"],
    ["x", VAR],
    ["fn", "storage.type.function"],
    ["get_value", "entity.name.function"],
    ["42", INT],
    ["macro", "storage.type.macro"],
    ["double_it", "entity.name.function.macro"],
    ["expr", "variable.parameter"],
    ["quote", "keyword.control.quote"],
    ["${", "meta.unquote", "punctuation.section.embedded.begin"],
    ["expr", "meta.unquote", VAR],
    ["}", "meta.unquote", "punctuation.section.embedded.end"],
    ["@", "meta.attribute", "punctuation.definition.attribute"],
    ["si", "meta.attribute", "entity.other.attribute-name"],
    ["kilo", "support.constant.si-prefix"],
    ["mega", "support.constant.si-prefix"],
    ["measure", "storage.type.measure", "!attribute"],
    ["meter", "entity.name.type.unit"],
    ["measure", "storage.type.measure"],
    ["inch", "entity.name.type.unit"],
    ["25.4", FLOAT],
    ["millimeter", VAR],
    ["struct", "storage.type.struct"],
    ["Point", "entity.name.type.struct"],
    ["Integer", "support.type.builtin"],
    ["enum", "storage.type.enum"],
    ["Status", "entity.name.type.enum"],
    ["type", "storage.type.type"],
    ["UserId", "entity.name.type.alias"],
    ["use", "keyword.other.use"],
    ["Status", "entity.name.type"],
    ["use", "keyword.other.use"],
    ["@", "punctuation.definition.attribute"],
    ["export", "entity.other.attribute-name"],
    ["unhygienic", "entity.other.attribute-name"],
    // A computed name: `fn ${name} n = …`.
    ["fn", "storage.type.function", "!attribute"],
    ["${", "meta.unquote"],
    ["name", "meta.unquote"],
    ["n", "variable.parameter"],
    // A definition right after `(` (quoted code).
    ["quote", "keyword.control.quote"],
    ["fn", "storage.type.function"],
    ["compute", "entity.name.function"],
    // No identifier is reserved: these are ordinary names here.
    ["let", "storage.type.let"],
    ["let", "entity.name.variable"],
    ["fn", VAR, "!storage"],
    ["type", VAR, "!storage"],
  ],
  "keywords.cdz": [
    ["match", "keyword.control.match"],
    ["0", INT],
    ["=>", "keyword.operator.arrow"],
    ["true", "constant.language.boolean"],
    ["false", "constant.language.boolean"],
    ["if", "keyword.control.if"],
    ["ready", VAR],
    ["then", "keyword.control.then"],
    ["else", "keyword.control.else"],
    ["for", "keyword.control.for"],
    ["num", VAR],
    ["in", "keyword.control.in"],
    ["assert", "keyword.control.assert"],
    [">", "keyword.operator.comparison"],
    ['"positive"', STRING],
    ["typeof", "keyword.control.typeof"],
    ["docof", "keyword.control.docof"],
    ["add", VAR],
    ["typeof", "keyword.control.typeof"],
    ["==", "keyword.operator.comparison"],
    // After `==` an operand starts, so `typeof` is the callee of a form again.
    ["typeof", "keyword.control.typeof"],
    // An argument, not a callee.
    ["typeof", VAR, "!keyword"],
    ["match", "entity.name.variable", "!keyword"],
    ["if", "variable.other.property", "!keyword"],
    ["index", "entity.name.variable", "!keyword"],
    ["for", "keyword.control.for"],
    ["in", "keyword.control.in"],
    ["items", VAR],
  ],
  "names.cdz": [
    ...[
      "Integer",
      "Rational",
      "Float",
      "Bool",
      "String",
      "Char",
      "Symbol",
      "Unit",
      "Type",
      "Syntax",
      "Unknown",
    ].map((t): Expectation => [t, "support.type.builtin"]),
    ["Point", "entity.name.type"],
    ["List", "support.class"],
    [".", "punctuation.accessor"],
    ["map", "support.function.builtin"],
    ["List", "support.class"],
    ["filter", "variable.other.property", "!support"],
    ["String", "support.class"],
    ["from_int", "support.function.builtin"],
    ["Status", "entity.name.type"],
    ["Pending", "variable.other.enummember"],
    ["Ok", "variable.other.enummember"],
    ["Module", "entity.name.namespace"],
    ["exports", "variable.other.property"],
    ["x", "variable.other.property"],
    [".", "punctuation.accessor"],
    ["${", "meta.unquote"],
    ["x²", VAR],
    ["hello🎉world", VAR],
    // Hyphens are not identifier characters: `foo-bar` is `foo - bar`.
    ["foo", VAR],
    ["-", ARITH],
    ["bar", VAR],
    ["αβγ", VAR],
    ["_", "variable.language.wildcard"],
    ["_123", VAR],
    ["Ärger", "entity.name.type"],
  ],
  "operators.cdz": [
    ...["+", "-", "*", "/", "%", "**"].map((op): Expectation => [op, ARITH]),
    ...["==", "!=", "<", "<=", ">", ">="].map(
      (op): Expectation => [op, "keyword.operator.comparison"],
    ),
    ["&&", "keyword.operator.logical"],
    ["||", "keyword.operator.logical"],
    ["!", "keyword.operator.logical"],
    ...["&", "|", "^", "~", "<<", ">>"].map((op): Expectation => [op, "keyword.operator.bitwise"]),
    ["=", "keyword.operator.assignment.cadenza"],
    ...["+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="].map(
      (op): Expectation => [op, "keyword.operator.assignment.compound"],
    ),
    ["|>", "keyword.operator.pipe"],
    ["\\", "keyword.operator.lambda", "meta.function.lambda"],
    ["x", "variable.parameter"],
    ["->", "keyword.operator.arrow"],
    ["x", VAR],
    ["?", "keyword.operator.try"],
    ["|?", "keyword.operator.try"],
    ["...", "keyword.operator.spread"],
    ["..", "keyword.operator.range"],
    ["..=", "keyword.operator.range"],
    [":", "keyword.operator.type.annotation"],
    ["T", "entity.name.type"],
    ["<-", "keyword.operator.arrow"],
    ["=>", "keyword.operator.arrow"],
    ["::", "punctuation.accessor.path"],
    ["(", "punctuation.section.parens.begin"],
    [",", "punctuation.separator.comma"],
    [")", "punctuation.section.parens.end"],
    ["[", "punctuation.section.brackets.begin"],
    ["]", "punctuation.section.brackets.end"],
    ["{", "punctuation.section.braces.begin"],
    ["}", "punctuation.section.braces.end"],
    ["$", "keyword.operator.dollar"],
    [";", "invalid.illegal.reserved"],
    ["`", "invalid.illegal.reserved"],
    ["tick", VAR],
    ["`", "invalid.illegal.reserved"],
  ],
  // docs/spec/15-modules.md: the three imports, `@export`.
  "modules.cdz": [
    ["@", "punctuation.definition.attribute"],
    ["export", "entity.other.attribute-name"],
    ["import", "keyword.other.import"],
    ["geometry", "entity.name.namespace"],
    ["area", VAR],
    ["perimeter", VAR],
    ["import", "keyword.other.import"],
    ["shapes.circle", "entity.name.namespace"],
    ["*", "keyword.operator.wildcard"],
    ["# every export", "comment"],
    ["import", "keyword.other.import"],
    ["geometry", "entity.name.namespace"],
    ["as", "keyword.other.as"],
    ["g", "entity.name.namespace"],
    ["export", "entity.other.attribute-name"],
    ["fn", "storage.type.function"],
    ["double_area", "entity.name.function"],
    ["*", "keyword.operator.arithmetic", "!wildcard"],
    ["area", VAR, "!namespace"],
  ],
  // LANGUAGE.md §2: a string without a closing quote runs to the end of the input.
  "unterminated-string.cdz": [
    ["let", "storage.type.let"],
    ["1", INT],
    ['"no end\nlet after = 2\n# still inside the string', STRING, "!comment", "!storage"],
  ],
};

describe("TextMate grammar on the fixtures", () => {
  it.each(Object.entries(cases))("%s", async (name, expectations) => {
    await check(fixture(name), expectations);
  });

  it.each(Object.keys(cases))("%s: every non-blank character has a scope", async (name) => {
    const { tokens } = await tokenize(fixture(name));
    const unscoped = tokens.filter((t) => t.text.trim() !== "" && t.scopes.length < 2);
    expect(unscoped).toEqual([]);
  });
});

describe("check helper", () => {
  it("reports wrong scopes, split tokens and missing text", async () => {
    const problems = await scopeProblems("let x = 25.4meter", [
      ["x", "!entity.name"],
      ["25", FLOAT],
      ["meter", INT],
      ["nowhere", INT],
    ]);
    expect(problems.map((p) => p.split("\n")[0])).toEqual([
      '"x" at 4: unexpected entity.name:',
      '"25" at 8: not a whole run of tokens:',
      `"meter" at 12: missing ${INT}:`,
      '"nowhere": not found after offset 17',
    ]);
  });
});

describe("small cases", () => {
  const small: [string, readonly Expectation[]][] = [
    [
      "2e",
      [
        ["2", INT],
        ["e", UNIT],
      ],
    ],
    ["2e+3", [["2e+3", FLOAT]]],
    [
      "2e+x",
      [
        ["2", INT],
        ["e", UNIT],
        ["+", ARITH],
        ["x", VAR],
      ],
    ],
    [
      "1.5.x",
      [
        ["1.5", FLOAT],
        [".", "punctuation.accessor"],
        ["x", "variable.other.property"],
      ],
    ],
    ["1_", [["1_", INT]]],
    [
      "3meter²",
      [
        ["3", INT],
        ["meter²", UNIT],
      ],
    ],
    [
      "10🎉",
      [
        ["10", INT],
        ["🎉", UNIT],
      ],
    ],
    [
      'a::"b"',
      [
        ["::", "punctuation.accessor.path"],
        ['"b"', STRING, "!symbol"],
      ],
    ],
    [
      'x: "s"',
      [
        [":", "keyword.operator.type.annotation"],
        ['"s"', STRING],
      ],
    ],
    [
      "\\(a, b) -> a",
      [
        ["a", "variable.parameter"],
        ["b", "variable.parameter"],
        ["->", "keyword.operator.arrow"],
      ],
    ],
    [
      "f \\acc x ->\n    acc",
      [
        ["acc", "variable.parameter"],
        ["x", "variable.parameter"],
        ["acc", VAR],
      ],
    ],
    [
      "if x then quote (fn g = 1) else 0",
      [
        ["quote", "keyword.control.quote"],
        ["fn", "storage.type.function"],
        ["g", "entity.name.function"],
      ],
    ],
    ["x |> typeof", [["typeof", "keyword.control.typeof"]]],
    ["typeof = 3", [["typeof", VAR, "!keyword"]]],
    // D2: a `-` or `*` after a name is infix, so the name is an operand, not a form's callee.
    ["assert -1", [["assert", VAR, "!keyword"]]],
    ["typeof *x", [["typeof", VAR, "!keyword"]]],
    ["assert !ok", [["assert", "keyword.control.assert"]]],
    ["typeof ...xs", [["typeof", "keyword.control.typeof"]]],
    ["typeof[0]", [["typeof", VAR, "!keyword"]]],
    ["typeof [0]", [["typeof", "keyword.control.typeof"]]],
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Cadenza source, not a template.
      '$"${$"${1}"}"',
      [
        ["1", EMBEDDED, INT],
        ['"}"', INTERPOLATED],
      ],
    ],
    ['"\\u{0D800}"', [["\\u{0D800}", "invalid.illegal.unicode-escape"]]],
    ['"\\u{00FFFF}"', [["\\u{00FFFF}", "constant.character.escape.unicode"]]],
    ['"a\\', [["\\", "invalid.illegal.unknown-escape"]]],
    ["'\\u{1F30D}'", [["'\\u{1F30D}'", CHAR, "!invalid"]]],
    ["'🎉'", [["'🎉'", CHAR, "!invalid"]]],
    [
      "@si kilo milli\nmeasure meter",
      [
        ["milli", "support.constant.si-prefix"],
        ["meter", "entity.name.type.unit"],
      ],
    ],
    [
      "  ## doc\nx ## no",
      [
        ["## doc", DOC],
        ["## no", COMMENT, "!documentation"],
      ],
    ],
  ];
  it.each(small)("%j", async (source, expectations) => {
    await check(source, expectations);
  });
});
