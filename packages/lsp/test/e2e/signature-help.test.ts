import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Position, type Server, serve } from "./harness.ts";

const doc = Doc.fixture("probe.cdz");
let server: Server;

beforeAll(async () => {
  server = await serve(doc);
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

interface SignatureHelp {
  signatures: {
    label: string;
    documentation?: { kind: string; value: string };
    parameters: { label: [number, number] }[];
  }[];
  activeSignature: number;
  activeParameter: number;
}

const help = (position: Position, uri = doc.uri): Promise<SignatureHelp | null> =>
  server.request<SignatureHelp | null>("textDocument/signatureHelp", {
    textDocument: { uri },
    position,
  });

/** The parameter labels, cut out of the signature label by their offsets. */
const parameters = (h: SignatureHelp): string[] =>
  h.signatures[0]!.parameters.map((p) => h.signatures[0]!.label.slice(p.label[0], p.label[1]));

describe("signature help over stdio", () => {
  it("advertises space as its trigger", () => {
    expect(server.initialized.capabilities.signatureHelpProvider).toEqual({
      triggerCharacters: [" "],
      retriggerCharacters: [" "],
    });
  });

  it("shows a function's parameters with types and docs, and the active one", async () => {
    const first = await help(doc.at("speed 100met|er"));
    expect(first?.signatures).toHaveLength(1);
    expect(first?.signatures[0]?.label).toBe(
      "speed (d: Quantity a u) (t: Quantity b v) -> Quantity c u/v",
    );
    expect(parameters(first!)).toEqual(["d: Quantity a u", "t: Quantity b v"]);
    expect(first?.signatures[0]?.documentation).toEqual({
      kind: "markdown",
      value: "The average speed over a distance.",
    });
    expect(first?.activeParameter).toBe(0);
    const second = await help(doc.at("9.58sec|ond"));
    expect(second?.activeParameter).toBe(1);
  });

  it("shows a built-in's signature while its arguments are typed", async () => {
    const h = await help(doc.at("Shape.Empty] a|rea"));
    expect(h?.signatures[0]?.label).toBe("List.map (list: [a]) (function: fn(a) -> b) -> [b]");
    expect(parameters(h!)).toEqual(["list: [a]", "function: fn(a) -> b"]);
    expect(h?.activeParameter).toBe(1);
  });

  it("counts the piped argument, on a line being typed", async () => {
    const uri = "file:///e2e/signature-typing.cdz";
    const text = `${doc.text}let z = 1meter |> speed `;
    server.open(uri, text, 1);
    const h = await help(new Doc(uri, text).position(text.length), uri);
    expect(h?.signatures[0]?.label.startsWith("speed (d: ")).toBe(true);
    expect(h?.activeParameter).toBe(1);
  });

  it("answers null outside an application", async () => {
    expect(await help(doc.at("# A sm|all"))).toBeNull();
  });
});
