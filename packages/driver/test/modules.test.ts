// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for unquotes.
import type { Diagnostic } from "@cadenza/core";
import { type ModuleHost, memoryHost } from "@cadenza/modules";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CompileEvent,
  type Compiler,
  type CompilerOptions,
  createCompiler,
  type NeedModuleEvent,
  poll,
} from "../src/index.js";
import { applyEdit, type Edit, MODULES, moduleEdit, modulesProgram, textOf } from "./generate.js";

/**
 * Modules through the driver (docs/spec/15-modules.md): every file is read through an
 * in-memory host, as the CLI and the language server read theirs from disk.
 */

/** A host over `files` that records every path it is asked for. */
function recordingHost(files: Record<string, string>): ModuleHost & { reads: string[] } {
  const inner = memoryHost(files);
  const reads: string[] = [];
  return {
    reads,
    readFile: (path) => {
      reads.push(path);
      return inner.readFile(path);
    },
    listModules: (folder) => inner.listModules?.(folder) ?? [],
  };
}

function project(
  files: Record<string, string>,
  options: CompilerOptions = {},
): Compiler & { host: ReturnType<typeof recordingHost> } {
  const host = recordingHost(files);
  const c = createCompiler({ ...options, modules: { host, ...(options.modules ?? {}) } });
  return Object.assign(c, { host });
}

/** `file:line:col code message` of each diagnostic, then its notes and helps indented. */
function report(c: Compiler, file: string): string[] {
  return c.diagnostics(file).flatMap((d) => describeDiagnostic(c, d));
}

function describeDiagnostic(c: Compiler, d: Diagnostic): string[] {
  const at = c.source(d.file).lineColumn(d.primary.span.start);
  return [
    `${d.file}:${at.line}:${at.column} ${d.code} ${d.message}`,
    ...d.notes.map((n) => `  ${n.kind}: ${n.message}`),
  ];
}

/** Just `line:col code` of each diagnostic of `file`. */
function codes(c: Compiler, file: string): string[] {
  return c.diagnostics(file).map((d) => {
    const at = c.source(d.file).lineColumn(d.primary.span.start);
    return `${at.line}:${at.column} ${d.code}`;
  });
}

/** The transcript of a file's evaluation: one `value : Type` per item. */
function transcript(c: Compiler, file: string): string[] {
  return c.evaluation(file).entries.map((e) => e.text);
}

/** What the diagnostic's primary span covers in its file. */
function under(c: Compiler, d: Diagnostic): string {
  return c.source(d.file).text.slice(d.primary.span.start, d.primary.span.end);
}

/** Runs a compilation of `entry` to its end; its events. */
function drain(c: Compiler, entry: string): CompileEvent[] {
  const fiber = c.start(entry);
  const events: CompileEvent[] = [];
  for (let i = 0; i < 100_000 && !fiber.done; i++) events.push(...poll(fiber).events);
  expect(fiber.done).toBe(true);
  return events;
}

const GEOMETRY = `## Plane geometry.
@export
fn area w h = w * h

@export
fn perimeter w h = 2 * (w + h)

@export
struct Point { x: Float, y: Float }

@export
fn norm2 p = p.x * p.x + p.y * p.y

fn helper x = x * 2
`;

describe("import forms", () => {
  it("`import m (a, b)` binds the listed names, with their values and signatures", () => {
    const c = project({
      "geometry.cdz": GEOMETRY,
      "main.cdz": "import geometry (area, perimeter)\nlet a = area 3 4\nperimeter 1.5 2\na\n",
    });
    expect(report(c, "main.cdz")).toEqual([]);
    expect(transcript(c, "main.cdz")).toEqual([
      "() : Unit",
      "() : Unit",
      "7.0 : Float",
      "12 : Integer",
    ]);
    expect(c.typecheck("main.cdz").schemes.get("a")).toBe("Integer");
  });

  it("`import m (a)` binds one name; the others stay unknown", () => {
    const c = project({
      "geometry.cdz": GEOMETRY,
      "main.cdz": "import geometry (area)\narea 2 3\nperimeter 1 2\n",
    });
    expect(transcript(c, "main.cdz").slice(0, 2)).toEqual(["() : Unit", "6 : Integer"]);
    expect(report(c, "main.cdz")[0]).toMatch(/^main\.cdz:3:1 .*undefined variable: `perimeter`/);
  });

  it("`import m *` binds every export and nothing private", () => {
    const c = project({
      "geometry.cdz": GEOMETRY,
      "main.cdz":
        "import geometry *\narea 2 3\nnorm2 (Point { x = 3.0, y = 4.0 })\nperimeter 1 1\nhelper 1\n",
    });
    expect(transcript(c, "main.cdz").slice(1, 4)).toEqual([
      "6 : Integer",
      "25.0 : Float",
      "4 : Integer",
    ]);
    expect(codes(c, "main.cdz")).toEqual(["5:1 eval/undefined-variable"]);
    expect(c.exportedNames("geometry.cdz")).toEqual(["Point", "area", "norm2", "perimeter"]);
  });

  it("`import m as q` binds a namespace: `q.name` is the export `name`", () => {
    const c = project({
      "geometry.cdz": GEOMETRY,
      "main.cdz": "import geometry as g\ng.area 2 3\nlet p = g.perimeter 1.0 2.0\np\n",
    });
    expect(report(c, "main.cdz")).toEqual([]);
    expect(transcript(c, "main.cdz")).toEqual([
      "() : Unit",
      "6 : Integer",
      "() : Unit",
      "6.0 : Float",
    ]);
    expect(c.typecheck("main.cdz").schemes.get("p")).toBe("Float");
    expect(c.importedName("main.cdz", "g")).toEqual({ file: "geometry.cdz", module: "geometry" });
  });

  it("a namespace's private and unknown members are errors at the member, once each", () => {
    const c = project({
      "geometry.cdz": GEOMETRY,
      "main.cdz": "import geometry as g\ng.helper 5\ng.aera 2 3\ng.area 2 3\n",
    });
    expect(report(c, "main.cdz")).toEqual([
      "main.cdz:2:3 modules/private-name `helper` is private to module `geometry`",
      "  help: add `@export` on the line before its definition to use it from other modules",
      "main.cdz:3:3 modules/unknown-import module `geometry` has no export `aera`",
      "  help: did you mean `area`?",
    ]);
    expect(transcript(c, "main.cdz")).toEqual([
      "() : Unit",
      "<error> : Unknown",
      "<error> : Unknown",
      "6 : Integer",
    ]);
  });

  it("a namespace reaches exported structs, enums and measures too", () => {
    const c = project({
      "lib.cdz":
        "@export\nstruct P { x: Integer }\n@export\nenum E { A, B Integer }\n@export\nmeasure meter\n",
      "main.cdz":
        "import lib as q\nlet p = q.P { x = 1 }\np.x\nq.E.B 2\nq.meter 3\nfn mk u = q.P { x = u }\n",
    });
    expect(report(c, "main.cdz")).toEqual([]);
    expect(transcript(c, "main.cdz").slice(2)).toEqual([
      "1 : Integer",
      "B 2 : E",
      "3meter : Quantity Integer meter",
      "() : Unit",
    ]);
  });

  // Declarations reached through a namespace are the declaring module's own: checked as such.
  it("a struct reached through a namespace has its type", () => {
    const c = project({
      "lib.cdz": "@export\nstruct P { x: Integer }\n@export\nmeasure meter\n",
      "main.cdz": "import lib as q\nlet p = q.P { x = 1 }\nlet d = 3 q.meter\n",
    });
    expect(c.typecheck("main.cdz").schemes.get("p")).toBe("P");
    expect(codes(c, "main.cdz")).toEqual([]);
  });

  it("structs, enums and measures reached through a namespace are checked like imported ones", () => {
    const c = project({
      "lib.cdz":
        "@export\nstruct P { x: Integer }\n@export\nenum E { A, B Integer }\n@export\nmeasure meter\n",
      "main.cdz": [
        "import lib as q",
        "let a = q.E.A",
        "let b = q.E.B 2",
        "let d = 3 q.meter",
        'let bad = q.P { x = "no" }',
        'let worse = q.E.B "no"',
        // Never called: only the checker sees these.
        'fn never u = q.P { x = "no" }',
        'fn nor u = (2 q.meter) + "s"',
        "",
      ].join("\n"),
    });
    const schemes = c.typecheck("main.cdz").schemes;
    expect(schemes.get("a")).toBe("E");
    expect(schemes.get("b")).toBe("E");
    expect(schemes.get("d")).toBe("Quantity Integer meter");
    expect(codes(c, "main.cdz")).toEqual([
      "5:21 eval/struct-field-type",
      "6:19 eval/type-mismatch",
      "7:24 types/struct-field-type",
      "8:12 types/type-mismatch",
    ]);
  });

  it("a type an alias reaches annotates like an imported one", () => {
    const c = project({
      "lib.cdz": "@export\nstruct P { x: Integer }\n@export\ntype Id = Integer\nfn hidden u = u\n",
      "main.cdz": [
        "import lib as q",
        "fn getx (p: q.P) = p.x",
        "let i: q.Id = 3",
        // Never called: only the checker sees these.
        "fn bad (p: q.P) = p.y",
        "fn worse (p: q.Nope) = p",
        "fn private (p: q.hidden) = p",
        "getx (q.P { x = 2 })",
        "",
      ].join("\n"),
    });
    const schemes = c.typecheck("main.cdz").schemes;
    expect(schemes.get("getx")).toBe("fn(P) -> Integer");
    expect(schemes.get("i")).toBe("Integer");
    expect(codes(c, "main.cdz")).toEqual([
      "4:21 types/field-not-found",
      "5:16 modules/unknown-import",
      "6:18 modules/private-name",
    ]);
    expect(transcript(c, "main.cdz").at(-1)).toBe("2 : Integer");
  });

  it("imports are hoisted: a name imported at the end is visible from the top", () => {
    const c = project({
      "geometry.cdz": GEOMETRY,
      "main.cdz": "fn double_area w h = 2 * area w h\ndouble_area 2 3\nimport geometry (area)\n",
    });
    expect(report(c, "main.cdz")).toEqual([]);
    expect(transcript(c, "main.cdz")).toEqual(["() : Unit", "12 : Integer", "() : Unit"]);
    expect(c.typecheck("main.cdz").schemes.get("double_area")).toMatch(/fn\(/);
  });

  it("a definition of the file shadows an imported name", () => {
    const c = project({
      "geometry.cdz": GEOMETRY,
      "main.cdz": 'import geometry *\nfn area w h = "mine"\narea 1 2\n',
    });
    expect(report(c, "main.cdz")).toEqual([]);
    expect(transcript(c, "main.cdz")[2]).toBe('"mine" : String');
  });

  it("an import must be at the top level, and in one of the three forms", () => {
    const c = project({
      "geometry.cdz": GEOMETRY,
      "main.cdz": "fn f x =\n    import geometry (area)\n    x\nimport geometry\nf 1\n",
    });
    const found = codes(c, "main.cdz");
    expect(found).toContain("2:5 modules/nested-import");
    expect(found).toContain("4:1 modules/invalid-import");
  });

  it("module paths name files in folders, relative to the importer, then to the root", () => {
    const c = project(
      {
        "src/shapes/circle.cdz":
          "import geometry (Point, norm2)\n@export\nfn circle_area r = 3.0 * r * r\n@export\nfn unit p = (norm2 p) == 1.0\n",
        "src/shapes/square.cdz":
          "import circle (circle_area)\n@export\nfn both s = s * s + circle_area s\n",
        "src/geometry.cdz": GEOMETRY,
        "src/main.cdz":
          "import shapes.circle *\nimport shapes.square (both)\nimport geometry (Point)\ncircle_area 1.0\nunit (Point { x = 1.0, y = 0.0 })\nboth 1.0\n",
      },
      { modules: { root: "src" } },
    );
    expect(report(c, "src/main.cdz")).toEqual([]);
    expect(transcript(c, "src/main.cdz").slice(3)).toEqual([
      "3.0 : Float",
      "true : Bool",
      "4.0 : Float",
    ]);
    // `geometry` from src/shapes/ is found at the root; `circle` next to `square`.
    expect(c.imports("src/shapes/circle.cdz")).toEqual(["src/geometry.cdz"]);
    expect(c.imports("src/shapes/square.cdz")).toEqual(["src/shapes/circle.cdz"]);
    expect(report(c, "src/shapes/circle.cdz")).toEqual([]);
  });
});

describe("re-exports", () => {
  const files = {
    "geometry.cdz": GEOMETRY,
    "library.cdz":
      "@export\nimport geometry (area, Point)\n@export\nimport circle *\n@export\nimport geometry as geo\nfn own x = x\n",
    "circle.cdz":
      "import geometry (Point, norm2)\n@export\nfn circle_area r = 3.0 * r * r\n@export\nlet origin = Point { x = 0.0, y = 0.0 }\n@export\nfn dist2 p = norm2 p\n",
  };

  it("a module exports what its exported imports bind: names, `*` and namespaces", () => {
    const c = project({ ...files, "main.cdz": "import library *\n" });
    expect(c.exportedNames("library.cdz")).toEqual([
      "Point",
      "area",
      "circle_area",
      "dist2",
      "geo",
      "origin",
    ]);
    expect(report(c, "library.cdz")).toEqual([]);
  });

  it("re-exported names are the original definitions", () => {
    const c = project({
      ...files,
      "main.cdz":
        "import library *\narea 2 3\ncircle_area 1.0\ndist2 origin\ngeo.perimeter 1 1\ndist2 (Point { x = 1.0, y = 1.0 })\n",
    });
    expect(report(c, "main.cdz")).toEqual([]);
    expect(transcript(c, "main.cdz").slice(1)).toEqual([
      "6 : Integer",
      "3.0 : Float",
      "0.0 : Float",
      "4 : Integer",
      "2.0 : Float",
    ]);
    expect(c.importedName("main.cdz", "area")).toEqual({
      file: "geometry.cdz",
      name: "area",
      module: "library",
    });
    expect(c.importedName("main.cdz", "origin")).toEqual({
      file: "circle.cdz",
      name: "origin",
      module: "library",
    });
    expect(c.importedName("main.cdz", "geo")).toEqual({ file: "geometry.cdz", module: "library" });
    expect(c.importedName("main.cdz", "own")).toBeUndefined();
  });

  it("the same definition imported along two routes is no conflict", () => {
    const c = project({
      ...files,
      "main.cdz": "import library (area)\nimport geometry (area)\nimport geometry *\narea 1 2\n",
    });
    expect(report(c, "main.cdz")).toEqual([]);
    expect(transcript(c, "main.cdz")[3]).toBe("2 : Integer");
  });

  it("a private name is not re-exported by `*`", () => {
    const c = project({ ...files, "main.cdz": "import library (own)\n" });
    expect(codes(c, "main.cdz")).toEqual(["1:17 modules/private-name"]);
  });
});

describe("values and types across modules", () => {
  it("a struct built in one module is the same type in another (nominal identity)", () => {
    const c = project({
      "shapes.cdz":
        "@export\nstruct P { x: Integer }\n@export\nstruct Q { x: Integer }\n@export\nfn getx p =\n    match p\n        (P { x }) => x\n",
      "make.cdz":
        "import shapes (P)\n@export\nlet p = P { x = 5 }\n@export\nfn mk n = P { x = n }\n",
      "main.cdz":
        "import shapes (getx, P, Q)\nimport make (p, mk)\ngetx p\ngetx (mk 7)\np == P { x = 5 }\nlet bad = getx (Q { x = 1 })\n",
    });
    expect(transcript(c, "main.cdz").slice(2, 5)).toEqual([
      "5 : Integer",
      "7 : Integer",
      "true : Bool",
    ]);
    // A struct of the same shape from the same module is another type.
    const ds = c.diagnostics("main.cdz").filter((d) => d.code === "types/type-mismatch");
    expect(ds).toHaveLength(1);
    expect(ds[0]!.file).toBe("main.cdz");
    expect(under(c, ds[0]!)).toContain("Q { x = 1 }");
    expect(ds[0]!.notes.map((n) => n.message)).toContain("P and Q are different nominal types");
  });

  it("two structs of one name in two modules are different types", () => {
    const c = project({
      "a.cdz":
        "@export\nstruct P { x: Integer }\n@export\nfn take p =\n    match p\n        (P { x }) => x\n",
      "b.cdz": "@export\nstruct P { x: Integer }\n@export\nlet p = P { x = 1 }\n",
      "main.cdz": "import a (take)\nimport b (p)\nfn go u = take p\n",
    });
    expect(codes(c, "main.cdz")).toEqual(["3:16 types/type-mismatch"]);
  });

  it("measures are exported and their quantities cross modules", () => {
    const c = project({
      "units.cdz":
        "@export\nmeasure meter\n@export\nmeasure second\n@export\nmeasure kilometer = 1000 meter\n@export\nlet lap = 400meter\n@export\nfn speed d t = d / t\n",
      "main.cdz":
        "import units *\nlap + 1kilometer\nspeed 100meter 10second\nmeasure minute = 60 second\nspeed 3kilometer 2minute\nlet bad = lap + 1second\nfn later u = u + lap + 1second\nlet v = speed 1kilometer 1second\n",
    });
    expect(transcript(c, "main.cdz").slice(0, 6)).toEqual([
      "() : Unit",
      "1400meter : Quantity Integer meter",
      "10meter/second : Quantity Rational meter/second",
      "() : Unit",
      "3/2kilometer/minute : Quantity Rational kilometer/minute",
      "<error> : Unknown",
    ]);
    // The checker knows the imported units and dimensions too (the function is never run).
    expect(codes(c, "main.cdz")).toEqual([
      "6:11 eval/incompatible-dimensions",
      expect.stringMatching(/^7:14 types\//),
    ]);
    // (The checker names a quantity's units by their dimension, as in a single file.)
    expect(c.typecheck("main.cdz").schemes.get("v")).toBe("Quantity Rational meter/second");
  });

  it("a runtime error inside an imported function is reported at the call in the importer", () => {
    const c = project({
      "lib.cdz": "\n\n\n@export\nfn inverse x = 1 / x\n@export\nfn deep x = inverse (x - 1)\n",
      "main.cdz": "import lib (inverse, deep)\ninverse 2\ndeep 1\n",
    });
    const ds = c.diagnostics("main.cdz");
    expect(ds.map((d) => d.code)).toEqual(["eval/division-by-zero"]);
    expect(ds[0]!.file).toBe("main.cdz");
    expect(under(c, ds[0]!)).toBe("deep 1");
    expect(transcript(c, "main.cdz")).toEqual(["() : Unit", "1/2 : Rational", "<error> : Unknown"]);
    // The imported module itself is fine.
    expect(c.diagnostics("lib.cdz")).toEqual([]);
  });
});

describe("exported macros", () => {
  const macros = `# some lines, so that positions here differ from the importer's


@export
macro twice e = quote (\${e} + \${e})

@export
macro mk n = quote (fn \${n} a b = a * 2 + b)
`;

  it("expand at the import site (by name, by `*` and through a re-export)", () => {
    const c = project({
      "macros.cdz": macros,
      "again.cdz": "@export\nimport macros (twice)\n",
      "main.cdz": "import macros (twice, mk)\ntwice 21\nmk triple\ntriple 3 1\n",
      "star.cdz": "import macros *\ntwice 1.5\n",
      "via.cdz": "import again (twice)\ntwice 4\n",
    });
    expect(report(c, "main.cdz")).toEqual([]);
    expect(transcript(c, "main.cdz")).toEqual([
      "() : Unit",
      "42 : Integer",
      "() : Unit",
      "7 : Integer",
    ]);
    expect(c.typecheck("main.cdz").schemes.get("triple")).toMatch(/^forall/);
    expect(transcript(c, "star.cdz")[1]).toBe("3.0 : Float");
    expect(transcript(c, "via.cdz")[1]).toBe("8 : Integer");
  });

  it("a type error inside an expansion is reported at the invocation in the importing file", () => {
    const c = project({
      "macros.cdz": macros,
      "main.cdz": "import macros (twice)\n\n\nlet y = twice true\n",
    });
    const ds = c.diagnostics("main.cdz");
    expect(ds.length).toBeGreaterThan(0);
    for (const d of ds) {
      expect(d.file).toBe("main.cdz");
      expect(under(c, d)).toBe("twice true");
    }
    expect(c.typecheck("main.cdz").diagnostics.map((d) => under(c, d))).toEqual(["twice true"]);
    expect(c.diagnostics("macros.cdz")).toEqual([]);
  });

  // The type checker types a macro invocation inside a function body as Unknown without
  // expanding it, for a macro of the same file as much as for an imported one: a type
  // error inside such an expansion is reported only when the function runs.
  it.fails("a type error inside an expansion in a function body is a type error", () => {
    const c = project({
      "macros.cdz": macros,
      "main.cdz": "import macros (twice)\nfn f u = twice true\n",
    });
    expect(codes(c, "main.cdz")).toEqual(["2:10 types/type-mismatch"]);
  });

  it("a macro is not a namespace member to the checker: it must be imported by name", () => {
    const c = project({
      "macros.cdz": macros,
      "main.cdz": "import macros as m\nfn f u = m.twice u\n",
    });
    expect(codes(c, "main.cdz")).toEqual(["2:12 modules/macro-through-alias"]);
  });

  // The spec says `q.name` works for every export but macros: the evaluator says so too, in the
  // same words, so the driver reports it once.
  it("a macro invoked through a namespace at the top level is an error", () => {
    const c = project({ "macros.cdz": macros, "main.cdz": "import macros as m\nm.twice 2\n" });
    expect(codes(c, "main.cdz")).toEqual(["2:3 modules/macro-through-alias"]);
  });
});

describe("import cycles", () => {
  it("a 2-cycle is reported at both imports, each with the whole cycle", () => {
    const c = project({
      "a.cdz": "import b (g)\n@export\nfn f x = g x + 1\n",
      "b.cdz": "import a (f)\n@export\nfn g x = x * 2\n",
    });
    expect(report(c, "a.cdz")).toEqual([
      "a.cdz:1:8 modules/import-cycle import cycle",
      "  note: the cycle: a → b → a",
      expect.stringMatching(/^ {2}help: /),
    ]);
    expect(report(c, "b.cdz")).toEqual([
      "b.cdz:1:8 modules/import-cycle import cycle",
      "  note: the cycle: b → a → b",
      expect.stringMatching(/^ {2}help: /),
    ]);
    // The names an import on a cycle binds are unbound, silently.
    expect(transcript(c, "a.cdz")).toEqual(["() : Unit", "() : Unit"]);
  });

  it("a 3-cycle is reported at each of its three imports; imports off the cycle are fine", () => {
    const c = project({
      "a.cdz": "import b (g)\nimport leaf (k)\n@export\nfn f x = g x\n",
      "b.cdz": "import c (h)\n@export\nfn g x = h x\n",
      "c.cdz": "import a (f)\nimport leaf *\n@export\nfn h x = f x\n",
      "leaf.cdz": "@export\nfn k x = x\n",
      "main.cdz": "import a (f)\n",
    });
    const cycle = (file: string) => report(c, file).filter((l) => l.startsWith("  note:"));
    expect(cycle("a.cdz")).toEqual(["  note: the cycle: a → b → c → a"]);
    expect(cycle("b.cdz")).toEqual(["  note: the cycle: b → c → a → b"]);
    expect(cycle("c.cdz")).toEqual(["  note: the cycle: c → a → b → c"]);
    for (const f of ["a.cdz", "b.cdz", "c.cdz"])
      expect(codes(c, f)).toEqual(["1:8 modules/import-cycle"]);
    expect(report(c, "main.cdz")).toEqual([]);
    expect(report(c, "leaf.cdz")).toEqual([]);
  });

  it("a module importing itself is a cycle of one", () => {
    const c = project({ "main.cdz": "import main (x)\n@export\nlet x = 1\nx\n" });
    expect(report(c, "main.cdz")).toEqual([
      "main.cdz:1:8 modules/import-cycle import cycle",
      "  note: the cycle: main → main",
      "  help: remove this import: a module sees its own names without importing them",
    ]);
    expect(transcript(c, "main.cdz")).toEqual(["() : Unit", "() : Unit", "1 : Integer"]);
  });

  it("moduleOrder does not follow the import that closes a cycle", () => {
    const c = project({
      "a.cdz": "import b (g)\n@export\nfn f x = x\n",
      "b.cdz": "import a (f)\n@export\nfn g x = x\n",
      "main.cdz": "import a (f)\nimport leaf *\n",
      "leaf.cdz": "@export\nfn k x = x\n",
    });
    // Every import on a cycle closes it: `a` binds nothing from `b`, so `b` is not run.
    expect(c.moduleOrder("main.cdz")).toEqual(["a.cdz", "leaf.cdz", "main.cdz"]);
    expect(c.moduleOrder("b.cdz")).toEqual(["b.cdz"]);
  });
});

describe("unknown modules and names", () => {
  it("an unknown module suggests the closest module and says where it looked", () => {
    const c = project(
      { "src/geometry.cdz": GEOMETRY, "src/sub/main.cdz": "import geomtry (area)\narea 1 2\n" },
      { modules: { root: "src" } },
    );
    expect(report(c, "src/sub/main.cdz")).toEqual([
      "src/sub/main.cdz:1:8 modules/unknown-module unknown module `geomtry`",
      "  note: looked for `src/sub/geomtry.cdz` and `src/geomtry.cdz`",
      "  help: did you mean `geometry`?",
    ]);
    // The names it would bind are unknown, without further errors.
    expect(transcript(c, "src/sub/main.cdz")).toEqual(["() : Unit", "<error> : Unknown"]);
  });

  it("an unknown module in a folder suggests the closest module of that folder", () => {
    const c = project({
      "shapes/circle.cdz": "@export\nfn r = 1\n",
      "main.cdz": "import shapes.circel (r)\nr\n",
    });
    expect(report(c, "main.cdz")).toEqual([
      "main.cdz:1:8 modules/unknown-module unknown module `shapes.circel`",
      "  note: looked for `shapes/circel.cdz`",
      "  help: did you mean `shapes.circle`?",
    ]);
    expect(transcript(c, "main.cdz")).toEqual(["() : Unit", "<error> : Unknown"]);
  });

  it("an unknown name suggests the closest export, and its uses give no further error", () => {
    const c = project({
      "geometry.cdz": GEOMETRY,
      "main.cdz": "import geometry (aera, Pont)\naera 1 2\nlet p = Pont { x = 1.0, y = 2.0 }\n",
    });
    expect(report(c, "main.cdz")).toEqual([
      "main.cdz:1:18 modules/unknown-import module `geometry` has no export `aera`",
      "  help: did you mean `area`?",
      "main.cdz:1:24 modules/unknown-import module `geometry` has no export `Pont`",
      "  help: did you mean `Point`?",
    ]);
  });

  it("a name whose import failed conflicts with nothing: another import of it binds it", () => {
    const c = project({
      "a.cdz": "@export\nfn f x = x + 1\n",
      "main.cdz": "import nope (f)\nimport a (f, zz)\nimport a (zz)\nf 1\n",
    });
    expect(codes(c, "main.cdz")).toEqual([
      "1:8 modules/unknown-module",
      "2:14 modules/unknown-import",
      "3:11 modules/unknown-import",
    ]);
    expect(transcript(c, "main.cdz")[3]).toBe("2 : Integer");
    expect(c.importedName("main.cdz", "f")).toEqual({ file: "a.cdz", name: "f", module: "a" });
  });

  it("importing a private name says so", () => {
    const c = project({ "geometry.cdz": GEOMETRY, "main.cdz": "import geometry (helper)\n" });
    expect(codes(c, "main.cdz")).toEqual(["1:18 modules/private-name"]);
  });

  it("two imports binding one name to different things conflict, at the second", () => {
    const c = project({
      "a.cdz": "@export\nfn f x = x\n",
      "b.cdz": "@export\nfn f x = x + 1\n",
      "main.cdz": "import a (f)\nimport b *\nf 1\n",
    });
    const ds = c.diagnostics("main.cdz");
    expect(ds.map((d) => d.code)).toEqual(["modules/conflicting-import"]);
    expect(ds[0]!.message).toBe("`f` is already imported from `a`");
    expect(under(c, ds[0]!)).toBe("*");
    expect(
      ds[0]!.secondary.map((l) => c.source("main.cdz").text.slice(l.span.start, l.span.end)),
    ).toEqual(["f"]);
    // The first import wins.
    expect(transcript(c, "main.cdz")[2]).toBe("1 : Integer");
  });
});

describe("loading modules", () => {
  it("missing files are diagnostics: nothing throws, with a host or without", () => {
    for (const c of [
      project({ "main.cdz": "import nope *\nimport a.b.c (x)\nimport gone as g\ng.y\nx\n" }),
      (() => {
        const plain = createCompiler();
        plain.setFile("main.cdz", "import nope *\nimport a.b.c (x)\nimport gone as g\ng.y\nx\n");
        return plain;
      })(),
    ]) {
      expect(codes(c, "main.cdz")).toEqual([
        "1:8 modules/unknown-module",
        "2:8 modules/unknown-module",
        "3:8 modules/unknown-module",
      ]);
      expect(c.imports("main.cdz")).toEqual([null, null, null]);
      expect(c.moduleOrder("main.cdz")).toEqual(["main.cdz"]);
      expect(c.exportedNames("main.cdz")).toEqual([]);
      expect(transcript(c, "main.cdz").slice(3)).toEqual([
        "<error> : Unknown",
        "<error> : Unknown",
      ]);
      const events = drain(c, "main.cdz");
      expect(events.filter((e) => e.kind === "error")).toEqual([]);
      expect(events.at(-1)?.kind).toBe("done");
    }
  });

  it("a file the entry asks for is read through the host once, with a needModule event", () => {
    const c = project({
      "main.cdz": "import a (f)\nimport b *\nf 1\n",
      "a.cdz": "import b *\nimport c *\n@export\nfn f x = x\n",
      "b.cdz": "@export\nfn g x = x\n",
      "c.cdz": "@export\nfn h x = x\n",
      "unrelated.cdz": "1\n",
    });
    const events = drain(c, "main.cdz");
    const needs = events.filter((e): e is NeedModuleEvent => e.kind === "needModule");
    expect(needs).toEqual([
      { kind: "needModule", key: "a.cdz", spec: "a", from: "main.cdz" },
      { kind: "needModule", key: "b.cdz", spec: "b", from: "main.cdz" },
      { kind: "needModule", key: "c.cdz", spec: "c", from: "a.cdz" },
    ]);
    // They come first, before any pass runs.
    expect(events.slice(0, 3).map((e) => e.kind)).toEqual([
      "needModule",
      "needModule",
      "needModule",
    ]);
    expect(c.host.reads.sort()).toEqual(["a.cdz", "b.cdz", "c.cdz", "main.cdz"]);
    // A second compilation answers from the cache: no events, no reads.
    const again = drain(c, "main.cdz");
    expect(again.filter((e) => e.kind === "needModule")).toEqual([]);
    expect(c.host.reads).toHaveLength(4);
    expect(c.files()).toEqual(["a.cdz", "b.cdz", "c.cdz", "main.cdz"]);
    // Another entry loads what it needs, and only that.
    expect(drain(c, "a.cdz").filter((e) => e.kind === "needModule")).toEqual([]);
  });

  it("files set with setFile are never asked for", () => {
    const c = project({});
    c.setFile("main.cdz", "import a (f)\nf 2\n");
    c.setFile("a.cdz", "@export\nfn f x = x * 2\n");
    const events = drain(c, "main.cdz");
    expect(events.filter((e) => e.kind === "needModule")).toEqual([]);
    expect(c.host.reads).toEqual([]);
    expect(transcript(c, "main.cdz")[1]).toBe("4 : Integer");
  });

  it("every candidate tried is a needModule event: the importer's folder, then the root", () => {
    const c = project(
      {
        "src/lib.cdz": "@export\nlet v = 1\n",
        "src/app/main.cdz": "import lib (v)\nimport none *\nv\n",
      },
      { modules: { root: "src" } },
    );
    const needs = drain(c, "src/app/main.cdz").filter((e) => e.kind === "needModule");
    expect(needs.map((e) => (e as NeedModuleEvent).key)).toEqual([
      "src/app/lib.cdz",
      "src/lib.cdz",
      "src/app/none.cdz",
      "src/none.cdz",
    ]);
    expect(transcript(c, "src/app/main.cdz")[2]).toBe("1 : Integer");
    expect(drain(c, "src/app/main.cdz").filter((e) => e.kind === "needModule")).toEqual([]);
  });

  it("the deps event lists the modules the imports resolved to, once each, in order", () => {
    const c = project({
      "main.cdz": "import b *\nimport a (f)\nimport missing *\nimport a as q\n",
      "a.cdz": "@export\nfn f x = x\n",
      "b.cdz": "@export\nfn g x = x\n",
    });
    const deps = drain(c, "main.cdz").filter((e) => e.kind === "deps");
    expect(deps).toEqual([{ kind: "deps", file: "main.cdz", deps: ["b.cdz", "a.cdz"] }]);
    expect(c.imports("main.cdz")).toEqual(["b.cdz", "a.cdz", null, "a.cdz"]);
  });

  it("creating a missing module later resolves the import; removing it breaks it again", () => {
    const c = project({ "main.cdz": "import later (f)\nf 20\n" });
    expect(codes(c, "main.cdz")).toEqual(["1:8 modules/unknown-module"]);
    c.setFile("later.cdz", "@export\nfn f x = x + 1\n");
    expect(codes(c, "main.cdz")).toEqual([]);
    expect(transcript(c, "main.cdz")[1]).toBe("21 : Integer");
    expect(c.imports("main.cdz")).toEqual(["later.cdz"]);
    c.setFile("later.cdz", "@export\nfn f x = x + 2\n");
    expect(transcript(c, "main.cdz")[1]).toBe("22 : Integer");
    c.removeFile("later.cdz");
    expect(codes(c, "main.cdz")).toEqual(["1:8 modules/unknown-module"]);
    expect(transcript(c, "main.cdz")[1]).toBe("<error> : Unknown");
  });

  it("a compilation is stale when a module it imports changes, not when another file does", () => {
    const files = {
      "main.cdz": "import a (f)\nf 1\n",
      "a.cdz": "import b *\n@export\nfn f x = g x\n",
      "b.cdz": "@export\nfn g x = x + 1\n",
      "other.cdz": "1\n",
    };
    const c = project(files);
    c.diagnostics("other.cdz");
    const first = c.start("main.cdz");
    poll(first, { events: 1 });
    c.setFile("other.cdz", "2\n");
    expect(poll(first).cancelled).toBeUndefined();
    const second = c.start("main.cdz");
    poll(second, { events: 1 });
    // `b` is imported through `a`.
    c.setFile("b.cdz", "@export\nfn g x = x + 2\n");
    expect(poll(second).events).toEqual([{ kind: "cancelled", reason: "stale" }]);
    const events = drain(c, "main.cdz");
    expect(events.at(-1)?.kind).toBe("done");
    expect(transcript(c, "main.cdz")[1]).toBe("3 : Integer");
  });

  it("a module removed with removeFile is not suggested, though the host still lists it", () => {
    const c = project({
      "geometri.cdz": "@export\nfn area w h = w * h\n",
      "geometry2.cdz": "@export\nfn area w h = w * h\n",
      "main.cdz": "import geometry (area)\n",
      "user.cdz": "import geometri (area)\n",
    });
    expect(report(c, "main.cdz")).toContain("  help: did you mean `geometri`?");
    expect(report(c, "user.cdz")).toEqual([]);
    c.removeFile("geometri.cdz");
    expect(report(c, "main.cdz")).toContain("  help: did you mean `geometry2`?");
    expect(codes(c, "user.cdz")).toEqual(["1:8 modules/unknown-module"]);
  });

  it("moduleOrder puts every module after the modules it imports, the entry last", () => {
    const c = project({
      "main.cdz": "import ui *\nimport model *\n",
      "ui.cdz": "import model *\nimport util *\n",
      "model.cdz": "import util *\n",
      "util.cdz": "@export\nfn id x = x\n",
    });
    expect(c.moduleOrder("main.cdz")).toEqual(["util.cdz", "model.cdz", "ui.cdz", "main.cdz"]);
    expect(c.moduleOrder("model.cdz")).toEqual(["util.cdz", "model.cdz"]);
  });
});

describe("what an edit re-runs, per module (execution counters)", () => {
  /**
   * A small program in layers. `leaf` is imported directly by `direct`, `lazy`, `top` and
   * `star`, re-exported by `reexp` (whose importer `via` uses it); `user` and `solo` do not
   * import it, nor anything whose exported signatures depend on it.
   */
  const LEAF = "@export\nfn f x = x + 1\n@export\nfn g x = x * 2\nfn own y = y\n";
  const FILES: Record<string, string> = {
    "leaf.cdz": LEAF,
    "direct.cdz": "import leaf (f)\n@export\nfn d u = (f 1) == 2\n",
    "reexp.cdz": "@export\nimport leaf (f)\n@export\nfn r x = x\n",
    "via.cdz": "import reexp (f, r)\nfn v x = f (r x)\n",
    "star.cdz": "import leaf *\nfn s x = g x\n",
    "ns.cdz": "import leaf as q\nfn n x = q.g x\n",
    "lazy.cdz": "import leaf (f)\n@export\nfn w x = f x\n@export\nlet k = 10\n",
    "top.cdz": "import leaf (f)\nf 1\n",
    "top2.cdz": "import lazy (w, k)\nw k\n",
    "user.cdz": "import direct (d)\nimport solo *\nfn u x = d x\nt 1\n",
    "solo.cdz": "@export\nfn t x = x\nt 2\n",
  };
  const ALL = Object.keys(FILES).sort();

  /** Every file checked, then the leaf edited and every file checked again. */
  function afterEdit(
    text: string,
    files = FILES,
  ): { c: Compiler; ran: Record<string, Record<string, number>> } {
    const c = project({ ...files });
    for (const f of Object.keys(files)) c.diagnostics(f);
    c.setFile("leaf.cdz", text);
    c.resetStats();
    for (const f of Object.keys(files)) c.diagnostics(f);
    return { c, ran: c.stats().files };
  }

  /** Every file's diagnostics and transcript, as a fresh compiler gives them. */
  function expectFresh(c: Compiler, files: readonly string[]): void {
    const fresh = project({});
    for (const f of c.files()) fresh.setFile(f, c.source(f).text);
    for (const f of files) {
      expect(report(c, f)).toEqual(report(fresh, f));
      expect(transcript(c, f)).toEqual(transcript(fresh, f));
    }
  }

  it("the program is fine to start with", () => {
    const c = project({ ...FILES });
    for (const f of ALL) expect(report(c, f)).toEqual([]);
    expect(transcript(c, "top.cdz")[1]).toBe("2 : Integer");
    expect(transcript(c, "top2.cdz")[1]).toBe("11 : Integer");
  });

  it("(a) a body edit that keeps the exported signatures re-runs no query of another module", () => {
    const files = { ...FILES };
    // No module here evaluates a call of `leaf` at the top level (see (c)).
    delete files["top.cdz"];
    delete files["top2.cdz"];
    const { c, ran } = afterEdit(LEAF.replace("x + 1", "x + 2"), files);
    expect(Object.keys(ran)).toEqual(["leaf.cdz"]);
    // Its own work: one group inferred again, its signature cut off, so that its exported
    // signatures are not even computed again.
    expect(ran["leaf.cdz"]!.infer).toBe(1);
    expect(c.stats().queries.signatures!.cutoffs).toBe(1);
    expect(ran["leaf.cdz"]!.exportSignatures).toBeUndefined();
    expectFresh(c, Object.keys(files));
  });

  it("(a) so does an edit of a private definition, or of a comment", () => {
    for (const text of [LEAF.replace("fn own y = y", "fn own y = y + 1"), `# hello\n${LEAF}`]) {
      const files = { ...FILES };
      delete files["top.cdz"];
      delete files["top2.cdz"];
      const { ran } = afterEdit(text, files);
      expect(Object.keys(ran)).toEqual(["leaf.cdz"]);
    }
  });

  it("(b) an export-signature change re-runs `infer` only in the modules that import it", () => {
    const { c, ran } = afterEdit(LEAF.replace("x + 1", "x + 1.5"));
    const inferred = Object.keys(ran).filter(
      (f) => (ran[f]!.infer ?? 0) + (ran[f]!.inferUnit ?? 0) > 0,
    );
    // A group that uses an imported name depends on that name's signature: `star` imports
    // every export of `leaf` but uses `g` only, and `reexp` re-exports `f` without using it.
    // A namespace is one value: `ns` uses `q.g`, and depends on every signature of `leaf`.
    // `user` imports `direct`, whose signatures stay the same; `solo` imports nothing. `top2`
    // imports `w` of `lazy`, whose signature changes with `f`'s: it imports a changed
    // signature too.
    expect(inferred).toEqual([
      "direct.cdz",
      "lazy.cdz",
      "leaf.cdz",
      "ns.cdz",
      "top.cdz",
      "top2.cdz",
      "via.cdz",
    ]);
    for (const f of ["star.cdz", "reexp.cdz"]) expect(ran[f]?.infer).toBeUndefined();
    for (const f of ["user.cdz", "solo.cdz"]) expect(ran[f]).toBeUndefined();
    expect(c.typecheck("leaf.cdz").schemes.get("f")).not.toBe(
      project({ ...FILES })
        .typecheck("leaf.cdz")
        .schemes.get("f"),
    );
    expectFresh(c, ALL);
  });

  it("(c) an importer that calls the edited function at the top level evaluates again", () => {
    const { c, ran } = afterEdit(LEAF.replace("x + 1", "x + 5"));
    expect(ran["top.cdz"]!.evaluate).toBe(1);
    expect(transcript(c, "top.cdz")[1]).toBe("6 : Integer");
    // Through a function of another module, too: `top2` calls `lazy`'s `w`, which calls `f`.
    expect(ran["top2.cdz"]!.evaluate).toBe(1);
    expect(transcript(c, "top2.cdz")[1]).toBe("15 : Integer");
    // `lazy` only refers to `f` inside a function body: its evaluation is still valid.
    expect(ran["lazy.cdz"]?.evaluate).toBeUndefined();
    expect(ran["direct.cdz"]).toBeUndefined();
    // No signature changed: no module but the leaf infers anything.
    for (const f of Object.keys(ran)) if (f !== "leaf.cdz") expect(ran[f]!.infer).toBeUndefined();
    expectFresh(c, ALL);
  });

  it("a module that is not asked for is not computed", () => {
    const c = project({ ...FILES });
    c.diagnostics("solo.cdz");
    expect(Object.keys(c.stats().files)).toEqual(["solo.cdz"]);
    c.resetStats();
    c.diagnostics("user.cdz");
    expect(Object.keys(c.stats().files)).toEqual([
      "direct.cdz",
      "leaf.cdz",
      "solo.cdz",
      "user.cdz",
    ]);
  });
});

describe("incremental results equal a fresh compiler's, over several modules", () => {
  const OPTIONS = { evaluation: { budget: { steps: 20_000 } } } as const;
  const path = (m: number) => `${MODULES[m]}.cdz`;

  /** What a client sees of every module: diagnostics, transcripts, schemes, imports. */
  function observe(c: Compiler, order: readonly number[] = MODULES.map((_, m) => m)) {
    const seen = order.map((m) => {
      const file = path(m);
      return {
        file,
        diagnostics: c.diagnostics(file).map((d) => ({
          file: d.file,
          code: d.code,
          message: d.message,
          primary: d.primary,
          secondary: d.secondary,
          // (How many frames a stack overflow shows depends on the JavaScript stack left when
          // the evaluation started, which is less when an importer's evaluation started it.)
          notes: d.notes.filter((n) => !/^… and \d+ more frames$/.test(n.message)),
        })),
        transcript: transcript(c, file),
        schemes: [...c.typecheck(file).schemes],
        imports: c.imports(file),
        exported: c.exportedNames(file),
      };
    });
    return seen.sort((a, b) => a.file.localeCompare(b.file));
  }

  function fresh(texts: readonly (string | null)[]): Compiler {
    const c = createCompiler(OPTIONS);
    texts.forEach((t, m) => {
      if (t !== null) c.setFile(path(m), t);
    });
    return c;
  }

  it("after random edit sequences, the modules read in random orders", () => {
    fc.assert(
      fc.property(
        modulesProgram,
        fc.array(fc.tuple(moduleEdit, fc.boolean()), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: MODULES.length - 1 }),
        fc.shuffledSubarray(
          MODULES.map((_, m) => m),
          { minLength: MODULES.length },
        ),
        fc.boolean(),
        (start, edits, first, order, viaHost) => {
          const programs = start.map((items) => [...items]);
          const texts: (string | null)[] = programs.map((items) => textOf(items));
          // The modules set up front, or read through a host as the first module needs them.
          const incremental = viaHost
            ? createCompiler({
                ...OPTIONS,
                modules: {
                  host: memoryHost(Object.fromEntries(texts.map((t, m) => [path(m), t!]))),
                },
              })
            : fresh(texts);
          // Reading one module first computes the others as it needs them.
          incremental.diagnostics(path(first));
          observe(incremental);
          for (const [e, look] of edits) {
            if ("remove" in e) {
              texts[e.module] = null;
              incremental.removeFile(path(e.module));
            } else {
              programs[e.module] = applyEdit(programs[e.module]!, e.edit);
              texts[e.module] = textOf(programs[e.module]!);
              incremental.setFile(path(e.module), texts[e.module]!);
            }
            if (look) expect(observe(incremental, order)).toEqual(observe(fresh(texts)));
          }
          expect(observe(incremental, order)).toEqual(observe(fresh(texts)));
        },
      ),
      { numRuns: Number(process.env.MODULE_RUNS ?? 150) },
    );
  }, 600_000);

  // (A module the edited one imports may see queries keyed by it run for the first time: the
  // importer asks whether it exists, or for the signature of a name it now uses.)
  it("an edit of a module runs no query of a module it is not connected to by imports", () => {
    /** The modules `from` reaches through its imports (itself included). */
    const reach = (c: Compiler, from: string): Set<string> => {
      const seen = new Set<string>();
      const todo = [from];
      while (todo.length > 0) {
        const f = todo.pop()!;
        if (seen.has(f)) continue;
        seen.add(f);
        for (const t of c.imports(f)) if (t !== null) todo.push(t);
      }
      return seen;
    };
    fc.assert(
      fc.property(
        modulesProgram,
        fc.array(
          fc.record({
            module: fc.nat({ max: MODULES.length - 1 }),
            edit: moduleEdit.filter((e) => "edit" in e).map((e) => (e as { edit: Edit }).edit),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (start, edits) => {
          const programs = start.map((items) => [...items]);
          const c = fresh(programs.map((items) => textOf(items)));
          observe(c);
          for (const { module, edit } of edits) {
            const edited = path(module);
            const before = MODULES.map((_, k) => reach(c, path(k)));
            const reachedBefore = reach(c, edited);
            programs[module] = applyEdit(programs[module]!, edit);
            c.setFile(edited, textOf(programs[module]!));
            c.resetStats();
            observe(c);
            const ran = c.stats().files;
            MODULES.forEach((_, k) => {
              const other = path(k);
              if (before[k]!.has(edited) || reach(c, other).has(edited)) return;
              if (reachedBefore.has(other) || reach(c, edited).has(other)) return;
              expect({ module: path(k), ran: ran[path(k)] }).toEqual({
                module: path(k),
                ran: undefined,
              });
            });
          }
        },
      ),
      { numRuns: Number(process.env.MODULE_RUNS ?? 100) },
    );
  }, 600_000);
});

describe("errors inside imported code", () => {
  // The step budget is counted in compiled code, which keeps no stack frames: the frames are
  // collected as the budget's halt unwinds, so that the report moves to the call.
  it("a step budget that runs out inside an imported function is reported at the call", () => {
    const c = project(
      {
        "lib.cdz": `${"# padding\n".repeat(10)}@export\nfn spin a = spin a\n`,
        "main.cdz": "import lib (spin)\nlet r = spin 1\n",
      },
      { evaluation: { budget: { steps: 20_000 } } },
    );
    const d = c.diagnostics("main.cdz").find((x) => x.code === "eval/step-budget-exhausted")!;
    expect(d).toBeDefined();
    expect(under(c, d)).toBe("spin 1");
  });

  // A closure caches its compiled code on itself, for the interpreter that compiled it. An
  // imported closure is shared by every evaluation of its importers: each compiles it again
  // for itself, so that the stack trace of an error inside it keeps this evaluation's frames
  // (here the expansion of `dbl`) and budgets count here.
  it("an error inside an imported function has the same report after an edit", () => {
    const lib = "@export\nfn f a = a + zz\n@export\nmacro dbl e = quote (${e} + ${e})\n";
    const main = "import lib (f, dbl)\n1 + dbl (f 1)\n";
    const c = project({ "lib.cdz": lib, "main.cdz": main });
    c.diagnostics("main.cdz");
    c.setFile("main.cdz", `\n${main}`);
    const fresh = project({ "lib.cdz": lib, "main.cdz": `\n${main}` });
    expect(report(fresh, "main.cdz").join("\n")).toMatch(/in the expansion of macro `dbl`/);
    expect(report(c, "main.cdz")).toEqual(report(fresh, "main.cdz"));
  });
});
