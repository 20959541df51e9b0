import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Position, type Range, type Server, serve } from "./harness.ts";

const doc = Doc.fixture("probe.cdz");
let server: Server;

beforeAll(async () => {
  server = await serve(doc);
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

interface SelectionRange {
  range: Range;
  parent?: SelectionRange;
}

/** Each position's chain of ranges, innermost first, as the text they select. */
async function chains(positions: Position[]): Promise<string[][]> {
  const answer = await server.request<SelectionRange[]>(
    "textDocument/selectionRange",
    doc.params({ positions }),
  );
  expect(answer).toHaveLength(positions.length);
  return answer.map((s) => {
    const out: string[] = [];
    for (let r: SelectionRange | undefined = s; r !== undefined; r = r.parent) {
      if (r.parent === undefined) {
        // The outermost range is the whole file.
        expect(r.range).toEqual({ start: doc.position(0), end: doc.position(doc.text.length) });
        out.push("<file>");
      } else {
        out.push(doc.slice(r.range));
        // Each range contains the one before it.
        expect(doc.offset(r.parent.range.start)).toBeLessThanOrEqual(doc.offset(r.range.start));
        expect(doc.offset(r.parent.range.end)).toBeGreaterThanOrEqual(doc.offset(r.range.end));
      }
    }
    return out;
  });
}

describe("selection ranges over stdio", () => {
  it("expands from a name to the call, the item and the file", async () => {
    const [speed] = await chains([doc.at("= sp|eed")]);
    expect(speed).toEqual([
      "speed",
      "speed 100meter",
      "speed 100meter 9.58second",
      "let sprint = speed 100meter 9.58second",
      "<file>",
    ]);
  });

  it("expands through the expression, the block and the function", async () => {
    const [inner] = await chains([doc.at("let x = |x * 2")]);
    expect(inner).toEqual([
      "x",
      "x * 2",
      "let x = x * 2",
      "let x = x * 2\n    x + x",
      "fn twice x =\n    let x = x * 2\n    x + x",
      "<file>",
    ]);
  });

  it("answers several positions at once, in order", async () => {
    const both = await chains([doc.at("origin.|x"), doc.at("[Shape.Cir|cle")]);
    expect(both.map((c) => c[0])).toEqual(["x", "Circle"]);
    expect(both[1]).toContain("[Shape.Circle 1.0, Shape.Empty]");
  });
});
