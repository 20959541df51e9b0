import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Server, startServer } from "./harness.ts";

const probe = Doc.fixture("probe.cdz");
/** A server whose hover waits at its yield point until cancelled (a testing fault). */
let holding: Server;
let server: Server;

beforeAll(async () => {
  [holding, server] = await Promise.all([
    startServer({ faults: ["hold:textDocument/hover"] }),
    startServer(),
  ]);
});
afterAll(async () => {
  expect(await holding.shutdown()).toBe(0);
  expect(await server.shutdown()).toBe(0);
});

/** A program big enough that checking it takes a while (thousands of lines). */
function bigProgram(blocks: number): string {
  const lines = ["measure meter", "measure second"];
  for (let i = 0; i < blocks; i++)
    lines.push(
      `fn scale${i} d k =`,
      "    let twice = d * 2",
      "    twice + d * k",
      `let dist${i} = scale${i} ${i + 1}meter 3`,
      `let speed${i} = dist${i} / ${i + 2}second`,
    );
  return `${lines.join("\n")}\n`;
}

describe("cancellation over stdio", () => {
  it("answers a request cancelled while it waits with -32800, and keeps serving", async () => {
    holding.open(probe.uri, probe.text, 1);
    await holding.diagnostics(probe.uri, 1);
    const { answer, cancel } = holding.cancellable("textDocument/hover", {
      textDocument: { uri: probe.uri },
      position: probe.at("sp|eed 100"),
    });
    cancel();
    await expect(answer).rejects.toMatchObject({ code: -32800 });
    const symbols = await holding.request<{ name: string }[]>(
      "textDocument/documentSymbol",
      probe.params(),
    );
    expect(symbols.map((s) => s.name)).toContain("speed");
  });

  it("cancels a request waiting for a long check, which still completes", async () => {
    const doc = new Doc("file:///e2e/big.cdz", bigProgram(300));
    server.open(doc.uri, doc.text, 1);
    // Document symbols need the check of this version: the request waits for it.
    const { answer, cancel } = server.cancellable("textDocument/documentSymbol", doc.params());
    cancel();
    await expect(answer).rejects.toMatchObject({ code: -32800 });
    // The check itself was not cancelled: its diagnostics arrive and requests are answered.
    expect((await server.diagnostics(doc.uri, 1)).diagnostics).toEqual([]);
    const symbols = await server.request<unknown[]>("textDocument/documentSymbol", doc.params());
    expect(symbols).toHaveLength(2 + 300 * 3);
  });

  it("answers -32801 when the document changes under a request", async () => {
    const pending = holding.request("textDocument/hover", {
      textDocument: { uri: probe.uri },
      position: probe.at("sp|eed 100"),
    });
    holding.change(probe.uri, 2, [{ range: probe.range("# A small"), text: "# A tiny" }]);
    await expect(pending).rejects.toMatchObject({ code: -32801 });
  });

  it("ignores the cancellation of a request already answered", async () => {
    server.open(probe.uri, probe.text, 1);
    await server.diagnostics(probe.uri, 1);
    const { answer, cancel } = server.cancellable("textDocument/foldingRange", probe.params());
    const ranges = await answer;
    cancel();
    expect(ranges).toHaveLength(2);
    expect(await server.request("textDocument/foldingRange", probe.params())).toEqual(ranges);
  });
});
