import { NodeProp } from "@lezer/common";
import { classHighlighter, highlightTree, tags as t, tagHighlighter } from "@lezer/highlight";
import { describe, expect, it } from "vitest";
import { leaves, parser } from "../src/index.js";

// One class per tag the grammar uses, so that each assertion names the exact tag (a modified
// tag such as `function(variableName)` would fall back to its base in a coarser highlighter).
const highlighter = tagHighlighter([
  { tag: t.lineComment, class: "lineComment" },
  { tag: t.docComment, class: "docComment" },
  { tag: t.controlKeyword, class: "controlKeyword" },
  { tag: t.variableName, class: "variableName" },
  { tag: t.function(t.variableName), class: "function" },
  { tag: t.definition(t.variableName), class: "definition" },
  { tag: t.number, class: "number" },
  { tag: t.unit, class: "unit" },
  { tag: t.string, class: "string" },
  { tag: t.special(t.string), class: "special-string" },
  { tag: t.character, class: "character" },
  { tag: t.atom, class: "atom" },
  { tag: t.special(t.brace), class: "unquote" },
  { tag: t.arithmeticOperator, class: "arithmetic" },
  { tag: t.logicOperator, class: "logic" },
  { tag: t.compareOperator, class: "compare" },
  { tag: t.bitwiseOperator, class: "bitwise" },
  { tag: t.definitionOperator, class: "definitionOperator" },
  { tag: t.typeOperator, class: "typeOperator" },
  { tag: t.derefOperator, class: "deref" },
  { tag: t.operator, class: "operator" },
  { tag: t.punctuation, class: "punctuation" },
  { tag: t.meta, class: "meta" },
  { tag: t.separator, class: "separator" },
  { tag: t.paren, class: "paren" },
  { tag: t.squareBracket, class: "squareBracket" },
  { tag: t.brace, class: "brace" },
  { tag: t.invalid, class: "invalid" },
]);

/** `[text, class]` for every highlighted range of `text`, in order. */
function highlight(text: string): [string, string][] {
  const out: [string, string][] = [];
  highlightTree(parser.parse(text), highlighter, (from, to, cls) => {
    out.push([text.slice(from, to), cls]);
  });
  return out;
}

const SAMPLE = `## Adds two numbers.
@unhygienic
fn add x y = x + y  # sum
let s = $"n = \${add 1 2}"
let chars = (:"sym", 'c')
let ok = a <= b && !c || d != e | f << 2 ** 3
let v: Integer = p.x :: y
match n
    0 => if n > 1 then -n else n
    _ => List.fold xs 0 \\acc t -> acc + t * 25.4meter
let xs = [1, 2][0] |> f { a = 1 };
`;

describe("highlighting", () => {
  const spans = highlight(SAMPLE);
  const classOf = (token: string, nth = 0): string | undefined =>
    spans.filter(([text]) => text === token)[nth]?.[1];

  it("tags comments, the three keywords and literals", () => {
    expect(classOf("## Adds two numbers.")).toBe("docComment");
    expect(classOf("# sum")).toBe("lineComment");
    expect(classOf("if")).toBe("controlKeyword");
    expect(classOf("then")).toBe("controlKeyword");
    expect(classOf("else")).toBe("controlKeyword");
    expect(classOf("0")).toBe("number");
    expect(classOf("25.4")).toBe("number");
    expect(classOf("meter")).toBe("unit");
    expect(classOf(':"sym"')).toBe("atom");
    expect(classOf("'c'")).toBe("character");
  });

  it("tags the parts of an interpolated string", () => {
    expect(classOf('$"')).toBe("special-string");
    expect(classOf("n = ")).toBe("string");
    expect(classOf("${")).toBe("unquote");
    expect(classOf("}")).toBe("unquote");
    expect(classOf('"')).toBe("special-string");
  });

  it("tags names: ordinary names, the head of an operand's application, lambda parameters", () => {
    // `let`, `fn` and `match` are ordinary names (LANGUAGE.md §1): no keyword colour.
    expect(classOf("fn")).toBe("variableName");
    expect(classOf("let")).toBe("variableName");
    expect(classOf("match")).toBe("variableName");
    // D1: after `=>`, `List.fold` heads an application (CalleeName, then a Callee path).
    expect(classOf("List")).toBe("function");
    expect(classOf("fold")).toBe("function");
    expect(classOf("acc")).toBe("definition");
    expect(classOf("t")).toBe("definition");
    expect(classOf("acc", 1)).toBe("variableName");
    expect(classOf("unhygienic")).toBe("meta");
    expect(classOf("@")).toBe("meta");
  });

  it("tags each operator family", () => {
    expect(classOf("+")).toBe("arithmetic");
    expect(classOf("**")).toBe("arithmetic");
    expect(classOf("&&")).toBe("logic");
    expect(classOf("||")).toBe("logic");
    expect(classOf("<=")).toBe("compare");
    expect(classOf("!=")).toBe("compare");
    expect(classOf("|")).toBe("bitwise");
    expect(classOf("<<")).toBe("bitwise");
    expect(classOf("=")).toBe("definitionOperator");
    expect(classOf(":")).toBe("typeOperator");
    expect(classOf(".")).toBe("deref");
    expect(classOf("::")).toBe("deref");
    expect(classOf("|>")).toBe("operator");
    expect(classOf("!")).toBe("operator");
    expect(classOf("-")).toBe("operator");
    expect(classOf("=>")).toBe("punctuation");
    expect(classOf("->")).toBe("punctuation");
    expect(classOf("\\")).toBe("punctuation");
  });

  it("tags delimiters, separators and what recovery skipped", () => {
    expect(classOf("[")).toBe("squareBracket");
    expect(classOf("]")).toBe("squareBracket");
    expect(classOf("{")).toBe("brace");
    expect(classOf(",")).toBe("separator");
    expect(classOf(";")).toBe("invalid");
  });

  it("gives every non-blank character of the sample a class", () => {
    const covered = new Set<number>();
    highlightTree(parser.parse(SAMPLE), highlighter, (from, to) => {
      for (let i = from; i < to; i++) covered.add(i);
    });
    const bare = [...SAMPLE].flatMap((c, i) => (/\s/.test(c) || covered.has(i) ? [] : [i]));
    expect(bare).toEqual([]);
  });

  it("works with @lezer/highlight's class highlighter", () => {
    const classes: string[] = [];
    const text = "let x = 1 # one";
    highlightTree(parser.parse(text), classHighlighter, (from, to, cls) => {
      classes.push(`${text.slice(from, to)}:${cls}`);
    });
    expect(classes).toEqual([
      "let:tok-variableName",
      "x:tok-variableName",
      "=:tok-operator",
      "1:tok-number",
      "# one:tok-comment",
    ]);
  });
});

describe("matching delimiters", () => {
  it("names the closer of each opener and the openers of each closer", () => {
    const tree = parser.parse(`f (a) [b] xs[0] { c } \${d}`);
    const props = leaves(tree)
      .filter((l) => /Open|Close/.test(l.name))
      .map((l) => {
        const type = parser.nodeSet.types.find((ty) => ty.name === l.name)!;
        return `${l.name}→${(type.prop(NodeProp.closedBy) ?? type.prop(NodeProp.openedBy))?.join("|")}`;
      });
    expect(props).toEqual([
      "ParenOpen→ParenClose",
      "ParenClose→ParenOpen",
      "ListOpen→BracketClose",
      "BracketClose→ListOpen|IndexOpen",
      "IndexOpen→BracketClose",
      "BracketClose→ListOpen|IndexOpen",
      "BraceOpen→BraceClose",
      "BraceClose→BraceOpen|UnquoteOpen",
      "UnquoteOpen→BraceClose",
      "BraceClose→BraceOpen|UnquoteOpen",
    ]);
  });
});
