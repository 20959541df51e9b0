import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { diagnosticsAt, type Published, session, type TestClient } from "./client.ts";

const uri = "file:///test/main.cdz";
let client: TestClient | undefined;

afterEach(async () => {
  await client?.close();
  client = undefined;
});

const workspace = new URL("./fixtures/workspace/", import.meta.url);
const file = (name: string): string => pathToFileURL(new URL(name, workspace).pathname).href;

describe("the engine on a worker thread", () => {
  it("checks and answers from the worker", async () => {
    client = await session({ worker: true });
    client.open(uri, "fn double x = x * 2\nlet y = double 4\nlet z = dobule 1\n", 3);
    const published = await diagnosticsAt(client, uri, 3);
    expect(published.diagnostics.map((d) => d.code)).toEqual(["eval/undefined-variable"]);
    const hover = await client.request<{ contents: { value: string } }>("textDocument/hover", {
      textDocument: { uri },
      position: { line: 1, character: 9 },
    });
    expect(hover.contents.value).toContain("fn double x");
  });

  it("restarts a worker that dies, and serves the open documents again", async () => {
    client = await session({ worker: true, faults: ["exit-on:textDocument/documentSymbol"] });
    client.open(uri, "fn double x = x * 2\n", 1);
    await diagnosticsAt(client, uri, 1);
    await expect(
      client.request("textDocument/documentSymbol", { textDocument: { uri } }),
    ).rejects.toMatchObject({ code: -32603 });
    const hover = await client.request<{ contents: { value: string } }>("textDocument/hover", {
      textDocument: { uri },
      position: { line: 0, character: 4 },
    });
    expect(hover.contents.value).toContain("fn double x");
    expect(client.log.some((l) => l.includes("restarting the analysis engine"))).toBe(true);
  });

  it("checks the workspace's files with work-done progress, open documents first", async () => {
    client = await session({
      worker: true,
      scanWorkspace: true,
      workspaceFolders: [{ uri: pathToFileURL(workspace.pathname).href, name: "workspace" }],
    });
    const b = (await client.waitFor(
      "textDocument/publishDiagnostics",
      (p: Published) => p.uri === file("b.cdz"),
    )) as Published;
    expect(b.version).toBeUndefined();
    expect(b.diagnostics.map((d) => d.code)).toEqual(["eval/undefined-variable"]);
    await client.waitFor(
      "textDocument/publishDiagnostics",
      (p: Published) => p.uri === file("a.cdz"),
    );
    await client.waitFor(
      "textDocument/publishDiagnostics",
      (p: Published) => p.uri === file("nested/c.cdz"),
    );
    await client.waitFor("$/progress", (p: { value: { kind: string } }) => p.value.kind === "end");
    const kinds = client.notifications
      .filter((n) => n.method === "$/progress")
      .map((n) => (n.params as { value: { kind: string } }).value.kind);
    expect(kinds[0]).toBe("begin");
    expect(kinds[kinds.length - 1]).toBe("end");
    const symbols = await client.request<{ name: string; location: { uri: string } }[]>(
      "workspace/symbol",
      { query: "help" },
    );
    expect(symbols.map((s) => [s.name, s.location.uri])).toEqual([
      ["helper", file("nested/c.cdz")],
    ]);
  });
});
