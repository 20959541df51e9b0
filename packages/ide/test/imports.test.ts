import { SourceFile } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import {
  analyzeSource,
  codeActions,
  completion,
  definition,
  describeExport,
  type FileAnalysis,
  hover,
  type ImportedModule,
  prepareRename,
  referencesTo,
  renameAcross,
  resolveNames,
  signatureHelp,
  symbolAt,
} from "../src/index.ts";

const GEOMETRY = `## The area of a rectangle.
@export
fn area w h = w * h

@export
fn perimeter w h = 2 * (w + h)
`;

const geometry = analyzeSource(new SourceFile("geometry.cdz", GEOMETRY));

function moduleOf(file: FileAnalysis, module: string, names: string[]): ImportedModule {
  const exports = new Map(names.map((n) => [n, describeExport(file, n, module)!]));
  return { file: file.source.name, module, exports };
}

const geo = moduleOf(geometry, "geometry", ["area", "perimeter"]);

/** An importer of geometry, with the import table a host would give it. */
function importer(text: string): FileAnalysis {
  const base = analyzeSource(new SourceFile("main.cdz", text));
  const modules = [...text.matchAll(/^import geometry/gm)].map(() => geo);
  const names = new Map([...geo.exports].filter(([n]) => text.includes(`(${n}`)));
  return { ...base, imports: { modules, names } };
}

const MAIN = `import geometry (area)
import geometry as g

area 3 4
g.perimeter 1 2
`;
const main = importer(MAIN);
const at = (file: FileAnalysis, needle: string, shift = 0): number =>
  file.source.text.indexOf(needle) + shift;

describe("imports in name resolution", () => {
  it("binds imported names in the whole file, with what they refer to", () => {
    const use = resolveNames(main).occurrenceAt(at(main, "area 3"));
    expect(use?.target.kind).toBe("binding");
    const b = use?.target.kind === "binding" ? use.target.binding : undefined;
    expect(b?.imported?.file).toBe("geometry.cdz");
    expect(b?.kind).toBe("function");
  });

  it("binds them without a host too, knowing nothing about them", () => {
    const bare = analyzeSource(new SourceFile("main.cdz", MAIN));
    const use = resolveNames(bare).occurrenceAt(at(bare, "area 3"));
    expect(use?.target.kind).toBe("binding");
    expect(definition(bare, at(bare, "area 3"))).toBeUndefined();
  });

  it("lets a definition of the file shadow an imported name", () => {
    const file = importer("import geometry (area)\nfn area x = x\narea 1\n");
    const use = resolveNames(file).occurrenceAt(at(file, "area 1"));
    expect(use?.target.kind === "binding" && use.target.binding.fromImport).toBe(false);
  });
});

describe("features on imported names", () => {
  it("goes to the definition in the other file, and from `q` to the module", () => {
    const d = definition(main, at(main, "area 3"));
    expect(d?.file).toBe("geometry.cdz");
    expect(GEOMETRY.slice(d!.target.start, d!.target.end)).toBe("area");
    expect(definition(main, at(main, "g.perimeter"))).toMatchObject({
      file: "geometry.cdz",
      target: { start: 0, end: 0 },
    });
    const p = definition(main, at(main, "perimeter 1"));
    expect(GEOMETRY.slice(p!.target.start, p!.target.end)).toBe("perimeter");
    expect(definition(main, at(main, "geometry (", 2))?.file).toBe("geometry.cdz");
  });

  it("hovers with the type, the documentation and the module", () => {
    const h = hover(main, at(main, "area 3"));
    expect(h?.title).toBe("fn area w h");
    expect(h?.type).toContain("forall");
    expect(h?.doc).toBe("The area of a rectangle.");
    expect(h?.markdown).toContain("from module `geometry`");
  });

  it("helps with the signature of an imported function", () => {
    const s = signatureHelp(main, at(main, "area 3 4", 5));
    expect(s?.parameters.map((p) => p.name)).toEqual(["w", "h"]);
  });

  it("completes a module's exports after `q.`, and other modules' names with their import", () => {
    const dotted = importer(`${MAIN}g.`);
    const members = completion(dotted, dotted.source.text.length);
    expect(members.items.map((i) => i.label).sort()).toEqual(["area", "perimeter"]);
    const file = importer(`${MAIN}nor`);
    const items = completion(file, file.source.text.length, {
      exports: [
        { module: "vectors", name: "norm", kind: "function", detail: "fn(a) -> a", doc: undefined },
        { module: "geometry", name: "area", kind: "function", detail: "…", doc: undefined },
      ],
    }).items;
    const norm = items.find((i) => i.label === "norm")!;
    expect(norm.additionalEdits).toEqual([
      {
        span: { start: at(file, "\n\narea 3") + 1, end: at(file, "\n\narea 3") + 1 },
        newText: "import vectors (norm)\n",
      },
    ]);
    // `area` is in scope already: offered once, without an import.
    expect(items.filter((i) => i.label === "area").map((i) => i.additionalEdits)).toEqual([
      undefined,
    ]);
  });

  it("offers to export a private name of the imported module, in that module", () => {
    const file = importer("import geometry (helper)\nimport geometry as g\ng.helper 1\n");
    const module = { ...geo, privates: new Map([["helper", 42]]) };
    const withPrivates: FileAnalysis = {
      ...file,
      imports: { modules: [module, module], names: new Map() },
    };
    const text = withPrivates.source.text;
    const diagnostic = (start: number) => ({
      code: "modules/private-name",
      file: "main.cdz",
      severity: "error" as const,
      message: "`helper` is private to module `geometry`",
      primary: { span: { start, end: start + "helper".length }, message: "" },
      secondary: [],
      notes: [],
      fixes: [],
    });
    for (const start of [text.indexOf("helper"), text.indexOf("helper 1")]) {
      const actions = codeActions(
        { ...withPrivates, diagnostics: [diagnostic(start)] },
        { start, end: start },
      );
      expect(actions).toEqual([
        expect.objectContaining({
          title: "Export `helper` from `geometry`",
          file: "geometry.cdz",
          edits: [{ span: { start: 42, end: 42 }, newText: "@export\n" }],
        }),
      ]);
    }
  });

  it("completes module paths after `import` and a module's exports inside its import list", () => {
    const exports = [
      {
        module: "geometry",
        name: "area",
        kind: "function",
        detail: "fn(a, b) -> c",
        doc: undefined,
      },
      { module: "geometry", name: "perimeter", kind: "function", detail: "…", doc: undefined },
      {
        module: "shapes.circle",
        name: "circle_area",
        kind: "function",
        detail: "…",
        doc: undefined,
      },
      { module: "shapes.square", name: "side", kind: "function", detail: "…", doc: undefined },
    ] as const;
    const complete = (text: string) => {
      const file = analyzeSource(new SourceFile("main.cdz", text));
      return completion(file, text.length, { exports }).items.map((i) => [i.label, i.kind]);
    };
    expect(complete("import ")).toEqual([
      ["geometry", "module"],
      ["shapes", "module"],
    ]);
    expect(complete("import sha")).toEqual([
      ["geometry", "module"],
      ["shapes", "module"],
    ]);
    expect(complete("import shapes.")).toEqual([
      ["circle", "module"],
      ["square", "module"],
    ]);
    expect(complete("import geometry (")).toEqual([
      ["area", "function"],
      ["perimeter", "function"],
    ]);
    // Names the list has already are not offered again; nor are other modules' names.
    expect(complete("import geometry (area, ")).toEqual([["perimeter", "function"]]);
    expect(complete("import shapes.circle (c")).toEqual([["circle_area", "function"]]);
    // Elsewhere on the line, ordinary completion.
    expect(complete("x = import")).not.toContainEqual(["geometry", "module"]);
  });

  it("offers to import a name that is undefined", () => {
    const file = analyzeSource(new SourceFile("main.cdz", "perimeter 1 2\n"));
    const actions = codeActions(
      file,
      { start: 0, end: 1 },
      {
        exports: [
          { module: "geometry", name: "perimeter", kind: "function", detail: "", doc: undefined },
        ],
      },
    );
    expect(actions[0]).toMatchObject({
      title: "Import `perimeter` from `geometry`",
      preferred: true,
      edits: [{ span: { start: 0, end: 0 }, newText: "import geometry (perimeter)\n" }],
    });
  });
});

describe("references and rename across files", () => {
  const area = { file: "geometry.cdz", name: "area" };

  it("knows the project symbol at a name, in the defining file and in an importer", () => {
    expect(symbolAt(main, at(main, "area 3"))).toEqual(area);
    expect(symbolAt(geometry, at(geometry, "area w"))).toEqual(area);
    expect(symbolAt(geometry, at(geometry, "w h ="))).toBeUndefined();
  });

  it("finds the import list and the uses in an importer", () => {
    const spans = referencesTo(main, area).map((r) => MAIN.slice(r.span.start, r.span.end));
    expect(spans).toEqual(["area", "area"]);
    const perimeter = referencesTo(main, { file: "geometry.cdz", name: "perimeter" });
    expect(perimeter.map((r) => r.span.start)).toEqual([at(main, "perimeter 1")]);
    expect(referencesTo(geometry, area).map((r) => r.kind)).toEqual(["definition"]);
  });

  it("does not rename an imported name in one file alone", () => {
    expect(prepareRename(main, at(main, "area 3"))).toEqual({
      kind: "error",
      message: "`area` is defined in module `geometry`: rename it with the files that import it",
    });
  });

  it("renames the definition, the import lists and the uses", () => {
    const r = renameAcross([geometry, main], area, "surface");
    expect(r.kind).toBe("ok");
    if (r.kind !== "ok") return;
    expect(r.edits.get("geometry.cdz")?.map((e) => e.span.start)).toEqual([at(geometry, "area w")]);
    expect(r.edits.get("main.cdz")?.map((e) => e.span.start)).toEqual([
      at(main, "area)"),
      at(main, "area 3"),
    ]);
  });

  it("refuses a name that clashes in an importer", () => {
    const clashing = importer(`${MAIN}fn surface x = x\n`);
    const r = renameAcross([geometry, clashing], area, "surface");
    expect(r).toEqual({
      kind: "error",
      message: "`surface` is already defined at main.cdz:6:4",
    });
    expect(renameAcross([main], area, "surface")).toMatchObject({ kind: "error" });
    // `g.surface` names nothing today; after the rename it would name `area`.
    const qualified = importer(`${MAIN}g.surface 1 2\n`);
    expect(renameAcross([geometry, qualified], area, "surface")).toEqual({
      kind: "error",
      message: "renaming to `surface` would make `g.surface` at main.cdz:6:3 refer to it",
    });
    // `surface` undefined today in a file importing everything: captured.
    const all = importer("import geometry *\nsurface 1 2\n");
    expect(renameAcross([geometry, all], area, "surface").kind).toBe("error");
  });
});
