import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Range, type Server, startServer } from "./harness.ts";

interface Status {
  main: { heapUsed: number; documents: number };
  engines: { role: string; heapUsed: number; files: number; analysed: number; answered: number }[];
}

/** A program whose check takes long enough (well over 100 ms) to start the replica engine. */
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

const doc = new Doc("file:///e2e/big.cdz", bigProgram(300));
let server: Server;

const status = (): Promise<Status> => server.request<Status>("cadenza/serverStatus", {});

beforeAll(async () => {
  server = await startServer();
  server.open(doc.uri, doc.text, 1);
  expect((await server.diagnostics(doc.uri, 1)).diagnostics).toEqual([]);
  // The slow check started a replica, which checks the document once both engines are idle.
  for (;;) {
    const s = await status();
    if (s.engines.length === 2 && s.engines[1]!.analysed === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

describe("hover while the document is being checked", () => {
  it("reports its threads in cadenza/serverStatus", async () => {
    const s = await status();
    expect(s.main.documents).toBe(1);
    expect(s.engines.map((e) => e.role)).toEqual(["primary", "replica"]);
    for (const e of s.engines) expect(e.heapUsed).toBeGreaterThan(0);
  });

  it("is answered at once from the previous check outside the edit, and correctly", async () => {
    const before = (await status()).engines[1]!.answered;
    // Edit the last block; the primary engine starts checking version 2 at once.
    const line = doc.lines.findIndex((l) => l.startsWith("let speed299"));
    const end = doc.lines[line]!.length;
    server.change(doc.uri, 2, [
      {
        range: { start: { line, character: end - 9 }, end: { line, character: end - 6 } },
        text: "999",
      },
    ]);
    const hover = await server.request<{ contents: { value: string }; range: Range }>(
      "textDocument/hover",
      doc.params({ position: doc.at("= sca|le5 ") }),
    );
    expect(hover.contents.value).toContain("fn scale5 d k");
    expect(hover.range).toEqual(doc.range("= |scale5 ", 0, 6));
    // The replica answered it: the primary was checking.
    expect((await status()).engines[1]!.answered).toBe(before + 1);
    // Inside the edit, the answer is about the new text (the primary answers after its check).
    const inside = await server.request<{ contents: { value: string } }>("textDocument/hover", {
      textDocument: { uri: doc.uri },
      position: { line, character: end - 8 },
    });
    expect(inside.contents.value).toContain("999second");
    expect((await server.diagnostics(doc.uri, 2)).diagnostics).toEqual([]);
  });
});
