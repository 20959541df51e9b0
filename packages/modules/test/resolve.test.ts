import { describe, expect, it } from "vitest";
import { candidatePaths, MODULE_EXTENSION, moduleName, searchFolders } from "../src/index.ts";

describe("candidatePaths", () => {
  it("tries the importer's folder first, then the root", () => {
    expect(candidatePaths("src/shapes/main.cdz", ["geometry"], "src")).toEqual([
      "src/shapes/geometry.cdz",
      "src/geometry.cdz",
    ]);
  });

  it("turns a dotted path into folders", () => {
    expect(candidatePaths("src/main.cdz", ["shapes", "circle"], "lib")).toEqual([
      "src/shapes/circle.cdz",
      "lib/shapes/circle.cdz",
    ]);
    expect(candidatePaths("main.cdz", ["a", "b", "c"], undefined)).toEqual(["a/b/c.cdz"]);
  });

  it("does not list the same file twice when the importer is in the root", () => {
    expect(candidatePaths("src/main.cdz", ["a", "b"], "src")).toEqual(["src/a/b.cdz"]);
    expect(candidatePaths("main.cdz", ["geometry"], ".")).toEqual(["geometry.cdz"]);
    expect(candidatePaths("./src/main.cdz", ["geometry"], "src/")).toEqual(["src/geometry.cdz"]);
    expect(candidatePaths("/p/src/main.cdz", ["g"], "/p/src")).toEqual(["/p/src/g.cdz"]);
  });

  it("has only the relative candidate without a root", () => {
    expect(candidatePaths("src/shapes/main.cdz", ["geometry"], undefined)).toEqual([
      "src/shapes/geometry.cdz",
    ]);
  });

  it("uses the module extension", () => {
    expect(MODULE_EXTENSION).toBe(".cdz");
    for (const p of candidatePaths("x/y.cdz", ["m"], "r"))
      expect(p.endsWith(MODULE_EXTENSION)).toBe(true);
  });
});

describe("searchFolders", () => {
  it("lists the folders a misspelt module could be in, relative first", () => {
    expect(searchFolders("src/shapes/main.cdz", ["geometri"], "src")).toEqual([
      "src/shapes",
      "src",
    ]);
    expect(searchFolders("src/main.cdz", ["shapes", "circl"], "lib")).toEqual([
      "src/shapes",
      "lib/shapes",
    ]);
  });

  it("does not list a folder twice", () => {
    expect(searchFolders("src/main.cdz", ["geometri"], "src")).toEqual(["src"]);
    expect(searchFolders("main.cdz", ["a", "b"], ".")).toEqual(["a"]);
    expect(searchFolders("main.cdz", ["geometri"], undefined)).toEqual(["."]);
  });
});

describe("moduleName", () => {
  it.each([
    ["src/shapes/circle.cdz", "src", "shapes.circle"],
    ["src/main.cdz", "src", "main"],
    ["src/main.cdz", "src/", "main"],
    ["./src/a/b/c.cdz", "src", "a.b.c"],
    ["a/b.cdz", ".", "a.b"],
    ["/p/src/shapes/circle.cdz", "/p/src", "shapes.circle"],
    ["lib/extra.cdz", "src", "extra"],
    ["srcx/extra.cdz", "src", "extra"],
    ["../other/x.cdz", ".", "x"],
    ["shapes/circle.cdz", undefined, "circle"],
  ] as [string, string | undefined, string][])("%s under root %s is %s", (file, root, name) => {
    expect(moduleName(file, root)).toBe(name);
  });
});
