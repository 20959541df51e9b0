import { type Diagnostic, renderDiagnostics, SourceFile } from "@cadenza/core";
import { type Compiler, createCompiler, poll } from "@cadenza/driver";
import { manifestFieldSpan } from "@cadenza/modules";
import { formatSignatures } from "@cadenza/types";
import { type Command, Option } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode, UsageError } from "../errors.js";
import { expandSourcePaths } from "../files.js";
import { ModuleFiles, modulePath } from "../modules.js";
import { missingEntry, missingSource, resolveTarget } from "../project.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `3 errors, 1 warning`, or `no errors`. */
function counts(errors: number, warnings: number): string {
  if (errors === 0 && warnings === 0) return "no errors";
  return [
    errors > 0 ? plural(errors, "error") : undefined,
    warnings > 0 ? plural(warnings, "warning") : undefined,
  ]
    .filter((s) => s !== undefined)
    .join(", ");
}

/** The files of a check that share a source root, and so one compiler. */
interface Group {
  readonly root: string;
  readonly files: ModuleFiles;
  readonly compiler: Compiler;
}

/**
 * One file of a check: a module (named on the command line, found in a folder, or imported
 * by one of those) or a project manifest, and its last result.
 */
interface Checked {
  /** The path to read it from (as given or found; an imported module's compiler name). */
  readonly path: string;
  /** The name diagnostics use (`<stdin>` for standard input). */
  readonly name: string;
  /** The name the compiler knows it by. */
  readonly key: string;
  /** The compiler that checks it; undefined for a manifest, whose diagnostics are fixed. */
  readonly group: Group | undefined;
  /** Whether it was asked for (a read failure is reported) or only imported. */
  readonly given: boolean;
  source: SourceFile | undefined;
  diagnostics: readonly Diagnostic[];
}

/**
 * Compiles a file through the compiler's event stream (the CLI is a batch client of the
 * same database as the language server) and returns its diagnostics: the complete list of
 * the compilation's result.
 */
function compile(compiler: Compiler, name: string): readonly Diagnostic[] {
  const fiber = compiler.start(name);
  let diagnostics: readonly Diagnostic[] = [];
  while (!fiber.done) {
    for (const e of poll(fiber).events) {
      if (e.kind === "done") diagnostics = e.result.diagnostics;
      if (e.kind === "error") throw e.error;
    }
  }
  return diagnostics;
}

/** The source a diagnostic's spans refer to, named for display. */
type SourceOf = (file: string) => SourceFile;

/**
 * What identifies a diagnostic across edits, for `--watch`: not its offset (an edit above
 * moves it), but where, what it says and the text it points at.
 */
function identity(d: Diagnostic, sourceOf: SourceOf): string {
  const { start, end } = d.primary.span;
  return [
    d.file,
    d.severity,
    d.code,
    d.message,
    d.primary.message,
    sourceOf(d.file).text.slice(start, end),
  ].join("\u0000");
}

/** The diagnostics of `after` that are not in `before` (as multisets, by identity). */
function added(
  before: readonly Diagnostic[],
  beforeSource: SourceOf,
  after: readonly Diagnostic[],
  afterSource: SourceOf,
): Diagnostic[] {
  const left = new Map<string, number>();
  for (const d of before) {
    const k = identity(d, beforeSource);
    left.set(k, (left.get(k) ?? 0) + 1);
  }
  const out: Diagnostic[] = [];
  for (const d of after) {
    const k = identity(d, afterSource);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else out.push(d);
  }
  return out;
}

/** `a.cdz:3:5` for a diagnostic's position. */
function where(d: Diagnostic, source: SourceFile): string {
  const at = source.lineColumn(d.position ?? d.primary.span.start);
  return `${source.name}:${at.line}:${at.column}`;
}

/** The options of `cadenza check`. */
interface CheckOptions {
  readonly watch?: boolean;
  readonly signatures?: boolean;
  readonly format?: "text" | "json";
}

/**
 * `cadenza check PATH…`: compiles each file without printing its values — parse, the
 * compile-time evaluation of top-level code (LANGUAGE.md principle 1: it expands macros and
 * defines what the file defines), and type checking of every item, including code that never
 * runs. Diagnostics of every file go to stderr, rendered per LANGUAGE.md §8.1 (parse and
 * evaluation diagnostics first, then type diagnostics in source order); a one-line summary
 * follows unless `--quiet`. Exits 1 when any file has an error (or cannot be read), 0
 * otherwise; warnings do not fail the check.
 *
 * Folders stand for every `.cdz` file below them; a folder with a `cadenza.json` is a project
 * (docs/spec/15-modules.md): the manifest's diagnostics come first, then every `.cdz` file
 * under its source root. Modules the checked files import are checked too (they are part of
 * the program), after the files named. With `--signatures` it also prints, on stdout,
 * `name : Type` for each top-level definition (one per line, in definition order; a `# file`
 * heading before each file's lines when several files are checked). `--format json` prints
 * one JSON document on stdout instead of rendering (see the README).
 *
 * With `--watch` it keeps watching the files and, after each change, re-checks them through
 * the same incremental compilers and prints only what changed — the new diagnostics in full,
 * the fixed ones in one line each — and how long it took. An edit of an imported module
 * re-checks its importers. It ends when the host stops it (Ctrl-C) and exits with the status
 * of the last check.
 */
export const checkCommand: CliCommand = {
  name: "check",
  register(program: Command, context: CliContext): void {
    program
      .command("check")
      .description(
        "check files without printing values: parse, compile-time evaluation, types (units, records, traits, effects)",
      )
      .argument(
        "<paths...>",
        "Cadenza files, folders of them or project folders to check (- for standard input)",
      )
      .option("-w, --watch", "re-check when a file changes and print what changed")
      .option("-s, --signatures", "print `name : Type` for each top-level definition on stdout")
      .addOption(
        new Option("--format <format>", "how to report: text (rendered) or json (on stdout)")
          .choices(["text", "json"])
          .default("text"),
      )
      .action(
        context.action((given: string[], options: CheckOptions) => check(context, given, options)),
      );
  },
};

async function check(context: CliContext, given: string[], options: CheckOptions): Promise<number> {
  const { io } = context;
  const json = options.format === "json";
  if (json && options.watch === true)
    throw new UsageError("--format json cannot be combined with --watch");
  const groups = new Map<string, Group>();
  const groupOf = (root: string): Group => {
    let group = groups.get(root);
    if (group === undefined) {
      const files = new ModuleFiles(io, root);
      const compiler = createCompiler({ modules: { host: files.host, root } });
      group = { root, files, compiler };
      groups.set(root, group);
    }
    return group;
  };
  const all: Checked[] = [];
  const byKey = new Map<string, Checked>();
  const add = (file: Checked): void => {
    if (byKey.has(file.key)) return;
    byKey.set(file.key, file);
    all.push(file);
  };
  const modules = (): Checked[] => all.filter((f) => f.group !== undefined);

  for (const path of given) {
    const target = await resolveTarget(io, path);
    const manifest = target.manifest;
    if (manifest !== undefined && !byKey.has(manifest.path)) {
      const diagnostics = [...manifest.diagnostics];
      const project = manifest.manifest;
      // A project's entry is checked when the manifest names one (the default `main.cdz`
      // may be absent: a library has none).
      if (
        target.kind === "folder" &&
        project !== undefined &&
        manifestFieldSpan(manifest.source.text, "entry").end > 0 &&
        (await io.stat(project.entry)) !== "file"
      )
        diagnostics.push(missingEntry(manifest, project));
      if (
        target.kind === "folder" &&
        project !== undefined &&
        (await io.stat(project.source)) !== "directory"
      )
        diagnostics.push(missingSource(manifest, project));
      add({
        path: manifest.path,
        name: manifest.path,
        key: manifest.path,
        group: undefined,
        given: true,
        source: manifest.source,
        diagnostics,
      });
    }
    const group = groupOf(target.root);
    const folder = manifest?.manifest === undefined ? path : target.root;
    const found =
      target.kind !== "folder"
        ? [path]
        : (await io.stat(folder)) === "directory"
          ? await expandSourcePaths(io, [folder])
          : [];
    for (const file of found) {
      const key = file === "-" ? "<stdin>" : modulePath(file);
      add({
        path: file,
        name: file === "-" ? "<stdin>" : file,
        key,
        group,
        given: true,
        source: undefined,
        diagnostics: [],
      });
    }
  }

  const sourceOf: SourceOf = (file) => {
    const known = byKey.get(file)?.source;
    if (known !== undefined) return known;
    for (const group of groups.values()) {
      const text = group.files.text(file);
      if (text !== undefined) return new SourceFile(file, text);
    }
    return new SourceFile(file, "");
  };
  const render = (diagnostics: readonly Diagnostic[], of: SourceOf): string =>
    renderDiagnostics(diagnostics, of, { color: context.useColor("stderr") });

  if (modules().length === 0) {
    const shown = all.flatMap((f) => f.diagnostics);
    if (shown.length > 0) io.stderr.write(render(shown, sourceOf));
    io.stderr.write(`error: no ${"`.cdz`"} files in ${given.join(", ")}\n`);
    return ExitCode.failure;
  }

  /** Reads the files asked for (again, after a change) and what they import. */
  const load = async (reread: readonly Checked[], reportFailure: boolean): Promise<Checked[]> => {
    if (!reportFailure) for (const group of groups.values()) group.files.refresh();
    for (const file of reread) {
      const group = file.group;
      if (group === undefined) continue;
      if (!file.given) {
        group.files.forget(file.key);
        continue;
      }
      const source = reportFailure
        ? await context.readSource(file.path)
        : await readQuietly(context, file.path);
      group.files.set(file.key, source?.text);
    }
    const fresh: Checked[] = [];
    for (const group of groups.values()) {
      const entries = modules()
        .filter((f) => f.group === group && f.given)
        .map((f) => f.key);
      await group.files.load(entries);
      group.files.sync(group.compiler);
      const imported = group.files
        .files()
        .filter((key) => !byKey.has(key))
        .sort();
      for (const key of imported) {
        const file: Checked = {
          path: key,
          name: key,
          key,
          group,
          given: false,
          source: undefined,
          diagnostics: [],
        };
        add(file);
        fresh.push(file);
      }
    }
    for (const file of modules()) {
      const text = file.group!.files.text(file.key);
      if (text === undefined) file.source = undefined;
      else if (file.source?.text !== text) file.source = new SourceFile(file.name, text);
    }
    return fresh;
  };
  const checkAll = (): void => {
    for (const file of modules()) {
      file.diagnostics = file.source === undefined ? [] : compile(file.group!.compiler, file.key);
    }
  };
  const status = (): { errors: number; warnings: number; code: number } => {
    let errors = 0;
    let warnings = 0;
    for (const file of all) {
      for (const d of file.diagnostics) {
        if (d.severity === "error") errors++;
        else if (d.severity === "warning") warnings++;
      }
    }
    const unreadable = all.filter((f) => f.given && f.source === undefined).length;
    return {
      errors,
      warnings,
      code: errors > 0 || unreadable > 0 ? ExitCode.failure : ExitCode.ok,
    };
  };

  await load(modules(), true);
  checkAll();
  const checked = modules().filter((f) => f.source !== undefined);
  const signatures = (file: Checked): string =>
    formatSignatures(file.group!.compiler.typecheck(file.key));
  if (json) {
    const first = status();
    const report: JsonReport = {
      files: checked.map((f) => f.name),
      diagnostics: all.flatMap((f) => f.diagnostics.map((d) => toJson(d, sourceOf))),
      errors: first.errors,
      warnings: first.warnings,
      ...(options.signatures === true
        ? {
            signatures: Object.fromEntries(
              checked.map((f) => [
                f.name,
                signatures(f)
                  .split("\n")
                  .filter((l) => l !== ""),
              ]),
            ),
          }
        : {}),
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return first.code;
  }
  // Every diagnostic, file by file, separated by blank lines like the diagnostics of one file.
  const shown = all.filter((f) => f.source !== undefined).flatMap((f) => f.diagnostics);
  if (shown.length > 0) io.stderr.write(render(shown, sourceOf));
  if (options.signatures === true) {
    for (const file of checked) {
      const heading = checked.length > 1 ? `# ${file.name}\n` : "";
      io.stdout.write(heading + signatures(file));
    }
  }
  const first = status();
  context.info(
    `checked ${plural(checked.length, "file")}: ${counts(first.errors, first.warnings)}`,
  );
  if (options.watch !== true) return first.code;
  return watch(context, { all: modules, sourceOf, render, load, checkAll, status });
}

/** A diagnostic as `cadenza check --format json` prints it: 1-based lines and columns. */
export interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  /** The message of the primary label. */
  readonly label: string;
  readonly notes: readonly { readonly kind: string; readonly message: string }[];
}

/** What `cadenza check --format json` prints on stdout. */
export interface JsonReport {
  /** The files checked. */
  readonly files: readonly string[];
  readonly diagnostics: readonly JsonDiagnostic[];
  readonly errors: number;
  readonly warnings: number;
  /** With `--signatures`: file → its `name : Type` lines. */
  readonly signatures?: Readonly<Record<string, readonly string[]>>;
}

function toJson(d: Diagnostic, sourceOf: SourceOf): JsonDiagnostic {
  const source = sourceOf(d.file);
  const at = source.lineColumn(d.position ?? d.primary.span.start);
  const end = source.lineColumn(d.primary.span.end);
  return {
    file: source.name,
    line: at.line,
    column: at.column,
    endLine: end.line,
    endColumn: end.column,
    severity: d.severity,
    code: d.code,
    message: d.message,
    label: d.primary.message,
    notes: d.notes.map((n) => ({ kind: n.kind, message: n.message })),
  };
}

/** Reads a file for `--watch`, where a file that vanished is reported once by the caller. */
async function readQuietly(context: CliContext, path: string): Promise<SourceFile | undefined> {
  try {
    return SourceFile.fromRaw(path, await context.io.readFile(path));
  } catch {
    return undefined;
  }
}

/** What the `--watch` loop works with. */
interface Session {
  /** The modules checked (they grow when an edit imports a new one). */
  all(): Checked[];
  readonly sourceOf: SourceOf;
  render(diagnostics: readonly Diagnostic[], sourceOf: SourceOf): string;
  /** Reads the changed files again, and any module newly imported (returned). */
  load(changed: readonly Checked[], reportFailure: boolean): Promise<Checked[]>;
  checkAll(): void;
  status(): { errors: number; warnings: number; code: number };
}

/** The `--watch` loop: resolves to the exit code of the last check once watching ends. */
function watch(context: CliContext, session: Session): Promise<number> {
  const { io } = context;
  const watchable = (f: Checked): boolean => f.path !== "-";
  context.info(`watching ${plural(session.all().filter(watchable).length, "file")} for changes`);
  return new Promise<number>((resolve) => {
    const closers: (() => void)[] = [];
    const dirty = new Set<Checked>();
    let queue: Promise<void> = Promise.resolve();
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      for (const close of closers) close();
      // Let a re-check in progress finish before the last status is read.
      void queue.then(() => resolve(session.status().code));
    };
    const recheck = async (): Promise<void> => {
      if (dirty.size === 0) return;
      const changed = [...dirty];
      dirty.clear();
      const files = session.all();
      const before = new Map(
        files.map((f) => [f, { source: f.source, diagnostics: f.diagnostics }]),
      );
      const oldSources = new Map(files.map((f) => [f.key, f.source]));
      const oldSourceOf: SourceOf = (file) => oldSources.get(file) ?? session.sourceOf(file);
      const fresh = await session.load(changed, false);
      for (const file of fresh) follow(file);
      const started = performance.now();
      session.checkAll();
      const millis = performance.now() - started;
      let newCount = 0;
      let fixedCount = 0;
      for (const file of session.all()) {
        const old = before.get(file) ?? { source: undefined, diagnostics: [] };
        const gone = added(file.diagnostics, session.sourceOf, old.diagnostics, oldSourceOf);
        const now = added(old.diagnostics, oldSourceOf, file.diagnostics, session.sourceOf);
        if (file.given && old.source !== undefined && file.source === undefined)
          io.stderr.write(`error: cannot read ${file.path}: it was removed\n`);
        for (const d of gone) {
          io.stderr.write(`fixed: ${where(d, oldSourceOf(d.file))}: ${d.severity}: ${d.message}\n`);
        }
        if (now.length > 0) io.stderr.write(session.render(now, session.sourceOf));
        newCount += now.length;
        fixedCount += gone.length;
      }
      const { errors, warnings } = session.status();
      const change =
        newCount === 0 && fixedCount === 0 ? "no change" : `${newCount} new, ${fixedCount} fixed`;
      context.info(
        `re-checked ${plural(session.all().length, "file")} in ${millis.toFixed(1)} ms: ${change} (${counts(errors, warnings)})`,
      );
    };
    const follow = (file: Checked): void => {
      if (!watchable(file)) return;
      closers.push(
        io.watch(file.path, (event) => {
          if (event === "end") {
            end();
            return;
          }
          if (ended) return;
          dirty.add(file);
          queue = queue.then(recheck, recheck);
        }),
      );
    };
    const watched = session.all().filter(watchable);
    for (const file of watched) follow(file);
    if (watched.length === 0) end();
  });
}
