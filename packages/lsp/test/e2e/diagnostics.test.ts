import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Published, type Server, startServer } from "./harness.ts";

const doc = Doc.fixture("broken.cdz");
const probe = Doc.fixture("probe.cdz");
let server: Server;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

/** `line:column code: first line of the message` (1-based), in the order published. */
const summary = (p: Published): string[] =>
  p.diagnostics.map(
    (d) =>
      `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}: ${d.message.split("\n")[0]}`,
  );

describe("diagnostics over stdio", () => {
  it("publishes nothing wrong for a correct program, stamped with its version", async () => {
    server.open(probe.uri, probe.text, 3);
    const published = await server.diagnostics(probe.uri, 3);
    expect(published.diagnostics).toEqual([]);
  });

  it("publishes every phase's diagnostics: syntax, evaluation and types", async () => {
    server.open(doc.uri, doc.text, 1);
    const published = await server.diagnostics(doc.uri, 1);
    expect(summary(published)).toEqual([
      "18:18 syntax/unexpected-eof: unexpected end of file: expected an expression",
      "6:9 eval/undefined-variable: undefined variable: `spede`: not found in this scope",
      "8:1 eval/undefined-variable: undefined variable: `count`: not found in this scope",
      "11:11 eval/field-not-found: field not found: field `alpah` does not exist",
      "17:9 eval/incompatible-dimensions: incompatible dimensions: cannot add `meter` and `second`",
      "14:22 types/type-mismatch: type mismatch: expected Integer, found String",
    ]);
    expect(published.diagnostics.every((d) => d.severity === 1)).toBe(true);
  });

  it("puts notes and helps in the message, and the range on the culprit", async () => {
    const published = await server.diagnostics(doc.uri, 1);
    const spede = published.diagnostics[1]!;
    expect(spede.message).toBe(
      "undefined variable: `spede`: not found in this scope\nhelp: did you mean `speed`?",
    );
    expect(doc.slice(spede.range)).toBe("spede");
    const count = published.diagnostics[2]!;
    expect(count.message.split("\n").slice(1)).toEqual([
      "note: reassignment requires an existing binding",
      "help: use `let count = 3` to create a new binding",
    ]);
    const dims = published.diagnostics[4]!;
    expect(doc.slice(dims.range)).toBe("1meter + 2second");
    expect(dims.message).toContain("note: left side has dimension: meter");
  });

  it("gives secondary labels as related information", async () => {
    const mismatch = (await server.diagnostics(doc.uri, 1)).diagnostics[5]!;
    expect(doc.slice(mismatch.range)).toBe('"s"');
    expect(mismatch.relatedInformation).toEqual([
      {
        location: { uri: doc.uri, range: doc.range("n: |Integer", 0, 7) },
        message: "expected Integer because of this",
      },
    ]);
  });

  it("follows edits: fixing a mistake removes its diagnostic in the next version", async () => {
    // Replace `spede` with `speed`.
    server.change(doc.uri, 2, [{ range: doc.range("spede"), text: "speed" }]);
    const published = await server.diagnostics(doc.uri, 2);
    expect(summary(published).some((s) => s.includes("spede"))).toBe(false);
    expect(published.diagnostics).toHaveLength(5);
  });

  it("clears the diagnostics of a closed document that is not on disk", async () => {
    server.notify("textDocument/didClose", { textDocument: { uri: doc.uri } });
    const cleared = await server.waitFor<Published>(
      "textDocument/publishDiagnostics",
      (p) => p.uri === doc.uri && p.version === undefined && p.diagnostics.length === 0,
    );
    expect(cleared.diagnostics).toEqual([]);
  });
});

describe("diagnostics for a client without related information", () => {
  it("writes secondary labels into the message as line:column", async () => {
    const plain = await startServer({ capabilities: {} });
    try {
      plain.open(doc.uri, doc.text, 1);
      const mismatch = (await plain.diagnostics(doc.uri, 1)).diagnostics[5]!;
      expect(mismatch.relatedInformation).toBeUndefined();
      expect(mismatch.message).toBe(
        "type mismatch: expected Integer, found String\n14:12: expected Integer because of this",
      );
    } finally {
      expect(await plain.shutdown()).toBe(0);
    }
  });
});
