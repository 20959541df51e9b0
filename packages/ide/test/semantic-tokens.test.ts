import { describe, expect, it } from "vitest";
import { semanticTokens } from "../src/index.ts";
import { fixture, readFixture } from "./helpers.ts";

/** The tokens of `source`, written `text:type[.modifier…]`, are `expected` (in order). */
function check(source: string, expected: string[]): void {
  const { file, text } = fixture(source);
  const tokens = semanticTokens(file).map(
    (t) => `${text.slice(t.start, t.start + t.length)}:${[t.type, ...t.modifiers].join(".")}`,
  );
  expect(tokens).toEqual(expected);
}

describe("semantic tokens", () => {
  it("classifies definitions and uses by what they resolve to", () =>
    check("fn f n = n\nlet v = f 1\nv", [
      "fn:keyword.defaultLibrary",
      "f:function.declaration.definition",
      "n:parameter.declaration.definition",
      "n:parameter",
      "let:keyword.defaultLibrary",
      "v:variable.declaration.definition.readonly",
      "f:function",
      "v:variable.readonly",
    ]));
  it("marks reassigned variables as not readonly and writes as modifications", () =>
    check("let n = 0\nn = 1", [
      "let:keyword.defaultLibrary",
      "n:variable.declaration.definition",
      "n:variable.modification",
    ]));
  it("classifies units, types, variants, fields and namespaces", () =>
    check(
      "measure m\nstruct P { x = Integer }\nenum E { A }\nlet p = P { x = 3m }\np.x\nE.A\nList.len [1]",
      [
        "measure:keyword.defaultLibrary",
        "m:unit.declaration.definition",
        "struct:keyword.defaultLibrary",
        "P:struct.declaration.definition",
        "x:property.declaration.definition",
        "Integer:type.defaultLibrary",
        "enum:keyword.defaultLibrary",
        "E:enum.declaration.definition",
        "A:enumMember.declaration.definition",
        "let:keyword.defaultLibrary",
        "p:variable.declaration.definition.readonly",
        "P:struct",
        "x:property",
        "m:unit",
        "p:variable.readonly",
        "x:property",
        "E:enum",
        "A:enumMember",
        "List:namespace.defaultLibrary",
        "len:function.defaultLibrary",
      ],
    ));
  it("classifies macros, attributes and unquoted parameters", () =>
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Cadenza source, not a template.
    check("@export\nmacro twice e = quote ${e}\ntwice 1", [
      "export:decorator",
      "macro:keyword.defaultLibrary",
      "twice:macro.declaration.definition",
      "e:parameter.declaration.definition",
      "quote:keyword.defaultLibrary",
      "e:parameter",
      "twice:macro",
    ]));
  it("leaves unresolved names and operators to the grammar", () => check("nowhere + 1", []));
  it("are sorted and never overlap on a whole program", () => {
    const { file } = fixture(readFixture("physics.cdz"));
    const tokens = semanticTokens(file);
    expect(tokens.length).toBeGreaterThan(50);
    for (let i = 1; i < tokens.length; i++)
      expect(tokens[i]!.start).toBeGreaterThanOrEqual(tokens[i - 1]!.start + tokens[i - 1]!.length);
  });
  it("can be limited to a range", () => {
    const { file } = fixture("let a = 1\nlet b = 2\nlet c = 3");
    expect(semanticTokens(file, { start: 10, end: 19 }).map((t) => t.start)).toEqual([10, 14]);
    // End-exclusive: the range of the second line ends where the third line's `let` starts.
    expect(semanticTokens(file, { start: 10, end: 20 }).map((t) => t.start)).toEqual([10, 14]);
    expect(semanticTokens(file, { start: 15, end: 15 }).map((t) => t.start)).toEqual([14]);
  });
});
