import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Server, startServer } from "./harness.ts";

const probe = Doc.fixture("probe.cdz");
let server: Server;

beforeAll(async () => {
  // The default quiet time (200 ms) before diagnostics are published.
  server = await startServer();
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

describe("50 rapid changes over stdio", () => {
  it("publishes diagnostics only for the last version", async () => {
    const uri = "file:///e2e/rapid.cdz";
    const doc = new Doc(uri, `${probe.text}let z = `);
    server.open(uri, doc.text, 1);
    expect((await server.diagnostics(uri, 1)).diagnostics.map((d) => d.code)).toEqual([
      "syntax/unexpected-eof",
    ]);
    // Type `q` fifty times at the end, one change per keystroke, as fast as the pipe takes
    // them: every version names a different undefined variable.
    const end = doc.position(doc.text.length);
    for (let i = 0; i < 50; i++) {
      const at = { line: end.line, character: end.character + i };
      server.change(uri, 2 + i, [{ range: { start: at, end: at }, text: "q" }]);
    }
    const last = await server.diagnostics(uri, 51);
    expect(last.diagnostics.map((d) => d.message.split("\n")[0])).toEqual([
      `undefined variable: \`${"q".repeat(50)}\`: not found in this scope`,
    ]);
    // A request answered after the last publication: anything published before it is in.
    const hover = await server.request<{ range: unknown }>("textDocument/hover", {
      textDocument: { uri },
      position: { line: end.line, character: end.character + 10 },
    });
    expect(hover).toBeNull();
    const versions = server.published(uri).map((p) => p.version);
    expect(versions).toEqual([1, 51]);
  });

  it("ends with the text the edits made (incremental sync is exact)", async () => {
    const uri = "file:///e2e/rapid-sync.cdz";
    server.open(uri, probe.text, 1);
    // Fifty edits all over the document: replace each `x` of `twice` by `value`, one by one
    // from the end, then rename `sprint` by deleting and retyping it.
    let text = probe.text;
    let version = 1;
    const doc = (): Doc => new Doc(uri, text);
    const edit = (start: number, end: number, insert: string): void => {
      const d = doc();
      server.change(uri, ++version, [
        { range: { start: d.position(start), end: d.position(end) }, text: insert },
      ]);
      text = text.slice(0, start) + insert + text.slice(end);
    };
    const twice = text.indexOf("fn twice");
    for (let i = text.length - 1; i >= twice; i--)
      if (text[i] === "x" && /\W/.test(text[i - 1]!) && /\W/.test(text[i + 1]!))
        edit(i, i + 1, "value");
    const sprint = text.indexOf("sprint");
    edit(sprint, sprint + "sprint".length, "");
    for (const ch of "dash")
      edit(
        sprint + text.slice(sprint).indexOf(" ="),
        sprint + text.slice(sprint).indexOf(" ="),
        ch,
      );
    while (version < 51) edit(text.length, text.length, "\n");
    expect(version).toBe(51);
    const last = await server.diagnostics(uri, 51);
    expect(last.diagnostics).toEqual([]);
    const hints = await server.request<{ label: string; position: { line: number } }[]>(
      "textDocument/inlayHint",
      {
        textDocument: { uri },
        range: { start: doc().position(0), end: doc().position(text.length) },
      },
    );
    expect(hints.map((h) => `${h.position.line + 1} ${h.label}`)).toContain(
      "12 : Quantity Float meter/second",
    );
    const symbols = await server.request<{ name: string }[]>("textDocument/documentSymbol", {
      textDocument: { uri },
    });
    expect(symbols.map((s) => s.name)).toContain("dash");
    expect(text).toContain("fn twice value =\n    let value = value * 2\n    value + value");
    // (Version 1 may have been checked and published before the edits reached the server.)
    const versions = server.published(uri).map((p) => p.version);
    expect(versions.filter((v) => v !== 1)).toEqual([51]);
  });
});
