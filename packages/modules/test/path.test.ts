import { describe, expect, it } from "vitest";
import { basename, dirname, joinPath, normalizePath, relativePath } from "../src/index.ts";

describe("dirname and basename", () => {
  it.each([
    ["a/b.cdz", "a", "b.cdz"],
    ["a/b/c.cdz", "a/b", "c.cdz"],
    ["b.cdz", ".", "b.cdz"],
    ["/b.cdz", "/", "b.cdz"],
    ["/x/y/b.cdz", "/x/y", "b.cdz"],
  ])("%s is in %s and named %s", (path, folder, name) => {
    expect(dirname(path)).toBe(folder);
    expect(basename(path)).toBe(name);
  });
});

describe("normalizePath", () => {
  it.each([
    ["a/b", "a/b"],
    ["./a/./b", "a/b"],
    ["a//b/", "a/b"],
    ["a/../b", "b"],
    ["a/b/../../c", "c"],
    ["a/..", "."],
    [".", "."],
    ["", "."],
    ["..", ".."],
    ["../a", "../a"],
    ["a/../../b", "../b"],
    ["../../a/../b", "../../b"],
    ["/a/b/../c", "/a/c"],
    ["/..", "/"],
    ["/../a", "/a"],
    ["/", "/"],
    ["//a//b", "/a/b"],
  ])("%j → %j", (path, normal) => {
    expect(normalizePath(path)).toBe(normal);
  });

  it("is idempotent", () => {
    for (const p of ["a/../../b", "/x/./y/..", "./.", "../a/b/.."])
      expect(normalizePath(normalizePath(p))).toBe(normalizePath(p));
  });
});

describe("joinPath", () => {
  it.each([
    [["a", "b.cdz"], "a/b.cdz"],
    [[".", "b.cdz"], "b.cdz"],
    [["a/b", "../c.cdz"], "a/c.cdz"],
    [["a", "", "b"], "a/b"],
    [["/root", "src", "main.cdz"], "/root/src/main.cdz"],
    [["/", "a"], "/a"],
    [["proj", "."], "proj"],
    [["..", "x"], "../x"],
    [[], "."],
  ] as [string[], string][])("%j → %j", (parts, joined) => {
    expect(joinPath(...parts)).toBe(joined);
  });
});

describe("relativePath", () => {
  it.each([
    ["a", "a/b.cdz", "b.cdz"],
    [".", "a/b.cdz", "a/b.cdz"],
    ["a/b", "a/c/d.cdz", "../c/d.cdz"],
    ["a/b", "x.cdz", "../../x.cdz"],
    ["a", "a", "."],
    ["/p/src", "/p/src/shapes/circle.cdz", "shapes/circle.cdz"],
    ["/p/src", "/p/lib/x.cdz", "../lib/x.cdz"],
    ["./a/", "a/./b.cdz", "b.cdz"],
  ])("from %j to %j is %j", (from, to, relative) => {
    expect(relativePath(from, to)).toBe(relative);
    // Joining the relative path back onto the folder gives the target again.
    expect(joinPath(from, relative)).toBe(normalizePath(to));
  });
});
