import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Range, type Server, serve } from "./harness.ts";

const doc = Doc.fixture("broken.cdz");
let server: Server;

beforeAll(async () => {
  server = await serve(doc);
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

interface CodeAction {
  title: string;
  kind: string;
  isPreferred: boolean;
  diagnostics: { code: string; range: Range }[];
  edit: { changes: Record<string, { range: Range; newText: string }[]> };
}

const actions = (range: Range): Promise<CodeAction[]> =>
  server.request<CodeAction[]>(
    "textDocument/codeAction",
    doc.params({ range, context: { diagnostics: [] } }),
  );

/** The line of `doc` after applying an action's edits (all on that line). */
function fixedLine(action: CodeAction, line: number): string {
  const edits = action.edit.changes[doc.uri]!;
  let text = doc.lines[line]!;
  for (const e of [...edits].sort((a, b) => b.range.start.character - a.range.start.character)) {
    expect(e.range.start.line).toBe(line);
    text = text.slice(0, e.range.start.character) + e.newText + text.slice(e.range.end.character);
  }
  return text;
}

describe("code actions over stdio", () => {
  it("advertises quick fixes", () => {
    expect(server.initialized.capabilities.codeActionProvider).toEqual({
      codeActionKinds: ["quickfix"],
    });
  });

  it("fixes a misspelt name with the name it meant", async () => {
    const at = doc.at("spe|de");
    const [fix, ...more] = await actions({ start: at, end: at });
    expect(more).toEqual([]);
    expect(fix?.title).toBe("Replace with `speed`");
    expect(fix?.kind).toBe("quickfix");
    expect(fix?.diagnostics.map((d) => d.code)).toEqual(["eval/undefined-variable"]);
    expect(fixedLine(fix!, at.line)).toBe("let v = speed 1meter 2second");
  });

  it("turns a reassignment of an unknown name into a let", async () => {
    const [fix] = await actions(doc.range("count"));
    expect(fix?.title).toBe("Create a new binding with `let count`");
    expect(fixedLine(fix!, doc.at("count").line)).toBe("let count = 3");
  });

  it("offers the close field name", async () => {
    const [fix] = await actions(doc.range("alpah"));
    expect(fix?.title).toBe("Replace with `alpha`");
    expect(fixedLine(fix!, doc.at("alpah").line)).toBe("let a = r.alpha");
  });

  it("offers nothing for a mistake without a fix, or where there is none", async () => {
    expect(await actions(doc.range("1meter + 2second"))).toEqual([]);
    expect(await actions(doc.range("fn speed"))).toEqual([]);
  });

  it("offers every fix of a range spanning several mistakes", async () => {
    const all = await actions({ start: { line: 0, character: 0 }, end: doc.at("let q") });
    expect(all.map((a) => a.title)).toEqual([
      "Replace with `speed`",
      "Create a new binding with `let count`",
      "Replace with `alpha`",
    ]);
  });

  it("gives fixes that remove their diagnostic once applied", async () => {
    const [fix] = await actions(doc.range("spede"));
    const edit = fix!.edit.changes[doc.uri]![0]!;
    server.change(doc.uri, 2, [{ range: edit.range, text: edit.newText }]);
    const published = await server.diagnostics(doc.uri, 2);
    expect(published.diagnostics.map((d) => d.message).join("\n")).not.toContain("spede");
  });
});
