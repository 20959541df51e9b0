import { applyEdits, type Diagnostic, renderDiagnostic, SourceFile } from "@cadenza/core";
import { parse } from "@cadenza/syntax";
import { describe, expect, it } from "vitest";
import {
  conflictingImport,
  type ImportDecl,
  importCycle,
  privateName,
  readImports,
  unknownImport,
  unknownModule,
} from "../src/index.ts";

const text = [
  "import geometri (area)",
  "import shapes.circle (circle_aera, helper)",
  "import colours *",
  "import palette (red)",
].join("\n");
const source = new SourceFile("src/main.cdz", text);
const imports: readonly ImportDecl[] = readImports(source.name, parse(source).items).imports;
const render = (d: Diagnostic): string => renderDiagnostic(d, source);
/** The span of the `n`th occurrence of `word` in the text. */
const spanOf = (word: string, n = 0) => {
  let start = -1;
  for (let i = 0; i <= n; i++) start = text.indexOf(word, start + 1);
  if (start < 0) throw new Error(`no ${word}`);
  return { start, end: start + word.length };
};

it("the fixture parses into four imports", () => {
  expect(imports.map((i) => i.path.join("."))).toEqual([
    "geometri",
    "shapes.circle",
    "colours",
    "palette",
  ]);
});

describe("unknownModule", () => {
  it("points at the path, says where it looked and suggests the closest module", () => {
    const d = unknownModule(source.name, imports[0]!, ["src/geometri.cdz"], "geometry");
    expect(d.code).toBe("modules/unknown-module");
    expect(d.severity).toBe("error");
    expect(render(d)).toMatchInlineSnapshot(`
      "error: unknown module \`geometri\`
       --> src/main.cdz:1:8
        |
      1 | import geometri (area)
        |        ^^^^^^^^ no module has this name
        |
        = note: looked for \`src/geometri.cdz\`
        = help: did you mean \`geometry\`?
      "
    `);
    expect(d.fixes.map((f) => f.message)).toEqual(["import `geometry`"]);
    expect(applyEdits(text, d.fixes[0]!.edits).split("\n")[0]).toBe("import geometry (area)");
  });

  it("lists both places for a dotted path and has no fix without a suggestion", () => {
    const d = unknownModule(
      source.name,
      imports[1]!,
      ["src/shapes/circle.cdz", "lib/shapes/circle.cdz"],
      undefined,
    );
    expect(render(d)).toMatchInlineSnapshot(`
      "error: unknown module \`shapes.circle\`
       --> src/main.cdz:2:8
        |
      2 | import shapes.circle (circle_aera, helper)
        |        ^^^^^^^^^^^^^ no module has this name
        |
        = note: looked for \`src/shapes/circle.cdz\` and \`lib/shapes/circle.cdz\`
      "
    `);
    expect(d.fixes).toEqual([]);
  });

  it("replaces the whole dotted path in its fix", () => {
    const d = unknownModule(source.name, imports[1]!, ["src/shapes/circle.cdz"], "shapes.circles");
    expect(applyEdits(text, d.fixes[0]!.edits).split("\n")[1]).toBe(
      "import shapes.circles (circle_aera, helper)",
    );
  });
});

describe("importCycle", () => {
  it("names the whole cycle and the module that leads back", () => {
    const d = importCycle(source.name, imports[2]!, ["main", "colours", "main"]);
    expect(d.code).toBe("modules/import-cycle");
    expect(render(d)).toMatchInlineSnapshot(`
      "error: import cycle
       --> src/main.cdz:3:8
        |
      3 | import colours *
        |        ^^^^^^^ \`colours\` imports this module back
        |
        = note: the cycle: main → colours → main
        = help: modules must form a hierarchy: move what they share into a module that none of them imports
      "
    `);
  });

  it("says which modules a longer cycle goes through", () => {
    const d = importCycle(source.name, imports[2]!, [
      "main",
      "colours",
      "palette",
      "theme",
      "main",
    ]);
    expect(d.primary.message).toBe("`colours` imports this module back through `palette`, `theme`");
    expect(d.notes[0]!.message).toBe("the cycle: main → colours → palette → theme → main");
  });

  it("calls a self-import what it is", () => {
    const d = importCycle(source.name, imports[2]!, ["main", "main"]);
    expect(render(d)).toMatchInlineSnapshot(`
      "error: import cycle
       --> src/main.cdz:3:8
        |
      3 | import colours *
        |        ^^^^^^^ this module imports itself
        |
        = note: the cycle: main → main
        = help: remove this import: a module sees its own names without importing them
      "
    `);
  });
});

describe("unknownImport", () => {
  it("points at the name and offers the closest export as a fix", () => {
    const d = unknownImport(
      source.name,
      spanOf("circle_aera"),
      "circle_aera",
      "shapes.circle",
      "circle_area",
    );
    expect(d.code).toBe("modules/unknown-import");
    expect(render(d)).toMatchInlineSnapshot(`
      "error: module \`shapes.circle\` has no export \`circle_aera\`
       --> src/main.cdz:2:23
        |
      2 | import shapes.circle (circle_aera, helper)
        |                       ^^^^^^^^^^^ not defined there
        |
        = help: did you mean \`circle_area\`?
      "
    `);
    expect(d.fixes.map((f) => f.message)).toEqual(["use `circle_area`"]);
    expect(applyEdits(text, d.fixes[0]!.edits).split("\n")[1]).toBe(
      "import shapes.circle (circle_area, helper)",
    );
  });

  it("has no help and no fix without a suggestion", () => {
    const d = unknownImport(source.name, spanOf("red"), "red", "palette", undefined);
    expect(render(d)).toMatchInlineSnapshot(`
      "error: module \`palette\` has no export \`red\`
       --> src/main.cdz:4:17
        |
      4 | import palette (red)
        |                 ^^^ not defined there
        |
      "
    `);
    expect(d.fixes).toEqual([]);
  });
});

describe("privateName", () => {
  it("says where the name is defined and how to export it", () => {
    const d = privateName(
      source.name,
      spanOf("helper"),
      "helper",
      "shapes.circle",
      "src/shapes/circle.cdz",
    );
    expect(d.code).toBe("modules/private-name");
    expect(render(d)).toMatchInlineSnapshot(`
      "error: \`helper\` is private to module \`shapes.circle\`
       --> src/main.cdz:2:36
        |
      2 | import shapes.circle (circle_aera, helper)
        |                                    ^^^^^^ not exported
        |
        = note: \`helper\` is defined in src/shapes/circle.cdz without \`@export\`
        = help: add \`@export\` on the line before its definition to use it from other modules
      "
    `);
  });
});

describe("conflictingImport", () => {
  it("shows both imports", () => {
    const d = conflictingImport(source.name, spanOf("red"), "red", spanOf("colours"), "colours");
    expect(d.code).toBe("modules/conflicting-import");
    expect(render(d)).toMatchInlineSnapshot(`
      "error: \`red\` is already imported from \`colours\`
       --> src/main.cdz:4:17
        |
      3 | import colours *
        |        ------- first imported here
      4 | import palette (red)
        |                 ^^^ imported again here, from another module
        |
        = help: import one of the modules under a qualified alias (\`import m as q\`, then \`q.name\`)
      "
    `);
  });
});
