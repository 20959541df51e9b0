/**
 * A program for `cadenza run` and `cadenza eval`: the entry module (a file, standard input, or
 * the entry of a project) and the modules it imports, read ahead through the CLI's IO and
 * compiled by one compiler of `@cadenza/driver`.
 */
import { type Diagnostic, renderDiagnostics, SourceFile } from "@cadenza/core";
import { type Compiler, createCompiler } from "@cadenza/driver";
import { type EvalOptions, sourceOrder } from "@cadenza/eval";
import { MANIFEST_NAME } from "@cadenza/modules";
import type { CliContext } from "./command.js";
import { ExitCode } from "./errors.js";
import { ModuleFiles, modulePath } from "./modules.js";
import { type ManifestFile, missingEntry, resolveTarget } from "./project.js";

/** A program ready to run: its compiler, its entry, and how to show its diagnostics. */
export interface Program {
  readonly compiler: Compiler;
  /** The entry module, as the compiler names it. */
  readonly entry: string;
  /** Renders diagnostics of any of the program's files to stderr. */
  print(diagnostics: readonly Diagnostic[]): void;
}

/**
 * Opens the program `target` names (see `project.ts`), printing what is wrong with its
 * manifest. Resolves to the exit code instead when there is nothing to run: a folder without
 * a manifest (a usage error, with a hint), a manifest with errors or without its entry
 * module, a file that cannot be read.
 */
export async function openProgram(
  context: CliContext,
  target: string,
  evaluation: EvalOptions,
): Promise<Program | number> {
  const { io } = context;
  const where = await resolveTarget(io, target);
  const sources = new Map<string, SourceFile>();
  let compiler: Compiler | undefined;
  const sourceOf = (file: string): SourceFile => {
    const known = sources.get(file);
    if (known !== undefined) return known;
    const source = new SourceFile(file, compiler?.source(file).text ?? "");
    sources.set(file, source);
    return source;
  };
  const print = (diagnostics: readonly Diagnostic[]): void => {
    if (diagnostics.length === 0) return;
    io.stderr.write(
      renderDiagnostics(diagnostics, sourceOf, { color: context.useColor("stderr") }),
    );
  };
  const manifest: ManifestFile | undefined = where.manifest;
  if (manifest !== undefined) {
    sources.set(manifest.path, manifest.source);
    print(manifest.diagnostics);
    if (manifest.manifest === undefined) return ExitCode.failure;
  }

  let entry: string;
  let text: string;
  if (where.kind === "folder") {
    const project = manifest?.manifest;
    if (project === undefined) {
      io.stderr.write(
        `error: ${target} has no entry to run: it is a folder without ${MANIFEST_NAME}\n` +
          `(add ${modulePath(`${target}/${MANIFEST_NAME}`)}, such as { "name": "app", "entry": "main.cdz" }, or give a file)\n`,
      );
      return ExitCode.usage;
    }
    entry = project.entry;
    try {
      text = SourceFile.fromRaw(entry, await io.readFile(entry)).text;
    } catch {
      print([missingEntry(manifest!, project)]);
      return ExitCode.failure;
    }
    sources.set(entry, new SourceFile(entry, text));
  } else {
    const source = await context.readSource(target);
    if (source === undefined) return ExitCode.failure;
    entry = target === "-" ? source.name : modulePath(target);
    text = source.text;
    // Diagnostics name the entry as the path was given (LANGUAGE.md §9).
    sources.set(entry, source);
  }

  const files = new ModuleFiles(io, where.root);
  files.set(entry, text);
  await files.load([entry]);
  compiler = createCompiler({ modules: { host: files.host, root: where.root }, evaluation });
  files.sync(compiler);
  return { compiler, entry, print };
}

/**
 * The diagnostics of one module of a run, without type checking (`run` and `eval` report
 * what the program does, LANGUAGE.md §9): parse and module diagnostics in source order, then
 * evaluation diagnostics in the order they occurred. A module without imports has no module
 * diagnostics, and its list is exactly `evaluateSource`'s.
 */
export function runDiagnostics(compiler: Compiler, file: string): Diagnostic[] {
  const parsed = compiler.parse(file);
  const evaluated = compiler.evaluation(file).diagnostics;
  const modules = compiler.moduleDiagnostics(file);
  return [...sourceOrder([...parsed.diagnostics, ...modules]), ...evaluated];
}

/** The modules of the program in the order to run them, each once, ending with the entry. */
export function runOrder(program: Program): readonly string[] {
  return program.compiler.moduleOrder(program.entry);
}
