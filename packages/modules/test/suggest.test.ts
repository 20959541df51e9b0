import { describe, expect, it } from "vitest";
import { closestName, editDistance } from "../src/index.ts";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["area", "area", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["area", "aera", 1], // a swap of neighbours
    ["area", "are", 1], // a deletion
    ["area", "areas", 1], // an insertion
    ["area", "arca", 1], // a substitution
    ["kitten", "sitting", 3],
    ["ca", "abc", 3], // optimal string alignment: no edit of a swapped pair
    ["perimeter", "perimetre", 1],
  ] as [string, string, number][])("%j to %j is %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("closestName", () => {
  it("finds a typo", () => {
    expect(closestName("aera", ["perimeter", "area", "volume"])).toBe("area");
    expect(closestName("perimetre", ["perimeter", "area"])).toBe("perimeter");
    expect(closestName("geometri", ["geometry", "colours"])).toBe("geometry");
    expect(closestName("circle_are", ["circle_area", "square_area"])).toBe("circle_area");
  });

  it("finds nothing when nothing is close", () => {
    expect(closestName("volume", ["area", "perimeter"])).toBeUndefined();
    expect(closestName("x", [])).toBeUndefined();
    // Within the length limit, but too many edits: one edit per three letters at most.
    expect(closestName("abcdef", ["abcxyz"])).toBeUndefined();
    expect(closestName("abcdef", ["abcdxy"])).toBe("abcdxy");
  });

  it("skips the name itself", () => {
    expect(closestName("area", ["area"])).toBeUndefined();
    expect(closestName("area", ["area", "areas"])).toBe("areas");
  });

  it("prefers the closer candidate", () => {
    expect(closestName("circle", ["circles_x", "circlet", "circles"])).toBe("circles");
    expect(closestName("sqaure", ["square", "squire"])).toBe("square");
  });

  it("breaks ties the same way in any order", () => {
    const candidates = ["bat", "cat", "hat"];
    expect(closestName("mat", candidates)).toBe("bat");
    expect(closestName("mat", [...candidates].reverse())).toBe("bat");
    expect(closestName("mat", ["hat", "bat", "cat"])).toBe("bat");
  });

  it("accepts any iterable", () => {
    expect(closestName("aera", new Set(["area"]))).toBe("area");
    expect(closestName("aera", new Map([["area", 1]]).keys())).toBe("area");
  });
});
