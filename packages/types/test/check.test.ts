import { SourceFile } from "@cadenza/core";
import { parse } from "@cadenza/syntax";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check, checkSource, renderType } from "../src/index.js";
import { checkText } from "./helpers.js";

describe("check", () => {
  it("returns types for hover by offset", () => {
    const text = "fn double x = x * 2\nlet y = double 21";
    const r = checkText(text);
    const at = r.types.typeAt(text.indexOf("double 21"));
    expect(at?.text).toBe("fn(Integer) -> Integer");
    expect(r.types.typeAt(text.indexOf("21"))?.text).toBe("Integer");
  });

  it("records what typeof reports", () => {
    const r = checkText("fn double x = x * 2\ntypeof double");
    const item = r.items[1]!;
    expect(renderType(r.types.typeofOperand(item)!)).toBe("fn(Integer) -> Integer");
  });

  it("gives every node of an untaken branch a type", () => {
    const r = checkText('if false then String.len "never" else 0');
    const texts = [...r.types.entries()].map(([node, t]) => [
      r.source.text.slice(node.span.start, node.span.end),
      renderType(t),
    ]);
    expect(texts).toContainEqual(['"never"', "String"]);
    expect(texts).toContainEqual(['String.len "never"', "Integer"]);
  });

  it("does not mutate the tree", () => {
    const source = new SourceFile("test.cdz", "fn f p = p.x\nf { x = 1 }");
    const { items } = parse(source);
    const freeze = (x: unknown): void => {
      if (typeof x !== "object" || x === null || Object.isFrozen(x)) return;
      Object.freeze(x);
      for (const v of Object.values(x)) freeze(v);
    };
    freeze(items);
    // Any write to a frozen node would throw in strict mode and surface as an internal error.
    expect(check(source, items).diagnostics).toEqual([]);
  });

  it("puts parse diagnostics first in checkSource", () => {
    const r = checkSource(new SourceFile("test.cdz", "let x = (1\n1 + true"));
    expect(r.diagnostics.map((d) => d.code.split("/")[0])).toEqual(["syntax", "types"]);
  });

  it("takes definitions from an environment", () => {
    const r = check(
      new SourceFile("test.cdz", "secret + 1"),
      parse(new SourceFile("test.cdz", "secret + 1")).items,
      {
        environment: { values: new Map([["secret", { kind: "con", name: "String", args: [] }]]) },
      },
    );
    expect(r.diagnostics.map((d) => d.message)).toEqual(["type mismatch"]);
  });
});

/** Programs assembled from the language's tokens: the checker must never fail inside. */
const TOKENS = [
  "let",
  "fn",
  "x",
  "y",
  "f",
  "=",
  "+",
  "-",
  "*",
  "/",
  "==",
  "<",
  "1",
  "2.5",
  '"s"',
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ".",
  "\\x ->",
  "if",
  "then",
  "else",
  "match",
  "=>",
  "\n",
  "\n    ",
  "meter",
  "measure",
  "struct",
  "P",
  "enum",
  "E",
  "|>",
  "List.map",
  "Cell.new",
  "typeof",
  "trait",
  "impl",
  "effect",
  "handle",
  "_",
  "...",
  ":",
  "Integer",
  "**",
  "%",
  "true",
  "quote",
  "$" + "{x}",
  "for",
  "in",
  "use",
];

describe("robustness", () => {
  it("never fails internally, whatever the program", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), (tokens) => {
        const source = new SourceFile("fuzz.cdz", tokens.join(" "));
        const result = check(source, parse(source).items);
        const internal = result.diagnostics.filter((d) => d.code === "types/internal-error");
        expect(internal.map((d) => d.notes.map((n) => n.message).join("; "))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("trees from the evaluator", () => {
  it("accepts value nodes of macro expansions as Unknown", () => {
    const source = new SourceFile("test.cdz", "let x = 1\nx + 1");
    const { items } = parse(source);
    const value = { kind: "value", value: { kind: "integer" }, span: { start: 8, end: 9 } };
    const spliced = items.map((item) =>
      item.kind === "apply" ? { ...item, args: [item.args[0]!, value as never] } : item,
    );
    const r = check(source, spliced);
    expect(r.diagnostics).toEqual([]);
  });

  it("takes measures from the environment", () => {
    const source = new SourceFile("test.cdz", "3meter + 2second");
    const r = check(source, parse(source).items, {
      environment: {
        measures: [
          {
            name: "meter",
            dimension: new Map([["meter", 1]]),
            factor: { num: 1n, den: 1n },
            inexact: false,
          },
          {
            name: "second",
            dimension: new Map([["second", 1]]),
            factor: { num: 1n, den: 1n },
            inexact: false,
          },
        ],
      },
    });
    expect(r.diagnostics.map((d) => d.primary.message)).toEqual([
      "cannot add `meter` and `second`",
    ]);
  });
});
