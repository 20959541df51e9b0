import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { printSExpr } from "../src/index.js";
import { parseText } from "./helpers.js";

/**
 * A literal transcription of LANGUAGE.md §4.2's pseudo-code (Pratt parsing with the D1
 * application rule), over single-line expressions, used as an oracle for the LR grammar.
 */
const INFIX: Readonly<Record<string, readonly [number, number]>> = {
  "|>": [0, 1],
  "..": [2, 3],
  "=": [5, 4],
  "->": [5, 4],
  "+=": [5, 4],
  "=>": [8, 9],
  ":": [10, 11],
  "||": [12, 13],
  "&&": [14, 15],
  "==": [16, 17],
  "<": [18, 19],
  "|": [20, 21],
  "^": [22, 23],
  "&": [24, 25],
  "<<": [26, 27],
  "+": [28, 29],
  "-": [28, 29],
  "*": [30, 31],
  "**": [35, 34],
};
const POSTFIX: Readonly<Record<string, number>> = { "?": 32, "|?": 0 };
const FIELD = 36;

type Tok = { kind: "name" | "number" | "op" | "open" | "close" | "prefix"; text: string };

/** Splits a generated expression: tokens are separated by spaces, except tight prefixes and `.`. */
function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  for (const word of text.split(" ").filter((w) => w !== "")) {
    let rest = word;
    while (rest.startsWith("!") || rest.startsWith("-")) {
      if (rest.length === 1 || (rest.startsWith("-") && !/^-[a-z0-9(]/.test(rest))) break;
      out.push({ kind: "prefix", text: rest[0]! });
      rest = rest.slice(1);
    }
    if (rest === "") continue;
    if (rest === "(") out.push({ kind: "open", text: rest });
    else if (rest === ")") out.push({ kind: "close", text: rest });
    else if (/^[0-9]+$/.test(rest)) out.push({ kind: "number", text: rest });
    else if (/^[a-z]+(\.[a-z]+)*$/.test(rest)) {
      const [head, ...fields] = rest.split(".");
      out.push({ kind: "name", text: head! });
      for (const f of fields) {
        out.push({ kind: "op", text: "." });
        out.push({ kind: "name", text: f });
      }
    } else out.push({ kind: "op", text: rest });
  }
  return out;
}

type Tree = string | { readonly head: Tree; readonly args: Tree[]; readonly juxtaposed: boolean };

function show(t: Tree): string {
  return typeof t === "string" ? t : `(${[t.head, ...t.args].map(show).join(" ")})`;
}

function reference(text: string): string {
  const toks = tokenize(text);
  let i = 0;
  const peek = (): Tok | undefined => toks[i];
  const startsArgument = (t: Tok | undefined): boolean =>
    t !== undefined &&
    (t.kind === "name" ||
      t.kind === "number" ||
      t.kind === "open" ||
      (t.kind === "prefix" && t.text === "!"));
  const apply = (lhs: Tree, arg: Tree): Tree =>
    typeof lhs !== "string" && lhs.juxtaposed
      ? { head: lhs.head, args: [...lhs.args, arg], juxtaposed: true }
      : { head: lhs, args: [arg], juxtaposed: true };
  const operand = (): Tree => {
    const t = toks[i++]!;
    if (t.kind === "name" || t.kind === "number") return t.text;
    if (t.kind === "prefix") return { head: t.text, args: [expr(33)], juxtaposed: false };
    if (t.kind === "open") {
      const e = expr(0);
      i++; // the closer
      return e;
    }
    throw new Error(`unexpected ${t.text}`);
  };
  const expr = (min: number): Tree => {
    let lhs = operand();
    for (;;) {
      const t = peek();
      if (t?.kind === "op" && t.text === "." && FIELD >= min) {
        i++;
        lhs = { head: ".", args: [lhs, toks[i++]!.text], juxtaposed: false };
      } else if (t?.kind === "op" && POSTFIX[t.text] !== undefined && POSTFIX[t.text]! >= min) {
        i++;
        lhs = { head: t.text, args: [lhs], juxtaposed: false };
      } else if (t?.kind === "op" && INFIX[t.text] !== undefined && INFIX[t.text]![0] >= min) {
        i++;
        lhs = { head: t.text, args: [lhs, rhs(INFIX[t.text]![1])], juxtaposed: false };
      } else if (startsArgument(t) && 6 >= min) {
        lhs = apply(lhs, expr(7));
      } else return lhs;
    }
  };
  const rhs = (r: number): Tree => {
    if (r > 7 && peek()?.kind === "name") {
      let j = i + 1;
      while (toks[j]?.text === "." && toks[j + 1]?.kind === "name") j += 2;
      if (startsArgument(toks[j])) {
        let head: Tree = toks[i]!.text;
        i++;
        while (i < j) {
          head = { head: ".", args: [head, toks[i + 1]!.text], juxtaposed: false };
          i += 2;
        }
        while (startsArgument(peek())) head = apply(head, expr(7));
        return head;
      }
    }
    return expr(r);
  };
  const result = expr(0);
  if (i !== toks.length) throw new Error(`trailing tokens in ${text}`);
  return show(result);
}

/** Random well-formed single-line expressions in the vocabulary the oracle understands. */
const { expr: expression } = fc.letrec<{ expr: string; operand: string }>((tie) => ({
  operand: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("a", "b", "c", "f", "g", "x.y", "m.n.o", "1", "2") },
    { weight: 1, arbitrary: tie("expr").map((e) => `( ${e} )`) },
    { weight: 1, arbitrary: fc.constantFrom("!a", "!b", "!!c") },
  ),
  expr: fc
    .tuple(
      fc.constantFrom("", "-", "!"),
      tie("operand"),
      fc.array(
        fc.tuple(
          fc.constantFrom(" ", ...Object.keys(INFIX), ...Object.keys(POSTFIX)),
          fc.constantFrom("", "-"),
          tie("operand"),
        ),
        { maxLength: 6 },
      ),
    )
    .map(([prefix, first, rest]) => {
      let out =
        prefix === "" || first.startsWith("(") || first.startsWith("!")
          ? first
          : `${prefix}${first}`;
      for (const [op, minus, next] of rest) {
        if (op === " ") out += ` ${next}`;
        else if (op in POSTFIX) out += ` ${op} ${next}`;
        else out += ` ${op} ${minus && /^[a-z0-9]/.test(next) ? `-${next}` : next}`;
      }
      return out;
    }),
})) as { expr: fc.Arbitrary<string>; operand: fc.Arbitrary<string> };

describe("the grammar against a transcription of §4.2's pseudo-code", () => {
  it("agrees on the documented examples", () => {
    for (const text of [
      "f x + 1",
      "f x + g y",
      "a == f x",
      "n * f n - 1",
      "x |> f 3",
      "typeof a == typeof b",
    ]) {
      expect(printSExpr(parseText(text).items[0]!)).toBe(reference(text));
    }
  });

  it("agrees on random expressions", () => {
    fc.assert(
      fc.property(expression, (text) => {
        const result = parseText(text);
        expect(result.diagnostics.map((d) => d.message)).toEqual([]);
        expect(result.items.map((item) => printSExpr(item))).toEqual([reference(text)]);
      }),
      { numRuns: 2000 },
    );
  });
});
