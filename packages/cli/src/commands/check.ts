import { type Diagnostic, renderDiagnostics, SourceFile } from "@cadenza/core";
import { type Compiler, createCompiler, poll } from "@cadenza/driver";
import { formatSignatures } from "@cadenza/types";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode } from "../errors.js";
import { expandSourcePaths } from "../files.js";

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

/** One file of a check: how it is named and its last result. */
interface Checked {
  /** The path as given (`-` for standard input). */
  readonly path: string;
  /** The name diagnostics use. */
  readonly name: string;
  source: SourceFile | undefined;
  diagnostics: readonly Diagnostic[];
}

/**
 * Compiles a file through the compiler's event stream (the CLI is a batch client of the
 * same database as the language server) and returns its diagnostics.
 */
function compile(compiler: Compiler, name: string): readonly Diagnostic[] {
  const fiber = compiler.start(name);
  const diagnostics: Diagnostic[] = [];
  while (!fiber.done) {
    for (const e of poll(fiber).events) {
      if (e.kind === "diag") diagnostics.push(e.diagnostic);
      if (e.kind === "error") throw e.error;
    }
  }
  return diagnostics;
}

/**
 * What identifies a diagnostic across edits, for `--watch`: not its offset (an edit above
 * moves it), but what it says and the text it points at.
 */
function identity(d: Diagnostic, source: SourceFile): string {
  const { start, end } = d.primary.span;
  return [d.severity, d.code, d.message, d.primary.message, source.text.slice(start, end)].join(
    "\u0000",
  );
}

/** The diagnostics of `after` that are not in `before` (as multisets, by identity). */
function added(
  before: readonly Diagnostic[],
  beforeSource: SourceFile | undefined,
  after: readonly Diagnostic[],
  afterSource: SourceFile | undefined,
): Diagnostic[] {
  const left = new Map<string, number>();
  if (beforeSource !== undefined) {
    for (const d of before) {
      const k = identity(d, beforeSource);
      left.set(k, (left.get(k) ?? 0) + 1);
    }
  }
  const out: Diagnostic[] = [];
  if (afterSource === undefined) return out;
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

/**
 * `cadenza check FILE…`: compiles each file without printing its values — parse, the
 * compile-time evaluation of top-level code (LANGUAGE.md principle 1: it expands macros and
 * defines what the file defines), and type checking of every item, including code that never
 * runs. Diagnostics of every file go to stderr, rendered per LANGUAGE.md §8.1 (parse and
 * evaluation diagnostics first, then type diagnostics in source order); a one-line summary
 * follows unless `--quiet`. Exits 1 when any file has an error (or cannot be read), 0
 * otherwise; warnings do not fail the check.
 *
 * Folders stand for every `.cdz` file below them. With `--signatures` it also prints, on
 * stdout, `name : Type` for each top-level definition (one per line, in definition order; a
 * `# file` heading before each file's lines when several files are checked).
 *
 * With `--watch` it keeps watching the files and, after each change, re-checks them through
 * the same incremental compiler and prints only what changed — the new diagnostics in full,
 * the fixed ones in one line each — and how long it took. It ends when the host stops it
 * (Ctrl-C) and exits with the status of the last check.
 */
export const checkCommand: CliCommand = {
  name: "check",
  register(program: Command, context: CliContext): void {
    program
      .command("check")
      .description(
        "check files without printing values: parse, compile-time evaluation, types (units, records, traits, effects)",
      )
      .argument("<paths...>", "Cadenza files or folders of them to check (- for standard input)")
      .option("-w, --watch", "re-check when a file changes and print what changed")
      .option("-s, --signatures", "print `name : Type` for each top-level definition on stdout")
      .action(
        context.action(
          async (
            given: string[],
            options: { watch?: boolean; signatures?: boolean },
          ): Promise<number> => {
            const paths = await expandSourcePaths(context.io, given);
            if (paths.length === 0) {
              context.io.stderr.write(`error: no ${"`.cdz`"} files in ${given.join(", ")}\n`);
              return ExitCode.failure;
            }
            const compiler = createCompiler();
            const files: Checked[] = paths.map((path) => ({
              path,
              name: path === "-" ? "<stdin>" : path,
              source: undefined,
              diagnostics: [],
            }));
            const read = async (file: Checked, reportFailure: boolean): Promise<void> => {
              const source = reportFailure
                ? await context.readSource(file.path)
                : await readQuietly(context, file.path);
              file.source = source;
              if (source === undefined) compiler.removeFile(file.name);
              else compiler.setFile(file.name, source.text);
            };
            const checkAll = (): void => {
              for (const file of files) {
                file.diagnostics = file.source === undefined ? [] : compile(compiler, file.name);
              }
            };
            const status = (): { errors: number; warnings: number; code: number } => {
              let errors = 0;
              let warnings = 0;
              for (const file of files) {
                for (const d of file.diagnostics) {
                  if (d.severity === "error") errors++;
                  else if (d.severity === "warning") warnings++;
                }
              }
              const unreadable = files.filter((f) => f.source === undefined).length;
              return {
                errors,
                warnings,
                code: errors > 0 || unreadable > 0 ? ExitCode.failure : ExitCode.ok,
              };
            };

            for (const file of files) await read(file, true);
            checkAll();
            for (const file of files) {
              if (file.source === undefined) continue;
              context.printDiagnostics(file.diagnostics, file.source);
              if (options.signatures === true) {
                const signatures = formatSignatures(compiler.typecheck(file.name));
                const heading = files.length > 1 ? `# ${file.name}\n` : "";
                context.io.stdout.write(heading + signatures);
              }
            }
            const first = status();
            const checked = files.filter((f) => f.source !== undefined).length;
            context.info(
              `checked ${plural(checked, "file")}: ${counts(first.errors, first.warnings)}`,
            );
            if (options.watch !== true) return first.code;
            return watch(context, files, read, checkAll, status);
          },
        ),
      );
  },
};

/** Reads a file for `--watch`, where a file that vanished is reported once by the caller. */
async function readQuietly(context: CliContext, path: string): Promise<SourceFile | undefined> {
  try {
    return SourceFile.fromRaw(path, await context.io.readFile(path));
  } catch {
    return undefined;
  }
}

/** The `--watch` loop: resolves to the exit code of the last check once watching ends. */
function watch(
  context: CliContext,
  files: Checked[],
  read: (file: Checked, reportFailure: boolean) => Promise<void>,
  checkAll: () => void,
  status: () => { errors: number; warnings: number; code: number },
): Promise<number> {
  const { io } = context;
  const watched = files.filter((f) => f.path !== "-");
  context.info(`watching ${plural(watched.length, "file")} for changes`);
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
      void queue.then(() => resolve(status().code));
    };
    const recheck = async (): Promise<void> => {
      if (dirty.size === 0) return;
      const changed = [...dirty];
      dirty.clear();
      const before = new Map(
        files.map((f) => [f, { source: f.source, diagnostics: f.diagnostics }]),
      );
      for (const file of changed) await read(file, false);
      const started = performance.now();
      checkAll();
      const millis = performance.now() - started;
      let fresh = 0;
      let fixed = 0;
      for (const file of files) {
        const old = before.get(file)!;
        const gone = added(file.diagnostics, file.source, old.diagnostics, old.source);
        const now = added(old.diagnostics, old.source, file.diagnostics, file.source);
        if (old.source !== undefined && file.source === undefined)
          io.stderr.write(`error: cannot read ${file.path}: it was removed\n`);
        for (const d of gone) {
          io.stderr.write(`fixed: ${where(d, old.source!)}: ${d.severity}: ${d.message}\n`);
        }
        if (now.length > 0 && file.source !== undefined) {
          const source = file.source;
          io.stderr.write(
            renderDiagnostics(now, () => source, { color: context.useColor("stderr") }),
          );
        }
        fresh += now.length;
        fixed += gone.length;
      }
      const { errors, warnings } = status();
      const change = fresh === 0 && fixed === 0 ? "no change" : `${fresh} new, ${fixed} fixed`;
      context.info(
        `re-checked ${plural(files.length, "file")} in ${millis.toFixed(1)} ms: ${change} (${counts(errors, warnings)})`,
      );
    };
    for (const file of watched) {
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
    }
    if (watched.length === 0) end();
  });
}
