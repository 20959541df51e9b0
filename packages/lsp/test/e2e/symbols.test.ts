import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Published, type Range, type Server, startServer } from "./harness.ts";

const doc = Doc.fixture("probe.cdz");
const folder = new URL("../fixtures/workspace/", import.meta.url);
const onDisk = (name: string): string => pathToFileURL(new URL(name, folder).pathname).href;
let server: Server;

beforeAll(async () => {
  server = await startServer({
    workspaceFolders: [{ uri: pathToFileURL(folder.pathname).href, name: "workspace" }],
  });
  server.open(doc.uri, doc.text, 1);
  await server.diagnostics(doc.uri, 1);
  // The workspace's files are found, read and checked after the open document.
  for (const name of ["a.cdz", "b.cdz", "nested/c.cdz"])
    await server.waitFor<Published>(
      "textDocument/publishDiagnostics",
      (p) => p.uri === onDisk(name),
    );
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

interface DocumentSymbol {
  name: string;
  kind: number;
  detail?: string;
  range: Range;
  selectionRange: Range;
  children: DocumentSymbol[];
}

/** `name (kind) detail` with children indented, lines 1-based. */
function outline(symbols: DocumentSymbol[], indent = ""): string[] {
  return symbols.flatMap((s) => [
    `${indent}${s.name} ${s.kind} ${s.range.start.line + 1}-${s.range.end.line + 1}: ${s.detail}`,
    ...outline(s.children, `${indent}  `),
  ]);
}

describe("document symbols over stdio", () => {
  it("outlines the definitions with kinds, types and children", async () => {
    const symbols = await server.request<DocumentSymbol[]>(
      "textDocument/documentSymbol",
      doc.params(),
    );
    expect(outline(symbols)).toEqual([
      "meter 14 3-3: measure meter",
      "second 14 4-4: measure second",
      "speed 12 7-7: forall a b u v. [Numeric a, Numeric b] => fn(Quantity a u, Quantity b v) -> Quantity (a ⊔ b ⊔ Rational) u/v",
      "Point 23 9-9: struct Point { x = Integer, y = Integer }",
      "  x 8 9-9: Integer",
      "  y 8 9-9: Integer",
      "Shape 10 10-10: enum Shape { Circle Float, Square { side: Float }, Empty }",
      "  Circle 22 10-10: Float",
      "  Square 22 10-10: { side: Float }",
      "  Empty 22 10-10: Shape.Empty",
      "sprint 13 12-12: Quantity Float meter/second",
      "origin 13 13-13: Point",
      "total 13 14-14: Integer",
      "trip 13 15-15: Quantity Rational kilometer",
      "area 12 17-20: fn(Shape) -> Float",
      "twice 12 22-24: forall a u. [Numeric a] => fn(Quantity a u) -> Quantity a u",
      "areas 13 26-26: [Float]",
    ]);
    // The selection range is the name.
    expect(doc.slice(symbols[2]!.selectionRange)).toBe("speed");
  });
});

describe("workspace symbols over stdio", () => {
  const search = (query: string) =>
    server.request<
      {
        name: string;
        kind: number;
        location: { uri: string; range: Range };
        containerName?: string;
      }[]
    >("workspace/symbol", { query });

  it("finds definitions of the open document and of the workspace's files, fuzzily", async () => {
    const found = await search("spd");
    expect(found.map((s) => [s.name, s.location.uri])).toEqual([["speed", doc.uri]]);
    expect(found[0]?.location.range).toEqual(doc.range("fn |speed", 0, 5));
    expect((await search("help")).map((s) => [s.name, s.location.uri])).toEqual([
      ["helper", onDisk("nested/c.cdz")],
    ]);
    expect((await search("doub")).map((s) => [s.name, s.location.uri])).toEqual([
      ["double", onDisk("b.cdz")],
    ]);
  });

  it("names the container of fields and variants", async () => {
    const found = await search("Circle");
    expect(found.map((s) => [s.name, s.kind, s.containerName])).toEqual([["Circle", 22, "Shape"]]);
  });

  it("lists every definition for an empty query", async () => {
    const names = (await search("")).map((s) => s.name);
    for (const name of ["speed", "Point", "areas", "a", "double", "b", "helper"])
      expect(names).toContain(name);
  });
});
