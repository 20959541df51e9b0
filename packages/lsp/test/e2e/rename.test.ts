import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Doc, type Range, type Server, serve } from "./harness.ts";

const doc = Doc.fixture("probe.cdz");
let server: Server;

beforeAll(async () => {
  server = await serve(doc);
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

interface TextEdit {
  range: Range;
  newText: string;
}

/** `doc`'s text with the edits applied (they do not overlap). */
function apply(edits: readonly TextEdit[]): string {
  let text = doc.text;
  const sorted = [...edits].sort((a, b) => doc.offset(b.range.start) - doc.offset(a.range.start));
  for (const e of sorted)
    text =
      text.slice(0, doc.offset(e.range.start)) + e.newText + text.slice(doc.offset(e.range.end));
  return text;
}

async function rename(needle: string, newName: string): Promise<string> {
  const edit = await server.request<{ changes: Record<string, TextEdit[]> }>(
    "textDocument/rename",
    doc.params({ position: doc.at(needle), newName }),
  );
  expect(Object.keys(edit.changes)).toEqual([doc.uri]);
  return apply(edit.changes[doc.uri]!);
}

/** The lines of `text` from `first` to `last` (1-based). */
const lines = (text: string, first: number, last: number): string =>
  text
    .split("\n")
    .slice(first - 1, last)
    .join("\n");

describe("prepareRename over stdio", () => {
  it("gives the identifier's range and name", async () => {
    const prepared = await server.request<{ range: Range; placeholder: string }>(
      "textDocument/prepareRename",
      doc.params({ position: doc.at("= sp|eed 100meter") }),
    );
    expect(prepared.placeholder).toBe("speed");
    expect(prepared.range).toEqual(doc.range("speed", 2));
  });

  it("gives the range of the name under the cursor, a use of a shadowing local", async () => {
    const prepared = await server.request<{ range: Range; placeholder: string }>(
      "textDocument/prepareRename",
      doc.params({ position: doc.at("    x + |x") }),
    );
    expect(prepared).toEqual({ range: doc.range("    x + |x", 0, 1), placeholder: "x" });
  });

  it("refuses built-ins and fields with the reason", async () => {
    await expect(
      server.request("textDocument/prepareRename", doc.params({ position: doc.at("Li|st.map") })),
    ).rejects.toMatchObject({ code: -32602, message: expect.stringContaining("built in") });
    await expect(
      server.request("textDocument/prepareRename", doc.params({ position: doc.at("origin.|x") })),
    ).rejects.toMatchObject({ code: -32602, message: expect.stringContaining("fields") });
  });
});

describe("rename over stdio", () => {
  it("renames a function at its definition and its call", async () => {
    const text = await rename("fn sp|eed", "velocity");
    expect(lines(text, 7, 7)).toBe("fn velocity d t = d / t");
    expect(lines(text, 12, 12)).toBe("let sprint = velocity 100meter 9.58second");
    expect(text.split("velocity").length - 1).toBe(2);
  });

  it("renames only the shadowing local, not the parameter it shadows", async () => {
    expect(lines(await rename("    x + |x", "y"), 22, 24)).toBe(
      ["fn twice x =", "    let y = x * 2", "    y + y"].join("\n"),
    );
  });

  it("renames only the parameter, not the local that shadows it", async () => {
    expect(lines(await rename("fn twice |x", "n"), 22, 24)).toBe(
      ["fn twice n =", "    let x = n * 2", "    x + x"].join("\n"),
    );
  });

  it("renames a measure with the units @si made from it", async () => {
    const text = await rename("measure me|ter", "metre");
    expect(lines(text, 3, 3)).toBe("measure metre");
    expect(lines(text, 12, 12)).toBe("let sprint = speed 100metre 9.58second");
    expect(lines(text, 15, 15)).toBe("let trip = 2kilometre + 300metre");
  });

  it("refuses a name that would be captured, and an invalid name", async () => {
    await expect(
      server.request(
        "textDocument/rename",
        doc.params({ position: doc.at("fn speed |d"), newName: "t" }),
      ),
    ).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/renaming to `t` would capture/),
    });
    await expect(
      server.request(
        "textDocument/rename",
        doc.params({ position: doc.at("fn speed |d"), newName: "not a name" }),
      ),
    ).rejects.toMatchObject({ code: -32602 });
  });
});
