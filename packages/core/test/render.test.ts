import { describe, expect, it } from "vitest";
import { diagnostic } from "../src/diagnostic.js";
import { renderDiagnostic, renderDiagnostics, shouldUseColor } from "../src/render.js";
import { SourceFile } from "../src/source.js";

const at = (text: string, needle: string, nth = 0): { start: number; end: number } => {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`${needle} not in source`);
  return { start, end: start + needle.length };
};

/** check(source, diagnostic parts, expected rendering) — the one helper of this file. */
const check = (
  text: string,
  init: Omit<Parameters<typeof diagnostic>[0], "file" | "code">,
  expected: string,
): void => {
  const source = new SourceFile("test.cdz", text);
  expect(renderDiagnostic(diagnostic({ code: "test/x", file: "test.cdz", ...init }), source)).toBe(
    expected,
  );
};

describe("renderDiagnostic", () => {
  it("renders the example of §8.1 (two labels on one line, a note)", () => {
    const text = "let (x, y) = (1, 2, 3)";
    check(
      text,
      {
        message: "pattern match failed",
        primary: { span: at(text, "(x, y)"), message: "this pattern expects 2 elements" },
        secondary: [{ span: at(text, "(1, 2, 3)"), message: "this tuple has 3 elements" }],
        notes: ["tuple patterns must match the number of elements"],
      },
      `error: pattern match failed
 --> test.cdz:1:5
  |
1 | let (x, y) = (1, 2, 3)
  |     ^^^^^^   --------- this tuple has 3 elements
  |     |
  |     this pattern expects 2 elements
  |
  = note: tuple patterns must match the number of elements
`,
    );
  });

  it("writes three labels on one line right to left with connectors", () => {
    const text = "f aa bb cc";
    check(
      text,
      {
        message: "three",
        primary: { span: at(text, "bb"), message: "middle" },
        secondary: [
          { span: at(text, "aa"), message: "left" },
          { span: at(text, "cc"), message: "right" },
        ],
      },
      `error: three
 --> test.cdz:1:6
  |
1 | f aa bb cc
  |   -- ^^ -- right
  |   |  |
  |   |  middle
  |   |
  |   left
  |
`,
    );
  });

  it("sizes the gutter from the widest line number and separates distant lines with ...", () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line${i + 1}`);
    const text = lines.join("\n");
    check(
      text,
      {
        message: "far apart",
        primary: { span: at(text, "line12"), message: "used here" },
        secondary: [
          { span: at(text, "line2"), message: "defined here" },
          { span: at(text, "line3"), message: "" },
        ],
        notes: ["a note"],
        helps: ["a help", "  indented help"],
      },
      `error: far apart
  --> test.cdz:12:1
   |
 2 | line2
   | ----- defined here
 3 | line3
   | -----
...
12 | line12
   | ^^^^^^ used here
   |
   = note: a note
   = help: a help
   = help:   indented help
`,
    );
  });

  it("expands tabs to four spaces and aligns markers after them", () => {
    const text = "\tlet\tx = y";
    check(
      text,
      { message: "tabs", primary: { span: at(text, "y"), message: "here" } },
      `error: tabs
 --> test.cdz:1:10
  |
1 |     let    x = y
  |                ^ here
  |
`,
    );
  });

  it("counts wide characters as two columns and astral ones as one position", () => {
    const text = 'let 你好 = "🎉" + 1';
    check(
      text,
      {
        message: "wide",
        primary: { span: at(text, "1"), message: "number" },
        secondary: [{ span: at(text, '"🎉"'), message: "string" }],
      },
      `error: wide
 --> test.cdz:1:16
  |
1 | let 你好 = "🎉" + 1
  |            ----   ^ number
  |            |
  |            string
  |
`,
    );
  });

  it("underlines a multi-line span to the end of its first line only", () => {
    const text = "foo (\n  1,\n  2)";
    check(
      text,
      { message: "long", primary: { span: { start: 4, end: text.length }, message: "this call" } },
      `error: long
 --> test.cdz:1:5
  |
1 | foo (
  |     ^ this call
  |
`,
    );
  });

  it("marks an empty span at the end of input with one marker and honours `position`", () => {
    const text = '"hello world';
    check(
      text,
      {
        message: "unterminated string literal",
        primary: { span: { start: 12, end: 12 }, message: "missing closing double quote" },
        position: 0,
        notes: ["string literals must have a closing quote"],
        helps: ['try adding a closing "'],
      },
      `error: unterminated string literal
 --> test.cdz:1:1
  |
1 | "hello world
  |             ^ missing closing double quote
  |
  = note: string literals must have a closing quote
  = help: try adding a closing "
`,
    );
  });

  it("separates several diagnostics with one empty line and colours only when asked", () => {
    const source = new SourceFile("a.cdz", "x\ny");
    const d = (s: number, m: string) =>
      diagnostic({
        code: "t/x",
        file: "a.cdz",
        message: m,
        primary: { span: { start: s, end: s + 1 }, message: "" },
      });
    const both = renderDiagnostics([d(0, "one"), d(2, "two")], () => source);
    expect(both).toBe(
      "error: one\n --> a.cdz:1:1\n  |\n1 | x\n  | ^\n  |\n\nerror: two\n --> a.cdz:2:1\n  |\n2 | y\n  | ^\n  |\n",
    );
    expect(both).not.toContain("\u001b[");
    const coloured = renderDiagnostic(d(0, "one"), source, { color: true });
    expect(coloured).toContain("\u001b[");
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, "")).toBe(renderDiagnostic(d(0, "one"), source));
  });
});

describe("shouldUseColor", () => {
  it("colours only a TTY in auto mode, respecting NO_COLOR and FORCE_COLOR", () => {
    expect(shouldUseColor("auto", true, {})).toBe(true);
    expect(shouldUseColor("auto", false, {})).toBe(false);
    expect(shouldUseColor("auto", true, { NO_COLOR: "1" })).toBe(false);
    expect(shouldUseColor("auto", false, { FORCE_COLOR: "1" })).toBe(true);
    expect(shouldUseColor("auto", true, { TERM: "dumb" })).toBe(false);
    expect(shouldUseColor("always", false, { NO_COLOR: "1" })).toBe(true);
    expect(shouldUseColor("never", true, {})).toBe(false);
  });
});
