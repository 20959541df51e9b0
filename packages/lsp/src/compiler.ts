/**
 * What the engine needs from the compiler: files in, analyses out, computed as fibers that
 * yield at natural points so that edits and requests pre-empt them. {@link createDriverHost}
 * implements it on `@cadenza/driver`: one incremental query database for every file, whose
 * compilations yield per definition and binding group and keep everything they completed
 * when an edit stops them.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { SourceFile } from "@cadenza/core";
import { type CompileFiber, type Compiler, createCompiler, poll } from "@cadenza/driver";
import {
  describeExport,
  type ExportCandidate,
  type FileAnalysis,
  type ImportedModule,
  type ImportedSymbol,
  type ImportTable,
  importDecls,
  resolveNames,
} from "@cadenza/ide";
import {
  type ImportDecl,
  joinPath,
  MANIFEST_NAME,
  MODULE_EXTENSION,
  type ModuleHost,
  moduleName,
  parseManifest,
} from "@cadenza/modules";
import { diskPath } from "./paths.js";

/** One step of an analysis: more to do, or the finished analysis. */
export type AnalysisStep =
  | { readonly done: false; readonly phase: string }
  | { readonly done: true; readonly analysis: FileAnalysis };

/** A resumable analysis of one file's current text. */
export interface AnalysisFiber {
  /** Runs until the next yield point. */
  step(): AnalysisStep;
}

/** The compiler as the engine uses it. Paths are the compiler's (`paths.ts`). */
export interface AnalysisHost {
  /** Sets (or replaces) the text of a file. */
  setFile(path: string, text: string): void;
  removeFile(path: string): void;
  /** The text the compiler has for a file (undefined when it has none). */
  text(path: string): string | undefined;
  /** The step budget of compile-time evaluation, for the analyses that start from now on. */
  setEvaluationSteps(steps: number): void;
  /**
   * The workspace folders (paths): imports not found beside the importer are looked for
   * under the source root, the `source` of the `cadenza.json` of the first folder that has
   * one (else the first folder), and module files the compiler does not have are read from
   * the disk. True when the source root changed (every result is then computed again).
   */
  setWorkspace(folders: readonly string[]): boolean;
  /** Starts (or resumes) the analysis of a file's current text. */
  analyze(path: string): AnalysisFiber;
  /** A cheap analysis without evaluation or types (for workspace symbols of unchecked files). */
  outline(path: string): FileAnalysis | undefined;
  /** The full analysis of a file now (for features across files on files not checked yet). */
  analysis(path: string): FileAnalysis;
  /** A file's text as the compiler has it, for positions in results about another file. */
  source(path: string): SourceFile | undefined;
  /** Every file the compiler has: those set and the modules it read. */
  files(): readonly string[];
  /**
   * Whether `path` imports `target`, directly or through other modules (with `created`, also
   * whether one of its imports resolves to nothing: a new file may be that module).
   */
  dependsOn(path: string, target: string, created: boolean): boolean;
  /** The exported names of the project's other modules, for completion and quick fixes. */
  exportCandidates(path: string): ExportCandidate[];
}

/** Options of {@link createDriverHost}. */
export interface DriverHostOptions {
  /** The evaluation step budget (default 1,000,000). */
  readonly steps?: number;
  /** How long one step of an analysis may run before yielding, in milliseconds (default 10). */
  readonly sliceMillis?: number;
  /** Reads a file from the disk (default: `readFileSync`; undefined when there is none). */
  readonly readDisk?: (path: string) => string | undefined;
  /** Lists the `.cdz` files of a folder on disk (default: `readdirSync`). */
  readonly listDisk?: (folder: string) => readonly string[];
}

function readDiskFile(path: string): string | undefined {
  const disk = diskPath(path);
  if (disk === undefined) return undefined;
  try {
    return readFileSync(disk, "utf8");
  } catch {
    return undefined;
  }
}

function listDiskFolder(folder: string): readonly string[] {
  const disk = diskPath(folder);
  if (disk === undefined) return [];
  try {
    return readdirSync(disk).filter((n) => n.endsWith(MODULE_EXTENSION));
  } catch {
    return [];
  }
}

/** Whether `path` is `folder` or inside it. */
function within(folder: string, path: string): boolean {
  const prefix = folder.endsWith("/") ? folder : `${folder}/`;
  return path === folder || path.startsWith(prefix);
}

/** The analysis host on the compiler driver. */
export function createDriverHost(options: DriverHostOptions = {}): AnalysisHost {
  const texts = new Map<string, string>();
  const slice = options.sliceMillis ?? 10;
  const readDisk = options.readDisk ?? readDiskFile;
  const listDisk = options.listDisk ?? listDiskFolder;
  let steps = options.steps ?? 1_000_000;
  let folders: readonly string[] = [];
  let root: string | undefined;
  /** Grows when a file comes or goes (which can change what an import resolves to). */
  let fileSet = 0;
  // Modules the compiler does not have: the open documents' texts (which it has anyway), then
  // the disk under the workspace folders (anywhere when there are none).
  const modules: ModuleHost = {
    readFile: (path) => {
      const open = texts.get(path);
      if (open !== undefined) return open;
      if (folders.length > 0 && !folders.some((f) => within(f, path))) return undefined;
      return readDisk(path);
    },
    listModules: (folder) => listDisk(folder),
  };
  const make = (): Compiler => {
    const c = createCompiler({
      evaluation: { budget: { steps } },
      modules: root === undefined ? { host: modules } : { host: modules, root },
    });
    for (const [path, text] of texts) c.setFile(path, text);
    fileSet++;
    return c;
  };
  let compiler = make();

  // ---- analyses, with what imports refer to ----------------------------------------------

  /** Analyses by file, reused while the compiler's results are the same objects. */
  const analyses = new Map<string, { key: unknown[]; analysis: FileAnalysis }>();
  const bare = new Map<string, { key: unknown[]; analysis: FileAnalysis }>();
  const moduleCache = new Map<string, { key: unknown[]; module: ImportedModule }>();
  const same = (a: unknown[], b: unknown[]): boolean => a.every((x, i) => x === b[i]);

  /** A file's analysis without its import table (for describing its exports). */
  const bareAnalysis = (path: string): FileAnalysis => {
    const parse = compiler.parse(path);
    const module = compiler.evaluation(path).module;
    const types = compiler.typecheck(path);
    const diagnostics = compiler.diagnostics(path);
    const key = [compiler, parse, module, types, diagnostics];
    const cached = bare.get(path);
    if (cached !== undefined && same(cached.key, key)) return cached.analysis;
    const analysis: FileAnalysis = { source: parse.source, parse, module, types, diagnostics };
    bare.set(path, { key, analysis });
    return analysis;
  };

  /** What a module exports, each name described from its defining file. */
  const moduleInfo = (file: string): ImportedModule => {
    // What a module exports depends on its text and on the modules it imports (re-exports,
    // signatures): the same while their parses and the set of files are.
    const key: unknown[] = [compiler, fileSet, root, compiler.parse(file)];
    for (const f of [...closure(file).files].sort()) key.push(f, compiler.parse(f));
    const cached = moduleCache.get(file);
    if (cached !== undefined && cached.key.length === key.length && same(cached.key, key))
      return cached.module;
    const name = moduleName(file, root);
    const exports = new Map<string, ImportedSymbol>();
    for (const n of compiler.exportedNames(file)) {
      const via = compiler.importedName(file, n);
      const home = via?.name === undefined ? { file, name: n } : { file: via.file, name: via.name };
      const found = describeExport(bareAnalysis(home.file), home.name, name);
      const described =
        found === undefined || home.file === file
          ? found
          : { ...found, definedIn: moduleName(home.file, root) };
      exports.set(
        n,
        described ?? {
          file: home.file,
          name: home.name,
          module: name,
          kind: "variable",
          type: undefined,
          declaration: home.name,
          doc: undefined,
          span: { start: 0, end: 0 },
          definitionSpan: { start: 0, end: 0 },
        },
      );
    }
    // Its own top-level definitions it keeps private, for the fix that exports one.
    const privates = new Map<string, number>();
    for (const b of resolveNames(bareAnalysis(file)).bindings) {
      if (!b.topLevel || b.parent !== undefined || b.fromImport || b.fixed !== undefined) continue;
      if (b.kind === "parameter" || exports.has(b.name) || privates.has(b.name)) continue;
      privates.set(b.name, b.definition.span.start);
    }
    const module: ImportedModule = { file, module: name, exports, privates };
    moduleCache.set(file, { key, module });
    return module;
  };

  /** The import table of a file whose imports resolved to `modulesOf`. */
  const importTable = (
    decls: readonly ImportDecl[],
    modulesOf: readonly (ImportedModule | undefined)[],
  ): ImportTable => {
    const names = new Map<string, ImportedSymbol>();
    decls.forEach((d, i) => {
      const m = modulesOf[i];
      if (m === undefined) return;
      const bound =
        d.form.kind === "names"
          ? d.form.names.map((n) => n.name)
          : d.form.kind === "all"
            ? [...m.exports.keys()]
            : [];
      for (const n of bound) {
        const s = m.exports.get(n);
        if (s !== undefined && !names.has(n)) names.set(n, s);
      }
    });
    return { modules: modulesOf, names };
  };

  /**
   * A file's analysis with its import table; the same object while the file's results and
   * what its imports refer to are (features memoise per analysis).
   */
  const analysisOf = (path: string): FileAnalysis => {
    const base = bareAnalysis(path);
    const decls = importDecls(path, base.parse.items);
    if (decls.length === 0) return base;
    let modulesOf: (ImportedModule | undefined)[];
    try {
      const targets = importsOf(path);
      modulesOf = decls.map((_, i) => {
        const t = targets[i];
        return t === null || t === undefined ? undefined : moduleInfo(t);
      });
    } catch {
      // Describing what the imports refer to failed: the file's own analysis still serves
      // (its imported names are bound with nothing known about them).
      return base;
    }
    const key: unknown[] = [base, ...modulesOf];
    const cached = analyses.get(path);
    if (cached !== undefined && cached.key.length === key.length && same(cached.key, key))
      return cached.analysis;
    const analysis: FileAnalysis = { ...base, imports: importTable(decls, modulesOf) };
    analyses.set(path, { key, analysis });
    return analysis;
  };

  /** What a file's imports resolve to, kept while its parse and the set of files are the same. */
  const direct = new Map<
    string,
    { parse: unknown; fileSet: number; targets: readonly (string | null)[] }
  >();
  const importsOf = (path: string): readonly (string | null)[] => {
    const parse = compiler.parse(path);
    const cached = direct.get(path);
    if (cached !== undefined && cached.parse === parse && cached.fileSet === fileSet)
      return cached.targets;
    const targets = compiler.imports(path);
    direct.set(path, { parse, fileSet, targets });
    return targets;
  };

  /** The files `path` imports, directly or not, and whether one of the imports is unresolved. */
  const closure = (path: string): { files: Set<string>; unresolved: boolean } => {
    const files = new Set<string>();
    let unresolved = false;
    const queue = [path];
    while (queue.length > 0) {
      const f = queue.pop()!;
      for (const t of importsOf(f)) {
        if (t === null) unresolved = true;
        else if (!files.has(t)) {
          files.add(t);
          queue.push(t);
        }
      }
    }
    return { files, unresolved };
  };

  return {
    setFile(path, text) {
      const known = compiler.files().includes(path);
      if (texts.get(path) === text && known) return;
      if (!known) fileSet++;
      texts.set(path, text);
      compiler.setFile(path, text);
    },
    removeFile(path) {
      texts.delete(path);
      compiler.removeFile(path);
      analyses.delete(path);
      bare.delete(path);
      direct.delete(path);
      fileSet++;
    },
    text(path) {
      return texts.get(path);
    },
    setEvaluationSteps(next) {
      if (next === steps) return;
      steps = next;
      // The budget is part of how evaluation is defined: results under the old one go.
      compiler = make();
    },
    setWorkspace(next) {
      folders = [...next];
      // The first folder with a usable manifest gives the root; else the first folder.
      let found: string | undefined = folders[0];
      for (const folder of folders) {
        const manifestPath = joinPath(folder, MANIFEST_NAME);
        const text = readDisk(manifestPath);
        const manifest =
          text === undefined ? undefined : parseManifest(manifestPath, text).manifest;
        if (manifest !== undefined) {
          found = manifest.source;
          break;
        }
      }
      if (found === root) return false;
      root = found;
      compiler = make();
      return true;
    },
    analyze(path) {
      let owner = compiler;
      let fiber: CompileFiber = owner.start(path);
      return {
        step(): AnalysisStep {
          if (owner !== compiler) {
            owner = compiler;
            fiber = owner.start(path);
          }
          const r = poll(fiber, { millis: slice });
          if (r.error !== undefined) throw r.error;
          if (r.cancelled) {
            // Another file changed under it: start again; the database keeps what is done.
            fiber = owner.start(path);
            return { done: false, phase: "restart" };
          }
          if (!r.done) {
            const progress = r.events.findLast((e) => e.kind === "progress");
            return { done: false, phase: progress?.kind === "progress" ? progress.phase : "" };
          }
          return { done: true, analysis: analysisOf(path) };
        },
      };
    },
    outline(path) {
      if (!texts.has(path)) return undefined;
      const parse = compiler.parse(path);
      return { source: compiler.source(path), parse, diagnostics: parse.diagnostics };
    },
    analysis: (path) => analysisOf(path),
    source(path) {
      if (!texts.has(path) && !compiler.files().includes(path)) return undefined;
      return compiler.source(path);
    },
    files: () => compiler.files(),
    dependsOn(path, target, created) {
      const c = closure(path);
      return c.files.has(target) || (created && c.unresolved);
    },
    exportCandidates(path) {
      if (root === undefined) return [];
      const prefix = root.endsWith("/") ? root : `${root}/`;
      const found = new Map<string, ExportCandidate[]>();
      for (const file of compiler.files()) {
        if (file === path || !file.startsWith(prefix) || !file.endsWith(MODULE_EXTENSION)) continue;
        const m = moduleInfo(file);
        for (const [name, s] of m.exports) {
          // The same definition exported by several modules: offer the module defining it.
          const key = `${s.file}#${s.name}`;
          const candidate: ExportCandidate = {
            module: m.module,
            name,
            kind: s.kind,
            detail: s.type ?? s.declaration,
            doc: s.doc,
          };
          const list = found.get(key) ?? [];
          list.push(candidate);
          found.set(key, list);
          if (s.file === file) found.set(key, [candidate]);
        }
      }
      return [...found.values()].map((l) => l[0]!).sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
