import { SourceFile } from "@cadenza/core";
import { parse } from "@cadenza/syntax";
import { describe, expect, it } from "vitest";
import { bindingGroups, freeNames, itemInfos, stronglyConnected } from "../src/groups.js";

function items(text: string) {
  return parse(new SourceFile("test.cdz", text)).items;
}

/** Data-driven: the binding groups of a program, as lists of item indexes in inference order. */
function check(text: string, expected: number[][]): void {
  expect(bindingGroups(itemInfos(items(text)))).toEqual(expected);
}

describe("binding groups", () => {
  it("independent items keep source order", () =>
    check("let a = 1\nlet b = 2\na + b", [[0], [1], [2]]));
  it("a function used before its definition is inferred first", () =>
    check("fn a x = b x\nfn b y = y", [[1], [0]]));
  it("mutual recursion is one group", () =>
    check("fn even n = odd n\nfn odd n = even n\neven 1", [[0, 1], [2]]));
  it("parameters shadow outer names", () => check("let x = f 1\nfn f x = x", [[1], [0]]));
  it("a let sees only earlier lets", () =>
    check("let x = 1\nfn f y = x\nlet x = 2", [[0], [1], [2]]));
});

describe("free names", () => {
  it("respects binders", () => {
    const [item] = items("fn f x = \\y -> x + y + z");
    expect([...freeNames(item!)].sort()).toEqual(["+", "z"]);
  });
  it("skips field names and quoted code", () => {
    const [item] = items("p.x + quote (a + $" + "{b})");
    expect([...freeNames(item!)].sort()).toEqual(["+", "b", "p"]);
  });
});

describe("Tarjan", () => {
  it("finds components of a long chain without deep recursion", () => {
    const n = 50_000;
    const edges = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : [0]));
    expect(stronglyConnected(n, edges)).toHaveLength(1);
  });
});
