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

interface Location {
  uri: string;
  range: Range;
}

/** Where go-to-definition from `needle` leads, as `line:character text`. */
async function definition(needle: string, nth = 0): Promise<string | null> {
  const loc = await server.request<Location | null>(
    "textDocument/definition",
    doc.params({ position: doc.at(needle, nth) }),
  );
  if (loc === null) return null;
  expect(loc.uri).toBe(doc.uri);
  return `${loc.range.start.line + 1}:${loc.range.start.character + 1} ${doc.slice(loc.range)}`;
}

describe("go to definition over stdio", () => {
  it("goes from a call to the function's name", async () => {
    expect(await definition("= sp|eed 100meter")).toBe("7:4 speed");
    expect(await definition("Shape.Empty] ar|ea")).toBe("17:4 area");
  });

  it("goes from a struct field access to the field of the struct", async () => {
    expect(await definition("origin.|x")).toBe("9:16 x");
    expect(await definition("origin.|y")).toBe("9:29 y");
  });

  it("goes from a unit made by @si to its measure", async () => {
    expect(await definition("2kilo|meter")).toBe("3:9 meter");
  });

  it("goes to a variant and to a name bound by a match pattern", async () => {
    expect(await definition("[Shape.Cir|cle")).toBe("10:14 Circle");
    expect(await definition("3.14 * r * |r")).toBe("18:19 r");
  });

  it("follows shadowing: the shadowing let, and the parameter on its right side", async () => {
    expect(await definition("    x + |x")).toBe("23:9 x");
    expect(await definition("let x = |x * 2")).toBe("22:10 x");
  });

  it("answers null for built-ins and outside names", async () => {
    expect(await definition("Li|st.map")).toBeNull();
    expect(await definition("# A sm|all")).toBeNull();
  });
});
