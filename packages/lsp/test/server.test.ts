import { afterEach, describe, expect, it } from "vitest";
import { INVALID_REQUEST_METHOD } from "../src/framing.ts";
import { diagnosticsAt, type Published, session, type TestClient } from "./client.ts";

const uri = "file:///test/main.cdz";
let client: TestClient | undefined;

afterEach(async () => {
  await client?.close();
  client = undefined;
});

const program = [
  "measure meter",
  "measure second",
  "## The average speed.",
  "fn speed d t = d / t",
  "let v = speed 100meter 9.58second",
  "let w = spede 1meter 1second",
  "",
].join("\n");

describe("the language server", () => {
  it("publishes diagnostics for the opened version", async () => {
    client = await session();
    client.open(uri, program, 7);
    const published = await diagnosticsAt(client, uri, 7);
    expect(published.diagnostics.map((d) => d.code)).toEqual(["eval/undefined-variable"]);
    expect(published.diagnostics[0]?.message).toContain("did you mean `speed`?");
    expect(published.diagnostics[0]?.range).toEqual({
      start: { line: 5, character: 8 },
      end: { line: 5, character: 13 },
    });
  });

  it("applies incremental edits and publishes only the latest version", async () => {
    client = await session({
      initializationOptions: { settings: { diagnostics: { debounceMs: 20 } } },
    });
    client.open(uri, "let x = 1\n", 1);
    // Five quick edits: each appends a character to a new line, `y`, `yy`, …, ending with an
    // undefined name; intermediate versions must never be published.
    for (let v = 2; v <= 6; v++) {
      client.change(uri, v, [
        {
          range: { start: { line: 1, character: v - 2 }, end: { line: 1, character: v - 2 } },
          text: "y",
        },
      ]);
    }
    const last = await diagnosticsAt(client, uri, 6);
    expect(last.diagnostics.map((d) => d.message.split("\n")[0])).toEqual([
      "undefined variable: `yyyyy`: not found in this scope",
    ]);
    const versions = client.published(uri).map((p) => p.version);
    expect(versions.every((v) => v === 6 || v === 1)).toBe(true);
    expect(versions.filter((v) => v !== undefined && v > 1 && v < 6)).toEqual([]);
  });

  it("answers hover, definition, references, rename and completion", async () => {
    client = await session();
    client.open(uri, program, 1);
    const at = { textDocument: { uri }, position: { line: 4, character: 9 } };
    const hover = await client.request<{ contents: { value: string } }>("textDocument/hover", at);
    expect(hover.contents.value).toContain("fn speed d t");
    expect(hover.contents.value).toContain("The average speed.");
    const definition = await client.request("textDocument/definition", at);
    expect(definition).toEqual({
      uri,
      range: { start: { line: 3, character: 3 }, end: { line: 3, character: 8 } },
    });
    const refs = await client.request<unknown[]>("textDocument/references", {
      ...at,
      context: { includeDeclaration: true },
    });
    expect(refs).toHaveLength(2);
    const prepared = await client.request("textDocument/prepareRename", at);
    expect(prepared).toEqual({
      range: { start: { line: 4, character: 8 }, end: { line: 4, character: 13 } },
      placeholder: "speed",
    });
    const edit = await client.request<{ changes: Record<string, { newText: string }[]> }>(
      "textDocument/rename",
      { ...at, newName: "velocity" },
    );
    expect(edit.changes[uri]?.map((e) => e.newText)).toEqual(["velocity", "velocity"]);
    const completion = await client.request<{ items: { label: string; detail?: string }[] }>(
      "textDocument/completion",
      { textDocument: { uri }, position: { line: 5, character: 8 } },
    );
    expect(completion.items.find((i) => i.label === "v")?.detail).toBe(
      "Quantity Float meter/second",
    );
  });

  it("answers a refused rename with an error and keeps serving", async () => {
    client = await session();
    client.open(uri, "List.len [1]", 1);
    await expect(
      client.request("textDocument/prepareRename", {
        textDocument: { uri },
        position: { line: 0, character: 1 },
      }),
    ).rejects.toMatchObject({ code: -32602, message: expect.stringContaining("built in") });
  });

  it("answers the other features", async () => {
    client = await session();
    client.open(uri, `${program}fn area w h =\n    let a = w * h\n    a\n`, 1);
    const doc = { textDocument: { uri } };
    const symbols = await client.request<{ name: string }[]>("textDocument/documentSymbol", doc);
    expect(symbols.map((s) => s.name)).toEqual(["meter", "second", "speed", "v", "w", "area"]);
    const tokens = await client.request<{ data: number[] }>(
      "textDocument/semanticTokens/full",
      doc,
    );
    expect(tokens.data.length % 5).toBe(0);
    expect(tokens.data.length).toBeGreaterThan(20);
    const range = { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } };
    const hints = await client.request<{ label: string }[]>("textDocument/inlayHint", {
      ...doc,
      range,
    });
    expect(hints.map((h) => h.label)).toContain(": Quantity Float meter/second");
    const folding = await client.request<{ startLine: number; endLine: number }[]>(
      "textDocument/foldingRange",
      doc,
    );
    expect(folding).toContainEqual({ startLine: 6, endLine: 8, kind: "region" });
    const selection = await client.request<unknown[]>("textDocument/selectionRange", {
      ...doc,
      positions: [{ line: 4, character: 9 }],
    });
    expect(selection).toHaveLength(1);
    const actions = await client.request<{ title: string }[]>("textDocument/codeAction", {
      ...doc,
      range: { start: { line: 5, character: 9 }, end: { line: 5, character: 9 } },
      context: { diagnostics: [] },
    });
    expect(actions.map((a) => a.title)).toEqual(["Replace with `speed`"]);
    const signature = await client.request<{
      activeParameter: number;
      signatures: { label: string }[];
    }>("textDocument/signatureHelp", { ...doc, position: { line: 4, character: 23 } });
    expect(signature.signatures[0]?.label).toMatch(/^speed \(d: /);
    expect(signature.activeParameter).toBe(1);
    const highlights = await client.request<unknown[]>("textDocument/documentHighlight", {
      ...doc,
      position: { line: 4, character: 9 },
    });
    expect(highlights).toHaveLength(2);
    const workspace = await client.request<{ name: string }[]>("workspace/symbol", {
      query: "spd",
    });
    expect(workspace.map((s) => s.name)).toEqual(["speed"]);
  });

  it("uses related information for secondary labels", async () => {
    client = await session();
    client.open(uri, 'fn g =\n    let n: Integer = "s"\n    n\n', 1);
    const published = await diagnosticsAt(client, uri, 1);
    expect(published.diagnostics[0]?.message).toContain("type mismatch");
    expect(published.diagnostics[0]?.relatedInformation).toEqual([
      {
        location: {
          uri,
          range: { start: { line: 1, character: 11 }, end: { line: 1, character: 18 } },
        },
        message: "expected Integer because of this",
      },
    ]);
  });

  it("puts secondary labels in the message for clients without related information", async () => {
    client = await session({ capabilities: {} });
    client.open(uri, 'fn g =\n    let n: Integer = "s"\n    n\n', 1);
    const published = await diagnosticsAt(client, uri, 1);
    expect(published.diagnostics[0]?.relatedInformation).toBeUndefined();
    expect(published.diagnostics[0]?.message).toContain("2:12: expected Integer because of this");
  });
});

describe("robustness", () => {
  it("answers a cancelled request with -32800", async () => {
    client = await session({ faults: ["hold:textDocument/hover"] });
    client.open(uri, program, 1);
    const { CancellationTokenSource } = await import("vscode-languageserver/node");
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(
      "textDocument/hover",
      { textDocument: { uri }, position: { line: 4, character: 9 } },
      source.token,
    );
    source.cancel();
    await expect(pending).rejects.toMatchObject({ code: -32800 });
    // Still serving.
    const symbols = await client.request<unknown[]>("textDocument/documentSymbol", {
      textDocument: { uri },
    });
    expect(symbols.length).toBeGreaterThan(0);
  });

  it("answers a request made stale by an edit with -32801", async () => {
    client = await session({
      faults: ["hold:textDocument/hover"],
      initializationOptions: { settings: { diagnostics: { debounceMs: 0 } } },
    });
    client.open(uri, program, 1);
    const pending = client.request("textDocument/hover", {
      textDocument: { uri },
      position: { line: 4, character: 9 },
    });
    client.change(uri, 2, [{ text: `${program}# edited\n` }]);
    await expect(pending).rejects.toMatchObject({ code: -32801 });
  });

  it("contains a failing feature: error response, log line, and the next request works", async () => {
    client = await session({ faults: ["textDocument/hover", "main:textDocument/definition"] });
    client.open(uri, program, 1);
    const at = { textDocument: { uri }, position: { line: 4, character: 9 } };
    await expect(client.request("textDocument/hover", at)).rejects.toMatchObject({ code: -32603 });
    await expect(client.request("textDocument/definition", at)).rejects.toMatchObject({
      code: -32603,
    });
    const refs = await client.request<unknown[]>("textDocument/references", {
      ...at,
      context: { includeDeclaration: true },
    });
    expect(refs).toHaveLength(2);
    expect(client.log.some((l) => l.includes("textDocument/hover failed"))).toBe(true);
    expect(client.log.some((l) => l.includes("textDocument/definition failed"))).toBe(true);
  });

  it("survives malformed messages", async () => {
    client = await session();
    client.open(uri, program, 1);
    // Wait until the notification is fully written before writing raw bytes.
    await diagnosticsAt(client, uri, 1);
    client.writeRaw("X-No-Length: 1\r\n\r\n");
    client.writeRaw('Content-Length: 10\r\n\r\n{"broken":');
    client.writeRaw("Content-Length: 2\r\n\r\n[]");
    client.writeRaw('Content-Length: 40\r\n\r\n{"jsonrpc":"2.0","id":99,"method":7}    ');
    const symbols = await client.request<unknown[]>("textDocument/documentSymbol", {
      textDocument: { uri },
    });
    expect(symbols.length).toBeGreaterThan(0);
    expect(client.log).toEqual([
      "dropped a message without a valid Content-Length",
      "dropped a message that is not JSON",
      "dropped a JSON value that is not a JSON-RPC message",
    ]);
  });

  it("answers an invalid request that has an id with -32600", async () => {
    client = await session();
    // What the input guard turns `{"id":99,"method":7}` into (see framing.test.ts).
    await expect(client.request(INVALID_REQUEST_METHOD)).rejects.toMatchObject({ code: -32600 });
  });

  it("answers invalid parameters and unknown methods without failing", async () => {
    client = await session();
    client.open(uri, program, 1);
    await expect(client.request("textDocument/hover", { textDocument: {} })).rejects.toMatchObject({
      code: -32602,
    });
    await expect(
      client.request("textDocument/hover", { textDocument: { uri }, position: { line: "x" } }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(client.request("cadenza/unknown", {})).rejects.toMatchObject({ code: -32601 });
    const hover = await client.request("textDocument/hover", {
      textDocument: { uri },
      position: { line: 4, character: 9 },
    });
    expect(hover).not.toBeNull();
  });

  it("answers null for documents it does not know", async () => {
    client = await session();
    const hover = await client.request("textDocument/hover", {
      textDocument: { uri: "file:///nowhere.cdz" },
      position: { line: 0, character: 0 },
    });
    expect(hover).toBeNull();
  });
});

describe("settings", () => {
  it("reads inlay hint kinds from workspace/configuration", async () => {
    client = await session({
      configuration: { inlayHints: { variableTypes: false, returnTypes: false } },
    });
    client.open(uri, program, 1);
    // The configuration is pulled after `initialized`; a request after it sees it.
    await diagnosticsAt(client, uri, 1);
    const hints = await client.request<{ label: string }[]>("textDocument/inlayHint", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
    });
    expect(hints.map((h) => h.label)).toEqual(["-> u/v", ": meter/second"]);
  });
});

export type { Published };
