import { describe, expect, it } from "vitest";
import { hover } from "../src/index.ts";
import { fixture, readFixture, textOf } from "./helpers.ts";

/** Hover at `$0` shows `head` (the declaration line with its type) and is of `kind`. */
function check(
  source: string,
  head: string | undefined,
  more: { kind?: string; doc?: string; here?: string; covers?: string; detail?: string } = {},
): void {
  const { file, cursor, text } = fixture(source);
  const h = hover(file, cursor);
  if (head === undefined) {
    expect(h).toBeUndefined();
    return;
  }
  expect(h?.type === undefined ? h?.title : `${h.title} : ${h.type}`).toBe(head);
  if (more.kind !== undefined) expect(h?.kind).toBe(more.kind);
  if (more.doc !== undefined) expect(h?.doc).toBe(more.doc);
  if (more.here !== undefined) expect(h?.typeHere).toBe(more.here);
  if (more.covers !== undefined) expect(textOf(text, h!.span)).toBe(more.covers);
  if (more.detail !== undefined) expect(h?.details).toContain(more.detail);
  expect(h?.markdown).toContain("```cadenza");
}

describe("hover", () => {
  it("shows a function's scheme and its documentation", () =>
    check(
      "## Doubles.\nfn double x = x * 2\n$0double 4",
      "fn double x : forall a u. [Numeric a] => fn(Quantity a u) -> Quantity a u",
      {
        kind: "function",
        doc: "Doubles.",
        here: "fn(Integer) -> Integer",
      },
    ));
  it("shows units in inferred types", () =>
    check(
      "measure meter\nmeasure second\nlet $0v = 100meter / 9.58second",
      "let v : Quantity Float meter/second",
      { kind: "variable" },
    ));
  it("shows a parameter's type", () =>
    check("fn f $0s = String.len s", "s : String", { kind: "parameter" }));
  it("shows a unit's dimension and factor", () =>
    check("measure meter\nmeasure foot = 0.3048 meter\n3$0foot", "measure foot = 0.3048 meter", {
      kind: "unit of measure",
      detail: "1 foot ≈ 0.3048 meter",
    }));
  it("shows units made by @si", () =>
    check("@si kilo\nmeasure meter\n3$0kilometer", "measure kilometer (@si kilo meter)", {
      detail: "1 kilometer = 1000 meter",
    }));
  it("shows the type of a quantity literal", () =>
    check("measure meter\nlet d = 1$000meter", "100meter : Quantity Integer meter", {
      kind: "expression",
      covers: "100meter",
    }));
  it("shows the type of any expression", () =>
    check('let s = "a$0b"', '"ab" : String', { kind: "expression" }));
  it("shows built-in functions", () =>
    check("List.$0map [1] \\x -> x", "List.map : fn([a], fn(a) -> b) -> [b]", {
      kind: "built-in function",
    }));
  it("shows special forms", () =>
    check("$0let x = 1", "let PATTERN = EXPR", { kind: "special form" }));
  it("shows record fields with their types", () =>
    check('let r = { a = 1, b = "x" }\nr.$0b', ".b : String", { kind: "field" }));
  it("shows struct fields with their declared types", () =>
    check("struct P { x = Integer }\nlet p = P { x = 1 }\np.$0x", "P.x : Integer", {
      kind: "field",
    }));
  it("shows enum variants", () =>
    check("enum S { A Integer, B }\nS.$0A 1", "S.A : Integer", { kind: "variant" }));
  it("shows the binding a shadowed name refers to", () =>
    check('let x = 1\nlet x = "s"\n$0x', "let x : String"));
  it("is empty on unknown names and blanks", () => {
    check("$0nowhere + 1", undefined);
    check("let x = 1\n$0\n", undefined);
  });
  it("uses the cursor after a name", () => check("let abc = 1\nabc$0", "let abc : Integer"));
  it("works on the physics fixture", () => {
    const source = readFixture("physics.cdz").replace("let sprint = speed", "let sprint = $0speed");
    const { file, cursor } = fixture(source);
    const h = hover(file, cursor);
    expect(h?.doc).toContain("The average speed");
    expect(h?.typeHere).toBe(
      "fn(Quantity Integer meter, Quantity Float second) -> Quantity Float meter/second",
    );
  });
});
