// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza source text uses `${…}`.
import { ExternalTokenizer, type InputStream, type Stack } from "@lezer/lr";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leaves, parser } from "../src/index.js";
import * as T from "../src/parser.terms.generated.js";
import { shiftsDirectly, tokens as tokenizer } from "../src/tokens.js";
import { anyText, cadenzaProgram, cadenzaSoup } from "./arbitraries.js";
import { parseText } from "./helpers.js";

/** The non-empty leaves of `text` as `Name:text`. */
function tokens(text: string): string[] {
  return leaves(parseText(text).tree)
    .filter((l) => l.to > l.from)
    .map((l) => `${l.name}:${text.slice(l.from, l.to)}`);
}

describe("tokens (§2)", () => {
  it("tells an index from a list argument by the space before `[`", () => {
    expect(tokens("xs[0]")).toContain("IndexOpen:[");
    expect(tokens("xs [0]")).toContain("ListOpen:[");
    expect(tokens("[0]")).toContain("ListOpen:[");
    expect(tokens("f([0])")).toEqual([
      "Identifier:f",
      "ParenOpen:(",
      "ListOpen:[",
      "Number:0",
      "BracketClose:]",
      "ParenClose:)",
    ]);
  });

  it("reads a unit suffix only right after a number", () => {
    expect(tokens("25.4meter")).toEqual(["Number:25.4", "Unit:meter"]);
    expect(tokens("2em")).toEqual(["Number:2", "Unit:em"]);
    expect(tokens("2e3m")).toEqual(["Number:2e3", "Unit:m"]);
    expect(tokens("25 meter")).toEqual(["Number:25", "Identifier:meter"]);
    expect(tokens("x1meter")).toEqual(["Identifier:x1meter"]);
    expect(tokens("1_000_meter")).toEqual(["Number:1_000_", "Unit:meter"]);
  });

  it("keeps `.` out of a number unless a digit follows", () => {
    expect(tokens("1..3")).toEqual(["Number:1", "RangeOp:..", "Number:3"]);
    expect(tokens("1.x")).toEqual(["Number:1", "Dot:.", "Identifier:x"]);
    expect(tokens("1.5")).toEqual(["Number:1.5"]);
  });

  it("marks the head of an application in a tight operator's right operand", () => {
    expect(tokens("a == f x")).toEqual(["Identifier:a", "EqOp:==", "CalleeName:f", "Identifier:x"]);
    expect(tokens("a == f")).toEqual(["Identifier:a", "EqOp:==", "Identifier:f"]);
    expect(tokens("a = f x")).toEqual([
      "Identifier:a",
      "AssignOp:=",
      "Identifier:f",
      "Identifier:x",
    ]);
  });

  it("decides operators from the parse state (D2, operator values, prefix forms)", () => {
    expect(tokens("a -b")).toEqual(["Identifier:a", "AddOp:-", "Identifier:b"]);
    expect(tokens("-b")).toEqual(["PrefixOp:-", "Identifier:b"]);
    expect(tokens("(- 1)")).toEqual(["ParenOpen:(", "OperatorName:-", "Number:1", "ParenClose:)"]);
    expect(tokens("(+)")).toEqual(["ParenOpen:(", "OperatorName:+", "ParenClose:)"]);
    expect(tokens("f !x")).toEqual(["Identifier:f", "PrefixOp:!", "Identifier:x"]);
    expect(tokens("a != b")).toEqual(["Identifier:a", "EqOp:!=", "Identifier:b"]);
    expect(tokens("x?")).toEqual(["Identifier:x", "TryOp:?"]);
    expect(tokens("x |? y")).toContain("PipeTryOp:|?");
    expect(tokens("a<-b")).toContain("AssignOp:<-");
    expect(tokens("a ..= b")).toContain("RangeOp:..=");
    expect(tokens("a <<= b")).toContain("AssignOp:<<=");
    expect(tokens("a ** b")).toContain("PowOp:**");
  });

  it("reads `if`, `then` and `else` as keywords", () => {
    expect(tokens("if a then b else c")).toEqual([
      "If:if",
      "Identifier:a",
      "Then:then",
      "Identifier:b",
      "Else:else",
      "Identifier:c",
    ]);
    expect(tokens("x.if")).toEqual(["Identifier:x", "Dot:.", "Identifier:if"]);
    expect(tokens("iffy thenx")).toEqual(["Identifier:iffy", "Identifier:thenx"]);
  });

  it("reads strings, characters, symbols and interpolations", () => {
    expect(tokens('"a\\"b"')).toEqual(['String:"a\\"b"']);
    expect(tokens("'\\''")).toEqual(["Char:'\\''"]);
    expect(tokens(':"name"')).toEqual([':"name"'].map((t) => `Symbol:${t}`));
    expect(tokens(':"a${b}c"')).toEqual([
      'SymbolStart::"',
      "StringContent:a",
      "UnquoteOpen:${",
      "Identifier:b",
      "BraceClose:}",
      "StringContent:c",
      'StringEnd:"',
    ]);
    expect(tokens('$"x ${ y } z"')).toEqual([
      'InterpolationStart:$"',
      "StringContent:x ",
      "UnquoteOpen:${",
      "Identifier:y",
      "BraceClose:}",
      "StringContent: z",
      'StringEnd:"',
    ]);
  });

  it("tells doc comments from comments by their place on the line", () => {
    expect(tokens("## doc\nx ## trailing")).toEqual([
      "DocComment:## doc",
      "Identifier:x",
      "Comment:## trailing",
    ]);
    expect(tokens("  ## indented doc\n  x")).toEqual([
      "DocComment:## indented doc",
      "Identifier:x",
    ]);
    expect(tokens("# comment")).toEqual(["Comment:# comment"]);
  });

  it("reads identifiers by §2's character classes", () => {
    expect(tokens("hello🎉world x² _1 a_b")).toEqual([
      "Identifier:hello🎉world",
      "Identifier:x²",
      "Identifier:_1",
      "Identifier:a_b",
    ]);
    expect(tokens("foo-bar")).toEqual(["Identifier:foo", "AddOp:-", "Identifier:bar"]);
  });

  it("marks the error region after an unexpected token as Invalid", () => {
    expect(tokens("a ; b c\nd")).toEqual(["Identifier:a", "Invalid:; b c", "Identifier:d"]);
    expect(tokens("[1, ; 2, 3]")).toEqual([
      "ListOpen:[",
      "Number:1",
      "Comma:,",
      "Invalid:; 2",
      "Comma:,",
      "Number:3",
      "BracketClose:]",
    ]);
  });
});

describe("the tokenizer's shift table", () => {
  // `shiftsDirectly` answers `stack.canShift` from the parse tables where they decide it. Run
  // the real tokenizer behind one that asks both, for every term, at every token.
  it("answers exactly as canShift", () => {
    let asked = 0;
    const maxTerm = Math.max(...Object.values(T));
    // `token` is how Lezer calls an external tokenizer; it is not in the public typings.
    const real = tokenizer as unknown as { token(input: InputStream, stack: Stack): void };
    const checking = new ExternalTokenizer((input, stack) => {
      for (let term = 0; term <= maxTerm; term++) {
        const direct = shiftsDirectly(stack, term);
        if (direct !== stack.canShift(term)) {
          throw new Error(`term ${term} at ${input.pos}: table ${direct}, canShift ${!direct}`);
        }
        asked++;
      }
      real.token(input, stack);
    });
    const checked = parser.configure({ tokenizers: [{ from: tokenizer, to: checking }] });
    fc.assert(
      fc.property(fc.oneof(cadenzaProgram, cadenzaSoup, anyText), (text) => {
        checked.parse(text);
      }),
      { numRuns: 300 },
    );
    expect(asked).toBeGreaterThan(10_000);
  });
});
