import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Server, startServer } from "./harness.ts";

const doc = Doc.fixture("probe.cdz");
let server: Server;

beforeAll(async () => {
  // Testing faults (only the test entry passes them): hover throws in the engine, definition
  // throws in the main thread's handler, and document symbols kill the engine's worker.
  server = await startServer({
    faults: [
      "textDocument/hover",
      "main:textDocument/definition",
      "exit-on:textDocument/documentSymbol",
    ],
  });
  server.open(doc.uri, doc.text, 1);
  await server.diagnostics(doc.uri, 1);
});
afterAll(async () => {
  // Still serving to the end, and it exits cleanly.
  expect(await server.shutdown()).toBe(0);
});

const at = doc.params({ position: doc.at("= sp|eed 100meter") });
const alive = (): boolean => server.process.exitCode === null && server.process.signalCode === null;

describe("a crashing feature over stdio", () => {
  it("answers a feature that throws in the engine with -32603, and the next request works", async () => {
    await expect(server.request("textDocument/hover", at)).rejects.toMatchObject({
      code: -32603,
      message: "injected fault in textDocument/hover",
    });
    const refs = await server.request<unknown[]>("textDocument/references", {
      ...at,
      context: { includeDeclaration: true },
    });
    expect(refs).toHaveLength(2);
    expect(alive()).toBe(true);
  });

  it("answers a feature that throws in the main thread with -32603", async () => {
    await expect(server.request("textDocument/definition", at)).rejects.toMatchObject({
      code: -32603,
      message: expect.stringContaining("textDocument/definition failed"),
    });
    const completion = await server.request<{ items: { label: string }[] }>(
      "textDocument/completion",
      doc.params({ position: doc.at("let total|") }),
    );
    expect(completion.items.length).toBeGreaterThan(10);
  });

  it("survives the engine's thread dying: restarts it and serves the documents again", async () => {
    await expect(server.request("textDocument/documentSymbol", doc.params())).rejects.toMatchObject(
      {
        code: -32603,
      },
    );
    // The restarted engine has the document (and its edits) again.
    server.change(doc.uri, 2, [{ range: doc.range("sprint"), text: "dash" }]);
    const published = await server.diagnostics(doc.uri, 2);
    expect(published.diagnostics).toEqual([]);
    const folds = await server.request<unknown[]>("textDocument/foldingRange", doc.params());
    expect(folds).toHaveLength(2);
    expect(alive()).toBe(true);
  });

  it("logs one line per failure on stderr and nothing on stdout but the protocol", () => {
    const lines = server.stderr().trim().split("\n");
    expect(lines.filter((l) => l.includes("textDocument/hover failed"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("textDocument/definition failed"))).toHaveLength(1);
    expect(lines.some((l) => l.includes("restarting the analysis engine"))).toBe(true);
    expect(lines.every((l) => l.startsWith("cadenza-lsp: "))).toBe(true);
  });
});
