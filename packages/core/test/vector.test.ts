import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { VECTOR_CHUNK, Vector } from "../src/index.js";

describe("Vector", () => {
  it("reads what it was made from, and takes the array over", () => {
    const items = [1, 2, 3];
    const v = Vector.from(items);
    expect(v.length).toBe(3);
    expect(v.get(0)).toBe(1);
    expect(v.get(3)).toBeUndefined();
    expect(v.get(-1)).toBeUndefined();
    expect(v.isArray(items)).toBe(true);
    expect(v.isArray([1, 2, 3])).toBe(false);
    expect(v.toArray()).toBe(items);
    expect([...v]).toEqual([1, 2, 3]);
    expect(Vector.empty<number>().length).toBe(0);
    expect([...Vector.empty()]).toEqual([]);
  });

  it("edits a copy and leaves the original as it was", () => {
    const n = VECTOR_CHUNK * 3 + 5;
    const items = Array.from({ length: n }, (_, i) => i);
    const v = Vector.from(items);
    const w = v.with(VECTOR_CHUNK + 7, -1);
    expect(w.get(VECTOR_CHUNK + 7)).toBe(-1);
    expect(v.get(VECTOR_CHUNK + 7)).toBe(VECTOR_CHUNK + 7);
    expect(w.length).toBe(n);
    expect(w.get(n - 1)).toBe(n - 1);
    expect(w.get(n)).toBeUndefined();
    expect(items[VECTOR_CHUNK + 7]).toBe(VECTOR_CHUNK + 7);
    expect(w.isArray(items)).toBe(false);
    const flat = w.toArray();
    expect(w.isArray(flat)).toBe(true);
    expect(flat).toEqual(items.map((x, i) => (i === VECTOR_CHUNK + 7 ? -1 : x)));
    expect(w.toArray()).toBe(flat);
    // The same value at an index gives the same vector.
    expect(w.with(0, 0)).toBe(w);
    expect(w.patch([1, 2], [1, 2])).toBe(w);
  });

  it("rejects indexes outside the vector", () => {
    const v = Vector.from([1, 2]);
    expect(() => v.with(2, 0)).toThrow(RangeError);
    expect(() => v.with(-1, 0)).toThrow(RangeError);
    expect(() => v.with(0.5, 0)).toThrow(RangeError);
    expect(() => v.patch([5], [0])).toThrow(RangeError);
    expect(() => v.patch([0], [])).toThrow(RangeError);
  });

  test.prop([
    fc.array(fc.integer(), { maxLength: 3 * VECTOR_CHUNK }),
    fc.array(fc.array(fc.tuple(fc.nat(), fc.integer()), { maxLength: 5 }), { maxLength: 6 }),
  ])("a chain of patches reads like the same edits of arrays", (start, steps) => {
    let model = start.slice();
    let v = Vector.from(start.slice());
    const versions: [Vector<number>, number[]][] = [[v, model]];
    for (const step of steps) {
      if (model.length === 0) break;
      const indexes = step.map(([i]) => i % model.length);
      const values = step.map(([, x]) => x);
      model = model.slice();
      indexes.forEach((i, k) => {
        model[i] = values[k]!;
      });
      v = step.length === 1 ? v.with(indexes[0]!, values[0]!) : v.patch(indexes, values);
      versions.push([v, model]);
    }
    // Every version still reads as it did (earlier ones are unchanged by later edits).
    for (const [vector, array] of versions) {
      expect(vector.length).toBe(array.length);
      for (let i = 0; i < array.length; i += 97) expect(vector.get(i)).toBe(array[i]);
      expect([...vector]).toEqual(array);
      expect(vector.toArray()).toEqual(array);
    }
  });
});
