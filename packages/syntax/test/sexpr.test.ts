import { describe, expect, it } from "vitest";
import {
  type Node,
  printSExpr,
  renderChar,
  renderFloat,
  renderString,
  renderSymbol,
} from "../src/index.js";
import { sexprs } from "./helpers.js";

const span = { start: 0, end: 0 };
const id = (name: string): Node => ({ kind: "ident", name, span });
const int = (value: bigint): Node => ({ kind: "literal", value: { type: "integer", value }, span });
const app = (callee: Node, ...args: Node[]): Node => ({ kind: "apply", callee, args, span });

// LANGUAGE.md §7.
describe("S-expressions (§7)", () => {
  it("prints applications flattened, identifiers by name and literals by value", () => {
    expect(printSExpr(app(id("+"), int(1n), app(id("*"), int(2n), int(3n))))).toBe("(+ 1 (* 2 3))");
    expect(printSExpr(app(app(id("-"), id("x")), id("y")))).toBe("((- x) y)");
    expect(printSExpr(app(id("__tuple__")))).toBe("()");
    expect(printSExpr(app(id("__list__")))).toBe("(__list__)");
    expect(printSExpr({ kind: "error", span })).toBe("<error>");
  });

  it("puts block children on their own lines, two spaces deeper than the line of `(__block__`", () => {
    expect(printSExpr(app(id("__block__"), app(id("p"), id("a")), app(id("h1"), id("b"))))).toBe(
      "(__block__\n  (p a)\n  (h1 b))",
    );
    expect(sexprs("f =\n    g\n        x\n        y\n    z")).toBe(
      "(= f (__block__\n  (g (__block__\n    x\n    y))\n  z))",
    );
  });

  it("renders floats as §7 prescribes", () => {
    expect(renderFloat(1)).toBe("1.0");
    expect(renderFloat(0.5)).toBe("0.5");
    expect(renderFloat(1e21)).toBe("1.0e+21");
    expect(renderFloat(1.5e-7)).toBe("1.5e-7");
    expect(renderFloat(-0)).toBe("-0.0");
    expect(renderFloat(Number.NaN)).toBe("NaN");
    expect(renderFloat(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(renderFloat(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
    expect(renderFloat(1.25)).toBe("1.25");
    expect(renderFloat(1 / 3)).toBe("0.3333333333333333");
  });

  it("escapes strings, characters and symbols as §7 prescribes", () => {
    expect(renderString('say "hi"\\\n\t')).toBe('"say \\"hi\\"\\\\\n\t"');
    expect(renderChar("\n")).toBe("'\\n'");
    expect(renderChar("'")).toBe("'\\''");
    expect(renderChar("\0")).toBe("'\\0'");
    expect(renderChar("λ")).toBe("'λ'");
    expect(renderChar('"')).toBe("'\"'");
    expect(renderSymbol('a"b')).toBe(':"a\\"b"');
  });

  it("lets a caller render nodes itself", () => {
    const rendered = printSExpr(app(id("f"), int(1n)), {
      render: (node) => (node.kind === "literal" ? "<one>" : undefined),
    });
    expect(rendered).toBe("(f <one>)");
  });
});
