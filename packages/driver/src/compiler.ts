/**
 * The compiler: files in through {@link Compiler.setFile}, memoised results out, and
 * compilations as event streams. Every client — the CLI, the language server, the MCP
 * server — is a client of one of these (ARCHITECTURE.md principle 3).
 */
import { type Diagnostic, SourceFile, textChange } from "@cadenza/core";
import type { EvalOptions, EvalResult } from "@cadenza/eval";
import { candidatePaths, MODULE_EXTENSION, type ModuleHost, searchFolders } from "@cadenza/modules";
import type { Query, QueryStats } from "@cadenza/query";
import type { ParseResult } from "@cadenza/syntax";
import type { CheckResult, DefinitionEnvironment } from "@cadenza/types";
import type { DefinitionKind } from "./definitions.js";
import { orderDiagnostics } from "./diagnostics.js";
import {
  type CompileFiber,
  type CompileResult,
  diagEvent,
  FiberImpl,
  type NeedModuleEvent,
  type StartOptions,
  type Step,
} from "./events.js";
import { CompilerQueries } from "./queries.js";

/** Options of {@link createCompiler}. */
export interface CompilerOptions {
  /**
   * What evaluation runs with: step and allocation budgets, call depth. A language server
   * should set a budget, since top-level code runs at compile time.
   */
  readonly evaluation?: EvalOptions;
  /** Definitions every file sees besides its own (for hosts that provide some). */
  readonly environment?: DefinitionEnvironment;
  /**
   * How many results each query keeps, least recently used dropped (default 100,000): memos
   * are keyed by definition ids, which come and go with edits.
   */
  readonly capacity?: number;
  /** The clock of `poll`'s millisecond budgets and of query timings (default `performance.now`). */
  readonly clock?: () => number;
  /**
   * How imports find their files (docs/spec/15-modules.md). Without a host only the files set
   * with `setFile` exist; with one, a module the compiler does not have is read through it
   * (a `needModule` event) when an import needs it.
   */
  readonly modules?: {
    readonly host?: ModuleHost;
    /** The source root: `import a.b` tries `ROOT/a/b.cdz` after the importer's folder. */
    readonly root?: string;
  };
}

/** One definition of a file, as the driver keys it. */
export interface DefinitionInfo {
  /** The stable id: `file#name`, `file#expr:N` (see the README). */
  readonly id: string;
  readonly kind: DefinitionKind;
  /** The names it defines. */
  readonly defines: readonly string[];
  /** Where the item is in the file (UTF-16 offsets). */
  readonly span: { readonly start: number; readonly end: number };
}

/** Counters of the compiler's queries, for tests, benchmarks and `--debug` output. */
export interface CompilerStats {
  /** The database revision: it grows by one with every change to a file. */
  readonly revision: number;
  /**
   * Per query (`parse`, `evaluate`, `definitions`, `definition`, `interface`, `index`,
   * `scope`, `facts`, `groups`, `groupOf`, `open`, `units`, `groupContext`, `lookup`,
   * `candidates`,
   * `declarationSyntax`, `declarations`, `infer` (one binding group), `inferUnit` (groups
   * inferred together because one leaves a type open), `signatures`, `typecheck`,
   * `diagnostics`, and the module queries `imports`, `exists`, `importTargets`,
   * `moduleCycles`, `importScope`, `exports`, `exportSignatures`, `exportSignature` (one
   * name's)): executions, cache hits,
   * cut-offs and times since the compiler was made or `resetStats` was called.
   */
  readonly queries: Readonly<Record<string, QueryStats>>;
  /**
   * Executions per file, then per query (the names above), over the same period: a query
   * keyed by a definition id or a binding group counts for the file of the definitions.
   * Files and queries that did not run are absent.
   */
  readonly files: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The names of the compiler's queries, in pipeline order. */
export const QUERY_NAMES: readonly string[] = [
  "parse",
  "evaluate",
  "definitions",
  "definition",
  "starts",
  "interface",
  "index",
  "scope",
  "facts",
  "groups",
  "groupOf",
  "open",
  "units",
  "groupContext",
  "lookup",
  "candidates",
  "declarationSyntax",
  "declarations",
  "infer",
  "inferUnit",
  "signatures",
  "checkChunk",
  "typecheck",
  "diagnostics",
  "imports",
  "exists",
  "importTargets",
  "moduleCycles",
  "importScope",
  "exports",
  "exportSignatures",
  "exportSignature",
];

/**
 * An incremental compiler over a set of files. Results are memoised in a query database and
 * recomputed only as far as an edit reaches: at the granularity of top-level definitions and
 * binding groups. Nothing here does IO and nothing throws on user input.
 */
export interface Compiler {
  /** Sets a file's text (an input); a new revision starts when it differs from the current one. */
  setFile(path: string, text: string): void;
  /** Forgets a file; asking for it afterwards gives the results of an empty file. */
  removeFile(path: string): void;
  /** The paths of the files that are set, sorted. */
  files(): readonly string[];
  /** The parse of a file (reusing the previous tree through `reparse` where it can). */
  parse(path: string): ParseResult;
  /** The file's current text as a {@link SourceFile}. */
  source(path: string): SourceFile;
  /** The file evaluated at compile time (`evaluate` of `@cadenza/eval`). */
  evaluation(path: string): EvalResult;
  /**
   * The file type-checked over the evaluator's macro-expanded items, one binding group at a
   * time: node → type (for the nodes of the expanded items, which are the parser's nodes
   * wherever no macro was expanded), schemes by name, type diagnostics in source order.
   */
  typecheck(path: string): CheckResult;
  /**
   * Every diagnostic of the file: parse diagnostics by position and evaluation ones in order
   * (LANGUAGE.md §9), then type diagnostics in source order, without duplicates.
   */
  diagnostics(path: string): readonly Diagnostic[];
  /** The file's top-level definitions with their stable ids, in order. */
  definitions(path: string): readonly DefinitionInfo[];
  /**
   * The modules a file's imports resolved to, in import order (null for an import of a
   * module that does not exist), loading them through the host as needed.
   */
  imports(path: string): readonly (string | null)[];
  /**
   * What a name bound by one of the file's imports refers to: the file and name of the
   * definition, or the module of a qualified alias; undefined when no import binds it.
   */
  importedName(
    path: string,
    name: string,
  ): { readonly file: string; readonly name?: string; readonly module: string } | undefined;
  /**
   * The module errors of a file's imports (malformed imports, unknown modules and names,
   * private names, conflicts, cycles), without evaluating or checking anything else.
   */
  moduleDiagnostics(path: string): readonly Diagnostic[];
  /** The names a module exports (after resolving re-exports). */
  exportedNames(path: string): readonly string[];
  /**
   * The modules of the program that starts at `entry`, each after the modules it imports
   * (imports in order, depth first; an import that closes a cycle is not followed), ending
   * with `entry`: the order to run a program in, so that each module's output comes before
   * its importers'.
   */
  moduleOrder(entry: string): readonly string[];
  /** Starts compiling a file as a stream of events; resume it with `poll`. */
  start(entry: string, options?: StartOptions): CompileFiber;
  /** Per-query counters. */
  stats(): CompilerStats;
  /** Sets every counter of {@link Compiler.stats} back to zero. */
  resetStats(): void;
}

/** Makes a compiler with no files. */
export function createCompiler(options: CompilerOptions = {}): Compiler {
  return new CompilerImpl(options);
}

class CompilerImpl implements Compiler {
  private readonly q: CompilerQueries;
  private readonly clock: () => number;
  private paths: string[] = [];

  private readonly host: ModuleHost | undefined;

  constructor(options: CompilerOptions) {
    const root = options.modules?.root;
    this.q = new CompilerQueries(root === undefined ? options : { ...options, root });
    this.host = options.modules?.host;
    this.clock = options.clock ?? (() => performance.now());
    this.q.fileList.set("files", []);
  }

  setFile(path: string, text: string): void {
    // One comparison with the text before (the phases after it ask `textChange` for the same
    // pair and get this one): an unchanged text is not set again.
    const source = new SourceFile(path, text);
    const before = this.q.texts.has(path) ? this.q.texts.get(path) : null;
    const unchanged =
      before !== null &&
      before.text.length === text.length &&
      textChange(before, source).prefix === text.length;
    if (!unchanged) this.q.texts.set(path, source);
    if (!this.paths.includes(path)) {
      this.paths = [...this.paths, path].sort();
      this.q.fileList.set("files", this.paths);
    }
  }

  removeFile(path: string): void {
    if (this.q.texts.has(path)) this.q.texts.set(path, null);
    this.q.forget(path);
    if (this.paths.includes(path)) {
      this.paths = this.paths.filter((p) => p !== path);
      this.q.fileList.set("files", this.paths);
    }
  }

  files(): readonly string[] {
    return this.paths;
  }

  /**
   * Makes sure the text input of `path` has a value: the file's text read through the host
   * when there is one and it has the file, null otherwise (an empty file to every query).
   */
  private known(path: string): string {
    if (this.q.texts.has(path)) return path;
    const text = this.host?.readFile(path);
    if (text === undefined) this.q.texts.set(path, null);
    else this.setFile(path, text);
    return path;
  }

  /**
   * A query of the type checker's about `file`: the per-definition inputs are brought up to
   * date first (`file`'s included), and when the read needed the definitions of files not
   * synced yet (modules it imports), they are synced and the query read again, so that the
   * switch to their inputs happens within this read.
   */
  private checked<K, V>(query: Query<K, V>, key: K, file: string): V {
    this.q.sync(file);
    const value = this.q.db.get(query, key);
    if (!this.q.needsSync()) return value;
    this.q.sync();
    return this.q.db.get(query, key);
  }

  parse(path: string): ParseResult {
    return this.q.db.get(this.q.parse, this.known(path));
  }

  /**
   * Makes sure every module reachable from `entry` through imports is known: each file an
   * import may mean is read through the host (or marked missing) before the queries run, so
   * that they see a complete module graph. Reports each file asked for to `need`. Returns the
   * files of the graph.
   */
  private loadModules(entry: string, need?: (event: NeedModuleEvent) => void): string[] {
    this.known(entry);
    const seen = new Set<string>();
    const order: string[] = [];
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      order.push(file);
      if (this.q.texts.get(file) === null) continue;
      for (const d of this.q.db.get(this.q.imports, file).imports) {
        let found: string | undefined;
        for (const c of candidatePaths(file, d.path, this.q.root)) {
          if (!this.q.texts.has(c)) {
            need?.({ kind: "needModule", key: c, spec: d.path.join("."), from: file });
            this.known(c);
          }
          if (this.q.texts.get(c) !== null) {
            found = c;
            break;
          }
        }
        if (found !== undefined) queue.push(found);
        else for (const folder of searchFolders(file, d.path, this.q.root)) this.list(folder);
      }
    }
    return order;
  }

  /** Records the modules of a folder for suggestions (the host's listing, or the known files). */
  private list(folder: string): void {
    const prefix = folder === "." ? "" : `${folder}/`;
    const known = this.paths
      .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes("/"))
      .map((p) => p.slice(prefix.length));
    // A file the host lists but the compiler was told is gone (`removeFile`) does not resolve:
    // it is not suggested either.
    const listed = (this.host?.listModules?.(folder) ?? []).filter(
      (n) => !this.q.texts.has(prefix + n) || this.q.texts.get(prefix + n) !== null,
    );
    const all = [...new Set([...listed, ...known])]
      .filter((n) => n.endsWith(MODULE_EXTENSION))
      .sort();
    const current = this.q.listing.has(folder) ? this.q.listing.get(folder) : undefined;
    if (current === undefined || current.join("\n") !== all.join("\n"))
      this.q.listing.set(folder, all);
  }

  imports(path: string): readonly (string | null)[] {
    this.loadModules(path);
    return this.q.db.get(this.q.importTargets, path);
  }

  importedName(
    path: string,
    name: string,
  ): { readonly file: string; readonly name?: string; readonly module: string } | undefined {
    this.loadModules(path);
    const b = this.q.db.get(this.q.importScope, path).bindings[name];
    if (b === undefined || b.kind === "error") return undefined;
    return b.kind === "namespace"
      ? { file: b.file, module: b.module }
      : { file: b.file, name: b.name, module: b.module };
  }

  moduleOrder(entry: string): readonly string[] {
    this.loadModules(entry);
    const order: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (file: string): void => {
      if (state.has(file)) return;
      state.set(file, "visiting");
      const cycles = this.q.db.get(this.q.moduleCycles, file);
      this.q.db.get(this.q.importTargets, file).forEach((target, i) => {
        if (target !== null && cycles[i] === undefined) visit(target);
      });
      state.set(file, "done");
      order.push(file);
    };
    visit(entry);
    return order;
  }

  moduleDiagnostics(path: string): readonly Diagnostic[] {
    this.loadModules(path);
    return this.q.db.get(this.q.moduleDiagnostics, path);
  }

  exportedNames(path: string): readonly string[] {
    this.loadModules(path);
    return Object.keys(this.q.db.get(this.q.exports, path).names).sort();
  }

  source(path: string): SourceFile {
    return this.parse(path).source;
  }

  evaluation(path: string): EvalResult {
    this.loadModules(path);
    return this.q.db.get(this.q.evaluation, this.known(path));
  }

  typecheck(path: string): CheckResult {
    this.loadModules(path);
    return this.checked(this.q.typecheck, this.known(path), path).result;
  }

  diagnostics(path: string): readonly Diagnostic[] {
    this.loadModules(path);
    return this.checked(this.q.diagnostics, this.known(path), path);
  }

  definitions(path: string): readonly DefinitionInfo[] {
    this.loadModules(path);
    return this.q.db.get(this.q.definitions, this.known(path)).definitions.map((d) => ({
      id: d.id,
      kind: d.kind,
      defines: d.defines,
      span: { start: d.start, end: d.start + d.text.length },
    }));
  }

  start(entry: string, options: StartOptions = {}): CompileFiber {
    this.known(entry);
    // A compilation reads its entry file and the modules it imports: it is stale when one of
    // those changed, not when another file did.
    const texts = new Map<string, SourceFile | null>();
    const watch = (file: string): void => {
      if (!texts.has(file) && this.q.texts.has(file)) texts.set(file, this.q.texts.get(file));
    };
    watch(entry);
    return new FiberImpl(
      entry,
      this.compile(entry, Math.max(1, options.yieldEvery ?? 512), watch),
      () => [...texts].some(([f, t]) => this.q.texts.get(f) !== t),
      this.clock,
    );
  }

  /** The steps of one compilation. */
  private *compile(
    entry: string,
    every: number,
    watch: (file: string) => void,
  ): Generator<Step, CompileResult, undefined> {
    const needs: NeedModuleEvent[] = [];
    const graph = this.loadModules(entry, (e) => needs.push(e));
    for (const file of graph) watch(file);
    for (const event of needs) yield { event, nodes: 0 };
    yield {
      event: { kind: "progress", pass: "parse", phase: "parse", done: 0, total: 1 },
      nodes: 0,
    };
    const parsed = this.q.db.get(this.q.parse, entry);
    yield {
      event: { kind: "progress", pass: "parse", phase: "parse", done: 1, total: 1 },
      nodes: parsed.itemVector.length,
    };
    const items = parsed.itemVector.length;
    yield {
      event: { kind: "progress", pass: "eval", phase: "evaluate", done: 0, total: items },
      nodes: 0,
    };
    const evaluated = this.q.db.get(this.q.evaluation, entry);
    yield {
      event: {
        kind: "progress",
        pass: "eval",
        phase: "evaluate",
        // (Counted without building the entries of an incremental result.)
        done:
          evaluated.reevaluated === undefined
            ? evaluated.entries.length
            : evaluated.reevaluated + (evaluated.reused ?? 0),
        total: items,
      },
      nodes: items,
    };
    // Parse, module and evaluation diagnostics are final now; they come first in the file's
    // list (as the `diagnostics` query orders them).
    const modules = this.q.db.get(this.q.moduleDiagnostics, entry);
    const early = orderDiagnostics(
      modules.length === 0 ? parsed.diagnostics : [...parsed.diagnostics, ...modules],
      evaluated.diagnostics,
      [],
    );
    for (const d of early) yield { event: diagEvent(d), nodes: 0 };
    yield {
      event: { kind: "progress", pass: "types", phase: "declarations", done: 0, total: 1 },
      nodes: 0,
    };
    this.checked(this.q.declarations, entry, entry);
    const defs = this.q.db.get(this.q.definitions, entry);
    const fileGroups = this.checked(this.q.groups, entry, entry);
    const groups = fileGroups.order.map((g) => g.map((i) => fileGroups.ids[i]!));
    yield {
      event: { kind: "progress", pass: "types", phase: "declarations", done: 1, total: 1 },
      nodes: 0,
    };
    yield {
      event: { kind: "progress", pass: "types", phase: "infer", done: 0, total: groups.length },
      nodes: 0,
    };
    let pending = 0;
    for (let k = 0; k < groups.length; k++) {
      const group = groups[k]!;
      this.checked(this.q.infer, group, entry);
      for (const id of group) pending += defs.byId.get(id)?.size ?? 1;
      if (pending >= every && k + 1 < groups.length) {
        yield {
          event: {
            kind: "progress",
            pass: "types",
            phase: "infer",
            done: k + 1,
            total: groups.length,
          },
          nodes: pending,
        };
        pending = 0;
      }
    }
    yield {
      event: {
        kind: "progress",
        pass: "types",
        phase: "infer",
        done: groups.length,
        total: groups.length,
      },
      nodes: pending,
    };
    const diagnostics = this.checked(this.q.diagnostics, entry, entry);
    yield {
      event: { kind: "progress", pass: "types", phase: "assemble", done: 1, total: 1 },
      nodes: 0,
    };
    for (const d of diagnostics.slice(early.length)) yield { event: diagEvent(d), nodes: 0 };
    let errors = 0;
    let warnings = 0;
    for (const d of diagnostics) {
      if (d.severity === "error") errors++;
      else if (d.severity === "warning") warnings++;
    }
    const deps = this.q.db.get(this.q.importTargets, entry).filter((t): t is string => t !== null);
    yield { event: { kind: "deps", file: entry, deps: [...new Set(deps)] }, nodes: 0 };
    return { entry, diagnostics, errors, warnings, evaluation: evaluated.status };
  }

  stats(): CompilerStats {
    const queries: Record<string, QueryStats> = {};
    for (const name of QUERY_NAMES) queries[name] = this.q.db.stats(name);
    const files: Record<string, Record<string, number>> = {};
    for (const file of [...this.q.executionsByFile.keys()].sort())
      files[file] = Object.fromEntries(this.q.executionsByFile.get(file)!);
    return { revision: this.q.db.revision, queries, files };
  }

  resetStats(): void {
    this.q.db.resetStats();
    this.q.executionsByFile.clear();
  }
}
