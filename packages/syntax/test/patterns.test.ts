import { describe, expect, it } from "vitest";
import {
  firstRefutable,
  type Node,
  printSExpr,
  recordLiteralField,
  recordPatternEntries,
  tupleLiteralItems,
} from "../src/index.js";
import { parseText } from "./helpers.js";

/** The pattern and value of `let PATTERN = VALUE`. */
function letParts(text: string): { pattern: Node; value: Node } {
  const item = parseText(text).items[0]!;
  if (item.kind !== "apply" || item.args.length !== 2) throw new Error(`not a definition: ${text}`);
  const lhs = item.args[0]!;
  if (lhs.kind !== "apply") throw new Error(`not a let: ${text}`);
  return { pattern: lhs.args[0]!, value: item.args[1]! };
}

const show = (n: Node | undefined): string => (n === undefined ? "-" : printSExpr(n));

/** check(let source, the refutable part's kind and S-expression, or undefined) */
function check(text: string, expected: string | undefined): void {
  const found = firstRefutable(letParts(text).pattern);
  expect(found && `${found.kind} ${show(found.node)}`).toBe(expected);
}

describe("firstRefutable", () => {
  it("finds list and literal patterns through tuples, record fields and annotations", () => {
    check("let x = 1", undefined);
    check("let (a, b) = p", undefined);
    check("let (a, [b, c]) = p", "list (__list__ b c)");
    check("let (a, 42) = p", "literal 42");
    check("let { a = true } = r", "literal true");
    check("let (a: Integer, -1) = p", "literal (- 1)");
    check("let Status.On = s", "literal (. Status On)");
    check("let (Result.Ok v) = r", undefined);
  });
});

describe("recordPatternEntries", () => {
  it("lists fields, renamings, annotations and the rest in order; skips a bare `...`", () => {
    const { pattern } = letParts("let { a, b = c, d: Integer, ...rest, ... } = r");
    if (pattern.kind !== "apply") throw new Error("not a record pattern");
    const entries = recordPatternEntries(pattern).map((e) =>
      e.kind === "field"
        ? `${e.name}=${show(e.pattern)}`
        : e.kind === "rest"
          ? `rest ${show(e.pattern)}`
          : `invalid ${show(e.node)}`,
    );
    expect(entries).toEqual(["a=a", "b=c", "d=(: d Integer)", "rest rest"]);
  });
});

describe("literal parts of a value", () => {
  it("finds a record literal's field and a tuple literal's items of the right length", () => {
    const { value } = letParts("let p = { x = 1 + 2, y }");
    expect(show(recordLiteralField(value, "x"))).toBe("(+ 1 2)");
    expect(show(recordLiteralField(value, "y"))).toBe("y");
    expect(recordLiteralField(value, "z")).toBeUndefined();
    const tuple = letParts("let p = (1, f x)").value;
    expect(tupleLiteralItems(tuple, 2)?.map(show)).toEqual(["1", "(f x)"]);
    expect(tupleLiteralItems(tuple, 3)).toBeUndefined();
    expect(tupleLiteralItems(value, 2)).toBeUndefined();
  });
});
