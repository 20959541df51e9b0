import { describe, expect, it } from "vitest";
import { memoryHost } from "../src/index.ts";

describe("memoryHost", () => {
  const host = memoryHost({
    "main.cdz": "import shapes.circle *",
    "geometry.cdz": "",
    "README.md": "# shapes",
    "shapes/circle.cdz": "@export\nfn circle_area r = 3.14 * r * r",
    "shapes/square.cdz": "x = 1",
    "shapes/deep/more.cdz": "y = 2",
  });

  it("reads the files it has, empty ones included", () => {
    expect(host.readFile("main.cdz")).toBe("import shapes.circle *");
    expect(host.readFile("geometry.cdz")).toBe("");
    expect(host.readFile("shapes/circle.cdz")).toContain("circle_area");
  });

  it("has nothing for other paths", () => {
    expect(host.readFile("missing.cdz")).toBeUndefined();
    expect(host.readFile("shapes")).toBeUndefined();
    expect(host.readFile("toString")).toBeUndefined();
    expect(host.readFile("__proto__")).toBeUndefined();
  });

  it("lists the modules directly in a folder, sorted", () => {
    expect(host.listModules?.(".")).toEqual(["geometry.cdz", "main.cdz"]);
    expect(host.listModules?.("shapes")).toEqual(["circle.cdz", "square.cdz"]);
    expect(host.listModules?.("shapes/deep")).toEqual(["more.cdz"]);
    expect(host.listModules?.("nowhere")).toEqual([]);
  });

  it("does not take a folder for the prefix of another", () => {
    const h = memoryHost({ "shapes/a.cdz": "", "shapesx/b.cdz": "" });
    expect(h.listModules?.("shapes")).toEqual(["a.cdz"]);
  });
});
