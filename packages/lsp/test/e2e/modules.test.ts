/**
 * The language server across the files of a project (docs/spec/15-modules.md), on the CLI's
 * module test project copied into a temporary workspace folder: diagnostics that agree with
 * `cadenza check`, importers checked again when a module they import changes (saved or
 * not), and definitions, references, rename, completion, quick fixes and hover across files.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diagnosticsAt, session } from "../client.ts";
import { Doc, type Published, type Range, type Server, startServer } from "./harness.ts";

const fixture = fileURLToPath(new URL("../../../cli/test/fixtures/project", import.meta.url));
const FILES = [
  "src/cycle/a.cdz",
  "src/cycle/b.cdz",
  "src/geometry.cdz",
  "src/library.cdz",
  "src/main.cdz",
  "src/shapes/circle.cdz",
];

let folder: string;
let server: Server;
const docs = new Map<string, Doc>();

/** The document of a project file (`src/main.cdz`). */
const doc = (path: string): Doc => docs.get(path)!;

interface Location {
  uri: string;
  range: Range;
}

/** `src/geometry.cdz:5:4 area`: where a location is, and the text there. */
function where(loc: Location): string {
  const path = fileURLToPath(loc.uri)
    .slice(folder.length + 1)
    .replaceAll("\\", "/");
  const d = docs.get(path) ?? new Doc(loc.uri, readFileSync(fileURLToPath(loc.uri), "utf8"));
  const text = d.slice(loc.range);
  return `${path}:${loc.range.start.line + 1}:${loc.range.start.character + 1}${text === "" ? "" : ` ${text}`}`;
}

/** The first publication of `uri` after the first `after` ones that passes `test`. */
function published(
  uri: string,
  after: number,
  test: (p: Published) => boolean = () => true,
): Promise<Published> {
  return server.waitFor<Published>(
    "textDocument/publishDiagnostics",
    (p) => p.uri === uri && server.published(uri).indexOf(p) >= after && test(p),
  );
}

/** `9:9 modules/private-name`: where each diagnostic is and its code. */
const codes = (p: Published): string[] =>
  p.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "cadenza-lsp-modules-"));
  cpSync(fixture, folder, { recursive: true });
  for (const path of FILES) {
    const file = join(folder, path);
    docs.set(path, new Doc(pathToFileURL(file).href, readFileSync(file, "utf8")));
  }
  server = await startServer({
    workspaceFolders: [{ uri: pathToFileURL(folder).href, name: "project" }],
    capabilities: {
      textDocument: {
        publishDiagnostics: { relatedInformation: true },
        hover: { contentFormat: ["markdown", "plaintext"] },
      },
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true } },
    },
  });
  for (const path of FILES) server.open(doc(path).uri, doc(path).text, 1);
  await Promise.all(FILES.map((path) => server.diagnostics(doc(path).uri, 1)));
});

afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
  rmSync(folder, { recursive: true, force: true });
});

describe("diagnostics across modules", () => {
  it("gives every file exactly the diagnostics `cadenza check` gives (expected-diagnostics.txt)", async () => {
    const expected = readFileSync(join(fixture, "expected-diagnostics.txt"), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .sort();
    const actual: string[] = [];
    for (const path of FILES) {
      const p = await server.diagnostics(doc(path).uri, 1);
      for (const d of p.diagnostics) {
        const severity = ["", "error", "warning", "info", "hint"][d.severity ?? 1];
        const first = d.message.split("\n")[0]!;
        // The LSP message adds the primary label after the message (`import cycle: …`).
        const message = expected
          .map((e) => e.split(" ").slice(3).join(" "))
          .find((m) => first === m || first.startsWith(`${m}: `));
        actual.push(
          `${path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${severity} ${d.code} ${message ?? first}`,
        );
      }
    }
    expect(actual.sort()).toEqual(expected);
  });

  it("registers a watcher for the project's files", async () => {
    const registration = await server.waitFor<{
      registrations: { method: string; registerOptions: { watchers: { globPattern: string }[] } }[];
    }>("client/registerCapability", (p) =>
      p.registrations.some((r) => r.method === "workspace/didChangeWatchedFiles"),
    );
    const watched = registration.registrations.find(
      (r) => r.method === "workspace/didChangeWatchedFiles",
    )!;
    expect(watched.registerOptions.watchers.map((w) => w.globPattern)).toContain("**/*.cdz");
  });

  it("checks importers again when an imported file changes unsaved, and again when it is undone", async () => {
    const geometry = doc("src/geometry.cdz");
    const main = doc("src/main.cdz");
    const before = server.published(main.uri).length;
    // Make `perimeter` private: `g.perimeter` in main.cdz becomes an error, main.cdz untouched.
    const at = geometry.at("@export\nfn perimeter");
    const exported = { start: at, end: { line: at.line + 1, character: 0 } };
    server.change(geometry.uri, 2, [{ range: exported, text: "" }]);
    const broken = await published(main.uri, before, (p) =>
      p.diagnostics.some((d) => d.message.includes("`perimeter` is private")),
    );
    expect(broken.version).toBe(1);
    const perimeter = broken.diagnostics.find((d) => d.message.includes("`perimeter`"))!;
    expect(main.slice(perimeter.range)).toBe("perimeter");
    expect(perimeter.range.start.line + 1).toBe(9);
    // Undo: the diagnostic goes away.
    const middle = server.published(main.uri).length;
    server.change(geometry.uri, 3, [
      { range: { start: exported.start, end: exported.start }, text: "@export\n" },
    ]);
    const fixed = await published(main.uri, middle, (p) =>
      p.diagnostics.every((d) => !d.message.includes("`perimeter`")),
    );
    expect(codes(fixed)).toEqual(codes(await server.diagnostics(main.uri, 1)));
  });

  it("checks importers again when a file that is not open changes on disk", async () => {
    // circle.cdz is open; close it, change it on disk, and tell the server.
    const circle = doc("src/shapes/circle.cdz");
    const main = doc("src/main.cdz");
    server.notify("textDocument/didClose", { textDocument: { uri: circle.uri } });
    const file = fileURLToPath(circle.uri);
    const before = server.published(main.uri).length;
    writeFileSync(file, circle.text.replace("@export\nlet origin", "let origin"));
    server.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: circle.uri, type: 2 }] });
    const broken = await published(main.uri, before, (p) =>
      p.diagnostics.some((d) => d.message.includes("`origin`")),
    );
    expect(broken.diagnostics.some((d) => d.code === "eval/undefined-variable")).toBe(true);
    const middle = server.published(main.uri).length;
    writeFileSync(file, circle.text);
    server.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: circle.uri, type: 2 }] });
    const fixed = await published(main.uri, middle, (p) =>
      p.diagnostics.every((d) => !d.message.includes("`origin`")),
    );
    expect(codes(fixed)).toEqual(codes(await server.diagnostics(main.uri, 1)));
    server.open(circle.uri, circle.text, 1);
    await server.diagnostics(circle.uri, 1);
  });
});

describe("features across modules", () => {
  const definition = async (path: string, needle: string, nth = 0): Promise<string | null> => {
    const d = doc(path);
    const loc = await server.request<Location | null>(
      "textDocument/definition",
      d.params({ position: d.at(needle, nth) }),
    );
    return loc === null ? null : where(loc);
  };

  it("goes to the definition of an imported name, at a use and in the import list", async () => {
    expect(await definition("src/main.cdz", "println (ar|ea 3 4)")).toBe(
      "src/geometry.cdz:5:4 area",
    );
    expect(await definition("src/library.cdz", "import geometry (ar|ea")).toBe(
      "src/geometry.cdz:5:4 area",
    );
    // Through a re-export (`@export import shapes.circle *` in library.cdz).
    expect(await definition("src/main.cdz", "println (circle_|area")).toBe(
      "src/shapes/circle.cdz:5:4 circle_area",
    );
    expect(await definition("src/main.cdz", "(Po|int {")).toBe("src/geometry.cdz:11:8 Point");
  });

  it("goes from `q` to the module's file and from `q.name` to the definition", async () => {
    expect(await definition("src/main.cdz", "println (|g.perimeter")).toBe("src/geometry.cdz:1:1");
    expect(await definition("src/main.cdz", "g.peri|meter")).toBe("src/geometry.cdz:8:4 perimeter");
    expect(await definition("src/main.cdz", "import lib|rary")).toBe("src/library.cdz:1:1");
  });

  it("finds references in importing files", async () => {
    const g = doc("src/geometry.cdz");
    const refs = await server.request<Location[]>(
      "textDocument/references",
      g.params({ position: g.at("fn ar|ea"), context: { includeDeclaration: true } }),
    );
    expect(refs.map(where).sort()).toEqual([
      "src/geometry.cdz:5:4 area",
      "src/library.cdz:3:18 area",
      "src/main.cdz:16:1 area",
      "src/main.cdz:8:10 area",
    ]);
    const perimeter = await server.request<Location[]>(
      "textDocument/references",
      g.params({ position: g.at("fn peri|meter"), context: { includeDeclaration: false } }),
    );
    expect(perimeter.map(where)).toEqual(["src/main.cdz:9:12 perimeter"]);
  });

  it("renames across files: the definition, the import lists and every use", async () => {
    const main = doc("src/main.cdz");
    const prepared = await server.request<{ range: Range; placeholder: string }>(
      "textDocument/prepareRename",
      main.params({ position: main.at("println (ar|ea") }),
    );
    expect(prepared.placeholder).toBe("area");
    const edit = await server.request<{ changes: Record<string, { range: Range }[]> }>(
      "textDocument/rename",
      main.params({ position: main.at("println (ar|ea"), newName: "surface" }),
    );
    const edited = Object.entries(edit.changes)
      .flatMap(([uri, edits]) => edits.map((e) => where({ uri, range: e.range })))
      .sort();
    expect(edited).toEqual([
      "src/geometry.cdz:5:4 area",
      "src/library.cdz:3:18 area",
      "src/main.cdz:16:1 area",
      "src/main.cdz:8:10 area",
    ]);
    const qualified = await server.request<{ changes: Record<string, { range: Range }[]> }>(
      "textDocument/rename",
      main.params({ position: main.at("g.peri|meter"), newName: "girth" }),
    );
    expect(
      Object.entries(qualified.changes)
        .flatMap(([uri, edits]) => edits.map((e) => where({ uri, range: e.range })))
        .sort(),
    ).toEqual(["src/geometry.cdz:8:4 perimeter", "src/main.cdz:9:12 perimeter"]);
  });

  it("refuses a rename that would break a file, with the reason", async () => {
    const g = doc("src/geometry.cdz");
    await expect(
      server.request(
        "textDocument/rename",
        g.params({ position: g.at("fn ar|ea"), newName: "norm2" }),
      ),
    ).rejects.toThrow(/`norm2` is already defined at .*geometry\.cdz:14:4/);
    // main.cdz imports library with `*`, which already binds `circle_area`.
    await expect(
      server.request(
        "textDocument/rename",
        g.params({ position: g.at("fn ar|ea"), newName: "circle_area" }),
      ),
    ).rejects.toThrow(/`circle_area` is already imported/);
    const main = doc("src/main.cdz");
    await expect(
      server.request(
        "textDocument/prepareRename",
        main.params({ position: main.at("import geometry (hel|per)") }),
      ),
    ).rejects.toThrow("`helper` is not exported by module `geometry`");
    await expect(
      server.request(
        "textDocument/prepareRename",
        main.params({ position: main.at("import geom|etry as") }),
      ),
    ).rejects.toThrow(/module names cannot be renamed/);
  });

  it("hovers an imported name with its type and its module", async () => {
    const main = doc("src/main.cdz");
    const h = await server.request<{ contents: { value: string } }>(
      "textDocument/hover",
      main.params({ position: main.at("println (ar|ea") }),
    );
    expect(h.contents.value).toContain("fn area w h : forall");
    expect(h.contents.value).toContain("from module `library` (defined in `geometry`)");
    const q = await server.request<{ contents: { value: string } }>(
      "textDocument/hover",
      main.params({ position: main.at("g.peri|meter") }),
    );
    expect(q.contents.value).toContain("fn perimeter w h");
    expect(q.contents.value).toContain("from module `geometry`");
  });
});

describe("completion and quick fixes that import", () => {
  interface Item {
    label: string;
    detail?: string;
    sortText?: string;
    additionalTextEdits?: { range: Range; newText: string }[];
  }

  /** main.cdz with `line` appended (as version `version`), checked. */
  const edited = async (line: string, version: number): Promise<Doc> => {
    const main = doc("src/main.cdz");
    server.change(main.uri, version, [{ text: main.text + line }]);
    await server.diagnostics(main.uri, version);
    return new Doc(main.uri, main.text + line);
  };

  it("offers a module's exports after `q.`, with their signatures", async () => {
    const main = await edited("g.", 2);
    const list = await server.request<{ items: Item[] }>(
      "textDocument/completion",
      main.params({ position: main.position(main.text.length) }),
    );
    const labels = list.items.map((i) => i.label).sort();
    expect(labels).toEqual(["Point", "area", "norm2", "perimeter", "twice"]);
    expect(list.items.find((i) => i.label === "area")!.detail).toContain("forall");
  });

  it("offers imported names like local ones, and other modules' exports with their import", async () => {
    const main = await edited("per", 3);
    const list = await server.request<{ items: Item[] }>(
      "textDocument/completion",
      main.params({ position: main.position(main.text.length) }),
    );
    // Bound by `import library *` (a re-export of shapes.circle).
    expect(list.items.find((i) => i.label === "circle_area")?.additionalTextEdits).toBeUndefined();
    const perimeter = list.items.find((i) => i.label === "perimeter")!;
    expect(perimeter.detail).toContain("from geometry");
    expect(perimeter.additionalTextEdits).toEqual([
      {
        range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } },
        newText: "import geometry (perimeter)\n",
      },
    ]);
    // Not offered twice through a module that re-exports it: `area` is in scope already, and
    // `norm2` (re-exported by nobody) comes from geometry.
    expect(list.items.filter((i) => i.label === "norm2").length).toBe(1);
  });

  it("fixes `private name` by exporting the definition in its module", async () => {
    const main = doc("src/main.cdz");
    const geometry = doc("src/geometry.cdz");
    const diagnostics = await server.diagnostics(main.uri, 1);
    for (const needle of ["import geometry (helper)", "g.helper 5"]) {
      const at = main.range(needle.replace("helper", "|helper"), 0, "helper".length);
      const privateName = diagnostics.diagnostics.find(
        (d) => d.code === "modules/private-name" && d.range.start.line === at.start.line,
      )!;
      const actions = await server.request<
        { title: string; edit: { changes: Record<string, { range: Range; newText: string }[]> } }[]
      >(
        "textDocument/codeAction",
        main.params({ range: privateName.range, context: { diagnostics: [privateName] } }),
      );
      const fix = actions.find((a) => a.title === "Export `helper` from `geometry`")!;
      expect(fix.edit.changes).toEqual({
        [geometry.uri]: [{ range: geometry.range("|fn helper", 0, 0), newText: "@export\n" }],
      });
    }
  });

  it("fixes `undefined variable` by importing the name", async () => {
    const main = await edited("perimeter 1 2\n", 4);
    const diagnostics = await server.diagnostics(main.uri, 4);
    const undefinedName = diagnostics.diagnostics.find(
      (d) => d.code === "eval/undefined-variable" && main.slice(d.range) === "perimeter",
    )!;
    expect(undefinedName).toBeDefined();
    const actions = await server.request<
      { title: string; isPreferred?: boolean; edit: { changes: Record<string, unknown[]> } }[]
    >(
      "textDocument/codeAction",
      main.params({
        range: undefinedName.range,
        context: { diagnostics: [undefinedName] },
      }),
    );
    const fix = actions.find((a) => a.title === "Import `perimeter` from `geometry`")!;
    expect(fix.isPreferred).toBe(true);
    expect(fix.edit.changes[main.uri]).toEqual([
      {
        range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } },
        newText: "import geometry (perimeter)\n",
      },
    ]);
  });
});

describe("modules read from the disk", () => {
  it("reads the modules an open document imports from the disk, and sees a module created later", async () => {
    // In this thread and without the workspace scan: only main.cdz is given to the server.
    const own = mkdtempSync(join(tmpdir(), "cadenza-lsp-disk-"));
    cpSync(fixture, own, { recursive: true });
    const client = await session({
      workspaceFolders: [{ uri: pathToFileURL(own).href, name: "project" }],
    });
    try {
      const uri = pathToFileURL(join(own, "src/main.cdz")).href;
      const text = readFileSync(join(own, "src/main.cdz"), "utf8");
      client.open(uri, text, 1);
      const first = await diagnosticsAt(client, uri, 1);
      const expected = readFileSync(join(fixture, "expected-diagnostics.txt"), "utf8")
        .split("\n")
        .filter((line) => line.startsWith("src/main.cdz:"))
        .map((line) => line.split(" ")[0]!.slice("src/main.cdz:".length));
      expect(
        first.diagnostics.map(
          (d) => `${(d.range as Range).start.line + 1}:${(d.range as Range).start.character + 1}`,
        ),
      ).toEqual(expected);
      const main = new Doc(uri, text);
      const loc = await client.request<Location>("textDocument/definition", {
        textDocument: { uri },
        position: main.at("println (ar|ea"),
      });
      expect(loc.uri).toBe(pathToFileURL(join(own, "src/geometry.cdz")).href);
      expect(loc.range.start).toEqual({ line: 4, character: 3 });
      // An import of a module that does not exist yet, then the module.
      client.change(uri, 2, [{ text: `${text}import extra (more)\nmore 1\n` }]);
      const missing = await diagnosticsAt(client, uri, 2);
      expect(missing.diagnostics.some((d) => d.message.startsWith("unknown module `extra`"))).toBe(
        true,
      );
      const before = client.published(uri).length;
      const extra = join(own, "src/extra.cdz");
      writeFileSync(extra, "@export\nfn more x = x + 1\n");
      client.notify("workspace/didChangeWatchedFiles", {
        changes: [{ uri: pathToFileURL(extra).href, type: 1 }],
      });
      const found = (await client.waitFor(
        "textDocument/publishDiagnostics",
        (p: Published) => p.uri === uri && client.published(uri).indexOf(p) >= before,
      )) as Published;
      expect(found.version).toBe(2);
      expect(found.diagnostics.some((d) => d.message.includes("`extra`"))).toBe(false);
      expect(found.diagnostics.some((d) => d.message.includes("`more`"))).toBe(false);
    } finally {
      await client.close();
      rmSync(own, { recursive: true, force: true });
    }
  });
});
