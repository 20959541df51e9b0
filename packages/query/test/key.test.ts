import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeKey, type Key, structuralEqual } from "../src/index.ts";

const keyArb: fc.Arbitrary<Key> = fc.letrec<{ key: Key }>((tie) => ({
  key: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.bigInt(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie("key"), { maxLength: 3 }),
    fc.dictionary(fc.string(), tie("key"), { maxKeys: 3 }),
  ),
})).key;

describe("encodeKey", () => {
  it("keeps kinds apart", () => {
    const keys: Key[] = [
      1,
      "1",
      -0,
      0,
      Number.NaN,
      "NaN",
      true,
      "true",
      null,
      "null",
      undefined,
      1n,
      [1],
      ["1"],
      [[1]],
      { a: 1 },
    ];
    const encoded = keys.map(encodeKey);
    expect(new Set(encoded).size).toBe(keys.length);
  });

  it("ignores property order and object identity", () => {
    expect(encodeKey({ a: 1, b: [2, "x"] })).toBe(encodeKey({ b: [2, "x"], a: 1 }));
    expect(encodeKey(["file.cdz", 3])).toBe('["file.cdz",3]');
  });

  it("is injective up to structural equality", () => {
    fc.assert(
      fc.property(keyArb, keyArb, (a, b) => {
        expect(encodeKey(a) === encodeKey(b)).toBe(structuralEqual(a, b));
      }),
    );
  });

  it("rejects values that have no stable encoding", () => {
    expect(() => encodeKey(new Map())).toThrow(/keyOf/);
    expect(() => encodeKey(() => 1)).toThrow(TypeError);
    expect(() => encodeKey(Symbol("s"))).toThrow(TypeError);
  });
});
