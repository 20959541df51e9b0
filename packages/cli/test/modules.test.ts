import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { JsonReport } from "../src/commands/check.js";
import { main } from "../src/main.js";
import { memoryIO } from "../src/memory-io.js";
import { since, until } from "./watch-helpers.js";

const fixture = fileURLToPath(new URL("fixtures/project", import.meta.url));

/** The files of a folder, keyed by their path relative to it (`/` separators). */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return out;
}

/** The fixture project's files under `prefix` (the expected files left out). */
function project(prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(filesOf(fixture))) {
    if (!path.startsWith("expected-")) out[prefix + path] = text;
  }
  return out;
}

const expectedDiagnostics = readFileSync(join(fixture, "expected-diagnostics.txt"), "utf8")
  .split("\n")
  .filter((l) => l !== "");
const expectedOutput = readFileSync(join(fixture, "expected-output.txt"), "utf8");

async function run(argv: string[], files: Record<string, string>) {
  const io = memoryIO(files);
  const code = await main(argv, io, { version: "0.0.0" });
  return { code, out: io.out(), err: io.err() };
}

/** `path:line:col severity code message`, as expected-diagnostics.txt has them. */
function lines(json: string, strip = ""): string[] {
  const report = JSON.parse(json) as JsonReport;
  return report.diagnostics.map(
    (d) =>
      `${d.file.startsWith(strip) ? d.file.slice(strip.length) : d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`,
  );
}

/** `path:line:col severity message` of rendered diagnostics (the code is not rendered). */
function rendered(err: string): string[] {
  const out: string[] = [];
  const re = /^(error|warning|info|hint): (.*)\n\s*--> (\S+)$/gm;
  for (const m of err.matchAll(re)) out.push(`${m[3]} ${m[1]} ${m[2]}`);
  return out;
}

describe("the test project", () => {
  it("check reports exactly the expected diagnostics (--format json)", async () => {
    const r = await run(["check", "--format", "json", "."], project());
    expect(r.code).toBe(1);
    expect(lines(r.out)).toEqual(expectedDiagnostics);
    const report = JSON.parse(r.out);
    expect(report.files).toEqual([
      "src/cycle/a.cdz",
      "src/cycle/b.cdz",
      "src/geometry.cdz",
      "src/library.cdz",
      "src/main.cdz",
      "src/shapes/circle.cdz",
    ]);
    expect(report.errors).toBe(expectedDiagnostics.length);
    expect(report.warnings).toBe(0);
    expect(r.err).toBe("");
  });

  it("check renders the same diagnostics, file by file, and a summary", async () => {
    const r = await run(["check", "proj"], project("proj/"));
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(rendered(r.err)).toEqual(
      expectedDiagnostics.map((l) => {
        const [where, severity, , ...message] = l.split(" ");
        return `proj/${where} ${severity} ${message.join(" ")}`;
      }),
    );
    expect(r.err).toContain("= help: did you mean `geometry`?");
    expect(r.err.trimEnd().split("\n").at(-1)).toBe(
      `checked 6 files: ${expectedDiagnostics.length} errors`,
    );
  });

  it("check --signatures prints each module's signatures", async () => {
    const r = await run(["check", "--signatures", "proj"], project("proj/"));
    expect(r.out).toContain("# proj/src/geometry.cdz\narea : ");
    expect(r.out).toContain("# proj/src/shapes/circle.cdz\ncircle_area : ");
    const json = await run(["check", "--signatures", "--format", "json", "."], project());
    const report = JSON.parse(json.out);
    expect(report.signatures["src/geometry.cdz"]).toEqual(
      expect.arrayContaining([expect.stringMatching(/^perimeter : /)]),
    );
    expect(Object.keys(report.signatures)).toHaveLength(6);
  });

  it("run prints the program's output, imported modules first, and exits 1", async () => {
    const r = await run(["run", "proj"], project("proj/"));
    expect(r.out).toBe(expectedOutput);
    expect(r.code).toBe(1);
    // The diagnostics of what ran: module errors and evaluation errors, no type checking.
    expect(rendered(r.err)).toEqual([
      "proj/src/main.cdz:4:18 error `helper` is private to module `geometry`",
      "proj/src/main.cdz:5:18 error module `geometry` has no export `aera`",
      "proj/src/main.cdz:6:8 error unknown module `geomtry`",
      "proj/src/main.cdz:14:3 error `helper` is private to module `geometry`",
      "proj/src/main.cdz:15:3 error module `geometry` has no export `missing`",
      "proj/src/main.cdz:16:1 error type mismatch",
    ]);
  });

  it("eval of the project prints only diagnostics, eval of a clean module its transcript", async () => {
    const bad = await run(["eval", "."], project());
    expect(bad.code).toBe(1);
    expect(bad.out).toBe("");
    expect(rendered(bad.err)).toHaveLength(6);
    const good = await run(["eval", "src/shapes/circle.cdz"], project());
    expect(good).toEqual({ code: 0, out: "() : Unit\n() : Unit\n() : Unit\n() : Unit\n", err: "" });
  });
});

describe("programs over several files", () => {
  const files = {
    "app/main.cdz": 'import util (double)\nprintln "main"\ndouble 21\n',
    "app/util.cdz": 'import deep.base (one)\nprintln "util"\n@export\nfn double x = x * 2 * one\n',
    "app/deep/base.cdz": 'println "base"\n@export\nlet one = 1\n',
  };

  it("run runs each module once, imported ones first", async () => {
    const r = await run(["run", "app/main.cdz"], {
      ...files,
      "app/other.cdz": "import util *\nimport deep.base *\n",
    });
    expect(r).toEqual({ code: 0, out: "base\nutil\nmain\n", err: "" });
  });

  it("eval prints the entry's transcript; what modules print goes to stderr", async () => {
    const r = await run(["eval", "app/main.cdz"], files);
    expect(r).toEqual({
      code: 0,
      out: "() : Unit\n() : Unit\n42 : Integer\n",
      err: "base\nutil\nmain\n",
    });
  });

  it("a file's own folder is the source root outside a project", async () => {
    // `deep.base` from app/util.cdz: relative to util's folder.
    const r = await run(["check", "app/util.cdz"], files);
    expect(r).toEqual({ code: 0, out: "", err: "checked 2 files: no errors\n" });
  });

  it("a file inside a project resolves against the project's source root", async () => {
    const r = await run(["run", "p/src/shapes/ring.cdz"], {
      "p/cadenza.json": '{ "name": "p", "source": "src" }',
      "p/src/shapes/ring.cdz": "import geometry (area)\nprintln (area 2 3)\n",
      "p/src/geometry.cdz": "@export\nfn area w h = w * h\n",
    });
    expect(r).toEqual({ code: 0, out: "6\n", err: "" });
  });

  it("reports a missing module as a diagnostic, never an exception", async () => {
    const missing = { "m.cdz": "import nowhere (x)\nimport utl *\nprintln 1\n", "util.cdz": "" };
    for (const command of ["check", "run", "eval"]) {
      const r = await run([command, "m.cdz"], missing);
      expect(r.code).toBe(1);
      expect(r.err).not.toContain("internal error");
      expect(r.err).toContain("error: unknown module `nowhere`\n --> m.cdz:1:8");
      expect(r.err).toContain("error: unknown module `utl`\n --> m.cdz:2:8");
      expect(r.err).toContain("= help: did you mean `util`?");
    }
    expect((await run(["run", "m.cdz"], missing)).out).toBe("1\n");
  });

  it("a module that does not parse stops run before anything runs", async () => {
    const r = await run(["run", "a.cdz"], {
      "a.cdz": 'import b *\nprintln "a"\n',
      "b.cdz": 'println "b"\nlet x = (1,\n',
    });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain(" --> b.cdz:");
  });

  it("names a module reached through two spellings once", async () => {
    const r = await run(["check", "./a.cdz", "b.cdz"], {
      "a.cdz": "import b (f)\nf 1\n",
      "b.cdz": "@export\nfn f x = x + 1\n",
    });
    expect(r).toEqual({ code: 0, out: "", err: "checked 2 files: no errors\n" });
  });
});

describe("project manifests", () => {
  const src = { "p/src/main.cdz": 'println "hi"\n' };

  it("runs the entry of a project", async () => {
    const r = await run(["run", "p"], {
      "p/cadenza.json": '{ "name": "p", "source": "src" }',
      ...src,
    });
    expect(r).toEqual({ code: 0, out: "hi\n", err: "" });
  });

  it("reports bad JSON at its position in cadenza.json", async () => {
    for (const command of ["check", "run", "eval"]) {
      const r = await run([command, "p"], { "p/cadenza.json": '{ "name": "p",, }', ...src });
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      expect(r.err).toContain("error: invalid project manifest\n --> p/cadenza.json:1:");
      expect(r.err).toContain("JSON syntax");
    }
  });

  it("reports a missing name", async () => {
    const r = await run(["run", "p"], { "p/cadenza.json": '{ "source": "src" }', ...src });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain(" --> p/cadenza.json:1:1");
    expect(r.err).toContain("the project has no `name`");
  });

  it("reports a missing entry at the entry field, or at the manifest for the default", async () => {
    const named = await run(["run", "p"], {
      "p/cadenza.json": '{ "name": "p", "source": "src", "entry": "app.cdz" }',
      ...src,
    });
    expect(named.code).toBe(1);
    expect(named.err).toContain(
      "error: the entry module `app.cdz` does not exist\n --> p/cadenza.json:1:42\n",
    );
    expect(named.err).toContain("there is no p/src/app.cdz");
    const implied = await run(["eval", "p"], { "p/cadenza.json": '{ "name": "p" }', ...src });
    expect(implied.code).toBe(1);
    expect(implied.err).toContain("error: the entry module `main.cdz` does not exist");
    expect(implied.err).toContain("the default entry is p/main.cdz");
    // check reports an entry the manifest names, not a missing default (a library has none).
    const checked = await run(["check", "p"], {
      "p/cadenza.json": '{ "name": "p", "source": "src", "entry": "app.cdz" }',
      ...src,
    });
    expect(checked.code).toBe(1);
    expect(checked.err).toContain("the entry module `app.cdz` does not exist");
    expect(
      (
        await run(["check", "p"], {
          "p/cadenza.json": '{ "name": "p", "source": "src" }',
          "p/src/lib.cdz": "1\n",
        })
      ).code,
    ).toBe(0);
  });

  it("reports a source root that does not exist at the source field", async () => {
    const r = await run(["check", "p"], { "p/cadenza.json": '{ "name": "p", "source": "lib" }' });
    expect(r.code).toBe(1);
    expect(r.err).toContain("error: the source root does not exist\n --> p/cadenza.json:1:26\n");
    expect(r.err).toContain("there is no folder p/lib");
  });

  it("warns about an unknown field and still works", async () => {
    const r = await run(["run", "p"], {
      "p/cadenza.json": '{ "name": "p", "source": "src", "version": "1" }',
      ...src,
    });
    expect(r.code).toBe(0);
    expect(r.out).toBe("hi\n");
    expect(r.err).toContain("warning: unknown field `version` in the project manifest");
  });

  it("a folder without a manifest: check works, run and eval have no entry", async () => {
    const files = { "d/a.cdz": "import b (f)\nf 1\n", "d/b.cdz": "@export\nfn f x = x + 1\n" };
    expect(await run(["check", "d"], files)).toEqual({
      code: 0,
      out: "",
      err: "checked 2 files: no errors\n",
    });
    for (const command of ["run", "eval"]) {
      const r = await run([command, "d"], files);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toBe(
        "error: d has no entry to run: it is a folder without cadenza.json\n" +
          '(add d/cadenza.json, such as { "name": "app", "entry": "main.cdz" }, or give a file)\n',
      );
    }
  });
});

describe("cadenza check --watch on a project", () => {
  it("re-checks an importer when an imported module changes", async () => {
    const io = memoryIO({
      "p/cadenza.json": '{ "name": "p" }',
      "p/main.cdz": "import lib (f)\nf 1\n",
      "p/lib.cdz": "@export\nfn f x = x + 1\n",
    });
    const done = main(["check", "--watch", "p"], io, { version: "0.0.0" });
    await until(() => io.watching().length === 2);
    expect(io.err()).toBe("checked 2 files: no errors\nwatching 2 files for changes\n");

    // f loses its export: main's import breaks.
    let mark = io.err().length;
    io.change("p/lib.cdz", "fn f x = x + 1\n");
    await until(() => since(io, mark).includes("re-checked"));
    expect(since(io, mark)).toContain(
      "error: `f` is private to module `lib`\n --> p/main.cdz:1:13\n",
    );
    expect(since(io, mark).trimEnd().split("\n").at(-1)).toBe(
      "re-checked 2 files in T ms: 1 new, 0 fixed (1 error)",
    );

    // Back: fixed.
    mark = io.err().length;
    io.change("p/lib.cdz", "@export\nfn f x = x + 1\n");
    await until(() => since(io, mark).includes("re-checked"));
    expect(since(io, mark)).toBe(
      "fixed: p/main.cdz:1:13: error: `f` is private to module `lib`\n" +
        "re-checked 2 files in T ms: 0 new, 1 fixed (no errors)\n",
    );

    io.endWatching();
    expect(await done).toBe(0);
  });

  it("follows a module an edit starts importing", async () => {
    const io = memoryIO({
      "main.cdz": "1\n",
      "lib.cdz": "@export\nfn f x = x + 1\n",
    });
    const done = main(["check", "-w", "main.cdz"], io, { version: "0.0.0" });
    await until(() => io.watching().length === 1);
    let mark = io.err().length;
    io.change("main.cdz", "import lib (f)\nf 1\n");
    await until(() => since(io, mark).includes("re-checked"));
    expect(since(io, mark)).toBe("re-checked 2 files in T ms: no change (no errors)\n");
    expect(io.watching()).toEqual(["main.cdz", "lib.cdz"]);
    mark = io.err().length;
    io.change("lib.cdz", "@export\nfn f x = x + true\n");
    await until(() => since(io, mark).includes("re-checked"));
    expect(since(io, mark)).toContain(" --> lib.cdz:2:10");
    io.endWatching();
    expect(await done).toBe(1);
  });
});

describe("check --format json", () => {
  it("prints one JSON document with every diagnostic and the counts", async () => {
    const r = await run(["check", "--format", "json", "a.cdz"], { "a.cdz": 'fn g = 1 + "s"\n' });
    expect(r.code).toBe(1);
    expect(r.err).toBe("");
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ files: ["a.cdz"], errors: 1, warnings: 0 });
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        file: "a.cdz",
        line: 1,
        column: 8,
        endLine: 1,
        severity: "error",
        code: "types/type-mismatch",
        message: "type mismatch",
      }),
    ]);
  });

  it("cannot be combined with --watch", async () => {
    const r = await run(["check", "--format", "json", "--watch", "a.cdz"], { "a.cdz": "1\n" });
    expect(r.code).toBe(2);
    expect(r.err).toContain("--format json cannot be combined with --watch");
  });
});
