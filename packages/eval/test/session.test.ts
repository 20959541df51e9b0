// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for unquotes and interpolation.
import { describe, expect, it } from "vitest";
import { createSession, EntryReader, entryIsOpen } from "../src/index.js";

describe("REPL sessions", () => {
  it("keeps bindings across entries and prints each item", () => {
    const s = createSession();
    expect(s.evalEntry("let x = 40").output).toBe("() : Unit\n");
    expect(s.evalEntry("fn add y = x + y\nadd 2").output).toBe("() : Unit\n42 : Integer\n");
  });

  it("reports diagnostics in the entry's own lines and goes on", () => {
    const s = createSession();
    s.evalEntry("let a = 1");
    const r = s.evalEntry("a + 1\nb");
    expect(r.output).toBe(
      "2 : Integer\n" +
        "error: undefined variable: `b`\n --> repl:2:1\n  |\n2 | b\n  | ^ not found in this scope\n  |\n" +
        "  = help: use `let b = ...` to define it\n",
    );
    expect(s.evalEntry("a").output).toBe("1 : Integer\n");
  });

  it("points into the entry that defined a failing function", () => {
    const s = createSession();
    s.evalEntry("fn bad x =\n    x / 0");
    const r = s.evalEntry("bad 1");
    const [d] = r.diagnostics;
    expect(d?.message).toBe("division by zero");
    expect(r.sourceOf(d!).text).toBe("fn bad x =\n    x / 0");
    expect(r.output).toContain(" --> repl:2:5\n");
    expect(r.output).toContain("in function `bad`, called at repl:1:1");
  });
});

describe("REPL input", () => {
  const entries = (lines: string[]): string[] => {
    const reader = new EntryReader();
    const out = lines.flatMap((l) => reader.push(l));
    return [...out, ...reader.end()];
  };

  it("joins open delimiters, strings, trailing operators and indented lines", () => {
    expect(
      entries(["let x = [1,", "2]", "fn f x =", "    x + 1", "", '"a', "", 'b"', "1 +", "2", "3"]),
    ).toEqual(["let x = [1,\n2]", "fn f x =\n    x + 1", '"a\n\nb"', "1 +\n2", "3"]);
  });

  it("knows when an entry is still open", () => {
    expect(entryIsOpen('let s = $"a ${')).toBe(true);
    expect(entryIsOpen('let s = $"a ${x}"')).toBe(false);
    expect(entryIsOpen("x # a comment (")).toBe(false);
    expect(entryIsOpen("if c then")).toBe(true);
    // `import m *` ends in the wildcard; any other line ending in `*` waits for an operand.
    expect(entryIsOpen("import geometry *")).toBe(false);
    expect(entryIsOpen("import shapes.circle *  # all of it")).toBe(false);
    expect(entryIsOpen("x = 2 *")).toBe(true);
  });
});
