import { describe, expect, it } from "vitest";
import { importCycles } from "../src/index.ts";

type Graph = Readonly<Record<string, readonly (string | undefined)[]>>;

/** `importCycles` over a fixed graph, counting how often each file's edges are asked for. */
function cycles(graph: Graph, file: string) {
  const calls = new Map<string, number>();
  const result = importCycles(file, (f) => {
    calls.set(f, (calls.get(f) ?? 0) + 1);
    return graph[f] ?? [];
  });
  return { result, calls: Object.fromEntries(calls) };
}

describe("importCycles", () => {
  it("finds nothing in a hierarchy", () => {
    const graph: Graph = { a: ["b", "c"], b: ["c"], c: [] };
    expect(cycles(graph, "a").result).toEqual([undefined, undefined]);
    expect(cycles(graph, "b").result).toEqual([undefined]);
    expect(cycles(graph, "c").result).toEqual([]);
  });

  it("reports a cycle of two from both ends", () => {
    const graph: Graph = { a: ["b"], b: ["a"] };
    expect(cycles(graph, "a").result).toEqual([["a", "b", "a"]]);
    expect(cycles(graph, "b").result).toEqual([["b", "a", "b"]]);
  });

  it("reports a cycle of three from each member", () => {
    const graph: Graph = { a: ["b"], b: ["c"], c: ["a"] };
    expect(cycles(graph, "a").result).toEqual([["a", "b", "c", "a"]]);
    expect(cycles(graph, "b").result).toEqual([["b", "c", "a", "b"]]);
    expect(cycles(graph, "c").result).toEqual([["c", "a", "b", "c"]]);
  });

  it("takes the shortest way back", () => {
    // b reaches a directly and through c; d reaches a only through e.
    const graph: Graph = { a: ["b", "d"], b: ["c", "a"], c: ["a"], d: ["e"], e: ["a"] };
    expect(cycles(graph, "a").result).toEqual([
      ["a", "b", "a"],
      ["a", "d", "e", "a"],
    ]);
  });

  it("prefers the earlier import among equally short ways back", () => {
    const graph: Graph = { a: ["b"], b: ["c", "d"], c: ["a"], d: ["a"] };
    expect(cycles(graph, "a").result).toEqual([["a", "b", "c", "a"]]);
  });

  it("reports a self-import", () => {
    const graph: Graph = { a: ["b", "a"], b: [] };
    expect(cycles(graph, "a").result).toEqual([undefined, ["a", "a"]]);
  });

  it("gives one entry per import, in order, unresolved ones included", () => {
    const graph: Graph = { a: [undefined, "b", undefined, "c"], b: ["a", undefined], c: [] };
    expect(cycles(graph, "a").result).toEqual([undefined, ["a", "b", "a"], undefined, undefined]);
  });

  it("ignores an import that reaches a cycle the importer is not on", () => {
    const graph: Graph = { a: ["b"], b: ["c"], c: ["b"] };
    expect(cycles(graph, "a").result).toEqual([undefined]);
    expect(cycles(graph, "b").result).toEqual([["b", "c", "b"]]);
  });

  it("terminates on a graph full of cycles", () => {
    const graph: Graph = { a: ["b", "c"], b: ["c", "b"], c: ["b", "c", "d"], d: ["d", "b"] };
    expect(cycles(graph, "a").result).toEqual([undefined, undefined]);
    expect(cycles(graph, "d").result).toEqual([
      ["d", "d"],
      ["d", "b", "c", "d"],
    ]);
  });

  it("asks for the imports of each reachable file at most once", () => {
    const graph: Graph = {
      a: ["b", "c", "d", "b"],
      b: ["c", "e"],
      c: ["d", "a"],
      d: ["e", "b"],
      e: ["a"],
      unreachable: ["a"],
    };
    const { result, calls } = cycles(graph, "a");
    // From b, c and e both lead straight back to a: c, imported first, is taken.
    expect(result).toEqual([
      ["a", "b", "c", "a"],
      ["a", "c", "a"],
      ["a", "d", "e", "a"],
      ["a", "b", "c", "a"],
    ]);
    expect(calls).toEqual({ a: 1, b: 1, c: 1, d: 1, e: 1 });
  });

  it("does not ask for files beyond unresolved imports or leaves more than once", () => {
    const graph: Graph = { a: [undefined, "leaf", "leaf"], leaf: [] };
    const { result, calls } = cycles(graph, "a");
    expect(result).toEqual([undefined, undefined, undefined]);
    expect(calls).toEqual({ a: 1, leaf: 1 });
  });
});
