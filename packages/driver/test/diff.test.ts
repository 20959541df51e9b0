import { SourceFile } from "@cadenza/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffEdit as diffSources } from "../src/queries.js";

/** The edit between two texts, as versions of one file. */
function diffEdit(before: string, after: string): ReturnType<typeof diffSources> {
  return diffSources(new SourceFile("f.cdz", before), new SourceFile("f.cdz", after));
}

/** Applies an edit the way the parser's reparse does. */
function apply(text: string, e: ReturnType<typeof diffEdit>): string {
  return text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
}

describe("diffEdit", () => {
  it("gives the smallest single edit between two texts (random texts and edits)", () => {
    // Long texts over a small alphabet, so that the block pass and the character pass both
    // meet matches and near-misses; edits anywhere, also within a block of the boundary.
    const text = fc.stringMatching(/^[ab\n]{0,5000}$/);
    fc.assert(
      fc.property(
        text,
        fc.nat(),
        fc.nat(30),
        fc.stringMatching(/^[abc]{0,40}$/),
        (t, at, cut, ins) => {
          const start = t.length === 0 ? 0 : at % (t.length + 1);
          const end = Math.min(t.length, start + cut);
          const after = t.slice(0, start) + ins + t.slice(end);
          const e = diffEdit(t, after);
          expect(apply(t, e)).toBe(after);
          // Minimal: the kept prefix and suffix cannot grow.
          const removed = t.slice(e.span.start, e.span.end);
          if (removed.length > 0 && e.newText.length > 0) {
            expect(removed[0]).not.toBe(e.newText[0]);
            expect(removed[removed.length - 1]).not.toBe(e.newText[e.newText.length - 1]);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("finds a one-character change in a long text, far from both ends", () => {
    const before = `${"x = 1\n".repeat(5000)}y\n${"z = 2\n".repeat(5000)}`;
    const after = before.replace("y", "w");
    expect(diffEdit(before, after)).toEqual({
      span: { start: 30000, end: 30001 },
      newText: "w",
    });
    expect(diffEdit(before, before)).toEqual({
      span: { start: before.length, end: before.length },
      newText: "",
    });
  });
});
