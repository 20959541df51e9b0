import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { type Published, type Server, startServer } from "./harness.ts";

const folder = new URL("../fixtures/workspace/", import.meta.url);
const files = ["a.cdz", "b.cdz", "nested/c.cdz"].map(
  (name) => pathToFileURL(new URL(name, folder).pathname).href,
);
const workspaceFolders = [{ uri: pathToFileURL(folder.pathname).href, name: "workspace" }];

interface Progress {
  token: string | number;
  value: {
    kind: "begin" | "report" | "end";
    title?: string;
    message?: string;
    percentage?: number;
  };
}

/** Waits until every file of the workspace has its diagnostics. */
async function checked(server: Server): Promise<void> {
  for (const uri of files)
    await server.waitFor<Published>("textDocument/publishDiagnostics", (p) => p.uri === uri);
}

describe("work-done progress over stdio", () => {
  it("reports checking the workspace: create, begin, reports, end on one token", async () => {
    const server = await startServer({ workspaceFolders });
    try {
      await checked(server);
      const end = await server.waitFor<Progress>("$/progress", (p) => p.value.kind === "end");
      const created = server.received.filter((r) => r.method === "window/workDoneProgress/create");
      expect(created).toHaveLength(1);
      const token = (created[0]!.params as { token: string | number }).token;
      expect(end.token).toBe(token);
      const progress = server.received
        .filter((r) => r.method === "$/progress")
        .map((r) => r.params as Progress);
      expect(progress.every((p) => p.token === token)).toBe(true);
      const kinds = progress.map((p) => p.value.kind);
      expect(kinds[0]).toBe("begin");
      expect(kinds.at(-1)).toBe("end");
      expect(kinds.slice(1, -1).every((k) => k === "report")).toBe(true);
      expect(progress[0]!.value).toMatchObject({
        kind: "begin",
        title: "Cadenza",
        message: "Checking Cadenza files",
        percentage: 0,
      });
      const reports = progress.filter((p) => p.value.kind === "report");
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect(r.value.message).toMatch(/^\d+\/\d+ files \(.+\.cdz\)$/);
      const percentages = reports.map((r) => r.value.percentage ?? 0);
      expect(percentages).toEqual([...percentages].sort((a, b) => a - b));
      // The diagnostics of a file on disk carry no version (it is not open).
      const b = server.published(files[1]!)[0]!;
      expect(b.version).toBeUndefined();
      expect(b.diagnostics.map((d) => d.code)).toEqual(["eval/undefined-variable"]);
    } finally {
      expect(await server.shutdown()).toBe(0);
    }
  });

  it("reports nothing to a client without work-done progress", async () => {
    const server = await startServer({
      workspaceFolders,
      capabilities: { workspace: { configuration: true } },
    });
    try {
      await checked(server);
      // A request answered after every check: any progress would have been sent before it.
      await server.request("workspace/symbol", { query: "" });
      expect(server.received.filter((r) => r.method.includes("rogress"))).toEqual([]);
    } finally {
      expect(await server.shutdown()).toBe(0);
    }
  });
});
