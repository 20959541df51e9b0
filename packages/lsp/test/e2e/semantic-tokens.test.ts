import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Server, serve } from "./harness.ts";

const doc = Doc.fixture("probe.cdz");
let server: Server;
let legend: { tokenTypes: string[]; tokenModifiers: string[] };

beforeAll(async () => {
  server = await serve(doc);
  const provider = server.initialized.capabilities.semanticTokensProvider as {
    legend: typeof legend;
    full: boolean;
    range: boolean;
  };
  expect(provider.full).toBe(true);
  expect(provider.range).toBe(true);
  legend = provider.legend;
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

/** Decodes LSP's relative encoding into `line:column text type modifiers` (1-based). */
function decode(data: number[]): string[] {
  expect(data.length % 5).toBe(0);
  const out: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, modifiers] = data.slice(i, i + 5) as [
      number,
      number,
      number,
      number,
      number,
    ];
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    const mods = legend.tokenModifiers.filter((_, k) => (modifiers & (1 << k)) !== 0);
    const text = doc.lines[line]!.slice(character, character + length);
    out.push(
      `${line + 1}:${character + 1} ${text} ${legend.tokenTypes[type]} ${mods.join(",")}`.trim(),
    );
  }
  return out;
}

const full = async (): Promise<string[]> =>
  decode(
    (await server.request<{ data: number[] }>("textDocument/semanticTokens/full", doc.params()))
      .data,
  );

describe("semantic tokens over stdio", () => {
  it("advertises the legend, with the unit token type", () => {
    expect(legend.tokenTypes).toContain("unit");
    expect(legend.tokenTypes).toContain("enumMember");
    expect(legend.tokenModifiers).toContain("defaultLibrary");
  });

  it("classifies a function definition and its parameters", async () => {
    const tokens = await full();
    expect(tokens.filter((t) => t.startsWith("7:"))).toEqual([
      "7:1 fn keyword defaultLibrary",
      "7:4 speed function declaration,definition",
      "7:10 d parameter declaration,definition",
      "7:12 t parameter declaration,definition",
      "7:16 d parameter",
      "7:20 t parameter",
    ]);
  });

  it("classifies units, structs, fields, enums, variants, namespaces and the decorator", async () => {
    const tokens = await full();
    expect(tokens).toContain("2:2 si decorator");
    expect(tokens).toContain("3:9 meter unit declaration,definition");
    expect(tokens).toContain("12:23 meter unit");
    expect(tokens).toContain("15:13 kilometer unit");
    expect(tokens).toContain("9:8 Point struct declaration,definition");
    expect(tokens).toContain("9:20 Integer type defaultLibrary");
    expect(tokens).toContain("14:20 x property");
    expect(tokens).toContain("10:6 Shape enum declaration,definition");
    expect(tokens).toContain("26:29 Circle enumMember");
    expect(tokens).toContain("26:13 List namespace defaultLibrary");
    expect(tokens).toContain("26:18 map function defaultLibrary");
  });

  it("tells the shadowing local from the parameter it shadows", async () => {
    const tokens = await full();
    expect(tokens.filter((t) => t.startsWith("23:") || t.startsWith("24:"))).toEqual([
      "23:5 let keyword defaultLibrary",
      "23:9 x variable declaration,definition,readonly",
      "23:13 x parameter",
      "24:5 x variable readonly",
      "24:9 x variable readonly",
    ]);
  });

  it("answers a range with the tokens inside it only", async () => {
    const ranged = await server.request<{ data: number[] }>(
      "textDocument/semanticTokens/range",
      doc.params({ range: { start: { line: 11, character: 0 }, end: { line: 12, character: 0 } } }),
    );
    expect(decode(ranged.data)).toEqual([
      "12:1 let keyword defaultLibrary",
      "12:5 sprint variable declaration,definition,readonly",
      "12:14 speed function",
      "12:23 meter unit",
      "12:33 second unit",
    ]);
  });
});
