import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Range, type Server, serve } from "./harness.ts";

const doc = Doc.fixture("probe.cdz");
let server: Server;

beforeAll(async () => {
  server = await serve(doc);
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

const where = (r: Range): string => `${r.start.line + 1}:${r.start.character + 1} ${doc.slice(r)}`;

async function references(needle: string, includeDeclaration: boolean): Promise<string[]> {
  const locations = await server.request<{ uri: string; range: Range }[]>(
    "textDocument/references",
    doc.params({ position: doc.at(needle), context: { includeDeclaration } }),
  );
  expect(new Set(locations.map((l) => l.uri))).toEqual(new Set([doc.uri]));
  return locations.map((l) => where(l.range));
}

describe("references over stdio", () => {
  it("finds a function's definition and its calls", async () => {
    expect(await references("fn sp|eed", true)).toEqual(["7:4 speed", "12:14 speed"]);
    expect(await references("fn sp|eed", false)).toEqual(["12:14 speed"]);
  });

  it("keeps shadowed bindings apart", async () => {
    // The parameter `x` is used once, on the right side of the `let x` that shadows it.
    expect(await references("fn twice |x", true)).toEqual(["22:10 x", "23:13 x"]);
    // The local `x` is used twice on the next line.
    expect(await references("    x + |x", true)).toEqual(["23:9 x", "24:5 x", "24:9 x"]);
  });

  it("finds a struct field in the definition, a literal and an access", async () => {
    expect(await references("Point { |x = Integer", true)).toEqual([
      "9:16 x",
      "13:22 x",
      "14:20 x",
    ]);
  });

  it("finds a unit's uses", async () => {
    expect(await references("measure me|ter", true)).toEqual([
      "3:9 meter",
      "12:23 meter",
      "15:28 meter",
    ]);
  });

  it("answers null where there is no name", async () => {
    const none = await server.request(
      "textDocument/references",
      doc.params({ position: doc.at("# A sm|all"), context: { includeDeclaration: true } }),
    );
    expect(none).toBeNull();
  });
});

describe("document highlight over stdio", () => {
  it("marks the definition as a write and the uses as reads", async () => {
    const highlights = await server.request<{ range: Range; kind: number }[]>(
      "textDocument/documentHighlight",
      doc.params({ position: doc.at("    x + |x") }),
    );
    expect(highlights.map((h) => `${where(h.range)} ${h.kind === 3 ? "write" : "read"}`)).toEqual([
      "23:9 x write",
      "24:5 x read",
      "24:9 x read",
    ]);
  });
});
