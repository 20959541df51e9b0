import { describe, expect, it } from "vitest";
import { SideTable } from "../src/index.js";

describe("SideTable", () => {
  it("keeps data on objects without showing it", () => {
    const table = new SideTable<object, number>("test");
    const a = { x: 1 };
    const b = { x: 1 };
    expect(table.get(a)).toBeUndefined();
    expect(table.has(a)).toBe(false);
    table.set(a, 5);
    expect(table.get(a)).toBe(5);
    expect(table.has(a)).toBe(true);
    expect(table.get(b)).toBeUndefined();
    table.set(a, 6);
    expect(table.get(a)).toBe(6);
    // Invisible to enumeration, JSON and structural equality.
    expect(Object.keys(a)).toEqual(["x"]);
    expect(JSON.stringify(a)).toBe('{"x":1}');
    expect(a).toEqual(b);
    table.delete(a);
    expect(table.get(a)).toBeUndefined();
    // Two tables do not see each other's data.
    const other = new SideTable<object, number>("test");
    other.set(b, 1);
    expect(table.get(b)).toBeUndefined();
  });
});
