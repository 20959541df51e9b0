import { describe, expect, it } from "vitest";
import { foldingRanges, selectionRanges } from "../src/index.ts";
import { fixture, readFixture } from "./helpers.ts";

describe("folding ranges", () => {
  it("folds blocks, multi-line brackets and comment runs by line", () => {
    const { file } = fixture(readFixture("physics.cdz"));
    const lines = foldingRanges(file).map((r) => {
      const from = file.source.lineColumn(r.start).line;
      const to = file.source.lineColumn(r.end).line;
      return `${from}-${to} ${r.kind}`;
    });
    expect(lines).toEqual(["7-11 comment", "20-23 region", "25-29 region"]);
  });
  it("folds a list written over several lines", () => {
    const { file } = fixture("let xs = [\n    1,\n    2,\n]\n");
    expect(foldingRanges(file).map((r) => [r.start, r.end, r.kind])).toEqual([[9, 26, "region"]]);
  });
});

describe("selection ranges", () => {
  it("grows from the token to the file, each range containing the previous", () => {
    const { file, cursor, text } = fixture("fn f x =\n    let y = (x + 1$0) * 2\n    y\n");
    const spans = selectionRanges(file, cursor).map((s) => text.slice(s.start, s.end));
    expect(spans[0]).toBe("1");
    expect(spans).toContain("x + 1");
    expect(spans).toContain("(x + 1)");
    expect(spans).toContain("(x + 1) * 2");
    expect(spans).toContain("let y = (x + 1) * 2");
    expect(spans[spans.length - 1]).toBe(text);
  });
});
