import { describe, expect, it } from "vitest";
import { commonEnds, SourceFile, textChange } from "../src/index.js";

/** The shared ends found one character at a time (the reference). */
function slowEnds(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < max && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

describe("commonEnds", () => {
  it("agrees with a character-by-character comparison around block boundaries", () => {
    const base = "ab\n".repeat(30_000); // 90,000 characters: more than one 64 KiB block
    const cases: [string, string][] = [
      [base, base],
      ["", base],
      [base, ""],
      ["abc", "abd"],
      ["xabc", "abc"],
    ];
    // Single changes near every block boundary, of every kind (replace, insert, delete).
    for (const at of [0, 1, 31, 32, 33, 1023, 1024, 1025, 65535, 65536, 65537, 89_999]) {
      cases.push([base, `${base.slice(0, at)}Z${base.slice(at + 1)}`]);
      cases.push([base, `${base.slice(0, at)}ZZ${base.slice(at)}`]);
      cases.push([base, base.slice(0, at) + base.slice(at + 1)]);
    }
    for (const [a, b] of cases) expect(commonEnds(a, b)).toEqual(slowEnds(a, b));
  });
});

describe("textChange", () => {
  it("is commonEnds of the two texts, computed once per pair", () => {
    const a = new SourceFile("f.cdz", "let x = 1\nlet y = 2\n");
    const b = new SourceFile("f.cdz", "let x = 1\nlet y = 3\n");
    const c = new SourceFile("f.cdz", "let x = 4\nlet y = 3\n");
    const ab = textChange(a, b);
    expect(ab).toMatchObject(commonEnds(a.text, b.text));
    expect(textChange(a, b)).toBe(ab);
    // Another earlier version of the same file is compared again.
    expect(textChange(c, b)).toMatchObject(commonEnds(c.text, b.text));
    expect(textChange(c, b)).not.toBe(ab);
  });
});

describe("textChange keeps no chain of versions", () => {
  it("forgets what a version was compared with once it is compared with a later one", () => {
    const a = new SourceFile("f.cdz", "1");
    const b = new SourceFile("f.cdz", "2");
    const c = new SourceFile("f.cdz", "3");
    const ab = textChange(a, b);
    textChange(b, c);
    // b's comparison with a was dropped (so c → b → a is not a chain): asked again, it is
    // computed anew.
    expect(textChange(a, b)).not.toBe(ab);
    expect(textChange(a, b)).toMatchObject(commonEnds(a.text, b.text));
  });
});
