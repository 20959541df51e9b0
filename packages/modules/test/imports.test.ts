import { type Diagnostic, SourceFile, type Span } from "@cadenza/core";
import { parse, printSExpr } from "@cadenza/syntax";
import { describe, expect, it } from "vitest";
import {
  type FileImports,
  isImportItem,
  modulePath,
  readImports,
  unwrapItem,
} from "../src/index.ts";

/** Parses `text`, checks that it has no syntax error, and reads its imports. */
function read(text: string): FileImports {
  const parsed = parse(new SourceFile("main.cdz", text));
  expect(parsed.diagnostics.map((d) => d.message)).toEqual([]);
  return readImports("main.cdz", parsed.items);
}

/** The text a span covers. */
const at = (text: string, span: Span): string => text.slice(span.start, span.end);

/** A diagnostic as `code: label @ covered text`, for one-line comparisons. */
const brief = (text: string, d: Diagnostic): string =>
  `${d.code}: ${d.primary.message} @ ${JSON.stringify(at(text, d.primary.span))}`;

/** The one import of `text`, with every span turned into the text it covers. */
function only(text: string) {
  const { imports, diagnostics } = read(text);
  expect(diagnostics).toEqual([]);
  expect(imports).toHaveLength(1);
  const decl = imports[0]!;
  const form =
    decl.form.kind === "names"
      ? { kind: "names", names: decl.form.names.map((n) => [n.name, at(text, n.span)]) }
      : decl.form.kind === "all"
        ? { kind: "all", star: at(text, decl.form.span) }
        : { kind: "alias", alias: decl.form.alias, written: at(text, decl.form.span) };
  return {
    path: decl.path,
    pathText: at(text, decl.pathSpan),
    form,
    exported: decl.exported,
    node: at(text, decl.node.span),
    item: at(text, decl.item.span),
  };
}

describe("readImports: the three forms", () => {
  it("reads a list of names", () => {
    expect(only("import geometry (area, perimeter)")).toEqual({
      path: ["geometry"],
      pathText: "geometry",
      form: {
        kind: "names",
        names: [
          ["area", "area"],
          ["perimeter", "perimeter"],
        ],
      },
      exported: false,
      node: "import geometry (area, perimeter)",
      item: "import geometry (area, perimeter)",
    });
  });

  it("reads a single name in parentheses", () => {
    expect(only("import geometry (area)").form).toEqual({
      kind: "names",
      names: [["area", "area"]],
    });
    expect(only("import geometry ( area )").form).toEqual({
      kind: "names",
      names: [["area", "area"]],
    });
  });

  it("gives the names their own spans, not the first one's", () => {
    const text = "import geometry (a, ab, abc)";
    const { imports } = read(text);
    const form = imports[0]!.form;
    if (form.kind !== "names") throw new Error(form.kind);
    expect(form.names.map((n) => [n.span.start, n.span.end])).toEqual([
      [17, 18],
      [20, 22],
      [24, 27],
    ]);
  });

  it("reads the wildcard, with the span of the `*`", () => {
    expect(only("import geometry *")).toMatchObject({
      path: ["geometry"],
      pathText: "geometry",
      form: { kind: "all", star: "*" },
    });
    const text = "import geometry *   # everything";
    const { imports } = read(text);
    expect(imports[0]!.form).toEqual({ kind: "all", span: { start: 16, end: 17 } });
  });

  it("reads an alias, with the span of the alias", () => {
    expect(only("import geometry as g")).toMatchObject({
      path: ["geometry"],
      form: { kind: "alias", alias: "g", written: "g" },
    });
    expect(only("import shapes.circle as circle")).toMatchObject({
      path: ["shapes", "circle"],
      pathText: "shapes.circle",
      form: { kind: "alias", alias: "circle", written: "circle" },
    });
  });

  it("reads a dotted path, whose span covers all of it", () => {
    expect(only("import shapes.circle (area)")).toMatchObject({
      path: ["shapes", "circle"],
      pathText: "shapes.circle",
      form: { kind: "names", names: [["area", "area"]] },
    });
    expect(only("import a.b.c *")).toMatchObject({ path: ["a", "b", "c"], pathText: "a.b.c" });
  });

  it("marks `@export` imports as exported, whatever the other wrappers", () => {
    const text = "@export\nimport geometry (area)";
    expect(only(text)).toMatchObject({
      exported: true,
      node: "import geometry (area)",
      item: text,
      form: { kind: "names", names: [["area", "area"]] },
    });
    expect(only("## Shapes.\n@export\nimport geometry *").exported).toBe(true);
    expect(only("@export\n## Shapes.\nimport geometry *").exported).toBe(true);
  });

  it("sees through `##` documentation without exporting", () => {
    const text = "## The shapes we draw.\nimport geometry *";
    expect(only(text)).toMatchObject({
      exported: false,
      node: "import geometry *",
      item: text,
      form: { kind: "all", star: "*" },
    });
  });

  it("keeps every import of a file, in order, among other items", () => {
    const text = [
      "import geometry (area)",
      "fn double x = x * 2",
      "import shapes.circle *",
      "@export",
      "import colours as c",
      "y = 2 * 3",
    ].join("\n");
    const { imports, diagnostics } = read(text);
    expect(diagnostics).toEqual([]);
    expect(imports.map((i) => [i.path.join("."), i.form.kind, i.exported])).toEqual([
      ["geometry", "names", false],
      ["shapes.circle", "all", false],
      ["colours", "alias", true],
    ]);
  });

  it("reads nothing from a file without imports", () => {
    expect(read("fn f x = x\nimported = 1\nf imported")).toEqual({ imports: [], diagnostics: [] });
  });
});

describe("readImports: invalid forms", () => {
  const invalid: [string, string, string][] = [
    ["import", "the module path is missing", "import"],
    ["import 3 (a)", "expected a module path such as `geometry` or `shapes.circle`", "3"],
    ["import geometry", "say what to import: a list of names, `*` or `as NAME`", "import geometry"],
    [
      "import geometry (1, 2)",
      "expected a parenthesised list of names, `*` or `as NAME`",
      "(1, 2)",
    ],
    ["import geometry (a b)", "expected a parenthesised list of names, `*` or `as NAME`", "a b"],
    ["import geometry ()", "the list of names is empty", "()"],
    ["import geometry area", "write the name in parentheses: `(area)`", "area"],
    ["import geometry as", "expected a name after `as`", "as"],
    ["import geometry as 3", "expected a name after `as`", "3"],
    ["import geometry as a.b", "expected a name after `as`", "a.b"],
    [
      "import geometry foo bar",
      "this is not one of the three forms of import",
      "import geometry foo bar",
    ],
    ["import 1 + 2 *", "expected a module path such as `geometry` or `shapes.circle`", "1 + 2"],
  ];
  it.each(invalid)("%j is one invalid-import error", (text, label, covered) => {
    const { imports, diagnostics } = read(text);
    expect(imports).toEqual([]);
    expect(diagnostics.map((d) => brief(text, d))).toEqual([
      `modules/invalid-import: ${label} @ ${JSON.stringify(covered)}`,
    ]);
    expect(diagnostics[0]!.message).toBe("invalid import");
    expect(diagnostics[0]!.severity).toBe("error");
    expect(diagnostics[0]!.notes).toEqual([
      {
        kind: "help",
        message: "an import is written `import PATH (a, b)`, `import PATH *` or `import PATH as q`",
      },
    ]);
  });

  it("reports an invalid import without dropping the valid ones around it", () => {
    const text = "import geometry *\nimport colours\nimport shapes as s";
    const { imports, diagnostics } = read(text);
    expect(imports.map((i) => i.path.join("."))).toEqual(["geometry", "shapes"]);
    expect(diagnostics.map((d) => brief(text, d))).toEqual([
      'modules/invalid-import: say what to import: a list of names, `*` or `as NAME` @ "import colours"',
    ]);
  });

  it("reports an invalid exported import at the import, not at the attribute", () => {
    const text = "@export\nimport geometry";
    const { diagnostics } = read(text);
    expect(diagnostics.map((d) => at(text, d.primary.span))).toEqual(["import geometry"]);
  });
});

describe("readImports: imports inside expressions", () => {
  it("reports an import in a function body", () => {
    const text = "fn f x =\n  import geometry *\n  x";
    const { imports, diagnostics } = read(text);
    expect(imports).toEqual([]);
    expect(diagnostics.map((d) => brief(text, d))).toEqual([
      'modules/nested-import: this import is inside another expression @ "import geometry *"',
    ]);
    expect(diagnostics[0]!.message).toBe("import must be at the top level of a file");
  });

  it("reports an import in a block and one in a parenthesised expression", () => {
    const text = "y = do\n  import geometry (area)\n  1\nz = 1 + (import colours as c)";
    const { diagnostics } = read(text);
    expect(diagnostics.map((d) => brief(text, d))).toEqual([
      'modules/nested-import: this import is inside another expression @ "import geometry (area)"',
      'modules/nested-import: this import is inside another expression @ "import colours as c"',
    ]);
  });

  it("reports an import nested in an exported definition", () => {
    const text = "@export\nfn f x =\n  import geometry (area)\n  x";
    expect(read(text).diagnostics.map((d) => d.code)).toEqual(["modules/nested-import"]);
  });

  it("does not look inside `quote`", () => {
    const text = "x = quote (import geometry (area))";
    expect(read(text)).toEqual({ imports: [], diagnostics: [] });
  });
});

describe("the wildcard in the parser", () => {
  const tree = (text: string) => {
    const parsed = parse(new SourceFile("main.cdz", text));
    return {
      items: parsed.items.map((i) => printSExpr(i)),
      errors: parsed.diagnostics.map((d) => d.code),
    };
  };

  it("parses `import geometry *` with no diagnostic", () => {
    expect(tree("import geometry *")).toEqual({ items: ["(import geometry *)"], errors: [] });
    expect(tree("import geometry * # all of it")).toEqual({
      items: ["(import geometry *)"],
      errors: [],
    });
    expect(tree("import shapes.circle *\nx = 2 * 3")).toEqual({
      items: ["(import (. shapes circle) *)", "(= x (* 2 3))"],
      errors: [],
    });
  });

  it("still reports a `*` missing its right operand elsewhere", () => {
    expect(tree("x = 1 *").errors).toHaveLength(1);
    expect(tree("x = 1 *\ny = 2")).toEqual({
      items: ["(= x (* 1 <error>))", "(= y 2)"],
      errors: ["syntax/expected-expression"],
    });
    expect(tree("importer = 1 *").errors).toHaveLength(1);
  });
});

describe("the helpers", () => {
  const item = (text: string) => parse(new SourceFile("main.cdz", text)).items[0]!;

  it("modulePath spells dotted names and nothing else", () => {
    const path = (text: string) => {
      const node = item(`x = ${text}`);
      if (node.kind !== "apply") throw new Error("expected `x = …`");
      return modulePath(node.args[1]!);
    };
    expect(path("geometry")).toEqual(["geometry"]);
    expect(path("shapes.circle")).toEqual(["shapes", "circle"]);
    expect(path("a.b.c")).toEqual(["a", "b", "c"]);
    expect(path("_private2")).toEqual(["_private2"]);
    expect(path("3")).toBeUndefined();
    expect(path("a + b")).toBeUndefined();
    expect(path("f x")).toBeUndefined();
    expect(path('"geometry"')).toBeUndefined();
  });

  it("unwrapItem removes attributes and documentation", () => {
    const unwrapped = (text: string) => {
      const { core, exported } = unwrapItem(item(text));
      return [printSExpr(core), exported];
    };
    expect(unwrapped("fn f x = x")).toEqual(["(= (fn f x) x)", false]);
    expect(unwrapped("@export\nfn f x = x")).toEqual(["(= (fn f x) x)", true]);
    expect(unwrapped("## Doc.\n@export\nf = 1")).toEqual(["(= f 1)", true]);
    expect(unwrapped("## Doc.\nf = 1")).toEqual(["(= f 1)", false]);
  });

  it("isImportItem sees imports through their wrappers", () => {
    expect(isImportItem(item("import geometry *"))).toBe(true);
    expect(isImportItem(item("@export\n## Doc.\nimport geometry (area)"))).toBe(true);
    expect(isImportItem(item("imports = 1"))).toBe(false);
    expect(isImportItem(item("f (import geometry *)"))).toBe(false);
  });
});
