import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Server, serve } from "./harness.ts";

const doc = Doc.fixture("folding.cdz");
const probe = Doc.fixture("probe.cdz");
let server: Server;

beforeAll(async () => {
  server = await serve(doc);
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

interface FoldingRange {
  startLine: number;
  endLine: number;
  kind: string;
}

/** The ranges as `first-last kind: first line's text` (1-based lines). */
async function folds(d: Doc): Promise<string[]> {
  const ranges = await server.request<FoldingRange[]>("textDocument/foldingRange", d.params());
  return ranges.map(
    (r) => `${r.startLine + 1}-${r.endLine + 1} ${r.kind}: ${d.lines[r.startLine]}`,
  );
}

describe("folding ranges over stdio", () => {
  it("folds comment runs, indented blocks (nested too) and multi-line brackets", async () => {
    expect(await folds(doc)).toEqual([
      "1-2 comment: # Folding: comment runs, indented blocks and brackets",
      "5-9 region: fn area s = match s",
      "7-9 region:     _ =>",
      "11-14 region: let points = [",
      "15-16 comment: ## Docs of a function",
    ]);
  });

  it("folds the functions of the probe program and nothing on one line", async () => {
    server.open(probe.uri, probe.text, 1);
    expect(await folds(probe)).toEqual([
      "17-20 region: fn area s = match s",
      "22-24 region: fn twice x =",
    ]);
  });
});
