/**
 * Imports in the REPL (docs/spec/15-modules.md): an entry that imports is resolved as a module
 * of the current folder (or of the project around it) — its modules are read ahead through
 * the CLI's IO, compiled by one compiler of `@cadenza/driver`, and the names the entry imports
 * are added to the session, their values read from the compiler when used.
 */
import type { Diagnostic, SourceFile } from "@cadenza/core";
import { type Compiler, createCompiler } from "@cadenza/driver";
import {
  ERROR,
  type EvalOptions,
  type ImportedName,
  type ImportResolution,
  type Tree,
  type Value,
} from "@cadenza/eval";
import { readImports } from "@cadenza/modules";
import type { Node } from "@cadenza/syntax";
import type { CliIO } from "./io.js";
import { ModuleFiles } from "./modules.js";
import { resolveTarget } from "./project.js";

/** The module the entries are, to the compiler (no file has this name). */
const ENTRY = "<repl>";

const NONE: ImportResolution = { names: new Map(), diagnostics: [] };

/** The imports of a REPL session. */
export class ReplImports {
  private constructor(
    private readonly files: ModuleFiles,
    private readonly compiler: Compiler,
  ) {}

  /** Imports resolved in the current folder, or in the project whose `cadenza.json` is here or above. */
  static async open(io: CliIO, evaluation: EvalOptions): Promise<ReplImports> {
    const where = await resolveTarget(io, `./${ENTRY}`);
    const files = new ModuleFiles(io, where.root);
    const compiler = createCompiler({
      modules: { host: files.host, root: where.root },
      evaluation,
    });
    return new ReplImports(files, compiler);
  }

  /** Reads the modules an entry imports (before it runs: reading is asynchronous). */
  async prepare(text: string): Promise<void> {
    if (!text.includes("import")) return;
    this.files.set(ENTRY, text);
    await this.files.load([ENTRY]);
    this.files.sync(this.compiler);
  }

  /** What an entry's imports bind, and their errors (the session's `resolveImports`). */
  resolve(source: SourceFile, items: readonly Tree[]): ImportResolution {
    if (!source.text.includes("import")) return NONE;
    const { imports } = readImports(ENTRY, items as readonly Node[]);
    if (imports.length === 0) return NONE;
    const c = this.compiler;
    c.setFile(ENTRY, source.text);
    const targets = c.imports(ENTRY);
    const names = new Map<string, ImportedName>();
    imports.forEach((decl, i) => {
      const form = decl.form;
      const listed =
        form.kind === "names"
          ? form.names.map((n) => n.name)
          : form.kind === "alias"
            ? [form.alias]
            : targets[i] === null || targets[i] === undefined
              ? []
              : c.exportedNames(targets[i]!);
      for (const name of listed) names.set(name, this.binding(name));
    });
    const diagnostics: Diagnostic[] = c
      .moduleDiagnostics(ENTRY)
      .map((d) => ({ ...d, file: source.name }));
    return { names, diagnostics };
  }

  /** The value an imported name has: a definition of another module, or a module (`as q`). */
  private binding(name: string): ImportedName {
    const c = this.compiler;
    const found = c.importedName(ENTRY, name);
    if (found === undefined) return { read: () => ERROR };
    const { file, name: defined } = found;
    if (defined !== undefined) {
      const definition = () => c.evaluation(file).module.definitions.get(defined);
      return { read: () => definition()?.value ?? ERROR, doc: () => definition()?.doc };
    }
    // `import m as q`: the module's exports defined in it (re-exports are not members here).
    const members = new Map<string, Value>();
    const exported = c.exportedNames(file);
    const definitions = c.evaluation(file).module.definitions;
    for (const n of exported) {
      const d = definitions.get(n);
      if (d !== undefined) members.set(n, d.value);
    }
    const value: Value = { kind: "module", name: found.module, members };
    return { read: () => value, members: exported };
  }
}
