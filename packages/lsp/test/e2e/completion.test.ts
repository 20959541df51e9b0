import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Position, type Range, type Server, startServer } from "./harness.ts";

const probe = Doc.fixture("probe.cdz");
let server: Server;
let documents = 0;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

interface Item {
  label: string;
  kind: number;
  detail?: string;
  sortText?: string;
  textEdit: { range: Range; newText: string };
}

/**
 * Opens the probe program, types `typed` at its end as an editor would (one incremental
 * change per character), and asks for completion at the end of it.
 */
async function complete(typed: string): Promise<{ items: Item[]; at: Position }> {
  const uri = `file:///e2e/completion-${++documents}.cdz`;
  server.open(uri, probe.text, 1);
  const end = probe.position(probe.text.length);
  let at = end;
  let version = 1;
  for (const ch of typed) {
    server.change(uri, ++version, [{ range: { start: at, end: at }, text: ch }]);
    at = ch === "\n" ? { line: at.line + 1, character: 0 } : { ...at, character: at.character + 1 };
  }
  const list = await server.request<{ isIncomplete: boolean; items: Item[] }>(
    "textDocument/completion",
    { textDocument: { uri }, position: at },
  );
  expect(list.isIncomplete).toBe(false);
  return { items: list.items, at };
}

const labelled = (items: Item[]): string[] => items.map((i) => `${i.label}: ${i.detail}`);

describe("completion over stdio", () => {
  it("offers a struct's fields with their types after `.`", async () => {
    const { items, at } = await complete("let z = origin.");
    expect(labelled(items)).toEqual(["x: Integer", "y: Integer"]);
    // Kind Field, inserted at the cursor.
    expect(items.map((i) => i.kind)).toEqual([5, 5]);
    expect(items[0]?.textEdit).toEqual({ range: { start: at, end: at }, newText: "x" });
  });

  it("offers an enum's variants after `.`", async () => {
    const { items } = await complete("let z = Shape.");
    expect(labelled(items)).toEqual([
      "Circle: Float",
      "Square: { side: Float }",
      "Empty: Shape.Empty",
    ]);
    expect(items.every((i) => i.kind === 20)).toBe(true);
  });

  it("offers a namespace's functions after `.`, replacing the word being typed", async () => {
    const { items, at } = await complete("let z = List.ma");
    expect(items.find((i) => i.label === "map")?.detail).toBe("fn([a], fn(a) -> b) -> [b]");
    expect(items.find((i) => i.label === "map")?.textEdit.range).toEqual({
      start: { line: at.line, character: at.character - 2 },
      end: at,
    });
  });

  it("offers the names in scope with their inferred types, but not the let being defined", async () => {
    const { items } = await complete("let z = sp");
    const details = new Map(items.map((i) => [i.label, i.detail]));
    expect(details.get("sprint")).toBe("Quantity Float meter/second");
    expect(details.get("origin")).toBe("Point");
    expect(details.get("area")).toBe("fn(Shape) -> Float");
    expect(details.get("kilometer")).toBe("measure kilometer (@si kilo meter)");
    expect(details.has("z")).toBe(false);
    // Keywords and the base environment come after the program's names.
    const sprint = items.find((i) => i.label === "sprint")!;
    const keyword = items.find((i) => i.label === "match")!;
    expect(keyword.kind).toBe(14);
    expect(sprint.sortText! < keyword.sortText!).toBe(true);
  });

  it("offers a function's parameters and locals in its body, innermost first", async () => {
    const { items } = await complete("fn g a =\n    let b = a * 2\n    b + ");
    const local = items.filter((i) => i.label === "a" || i.label === "b" || i.label === "g");
    expect(local.map((i) => i.label).sort()).toEqual(["a", "b", "g"]);
    const rank = (label: string): string => items.find((i) => i.label === label)!.sortText!;
    expect(rank("b") < rank("g")).toBe(true);
    expect(rank("a") < rank("sprint")).toBe(true);
  });
});
