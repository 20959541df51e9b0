import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Position, type Server, serve, startServer } from "./harness.ts";

const doc = Doc.fixture("probe.cdz");
let server: Server;

beforeAll(async () => {
  server = await serve(doc);
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

interface InlayHint {
  position: Position;
  label: string;
  kind: number;
  paddingLeft: boolean;
  tooltip?: string;
}

/** The hints of the whole document as `line:column label` (1-based; P for parameter hints). */
async function hints(): Promise<string[]> {
  const all = await server.request<InlayHint[]>(
    "textDocument/inlayHint",
    doc.params({ range: { start: { line: 0, character: 0 }, end: doc.position(doc.text.length) } }),
  );
  return all.map(
    (h) =>
      `${h.position.line + 1}:${h.position.character + 1}${h.kind === 2 ? " P" : ""} ${h.label}`,
  );
}

/** Pushes inlay hint settings as VS Code does, and waits for the server's refresh request. */
async function configure(inlayHints: Record<string, boolean>): Promise<void> {
  const refreshes = server.received.filter(
    (r) => r.method === "workspace/inlayHint/refresh",
  ).length;
  server.notify("workspace/didChangeConfiguration", { settings: { cadenza: { inlayHints } } });
  await server.waitFor(
    "workspace/inlayHint/refresh",
    () =>
      server.received.filter((r) => r.method === "workspace/inlayHint/refresh").length > refreshes,
  );
}

const DEFAULTS = { variableTypes: true, parameterTypes: false, returnTypes: true, units: true };

describe("inlay hints over stdio", () => {
  it("shows variable and return types by default, after the name or the parameters", async () => {
    expect(await hints()).toEqual([
      "7:13 -> Quantity c u/v",
      "12:11 : Quantity Float meter/second",
      "13:11 : Point",
      "14:10 : Integer",
      "15:9 : Quantity Rational kilometer",
      "17:10 -> Float",
      "22:11 -> Quantity a u",
      "23:10 : Quantity a u",
      "26:10 : [Float]",
    ]);
  });

  it("adds parameter types (kind Parameter) when they are switched on", async () => {
    await configure({ ...DEFAULTS, parameterTypes: true });
    const all = await hints();
    expect(all.filter((h) => h.includes(" P "))).toEqual([
      "7:11 P : Quantity a u",
      "7:13 P : Quantity b v",
      "17:10 P : Shape",
      "22:11 P : Quantity a u",
    ]);
    expect(all).toContain("12:11 : Quantity Float meter/second");
  });

  it("shows only units, with the type as tooltip, when variable types are off", async () => {
    await configure({ ...DEFAULTS, variableTypes: false });
    expect(await hints()).toEqual([
      "7:13 -> Quantity c u/v",
      "12:11 : meter/second",
      "15:9 : kilometer",
      "17:10 -> Float",
      "22:11 -> Quantity a u",
      "23:10 : u",
    ]);
    const all = await server.request<InlayHint[]>(
      "textDocument/inlayHint",
      doc.params({ range: { start: doc.at("let sprint"), end: doc.at("let origin") } }),
    );
    expect(all).toEqual([
      {
        position: doc.at("let sprint|"),
        label: ": meter/second",
        kind: 1,
        paddingLeft: false,
        tooltip: "Quantity Float meter/second",
      },
    ]);
  });

  it("shows nothing for variables when their units are off too", async () => {
    await configure({ ...DEFAULTS, variableTypes: false, units: false });
    expect(await hints()).toEqual([
      "7:13 -> Quantity c u/v",
      "17:10 -> Float",
      "22:11 -> Quantity a u",
    ]);
  });

  it("shortens return types to their units when return types are off", async () => {
    await configure({ ...DEFAULTS, returnTypes: false });
    expect((await hints()).filter((h) => h.includes("->"))).toEqual(["7:13 -> u/v", "22:11 -> u"]);
  });

  it("reads the switches from workspace/configuration at start-up", async () => {
    const other = await startServer({
      configuration: { inlayHints: { returnTypes: false, units: false } },
    });
    try {
      other.open(doc.uri, doc.text, 1);
      // The configuration is pulled after `initialized`; once it was asked for, requests see it.
      await other.waitFor("workspace/configuration");
      await other.diagnostics(doc.uri, 1);
      const labels = (
        await other.request<InlayHint[]>(
          "textDocument/inlayHint",
          doc.params({
            range: { start: { line: 0, character: 0 }, end: doc.position(doc.text.length) },
          }),
        )
      ).map((h) => h.label);
      expect(labels.some((l) => l.startsWith("->"))).toBe(false);
      expect(labels).toContain(": Quantity Float meter/second");
    } finally {
      expect(await other.shutdown()).toBe(0);
    }
  });
});
