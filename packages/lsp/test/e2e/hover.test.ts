import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Range, type Server, serve, startServer } from "./harness.ts";

const doc = Doc.fixture("probe.cdz");
let server: Server;

beforeAll(async () => {
  server = await serve(doc);
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

interface Hover {
  contents: { kind: string; value: string };
  range: Range;
}

const hover = (needle: string, nth = 0): Promise<Hover | null> =>
  server.request<Hover | null>("textDocument/hover", doc.params({ position: doc.at(needle, nth) }));

describe("hover over stdio", () => {
  it("shows a function's scheme, the instance at this use, and its ## docs as Markdown", async () => {
    const h = await hover("sp|eed 100meter");
    expect(h?.contents.kind).toBe("markdown");
    expect(h?.contents.value).toBe(
      [
        "```cadenza",
        "fn speed d t : forall a b u v. [Numeric a, Numeric b] => fn(Quantity a u, Quantity b v) -> Quantity (a ⊔ b ⊔ Rational) u/v",
        "```",
        "*function* · here: `fn(Quantity Integer meter, Quantity Float second) -> Quantity Float meter/second`",
        "",
        "---",
        "",
        "The average speed over a distance.",
      ].join("\n"),
    );
    expect(doc.slice(h!.range)).toBe("speed");
  });

  it("shows a variable's inferred type with its units", async () => {
    const h = await hover("let spr|int");
    expect(h?.contents.value).toContain("let sprint : Quantity Float meter/second");
    expect(doc.slice(h!.range)).toBe("sprint");
  });

  it("shows a unit made by @si with its dimension and factor", async () => {
    const h = await hover("2kilo|meter");
    expect(h?.contents.value).toContain("measure kilometer (@si kilo meter)");
    expect(h?.contents.value).toContain("dimension: meter · 1 kilometer = 1000 meter");
    expect(doc.slice(h!.range)).toBe("kilometer");
  });

  it("shows a struct field's type through the receiver", async () => {
    const h = await hover("origin.|x");
    expect(h?.contents.value).toContain("Point.x : Integer");
    expect(h?.contents.value).toContain("*field*");
  });

  it("resolves shadowing: the right side of a let sees the parameter", async () => {
    const param = await hover("let x = |x * 2");
    expect(param?.contents.value).toContain("x : Quantity a u\n```\n*parameter*");
    const local = await hover("    x| + x");
    expect(local?.contents.value).toContain("*variable*");
    expect(local?.contents.value).not.toContain("*parameter*");
  });

  it("shows the type of an expression that is not a name", async () => {
    const h = await hover("9.5|8second");
    expect(h?.contents.value).toContain("9.58second : Quantity Float second");
    expect(doc.slice(h!.range)).toBe("9.58second");
  });

  it("shows built-ins with their docs", async () => {
    const h = await hover("Li|st.map");
    expect(h?.contents.value).toContain("namespace List");
    expect(h?.contents.value).toContain("*built-in namespace*");
  });

  it("answers null where there is nothing to say (a comment)", async () => {
    expect(await hover("# A sm|all")).toBeNull();
  });
});

describe("hover for a plain-text client", () => {
  it("answers plain text when the client takes no Markdown", async () => {
    const plain = await startServer({ capabilities: {} });
    try {
      plain.open(doc.uri, doc.text, 1);
      const h = await plain.request<Hover>(
        "textDocument/hover",
        doc.params({ position: doc.at("let spr|int") }),
      );
      expect(h.contents).toEqual({
        kind: "plaintext",
        value: "let sprint : Quantity Float meter/second",
      });
    } finally {
      expect(await plain.shutdown()).toBe(0);
    }
  });
});
