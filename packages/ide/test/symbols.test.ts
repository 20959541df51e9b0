import { describe, expect, it } from "vitest";
import { documentSymbols, fuzzyMatch, workspaceSymbols } from "../src/index.ts";
import { fixture, readFixture } from "./helpers.ts";

type Outline = string | [string, Outline[]];

function outline(source: string): Outline[] {
  const { file } = fixture(source);
  const walk = (s: ReturnType<typeof documentSymbols>[number]): Outline =>
    s.children.length === 0 ? `${s.kind} ${s.name}` : [`${s.kind} ${s.name}`, s.children.map(walk)];
  return documentSymbols(file).map(walk);
}

describe("document symbols", () => {
  it("outlines the physics fixture", () =>
    expect(outline(readFixture("physics.cdz"))).toEqual([
      "unit meter",
      "unit second",
      "unit inch",
      "function speed",
      "variable sprint",
      "variable marathon",
      ["struct Point", ["field x", "field y"]],
      ["enum Shape", ["variant Circle", "variant Square", "variant Empty"]],
      "function area",
      ["function norm1", ["function abs"]],
      "variable origin",
      "variable shapes",
      "variable areas",
      "macro twice",
    ]));
  it("gives spans, selection spans and types", () => {
    const { file, text } = fixture("## Doc.\nfn double x = x * 2");
    const [s] = documentSymbols(file);
    expect(text.slice(s!.selectionSpan.start, s!.selectionSpan.end)).toBe("double");
    expect(text.slice(s!.span.start, s!.span.end)).toBe("fn double x = x * 2");
    expect(s?.detail).toContain("fn(");
  });
});

describe("workspace symbols", () => {
  it("searches every file by a fuzzy query", () => {
    const a = fixture("fn speed d t = d / t\nlet sprint = 1", "a.cdz").file;
    const b = fixture("struct Point { x = Integer }\nfn spread = 2", "b.cdz").file;
    const found = workspaceSymbols([a, b], "spd").map((s) => `${s.file}:${s.name}`);
    expect(found).toEqual(["a.cdz:speed", "b.cdz:spread"]);
    expect(workspaceSymbols([b], "x").map((s) => `${s.name} in ${s.container}`)).toEqual([
      "x in Point",
    ]);
  });
  it("matches in order, case-insensitively", () => {
    expect(fuzzyMatch("", "anything")).toBe(true);
    expect(fuzzyMatch("SpD", "speed")).toBe(true);
    expect(fuzzyMatch("ds", "speed")).toBe(false);
  });
});
