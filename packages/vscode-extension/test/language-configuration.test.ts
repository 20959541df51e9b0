import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface OnEnterRule {
  readonly beforeText: string;
  readonly afterText?: string;
  readonly action: { readonly indent: string; readonly appendText?: string };
}

interface LanguageConfiguration {
  readonly comments: { readonly lineComment: string; readonly blockComment?: unknown };
  readonly brackets: readonly (readonly [string, string])[];
  readonly autoClosingPairs: readonly { open: string; close: string; notIn?: string[] }[];
  readonly surroundingPairs: readonly (readonly [string, string])[];
  readonly wordPattern: string;
  readonly indentationRules: {
    readonly increaseIndentPattern: string;
    readonly decreaseIndentPattern: string;
  };
  readonly onEnterRules: readonly OnEnterRule[];
  readonly folding: { readonly offSide: boolean };
}

const config = JSON.parse(
  readFileSync(new URL("../language-configuration.json", import.meta.url), "utf8"),
) as LanguageConfiguration;

/** VS Code compiles these strings with `new RegExp(source)` (and adds `g` to the word pattern). */
const words = (line: string): string[] => line.match(new RegExp(config.wordPattern, "g")) ?? [];
const increase = new RegExp(config.indentationRules.increaseIndentPattern);
const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);

/** The action of the first on-enter rule whose `beforeText` matches, as VS Code picks it. */
const onEnter = (beforeText: string): OnEnterRule["action"] | undefined =>
  config.onEnterRules.find((r) => new RegExp(r.beforeText).test(beforeText))?.action;

describe("language-configuration.json", () => {
  it("has only regexes that compile", () => {
    const sources = [
      config.wordPattern,
      config.indentationRules.increaseIndentPattern,
      config.indentationRules.decreaseIndentPattern,
      ...config.onEnterRules.flatMap((r) => [r.beforeText, r.afterText ?? ""]),
    ];
    for (const source of sources) expect(() => new RegExp(source)).not.toThrow();
  });

  it("comments with `#` and pairs the three delimiters and both quotes", () => {
    expect(config.comments).toEqual({ lineComment: "#" });
    expect(config.brackets).toEqual([
      ["(", ")"],
      ["[", "]"],
      ["{", "}"],
    ]);
    expect(config.autoClosingPairs.map((p) => p.open + p.close)).toEqual([
      "()",
      "[]",
      "{}",
      '""',
      "''",
    ]);
    expect(config.surroundingPairs.map((p) => p.join(""))).toEqual(["()", "[]", "{}", '""', "''"]);
    expect(config.folding.offSide).toBe(true);
  });

  it.each([
    ["let total_2 = x² + hello🎉world", ["let", "total_2", "x²", "hello🎉world"]],
    ["αβγ 你好 _ _123 🎉🎊", ["αβγ", "你好", "_", "_123", "🎉🎊"]],
    // Hyphens and other ASCII punctuation separate words.
    ["foo-bar p.x a::b f(x)", ["foo", "bar", "p", "x", "a", "b", "f", "x"]],
    // A word never starts with a digit: the unit of a quantity is a word of its own.
    // Underscores after digits belong to the number (`1_000`, `2_` then the unit `x`).
    ["25.4meter 2em 1_000 3 2_x 1__y", ["meter", "em", "x", "y"]],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Cadenza source, not a template.
    ['"text" :"sym" $"${name}"', ["text", "sym", "name"]],
  ])("words of %j", (line, expected) => {
    expect(words(line)).toEqual(expected);
  });

  it.each([
    "let level1 =",
    "fn increment = # a comment",
    "    counter +=",
    "    n =>",
    "List.fold xs 0 \\acc x ->",
    "match n",
    "    match shape # comment",
    "quote",
    "    quote # body follows",
    "for num in [2, 3, 5, 10]",
    "if ready then",
    "else",
  ])("indents after %j", (line) => {
    expect(increase.test(line)).toBe(true);
  });

  it.each([
    "let x = 1",
    "x == ",
    "a <= b",
    "a >=",
    "a !=",
    "# let x =",
    "## Returns x =",
    "match b true => 1 false => 0",
    "quote (fn compute x = x * 2)",
    "quoted",
    "format x",
    "p.then",
    "otherwise",
    "",
  ])("does not indent after %j", (line) => {
    expect(increase.test(line)).toBe(false);
  });

  it("never dedents by itself: Cadenza has no closing keyword", () => {
    for (const line of ["", "else", "  else b", ")", "]", "}", "x", "    end"])
      expect(decrease.test(line)).toBe(false);
  });

  it("continues doc comments and indents after `=`, `=>`, `->`", () => {
    expect(onEnter("## Squares a number.")).toEqual({ indent: "none", appendText: "## " });
    expect(onEnter("    ## indented")).toEqual({ indent: "none", appendText: "## " });
    expect(onEnter("x ## not a doc comment")).toBeUndefined();
    expect(onEnter("# plain comment =")).toBeUndefined();
    expect(onEnter("fn square x =")).toEqual({ indent: "indent" });
    expect(onEnter("    0 =>")).toEqual({ indent: "indent" });
    expect(onEnter("\\acc x ->  # body")).toEqual({ indent: "indent" });
    expect(onEnter("if a == ")).toBeUndefined();
    expect(onEnter("let x = 1")).toBeUndefined();
  });
});
