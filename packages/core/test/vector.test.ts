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

  it("edits deep tries (four levels) and shares what an edit did not reach", () => {
    const n = 40_000;
    const items = Array.from({ length: n }, (_, i) => i);
    const versions: Vector<number>[] = [Vector.from(items)];
    const model = items.slice();
    for (const [at, value] of [
      [0, -1],
      [n - 1, -2],
      [32_767, -3],
      [32_768, -4],
      [1_023, -5],
      [20_000, -6],
    ] as const) {
      versions.push(versions[versions.length - 1]!.with(at, value));
      model[at] = value;
    }
    const last = versions[versions.length - 1]!;
    expect(last.toArray()).toEqual(model);
    for (const i of [0, 1, 31, 32, 1_023, 1_024, 32_767, 32_768, 39_999])
      expect(last.get(i)).toBe(model[i]);
    // Earlier versions are as they were.
    expect(versions[0]!.toArray()).toEqual(items);
    expect(versions[1]!.get(0)).toBe(-1);
    expect(versions[1]!.get(n - 1)).toBe(n - 1);
    // A patch of several indexes at once equals the same edits one by one.
    const patched = versions[0]!.patch([5, 5, 39_000, 6], [1, 2, 3, 4]);
    expect([patched.get(5), patched.get(39_000), patched.get(6), patched.get(7)]).toEqual([
      2, 3, 4, 7,
    ]);
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
    fc.array(fc.integer(), { maxLength: VECTOR_CHUNK ** 2 * 3 }),
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
