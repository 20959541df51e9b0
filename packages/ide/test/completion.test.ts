import { describe, expect, it } from "vitest";
import { completion } from "../src/index.ts";
import { fixture } from "./helpers.ts";

/**
 * Completion at `$0` offers at least the `expected` labels (with their details when given as
 * `label: detail`), none of the `absent` ones, and replaces `word`.
 */
function check(source: string, expected: string[], absent: string[] = [], word?: string): void {
  const { file, cursor, text } = fixture(source);
  const result = completion(file, cursor);
  const labels = result.items.map((i) => i.label);
  for (const e of expected) {
    const [label, detail] = e.split(/: (.*)/s) as [string, string | undefined];
    const item = result.items.find((i) => i.label === label);
    expect(item, `${label} in ${labels.join(", ")}`).toBeDefined();
    if (detail !== undefined) expect(item?.detail).toBe(detail);
  }
  for (const a of absent) expect(labels).not.toContain(a);
  if (word !== undefined) expect(text.slice(result.span.start, result.span.end)).toBe(word);
}

describe("completion", () => {
  it("offers the names in scope with their types", () =>
    check(
      "let count = 1\nfn f n = n + 1\nlet s = co$0",
      ["count: Integer", "f", "List", "let"],
      ["n"],
      "co",
    ));
  it("offers parameters and locals inside a function", () =>
    check("fn f a =\n    let b = a * 2\n    $0", ["a", "b", "f"]));
  it("does not offer a let in its own right side", () => check("let total = to$0", [], ["total"]));
  it("continues the expression after spaces on the same line", () => {
    check("fn g a =\n    let b = a * 2\n    b + $0", ["a", "b", "g"]);
    check("let x = 1\nlet y = x $0", ["x"], ["y"]);
    check("let r = 1\nlet s = $0", ["r"], ["s"]);
  });
  it("offers the innermost of shadowed names once", () => {
    const { file, cursor } = fixture('let x = 1\nlet x = "s"\n$0');
    const xs = completion(file, cursor).items.filter((i) => i.label === "x");
    expect(xs.map((i) => i.detail)).toEqual(["String"]);
  });
  it("offers record fields after a dot", () =>
    check(
      'let r = { alpha = 1, beta = "b" }\nr.$0',
      ["alpha: Integer", "beta: String"],
      ["r", "let"],
    ));
  it("offers struct fields after a dot", () =>
    check(
      "struct P { x = Integer, y = Float }\nlet p = P { x = 1, y = 2.0 }\np.y$0",
      ["x: Integer", "y: Float"],
      [],
      "y",
    ));
  it("offers the fields of nested records", () =>
    check("let r = { inner = { value = 1 } }\nr.inner.$0", ["value: Integer"]));
  it("offers library functions after a namespace", () =>
    check("List.$0", ["map: fn([a], fn(a) -> b) -> [b]", "fold", "len", "last"], ["sqrt"]));
  it("offers enum variants after the enum", () =>
    check("enum Shape { Circle Float, Empty }\nShape.$0", ["Circle", "Empty"]));
  it("offers nothing after a dot on an unknown value", () => {
    const { file, cursor } = fixture("nowhere.$0");
    expect(completion(file, cursor).items).toEqual([]);
  });
  it("offers units", () => check("measure meter\nlet d = 3me$0", ["meter"]));
});
