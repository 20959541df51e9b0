import { describe, expect, it } from "vitest";
import { structuralEqual } from "../src/index.ts";

describe("structuralEqual", () => {
  it("compares plain data by content", () => {
    expect(structuralEqual({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] })).toBe(true);
    expect(structuralEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(structuralEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(structuralEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(structuralEqual(0, -0)).toBe(false);
    expect(structuralEqual([1], { 0: 1, length: 1 })).toBe(false);
    expect(structuralEqual(new Map([[1, { x: 1 }]]), new Map([[1, { x: 1 }]]))).toBe(true);
    expect(structuralEqual(new Map([[1, 1]]), new Map([[2, 1]]))).toBe(false);
    expect(structuralEqual(new Set([1, 2]), new Set([2, 1]))).toBe(true);
    expect(structuralEqual(new Date(5), new Date(5))).toBe(true);
    expect(structuralEqual(1n, 1n)).toBe(true);
    expect(structuralEqual(Object.assign(Object.create(null), { a: 1 }), { a: 1 })).toBe(true);
  });

  it("compares anything else by identity", () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const p = new Point(1);
    expect(structuralEqual(p, p)).toBe(true);
    expect(structuralEqual(new Point(1), new Point(1))).toBe(false);
    expect(
      structuralEqual(
        () => 1,
        () => 1,
      ),
    ).toBe(false);
  });

  it("terminates on cyclic data", () => {
    const a: { self?: unknown; n: number } = { n: 1 };
    a.self = a;
    const b: { self?: unknown; n: number } = { n: 1 };
    b.self = b;
    expect(structuralEqual(a, b)).toBe(true);
    const c: { self?: unknown; n: number } = { n: 2 };
    c.self = c;
    expect(structuralEqual(a, c)).toBe(false);
  });
});
