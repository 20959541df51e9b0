import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { countScalars, normalizeSource, SourceFile } from "../src/source.js";

describe("normalizeSource", () => {
  it("turns CRLF and lone CR into LF and drops a leading BOM", () => {
    expect(normalizeSource("\ufeffa\r\nb\rc\n")).toBe("a\nb\nc\n");
    expect(normalizeSource("a\ufeff")).toBe("a\ufeff");
  });
});

describe("SourceFile", () => {
  const file = new SourceFile("t.cdz", "let x = 1\n\tλ 🎉 y\n\nlast");

  it("indexes lines", () => {
    expect(file.lineCount).toBe(4);
    expect(file.lineText(1)).toBe("let x = 1");
    expect(file.lineText(2)).toBe("\tλ 🎉 y");
    expect(file.lineText(3)).toBe("");
    expect(file.lineText(4)).toBe("last");
  });

  it("counts columns in Unicode scalar values, a tab as one", () => {
    const y = file.text.indexOf("y");
    // tab, λ, space, 🎉 (two UTF-16 units, one scalar), space → y is the 6th scalar.
    expect(file.lineColumn(y)).toEqual({ line: 2, column: 6 });
    expect(file.offsetAt({ line: 2, column: 6 })).toBe(y);
    expect(file.lineColumn(file.text.length)).toEqual({ line: 4, column: 5 });
  });

  it("converts to and from LSP positions in UTF-16 units", () => {
    const y = file.text.indexOf("y");
    expect(file.utf16Position(y)).toEqual({ line: 1, character: 6 });
    expect(file.offsetOfUtf16({ line: 1, character: 6 })).toBe(y);
    expect(file.offsetOfUtf16({ line: 9, character: 99 })).toBe(file.text.length);
  });

  it("clamps out-of-range positions instead of throwing", () => {
    expect(file.lineColumn(-5)).toEqual({ line: 1, column: 1 });
    expect(file.offsetAt({ line: 1, column: 999 })).toBe(9);
    expect(file.lineText(0)).toBe("let x = 1");
  });

  test.prop([fc.string({ unit: "grapheme" }), fc.nat()])(
    "line/column and offset round-trip at every scalar boundary",
    (text, n) => {
      const f = new SourceFile("p", text);
      const boundaries = [0];
      for (const ch of text) boundaries.push(boundaries[boundaries.length - 1]! + ch.length);
      const offset = boundaries[n % boundaries.length]!;
      const lc = f.lineColumn(offset);
      expect(f.offsetAt(lc)).toBe(offset);
      expect(f.offsetOfUtf16(f.utf16Position(offset))).toBe(offset);
      expect(lc.column).toBe(countScalars(text, f.lineStart(lc.line), offset) + 1);
    },
  );
});
