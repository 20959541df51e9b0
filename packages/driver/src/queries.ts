/**
 * The compiler as queries of one database (ARCHITECTURE.md principle 2). Inputs are file
 * texts; everything else is derived, memoised, and recomputed only when what it read
 * changed — with early cut-off, so that a recomputed result equal to the old one stops the
 * propagation:
 *
 *     text ─► parse ─► evaluate ─► definitions ─► definition(id) ─► interface(id)
 *                                       │               │                 │
 *                                       │               │      index ─► scope ─► groups ─► groupOf(id)
 *                                       │               ▼                          │
 *                                       │     declarationSyntax ─► declarations    ▼
 *                                       │                               │     groupContext(G)
 *                                       │                               ▼          ▼
 *                                       │                 infer(G) ◄── signatures(H) of the groups G uses
 *                                       │                     │
 *                                       │          open(G) ─► units ─► inferUnit(U) (rare)
 *                                       ▼                     │
 *                                   typecheck ◄───────────────┘ ─► diagnostics
 *
 * Definitions are compared by their position-independent fingerprint, contexts and
 * signatures structurally: a body edit reruns `infer` for its own group only, and for the
 * groups that use it only if a signature changed. A group that leaves a type open for its
 * users is inferred again with them as one unit (`inferUnit`), as a whole-file check would.
 */
import {
  type Diagnostic,
  SideTable,
  SourceFile,
  type TextEdit,
  textChange,
  Vector,
} from "@cadenza/core";
import {
  ERROR,
  type Definition as EvalDefinition,
  type EvalOptions,
  type EvalResult,
  evaluate,
  type ImportedName,
  type Value,
} from "@cadenza/eval";
import {
  CycleError,
  createDatabase,
  type Database,
  defineInput,
  defineQuery,
  encodeKey,
  type Input,
  type Query,
  type QueryContext,
} from "@cadenza/query";
import { changedItems, type Node, type ParseResult, parse, reparse } from "@cadenza/syntax";
import {
  type CheckResult,
  checkGroup,
  componentsInOrder,
  type DeclarationsResult,
  type DefinitionEnvironment,
  declareFile,
  exportedDeclaration,
  type GroupReference,
  groupUnits,
  type ImportedDeclaration,
  lazyTypeTable,
  type MeasureInfo,
  RenderedSchemes,
  type Scheme,
  type Signature,
  signatureKey,
  type Type,
  type VisibleName,
} from "@cadenza/types";
import {
  type Definition,
  type DefinitionInterface,
  definitionInterface,
  fileOf,
  preorder,
  type Split,
  shift,
  splitDefinitions,
} from "./definitions.js";
import { orderDiagnostics } from "./diagnostics.js";
import { layOut, Relocator, type Segment } from "./layout.js";
import {
  cyclesOf,
  type ExportTable,
  exportTable,
  fileImports,
  type ImportScope,
  type ImportsResult,
  importScope,
  NamespaceMembers,
  resolveTarget,
} from "./modules.js";
import { type IndexEntry, TopLevelScope } from "./scope.js";

/** The definitions of one file, in order. */
export interface FileDefinitions {
  readonly file: string;
  /** The definitions in file order (built from `definitionVector` on first read). */
  readonly definitions: readonly Definition[];
  /** The same, as a vector: an edit's definitions share all but the edited ones' chunks. */
  readonly definitionVector: Vector<Definition>;
  readonly byId: ReadonlyMap<string, Definition>;
  /** Macro invocation (a parsed node) → what it expanded to. */
  readonly expansions: ReadonlyMap<unknown, unknown>;
}

/** The binding groups of a file (the strongly connected components of its definitions). */
export interface FileGroups {
  /** The definitions' ids, in file order. */
  readonly ids: readonly string[];
  /** The binding groups in inference order, as indexes into `ids` (in file order). */
  readonly order: readonly (readonly number[])[];
  /** `edges[i]`: the definitions definition `i` uses. */
  readonly edges: readonly (readonly number[])[];
  /** Definition id → the position of its binding group in `order`. */
  readonly position: Readonly<Record<string, number>>;
}

/**
 * The units a file is inferred in: its binding groups, except that an open group and every
 * group that uses it are one unit (`groupUnits` of `@cadenza/types`).
 */
export interface FileUnits {
  readonly units: readonly {
    /** The members' ids, in file order. */
    readonly members: readonly string[];
    /** The unit's binding groups in inference order, as member indexes. */
    readonly order: readonly (readonly number[])[];
  }[];
  /** Definition id → its unit. */
  readonly unitOf: Readonly<Record<string, number>>;
}

/** What `infer(G)` needs besides the syntax of the members. */
interface GroupContext {
  /**
   * For each member, the names it uses (sorted) and what each refers to: another member (by
   * index), a definition of another group (by id), or nothing in the file (null).
   */
  readonly uses: readonly (readonly (readonly [string, number | string | null])[])[];
  /** The reassigned names the members bind with `let`. */
  readonly reassigned: readonly string[];
  readonly opaque: boolean;
}

/** The declarations of a file, checked in their own virtual source. */
interface FileDeclarationsResult {
  readonly result: DeclarationsResult;
  /** The virtual source's text and where each declaration sits in it. */
  readonly text: string;
  readonly segments: readonly Segment[];
}

/** What inferring one binding group produced, in its virtual source. */
export interface GroupInference {
  readonly segments: readonly Segment[];
  readonly diagnostics: readonly Diagnostic[];
  readonly exports: readonly ReadonlyMap<string, Signature>[];
  /** For each member, the type of each node in preorder (undefined where none). */
  readonly types: readonly (readonly (Type | undefined)[])[];
  /** For each member, the operand type of each `typeof` node in preorder. */
  readonly typeofs: readonly (readonly (Type | undefined)[])[];
  /** Whether the group leaves types open for its users (they are then inferred with it). */
  readonly open: boolean;
}

/** The type checker's view of a file, at file positions. */
export interface FileTypes {
  readonly result: CheckResult;
}

/** Options of the queries: what the phases are run with. */
export interface QueryOptions {
  readonly evaluation?: EvalOptions;
  readonly environment?: DefinitionEnvironment;
  readonly capacity?: number;
  readonly clock?: () => number;
  /** The source root imports are also resolved against (docs/spec/15-modules.md). */
  readonly root?: string;
}

const identity = <T>(a: T, b: T): boolean => Object.is(a, b);

/**
 * The key of a binding group (its members' ids). Groups come out of memoised results and are
 * never mutated, and every edit asks for every group of the file again: their keys are made
 * once per array.
 */
const groupKeys = new WeakMap<readonly string[], string>();
function groupKey(group: readonly string[]): string {
  let key = groupKeys.get(group);
  if (key === undefined) groupKeys.set(group, (key = encodeKey(group)));
  return key;
}

/**
 * The queries keyed by one definition id, and by a path and a name; the others by a path, a
 * binding group (ids), or an id and a name (`lookup`).
 */
const ID_KEYED = new Set(["definition", "interface", "groupOf", "candidates"]);
const PATH_NAME_KEYED = new Set(["exportSignature", "checkChunk"]);

/** The file a query key belongs to. */
function keyFile(query: string, key: unknown): string | undefined {
  if (typeof key === "string") return ID_KEYED.has(query) ? fileOf(key) : key;
  if (Array.isArray(key) && typeof key[0] === "string")
    return PATH_NAME_KEYED.has(query) ? key[0] : fileOf(key[0]);
  return undefined;
}

/** How many results each query keeps by default. */
export const DEFAULT_CAPACITY = 100_000;

/** The database of one compiler and its queries. */
export class CompilerQueries {
  readonly db: Database;
  /** File text by path; null for a file that was removed (or never set). */
  readonly texts: Input<string, SourceFile | null>;
  /** The paths of the files that are set, sorted. */
  readonly fileList: Input<"files", readonly string[]>;
  readonly parse: Query<string, ParseResult>;
  readonly evaluation: Query<string, EvalResult>;
  readonly definitions: Query<string, FileDefinitions>;
  /**
   * Whether a file's definitions reach the queries below through the per-definition inputs
   * that {@link CompilerQueries.sync} sets (rather than through `definitions`).
   */
  readonly synced: Input<string, boolean>;
  /** One definition by id, set by `sync` when the checker's view of it changed. */
  readonly definitionInput: Input<string, Definition | null>;
  /** A file's index (ids, kinds, defined names), set by `sync` when it changed. */
  readonly indexInput: Input<string, readonly IndexEntry[]>;
  /** Where each definition of a file starts, set by `sync` when one moved. */
  readonly startsInput: Input<string, ReadonlyMap<string, number>>;
  /** Where each definition of a file starts. */
  readonly starts: Query<string, ReadonlyMap<string, number>>;
  readonly definition: Query<string, Definition | null>;
  readonly interface: Query<string, DefinitionInterface | null>;
  readonly index: Query<string, readonly IndexEntry[]>;
  readonly scope: Query<string, TopLevelScope>;
  readonly facts: Query<
    string,
    { readonly reassigned: readonly string[]; readonly opaque: boolean }
  >;
  readonly groups: Query<string, FileGroups>;
  readonly groupOf: Query<string, readonly string[]>;
  readonly groupContext: Query<readonly string[], GroupContext>;
  readonly declarationSyntax: Query<
    string,
    { readonly ids: readonly string[]; readonly anchored: boolean }
  >;
  readonly declarations: Query<string, FileDeclarationsResult>;
  readonly open: Query<readonly string[], boolean>;
  /** What a name used in a definition refers to, for names the grouping did not list. */
  readonly lookup: Query<readonly [string, string], string | null>;
  /**
   * The names a definition could have meant by an unknown name (suggestions): those visible
   * at it, the definition they resolve to, and whether its group is inferred earlier.
   */
  readonly candidates: Query<
    string,
    readonly { readonly name: string; readonly id: string; readonly earlier: boolean }[]
  >;
  readonly units: Query<string, FileUnits>;
  readonly infer: Query<readonly string[], GroupInference>;
  readonly inferUnit: Query<readonly string[], GroupInference>;
  readonly signatures: Query<readonly string[], readonly (readonly [string, Signature])[][]>;
  /**
   * The inference results of a run of units of a file, at file positions: at level 0 the
   * `FANOUT` units from `index * FANOUT`, at level L the `FANOUT` chunks of level L − 1 from
   * `index * FANOUT` (a tree over the file's units).
   */
  readonly checkChunk: Query<ChunkKey, CheckedChunk>;
  /** The keys of `checkChunk`, made once each (an edit reads dozens of chunks). */
  private readonly chunkKeys = new ChunkKeys();
  readonly typecheck: Query<string, FileTypes>;
  readonly diagnostics: Query<string, readonly Diagnostic[]>;
  /** The module files in a folder (set by the loader, for suggestions). */
  readonly listing: Input<string, readonly string[]>;
  readonly imports: Query<string, ImportsResult>;
  readonly exists: Query<string, boolean>;
  readonly importTargets: Query<string, readonly (string | null)[]>;
  readonly moduleCycles: Query<string, readonly (readonly string[] | undefined)[]>;
  readonly exports: Query<string, ExportTable>;
  readonly importScope: Query<string, ImportScope>;
  readonly exportSignatures: Query<string, Readonly<Record<string, Signature>>>;
  /** The module errors of a file's imports (malformed ones, then what they could not bind). */
  readonly moduleDiagnostics: Query<string, readonly Diagnostic[]>;
  readonly exportSignature: Query<readonly [string, string], Signature | null>;
  readonly root: string | undefined;
  /** The evaluations running, innermost last (imported values are read in the innermost). */
  private readonly evaluating: {
    readonly ctx: QueryContext;
    /** The evaluations of imported modules it has read (each read once per evaluation). */
    readonly read: Map<string, EvalResult>;
  }[] = [];

  /**
   * Executions per file and query since the counters were last reset: every query key names
   * one file (a path, a definition id, a binding group, or an id and a name).
   */
  readonly executionsByFile: Map<string, Map<string, number>> = new Map();

  /** Counts one execution of `query` for `key` against the file of the key. */
  private countExecution(query: string, key: unknown): void {
    const file = keyFile(query, key);
    if (file === undefined) return;
    let counts = this.executionsByFile.get(file);
    if (counts === undefined) this.executionsByFile.set(file, (counts = new Map()));
    counts.set(query, (counts.get(query) ?? 0) + 1);
  }

  /** The last parse of each file, for incremental reparsing (results equal a fresh parse). */
  private readonly lastParse = new Map<string, ParseResult>();

  /** Drops what is kept outside the database for a removed file. */
  forget(file: string): void {
    this.lastParse.delete(file);
    this.lastSplit.delete(file);
    this.lastImports.delete(file);
    this.lastEvaluation.delete(file);
    this.chunkKeys.forget(file);
  }

  /** The last evaluation of each file, which the next one starts from (handed over). */
  private readonly lastEvaluation = new Map<
    string,
    { readonly items: Vector<Node>; readonly result: EvalResult }
  >();

  /**
   * The last split of each file into definitions, which the next split starts from, and the
   * definitions made from it.
   */
  private readonly lastSplit = new Map<
    string,
    { readonly split: Split; readonly result: FileDefinitions }
  >();
  /** The imports last found in each file, and the items they were found in. */
  private readonly lastImports = new Map<
    string,
    { readonly items: Vector<Node>; readonly result: ImportsResult }
  >();

  /** Files whose definitions a query read through `definitions` (they are synced next). */
  private readonly unsynced = new Set<string>();
  /** The definitions each synced file's inputs were last set from. */
  private readonly syncedFiles = new Map<string, FileDefinitions>();
  /** The database revision after the last `sync`. */
  private syncedAt = -1;

  /**
   * Brings the per-definition inputs up to date with the files' current definitions; the
   * compiler calls it before every read of the type checker's queries (with the file read,
   * which is synced from then on; a file whose definitions a query needed one by one is
   * synced at the next call). After an edit, a definition the edit did not touch is the same
   * object as before (the parser keeps its item, `splitDefinitions` its definition) and the
   * split says which indexes may differ, so only those are compared, and only the inputs of
   * definitions the checker sees differently are set: a query reading one definition, the
   * index or the starts reruns only when that changed.
   */
  sync(file?: string): void {
    if (file !== undefined && !this.syncedFiles.has(file)) this.unsynced.add(file);
    if (this.db.revision === this.syncedAt && this.unsynced.size === 0) return;
    for (const file of this.unsynced) {
      if (!this.syncedFiles.has(file)) this.syncedFiles.set(file, NO_DEFINITIONS);
    }
    this.unsynced.clear();
    for (const [file, before] of this.syncedFiles) {
      const now = this.db.get(this.definitions, file);
      if (now === before) continue;
      this.syncFile(file, before, now);
      this.syncedFiles.set(file, now);
    }
    // Syncing reads queries: a query of a new file may have asked for another file's.
    if (this.unsynced.size > 0) this.sync();
    else this.syncedAt = this.db.revision;
  }

  /** Whether a query read definitions of a file that is not synced yet. */
  needsSync(): boolean {
    return this.unsynced.size > 0;
  }

  /** Sets the inputs of one file from its definitions `before` (the inputs' values) and `now`. */
  private syncFile(file: string, before: FileDefinitions, now: FileDefinitions): void {
    const prev = before.definitionVector;
    const next = now.definitionVector;
    let indexChanged = before === NO_DEFINITIONS || prev.length !== next.length;
    let startsChanged = indexChanged;
    // Made from `before` by an edit that says which definitions it may have changed: only
    // those are compared.
    const known = changedDefinitions.get(now);
    const changed = known !== undefined && known.before === before ? known.changed : undefined;
    const count = changed === undefined ? next.length : changed.length;
    for (let k = 0; k < count; k++) {
      const i = changed === undefined ? k : changed[k]!;
      const d = next.get(i)!;
      const p = prev.get(i);
      if (d === p) continue;
      if (p === undefined || p.id !== d.id) {
        indexChanged = true;
        startsChanged = true;
      } else {
        if (p.kind !== d.kind || !sameStrings(p.defines, d.defines)) indexChanged = true;
        if (p.start !== d.start) startsChanged = true;
        // The input of `p`'s id holds `p` or one the checker sees the same way (it was synced
        // from `before`): a definition that only moved needs no look at it.
        if (sameDefinition(p, d)) continue;
      }
      if (!sameDefinition(this.definitionInput.get(d.id), d)) this.definitionInput.set(d.id, d);
    }
    if (indexChanged) {
      const ids = new Set(next.toArray().map((d) => d.id));
      for (const p of prev.toArray()) if (!ids.has(p.id)) this.definitionInput.set(p.id, null);
      this.indexInput.set(file, indexOf(now.definitions));
    }
    if (startsChanged) this.startsInput.set(file, startsOf(now.definitions));
    if (before === NO_DEFINITIONS) this.synced.set(file, true);
  }

  constructor(options: QueryOptions) {
    // Memos are keyed by definition ids, and ids come and go with edits (renaming a function
    // while typing makes one per keystroke): a bound keeps a long session from growing.
    const dbOptions: {
      capacity?: number;
      clock?: () => number;
      onExecute: (query: string, key: unknown) => void;
    } = {
      capacity: options.capacity ?? DEFAULT_CAPACITY,
      onExecute: (query, key) => this.countExecution(query, key),
    };
    if (options.clock !== undefined) dbOptions.clock = options.clock;
    const db = createDatabase(dbOptions);
    this.db = db;
    // Set only when the text changed (`Compiler.setFile` compares): the same text is the same
    // source object, so that the phases can tell versions apart by identity.
    this.texts = defineInput<string, SourceFile | null>(db, "text", {
      fallback: null,
      equals: identity,
    });
    this.fileList = defineInput<"files", readonly string[]>(db, "files");

    this.parse = defineQuery(
      db,
      "parse",
      (ctx, file: string) => {
        const source = ctx.get(this.texts, file) ?? new SourceFile(file, "");
        const previous = this.lastParse.get(file);
        if (previous !== undefined && previous.source === source) return previous;
        const result =
          previous === undefined
            ? parse(source)
            : reparse(previous, source, [diffEdit(previous.source, source)]);
        this.lastParse.set(file, result);
        return result;
      },
      { equals: identity },
    );

    this.root = options.root;
    this.listing = defineInput<string, readonly string[]>(db, "listing", { fallback: [] });

    this.imports = defineQuery(db, "imports", (ctx, file: string) => {
      const parsed = ctx.get(this.parse, file);
      const text = parsed.source.text;
      // Most files import nothing: no need to walk their trees looking for imports, nor,
      // after an edit of such a file, to look further than the items the edit made anew.
      const last = this.lastImports.get(file);
      const changed = last?.result === NO_IMPORTS ? changedItems(last.items, parsed) : undefined;
      const none =
        changed !== undefined
          ? changed.every((i) => {
              const span = parsed.itemVector.get(i)!.span;
              return !text.slice(span.start, span.end).includes("import");
            })
          : !text.includes("import");
      const result = none ? NO_IMPORTS : fileImports(file, parsed.items);
      this.lastImports.set(file, { items: parsed.itemVector, result });
      return result;
    });

    // Whether a file exists, apart from its text: an importer's resolution depends on this
    // only, so that editing a module reruns nothing of its importers.
    this.exists = defineQuery(
      db,
      "exists",
      (ctx, path: string) => ctx.get(this.texts, path) !== null,
    );

    this.importTargets = defineQuery(db, "importTargets", (ctx, file: string) =>
      ctx
        .get(this.imports, file)
        .imports.map((d) => resolveTarget(file, d.path, this.root, (c) => ctx.get(this.exists, c))),
    );

    this.moduleCycles = defineQuery(db, "moduleCycles", (ctx, file: string) =>
      cyclesOf(file, (f) => ctx.get(this.importTargets, f)),
    );

    this.importScope = defineQuery(db, "importScope", (ctx, file: string) => {
      const { imports } = ctx.get(this.imports, file);
      if (imports.length === 0) return { bindings: {}, diagnostics: [] };
      return importScope({
        file,
        root: this.root,
        imports,
        targets: ctx.get(this.importTargets, file),
        cycles: ctx.get(this.moduleCycles, file),
        modulesIn: (folder) => ctx.get(this.listing, folder),
        exportsOf: (f) => ctx.get(this.exports, f),
      });
    });

    this.moduleDiagnostics = defineQuery(db, "moduleDiagnostics", (ctx, file: string) => [
      ...ctx.get(this.imports, file).diagnostics,
      ...ctx.get(this.importScope, file).diagnostics,
    ]);

    this.exports = defineQuery(db, "exports", (ctx, file: string) => {
      const defs = ctx.get(this.definitions, file).definitions;
      const { imports } = ctx.get(this.imports, file);
      const scope = imports.some((d) => d.exported)
        ? ctx.get(this.importScope, file)
        : { bindings: {}, diagnostics: [] };
      return exportTable(file, defs, imports, scope);
    });

    this.exportSignatures = defineQuery(
      db,
      "exportSignatures",
      (ctx, file: string) => {
        const out: Record<string, Signature> = {};
        for (const [name, entry] of Object.entries(ctx.get(this.exports, file).names)) {
          if (entry.kind !== "definition" || entry.declaration) continue;
          if (entry.file !== file) {
            const s = ctx.get(this.exportSignature, [entry.file, entry.name]);
            if (s !== null) out[name] = s;
            continue;
          }
          const owner = ctx.get(this.groupOf, entry.id);
          const k = owner.indexOf(entry.id);
          const s = ctx.get(this.signatures, owner)[k]?.find(([n]) => n === entry.name)?.[1];
          if (s !== undefined) out[name] = s;
        }
        return out;
      },
      { equals: sameSignatureTable },
    );

    // One exported signature: a group that uses an imported name depends on its signature
    // alone, not on the whole table of the module that defines it.
    this.exportSignature = defineQuery(
      db,
      "exportSignature",
      (ctx, [file, name]: readonly [string, string]) =>
        ctx.get(this.exportSignatures, file)[name] ?? null,
      {
        equals: (a, b) =>
          a === null || b === null ? a === b : signatureKey(a) === signatureKey(b),
      },
    );

    this.evaluation = defineQuery(
      db,
      "evaluate",
      (ctx, file: string) => {
        const parsed = ctx.get(this.parse, file);
        const imports = this.importedValues(ctx, file);
        this.evaluating.push({ ctx, read: new Map() });
        try {
          // The evaluation before an edit takes over the items the edit did not reach (the
          // evaluator decides; it runs everything again wherever it cannot tell).
          const last = this.lastEvaluation.get(file);
          this.lastEvaluation.delete(file);
          const changed = last === undefined ? undefined : changedItems(last.items, parsed);
          const result = evaluate(parsed.source, parsed.itemVector, {
            ...(options.evaluation ?? {}),
            imports,
            incremental: true,
            ...(last === undefined ? {} : { previous: last.result }),
            ...(changed === undefined ? {} : { changedItems: changed }),
          });
          this.lastEvaluation.set(file, { items: parsed.itemVector, result });
          return result;
        } finally {
          this.evaluating.pop();
        }
      },
      { equals: identity },
    );

    this.definitions = defineQuery(
      db,
      "definitions",
      (ctx, file: string) => {
        const parsed = ctx.get(this.parse, file);
        const module = ctx.get(this.evaluation, file).module;
        const items = parsed.itemVector;
        // Without expansions every item is its own expansion (no tree walk).
        const expanded =
          module.expansions.size === 0
            ? items
            : Vector.from(items.toArray().map((item) => module.expanded(item) as Node));
        const last = this.lastSplit.get(file);
        const previous = last?.split;
        // Which items the reparse made anew (without expansions, items are their expansions).
        const changed =
          previous !== undefined && expanded === items && previous.expanded === previous.items
            ? changedItems(previous.items, parsed)
            : undefined;
        const split = splitDefinitions(
          file,
          parsed.source.text,
          items,
          expanded,
          previous,
          changed,
        );
        const result = fileDefinitions(file, split.definitions, module.expansions);
        if (split.changed !== undefined && last !== undefined)
          changedDefinitions.set(result, { before: last.result, changed: split.changed });
        // Only the newest definitions say what they were made from: otherwise each would keep
        // the one before it alive, and a long session would keep every version of the file.
        if (last !== undefined) changedDefinitions.delete(last.result);
        this.lastSplit.set(file, { split, result });
        return result;
      },
      { equals: identity },
    );

    this.synced = defineInput<string, boolean>(db, "synced", { fallback: false });
    this.definitionInput = defineInput<string, Definition | null>(db, "definitionInput", {
      fallback: null,
      equals: identity,
    });
    this.indexInput = defineInput<string, readonly IndexEntry[]>(db, "indexInput", {
      fallback: [],
      equals: identity,
    });
    this.startsInput = defineInput<string, ReadonlyMap<string, number>>(db, "startsInput", {
      fallback: new Map(),
      equals: identity,
    });

    this.definition = defineQuery(
      db,
      "definition",
      (ctx, id: string) => {
        const file = fileOf(id);
        if (ctx.get(this.synced, file)) return ctx.get(this.definitionInput, id);
        this.unsynced.add(file);
        return ctx.get(this.definitions, file).byId.get(id) ?? null;
      },
      { equals: sameDefinition },
    );

    this.starts = defineQuery(
      db,
      "starts",
      (ctx, file: string) => {
        if (ctx.get(this.synced, file)) return ctx.get(this.startsInput, file);
        this.unsynced.add(file);
        return startsOf(ctx.get(this.definitions, file).definitions);
      },
      { equals: sameStarts },
    );

    this.interface = defineQuery(db, "interface", (ctx, id: string) => {
      const def = ctx.get(this.definition, id);
      return def === null ? null : definitionInterface(def);
    });

    this.index = defineQuery(db, "index", (ctx, file: string) => {
      if (ctx.get(this.synced, file)) return ctx.get(this.indexInput, file);
      this.unsynced.add(file);
      return indexOf(ctx.get(this.definitions, file).definitions);
    });

    this.scope = defineQuery(
      db,
      "scope",
      (ctx, file: string) => new TopLevelScope(ctx.get(this.index, file)),
      { equals: identity },
    );

    this.facts = defineQuery(db, "facts", (ctx, file: string) => {
      const reassigned = new Set<string>();
      let opaque = false;
      for (const e of ctx.get(this.index, file)) {
        const i = ctx.get(this.interface, e.id);
        if (i === null) continue;
        for (const n of i.assigns) reassigned.add(n);
        opaque ||= i.opaque;
      }
      return { reassigned: [...reassigned].sort(), opaque };
    });

    this.groups = defineQuery(db, "groups", (ctx, file: string) => {
      const scope = ctx.get(this.scope, file);
      const entries = scope.entries;
      const edges: number[][] = entries.map((e, i) => {
        const face = ctx.get(this.interface, e.id);
        const deps = new Set<number>();
        for (const name of face?.free ?? []) {
          const j = scope.resolve(i, name);
          if (j !== undefined && j !== i) deps.add(j);
        }
        return [...deps].sort((x, y) => x - y);
      });
      const order = componentsInOrder(entries.length, edges);
      const position: Record<string, number> = {};
      order.forEach((g, p) => {
        for (const i of g) position[entries[i]!.id] = p;
      });
      return { ids: entries.map((e) => e.id), order, edges, position };
    });

    this.groupOf = defineQuery(db, "groupOf", (ctx, id: string) => {
      const groups = ctx.get(this.groups, fileOf(id));
      const p = groups.position[id];
      return p === undefined ? [id] : groups.order[p]!.map((i) => groups.ids[i]!);
    });

    this.open = defineQuery(
      db,
      "open",
      (ctx, group: readonly string[]) => ctx.get(this.infer, group).open,
    );

    this.units = defineQuery(db, "units", (ctx, file: string) => {
      const groups = ctx.get(this.groups, file);
      const open = groups.order.map((g) =>
        ctx.get(
          this.open,
          g.map((i) => groups.ids[i]!),
        ),
      );
      const unitOf: Record<string, number> = {};
      const units = groupUnits(groups.order, groups.edges, open).map((unit, u) => {
        const members = unit.flat().sort((a, b) => a - b);
        for (const i of members) unitOf[groups.ids[i]!] = u;
        return {
          members: members.map((i) => groups.ids[i]!),
          order: unit.map((g) => g.map((i) => members.indexOf(i))),
        };
      });
      return { units, unitOf };
    });

    this.groupContext = defineQuery(db, "groupContext", (ctx, group: readonly string[]) => {
      const file = fileOf(group[0]!);
      const scope = ctx.get(this.scope, file);
      const facts = ctx.get(this.facts, file);
      const lets = new Set<string>();
      const uses = group.map((id) => {
        const face = ctx.get(this.interface, id);
        const at = scope.position(id);
        if (face === null || at === undefined) return [];
        for (const n of face.lets) lets.add(n);
        // A definition's own names too: a recursive function looks itself up.
        const names = [...new Set([...face.free, ...face.defines])].sort();
        return names.map((name): readonly [string, number | string | null] => {
          const j = scope.resolve(at, name);
          if (j === undefined) return [name, null];
          const target = scope.entries[j]!.id;
          const member = group.indexOf(target);
          return [name, member >= 0 ? member : target];
        });
      });
      return {
        uses,
        reassigned: facts.reassigned.filter((n) => lets.has(n)),
        opaque: facts.opaque,
      };
    });

    this.declarationSyntax = defineQuery(db, "declarationSyntax", (ctx, file: string) => {
      const ids: string[] = [];
      let anchored = false;
      for (const e of ctx.get(this.index, file)) {
        if (ctx.get(this.interface, e.id)?.declaration !== true) continue;
        ids.push(e.id);
        // (`declarations` reads the definitions themselves: a declaration whose text changes
        // reruns it, and with it every group.)
        anchored ||= ctx.get(this.definition, e.id)?.anchored === true;
      }
      return { ids, anchored };
    });

    this.declarations = defineQuery(
      db,
      "declarations",
      (ctx, file: string) => {
        const { ids, anchored } = ctx.get(this.declarationSyntax, file);
        const defs = ids.map((id) => ctx.get(this.definition, id)).filter(isDefinition);
        let text: string;
        let segments: Segment[];
        let nodes: Node[];
        if (anchored) {
          text = ctx.get(this.parse, file).source.text;
          segments = [{ id: null, at: 0, length: text.length }];
          nodes = defs.map((d) => d.node);
        } else {
          ({ text, segments } = layOut(defs, 0));
          nodes = defs.map((d, i) => shift(d.node, segments[i]!.at - d.start));
        }
        const environment = this.declarationEnvironment(ctx, file, options.environment);
        const result = declareFile(
          new SourceFile(file, text),
          nodes,
          environment === undefined ? {} : { environment },
        );
        return { result, text, segments };
      },
      { equals: identity },
    );

    this.lookup = defineQuery(db, "lookup", (ctx, [id, name]: readonly [string, string]) => {
      const scope = ctx.get(this.scope, fileOf(id));
      const at = scope.position(id);
      const j = at === undefined ? undefined : scope.resolve(at, name);
      return j === undefined ? null : scope.entries[j]!.id;
    });

    this.candidates = defineQuery(db, "candidates", (ctx, id: string) => {
      const file = fileOf(id);
      const scope = ctx.get(this.scope, file);
      const groups = ctx.get(this.groups, file);
      const at = scope.position(id);
      if (at === undefined) return [];
      const mine = groups.position[id] ?? 0;
      const out: { name: string; id: string; earlier: boolean }[] = [];
      const seen = new Set<string>();
      const consider = (name: string): void => {
        if (seen.has(name)) return;
        seen.add(name);
        const j = scope.resolve(at, name);
        if (j === undefined) return;
        const target = scope.entries[j]!.id;
        const p = groups.position[target] ?? Number.POSITIVE_INFINITY;
        out.push({ name, id: target, earlier: p < mine });
      };
      for (let j = at - 1; j >= 0; j--) for (const n of scope.entries[j]!.defines) consider(n);
      for (const e of scope.entries) if (e.kind === "fn") for (const n of e.defines) consider(n);
      return out;
    });

    this.infer = defineQuery(
      db,
      "infer",
      (ctx, group: readonly string[]) => this.inferGroup(ctx, group, [group.map((_, i) => i)]),
      { equals: identity, keyOf: groupKey },
    );

    this.inferUnit = defineQuery(
      db,
      "inferUnit",
      (ctx, members: readonly string[]) => {
        const units = ctx.get(this.units, fileOf(members[0]!));
        const u = units.unitOf[members[0]!];
        const unit = u === undefined ? undefined : units.units[u];
        return this.inferGroup(ctx, members, unit?.order ?? [members.map((_, i) => i)]);
      },
      { equals: identity, keyOf: groupKey },
    );

    this.signatures = defineQuery(
      db,
      "signatures",
      (ctx, group: readonly string[]) => ctx.get(this.infer, group).exports.map((m) => [...m]),
      { equals: sameSignatures, keyOf: groupKey },
    );

    this.checkChunk = defineQuery(
      db,
      "checkChunk",
      (ctx, [file, level, index]: ChunkKey) =>
        level === 0 ? this.checkUnits(ctx, file, index) : this.checkParts(ctx, file, level, index),
      { equals: identity, keyOf: (key) => this.chunkKeys.encoded(key) },
    );

    this.typecheck = defineQuery(db, "typecheck", (ctx, file: string) => this.assemble(ctx, file), {
      equals: identity,
    });

    this.diagnostics = defineQuery(
      db,
      "diagnostics",
      (ctx, file: string) => {
        const parsed = ctx.get(this.parse, file);
        const modules = ctx.get(this.moduleDiagnostics, file);
        const evaluated = ctx.get(this.evaluation, file);
        const types = ctx.get(this.typecheck, file).result;
        return orderDiagnostics(
          modules.length === 0 ? parsed.diagnostics : [...parsed.diagnostics, ...modules],
          evaluated.diagnostics,
          types.diagnostics,
        );
      },
      { equals: identity },
    );
  }

  /**
   * The values a file's imports bind, for its evaluation: each read asks for the importee's
   * evaluation in the evaluation running at that moment, so that an evaluation depends on an
   * imported module's only once it uses one of its values.
   */
  private importedValues(ctx: QueryContext, file: string): ReadonlyMap<string, ImportedName> {
    const out = new Map<string, ImportedName>();
    for (const [name, b] of Object.entries(ctx.get(this.importScope, file).bindings)) {
      if (b.kind === "error") out.set(name, { read: () => ERROR });
      else if (b.kind === "namespace") {
        const table = ctx.get(this.exports, b.file);
        const members = Object.keys(table.names);
        const value: Value = {
          kind: "module",
          name: b.module,
          hidden: table.hidden,
          members: new NamespaceMembers(members, (n) => {
            const entry = table.names[n];
            return entry?.kind === "definition"
              ? this.importedValue(entry.file, entry.name)
              : undefined;
          }),
        };
        out.set(name, { read: () => value, members });
      } else {
        const { file: origin, name: defined } = b;
        out.set(name, {
          read: () => this.importedValue(origin, defined),
          doc: () => this.importedDefinition(origin, defined)?.doc,
        });
      }
    }
    return out;
  }

  /** The value of `name` at the end of `file`'s evaluation, read from the running evaluation. */
  private importedValue(file: string, name: string): Value {
    return this.importedDefinition(file, name)?.value ?? ERROR;
  }

  /** The definition of `name` in `file`'s evaluation, read from the running evaluation. */
  private importedDefinition(file: string, name: string): EvalDefinition | undefined {
    const running = this.evaluating[this.evaluating.length - 1];
    if (running === undefined)
      return this.db.get(this.evaluation, file).module.definitions.get(name);
    // Calls of an imported function in a loop read it each time: the dependency is recorded once.
    let result = running.read.get(file);
    if (result === undefined)
      running.read.set(file, (result = running.ctx.get(this.evaluation, file)));
    return result.module.definitions.get(name);
  }

  /** What an imported name is to the type checker (null from the file's own scope). */
  private importReference(
    ctx: QueryContext,
    file: string,
    name: string,
  ): GroupReference | undefined {
    const b = ctx.get(this.importScope, file).bindings[name];
    if (b === undefined) return undefined;
    switch (b.kind) {
      case "error":
        return { kind: "unknown" };
      case "namespace": {
        const signatures = ctx.get(this.exportSignatures, b.file);
        const table = ctx.get(this.exports, b.file);
        const members = new Map(Object.entries(signatures));
        const macros: string[] = [];
        // Exported structs, enums, aliases, measures, traits and effects are the declaring
        // module's own bindings (`q.Point { … }`, `3 q.meter`); macros must be imported by name.
        const declarations = new Map<string, ImportedDeclaration>();
        for (const [name, d] of this.namespaceDeclarations(ctx, b.file)) {
          if (d.binding.kind === "macro") macros.push(name);
          else declarations.set(name, d);
        }
        return {
          kind: "namespace",
          module: b.module,
          members,
          hidden: table.hidden,
          macros,
          declarations,
        };
      }
      case "definition": {
        // Declarations reach the checker through the file's declarations.
        if (b.declaration) return undefined;
        const signature = ctx.get(this.exportSignature, [b.file, b.name]);
        return signature === null ? { kind: "unknown" } : { kind: "signature", signature };
      }
    }
  }

  /** The declarations a module exports, by exported name (for `import m as q`). */
  private namespaceDeclarations(ctx: QueryContext, file: string): Map<string, ImportedDeclaration> {
    const out = new Map<string, ImportedDeclaration>();
    for (const [name, entry] of Object.entries(ctx.get(this.exports, file).names)) {
      if (entry.kind !== "definition" || !entry.declaration) continue;
      const declared = ctx.get(this.declarations, entry.file).result.declarations;
      const d = exportedDeclaration(declared, entry.name);
      if (d !== undefined) out.set(name, d);
    }
    return out;
  }

  /** The environment of a file's declarations: the host's, and what its imports declare. */
  private declarationEnvironment(
    ctx: QueryContext,
    file: string,
    given: DefinitionEnvironment | undefined,
  ): DefinitionEnvironment | undefined {
    const imported = new Map<string, ImportedDeclaration>();
    const units: MeasureInfo[] = [];
    for (const [name, b] of Object.entries(ctx.get(this.importScope, file).bindings)) {
      if (b.kind === "namespace") {
        // `q.meter`: the unit is known here without its name.
        for (const d of this.namespaceDeclarations(ctx, b.file).values())
          if (d.measure !== undefined) units.push(d.measure);
      }
      if (b.kind !== "definition" || !b.declaration) continue;
      const declared = ctx.get(this.declarations, b.file).result.declarations;
      const d = exportedDeclaration(declared, b.name);
      if (d !== undefined) imported.set(name, d);
    }
    if (imported.size === 0 && units.length === 0) return given;
    return { ...(given ?? {}), imported, units };
  }

  /** Infers one binding group in its virtual source (the `infer` query). */
  private inferGroup(
    ctx: QueryContext,
    group: readonly string[],
    order: readonly (readonly number[])[],
  ): GroupInference {
    const file = fileOf(group[0]!);
    const context = ctx.get(this.groupContext, group);
    const declared = ctx.get(this.declarations, file);
    const defs = group.map((id) => ctx.get(this.definition, id)).filter(isDefinition);
    const anchored = defs.some((d) => d.anchored);
    const base = declared.text.length + 1;
    let text: string;
    let segments: Segment[];
    let members: Node[];
    if (anchored) {
      // Syntax copied from elsewhere in the file: check the members where they are.
      const full = ctx.get(this.parse, file).source.text;
      text = full;
      segments = [{ id: null, at: base, length: full.length }];
      members = defs.map((d) => shift(d.node, base));
    } else {
      const laid = layOut(defs, base);
      text = laid.text;
      segments = laid.segments;
      members = defs.map((d, i) => shift(d.node, segments[i]!.at - d.start));
    }
    const source = new SourceFile(file, `${declared.text}\n${text}`);
    const uses = context.uses.map((u) => new Map(u));
    const resolved = new Map<string, GroupReference | undefined>();
    const resolve = (member: number, name: string): GroupReference | undefined => {
      const key = `${member}\u0000${name}`;
      if (resolved.has(key)) return resolved.get(key);
      let target = uses[member]?.get(name);
      if (target === undefined) target = this.resolveLate(ctx, group, member, name);
      const r = this.reference(ctx, target, name, file);
      resolved.set(key, r);
      return r;
    };
    const result = checkGroup({
      source,
      members,
      order,
      declarations: declared.result.declarations,
      // The declarations come first in every group's virtual source: positions there are
      // the same for every group, so signatures may keep them (labels on a struct field).
      keepOrigin: (span) => span.end <= declared.text.length,
      reassigned: context.reassigned,
      opaque: context.opaque,
      resolve,
      visibleNames: (member) => this.visibleNames(ctx, group, member),
    });
    const types = members.map((m) => {
      const out: (Type | undefined)[] = [];
      preorder(m, (n) => out.push(result.types.get(n)));
      return out;
    });
    const typeofs = members.map((m) => {
      const out: (Type | undefined)[] = [];
      preorder(m, (n) => out.push(result.typeofs.get(n)));
      return out;
    });
    return {
      segments: [...declared.segments, ...segments],
      diagnostics: result.diagnostics,
      exports: result.exports,
      types,
      typeofs,
      open: result.open,
    };
  }

  /** Resolves a name the grouping did not see a member use (the checker looked it up anyway). */
  private resolveLate(
    ctx: QueryContext,
    group: readonly string[],
    member: number,
    name: string,
  ): number | string | null {
    const id = ctx.get(this.lookup, [group[member]!, name]);
    if (id === null) return null;
    const k = group.indexOf(id);
    return k >= 0 ? k : id;
  }

  /** What a use refers to, reading the signatures of the group that defines it. */
  private reference(
    ctx: QueryContext,
    target: number | string | null,
    name: string,
    file: string,
  ): GroupReference | undefined {
    if (target === null) return this.importReference(ctx, file, name);
    if (typeof target === "number") return { kind: "member", member: target };
    const face = ctx.get(this.interface, target);
    if (face === null || face.kind === "other") return undefined;
    try {
      const owner = ctx.get(this.groupOf, target);
      const k = owner.indexOf(target);
      const signature = ctx.get(this.signatures, owner)[k]?.find(([n]) => n === name)?.[1];
      return signature === undefined ? { kind: "pending" } : { kind: "signature", signature };
    } catch (error) {
      // Groups form a DAG, so this is defensive: a cycle leaves the name monomorphic.
      if (error instanceof CycleError) return { kind: "pending" };
      throw error;
    }
  }

  /**
   * The names member `member` could have meant, for suggestions: those defined before it and
   * every function, as a whole-file check sees them when it infers this group (definitions
   * of earlier groups, and of this group's own members once they are inferred).
   */
  private visibleNames(
    ctx: QueryContext,
    group: readonly string[],
    member: number,
  ): readonly VisibleName[] {
    const out: VisibleName[] = [];
    for (const c of ctx.get(this.candidates, group[member]!)) {
      const k = group.indexOf(c.id);
      if (k >= 0) out.push({ name: c.name, member: k });
      else if (c.earlier) out.push({ name: c.name });
    }
    // Imported names are visible everywhere in the file (imports are hoisted).
    const seen = new Set(out.map((v) => v.name));
    const bindings = ctx.get(this.importScope, fileOf(group[0]!)).bindings;
    for (const [name, b] of Object.entries(bindings))
      if (b.kind !== "error" && !seen.has(name)) out.push({ name });
    return out;
  }

  /**
   * The `checkChunk` query at level 0: the inference of units `chunk * FANOUT` up to the next
   * chunk, their diagnostics placed at file positions. An edit reruns the chunk of the units
   * it reached and the chunks above it, one per level, each of which reads `FANOUT` results:
   * what an edit costs grows with the logarithm of the file's size, not with its size.
   */
  private checkUnits(ctx: QueryContext, file: string, chunk: number): CheckedChunk {
    const { units } = ctx.get(this.units, file);
    // Where definitions start is read only to place diagnostics: a chunk without any does not
    // depend on it, and an edit that moves the definitions after it does not rerun it.
    let starts: ReadonlyMap<string, number> | undefined;
    const startOf = (id: string): number | undefined => {
      starts ??= ctx.get(this.starts, file);
      return starts.get(id);
    };
    const diagnostics: Diagnostic[] = [];
    const inferences: [readonly string[], GroupInference][] = [];
    const end = Math.min(units.length, (chunk + 1) * FANOUT);
    for (let u = chunk * FANOUT; u < end; u++) {
      const unit = units[u]!;
      const group = unit.members;
      const inferred = ctx.get(unit.order.length === 1 ? this.infer : this.inferUnit, group);
      inferences.push([group, inferred]);
      if (inferred.diagnostics.length === 0) continue;
      const relocator = new Relocator(inferred.segments, startOf);
      for (const d of inferred.diagnostics) diagnostics.push(relocator.diagnostic(d));
    }
    return { diagnostics, inferences, parts: [] };
  }

  /** The `checkChunk` query above level 0: the chunks below it, their diagnostics joined. */
  private checkParts(ctx: QueryContext, file: string, level: number, index: number): CheckedChunk {
    const { units } = ctx.get(this.units, file);
    // The number of chunks of the level below (each covers FANOUT ** level units).
    const below = Math.ceil(units.length / FANOUT ** level);
    const parts: CheckedChunk[] = [];
    let diagnostics: readonly Diagnostic[] = [];
    const end = Math.min(below, (index + 1) * FANOUT);
    for (let c = index * FANOUT; c < end; c++) {
      const part = ctx.get(this.checkChunk, this.chunkKeys.key(file, level - 1, c));
      parts.push(part);
      if (part.diagnostics.length > 0)
        diagnostics =
          diagnostics.length === 0 ? part.diagnostics : [...diagnostics, ...part.diagnostics];
    }
    return { diagnostics, inferences: [], parts };
  }

  /** The `typecheck` query: every group's results at file positions. */
  private assemble(ctx: QueryContext, file: string): FileTypes {
    const defs = ctx.get(this.definitions, file);
    const { units } = ctx.get(this.units, file);
    const declared = ctx.get(this.declarations, file);
    const starts = ctx.get(this.starts, file);
    const diagnostics: Diagnostic[] = [];
    const declRelocator = new Relocator(declared.segments, (id) => starts.get(id));
    for (const d of declared.result.diagnostics) diagnostics.push(declRelocator.diagnostic(d));
    // The root of the tree of chunks: the lowest level with one chunk.
    let level = 0;
    while (FANOUT ** (level + 1) < units.length) level++;
    const root = ctx.get(this.checkChunk, this.chunkKeys.key(file, level, 0));
    for (const d of root.diagnostics) diagnostics.push(d);
    const chunks = (): Iterable<CheckedChunk> => leavesOf(root);
    // The node tables and the schemes are built on first use: printing diagnostics needs
    // none of them, and building them visits every definition.
    let tables: { types: Map<Node, Type>; typeofs: Map<Node, Type> } | undefined;
    const tablesNow = (): { types: Map<Node, Type>; typeofs: Map<Node, Type> } => {
      tables ??= nodeTables(defs, chunks());
      return tables;
    };
    const schemeTerms = new LazyMap(() => {
      const exports = new Map<string, ReadonlyMap<string, Signature>>();
      for (const chunk of chunks())
        for (const [group, inferred] of chunk.inferences)
          group.forEach((id, m) => {
            exports.set(id, inferred.exports[m] ?? new Map());
          });
      const out = new Map<string, Scheme>();
      for (const def of defs.definitions)
        for (const [name, s] of exports.get(def.id) ?? []) out.set(name, s.scheme);
      return out;
    });
    // (Each rendered when first read: a hover renders one, not the file's.)
    const schemes = new RenderedSchemes(schemeTerms);
    return {
      result: {
        types: lazyTypeTable(tablesNow),
        schemes,
        schemeTerms,
        diagnostics: dedupe(diagnostics).sort(
          (a, b) => a.primary.span.start - b.primary.span.start,
        ),
      },
    };
  }
}

/**
 * For definitions made from a file's previous ones after an edit: those previous ones, and
 * the indexes where the two lists may differ.
 */
const changedDefinitions = new SideTable<
  FileDefinitions,
  { readonly before: FileDefinitions; readonly changed: readonly number[] }
>("changed definitions");

/**
 * How many inference units a `checkChunk` of level 0 covers, and how many chunks one above.
 * An edit reads about `FANOUT` results per level (16: 60 reads in a file of 48,000 units).
 */
const FANOUT = 16;

/** The key of a `checkChunk`: file, level, index. */
type ChunkKey = readonly [string, number, number];

/** The keys of `checkChunk` (and their strings) by file, level and index, each made once. */
class ChunkKeys {
  private readonly byFile = new Map<string, { keys: ChunkKey[][]; strings: string[][] }>();

  key(file: string, level: number, index: number): ChunkKey {
    const table = this.table(file);
    const keys = (table.keys[level] ??= []);
    let key = keys[index];
    if (key === undefined) {
      key = [file, level, index];
      keys[index] = key;
      (table.strings[level] ??= [])[index] = encodeKey(key);
    }
    return key;
  }

  /** The key's string (the database's key for it). */
  encoded(key: ChunkKey): string {
    const [file, level, index] = key;
    return this.byFile.get(file)?.strings[level]?.[index] ?? encodeKey(key);
  }

  forget(file: string): void {
    this.byFile.delete(file);
  }

  private table(file: string): { keys: ChunkKey[][]; strings: string[][] } {
    let table = this.byFile.get(file);
    if (table === undefined) this.byFile.set(file, (table = { keys: [], strings: [] }));
    return table;
  }
}

/** What `checkChunk` produces. */
export interface CheckedChunk {
  /** The units' diagnostics, at file positions. */
  readonly diagnostics: readonly Diagnostic[];
  /** At level 0: each unit's members and what inferring it produced. */
  readonly inferences: readonly (readonly [readonly string[], GroupInference])[];
  /** Above level 0: the chunks of the level below. */
  readonly parts: readonly CheckedChunk[];
}

/** The chunks of level 0 under `chunk`, in order. */
function* leavesOf(chunk: CheckedChunk): Generator<CheckedChunk> {
  if (chunk.parts.length === 0) yield chunk;
  else for (const part of chunk.parts) yield* leavesOf(part);
}

/** A read-only map built on first use. */
class LazyMap<K, V> implements ReadonlyMap<K, V> {
  private built: Map<K, V> | undefined;
  private readonly build: () => Map<K, V>;

  constructor(build: () => Map<K, V>) {
    this.build = build;
  }

  private get map(): Map<K, V> {
    this.built ??= this.build();
    return this.built;
  }

  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  forEach(visit: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.map) visit(v, k, this);
  }
  entries(): MapIterator<[K, V]> {
    return this.map.entries();
  }
  keys(): MapIterator<K> {
    return this.map.keys();
  }
  values(): MapIterator<V> {
    return this.map.values();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.map[Symbol.iterator]();
  }
}

/** The definitions of a file, with the by-id table made on first use. */
function fileDefinitions(
  file: string,
  definitionVector: Vector<Definition>,
  expansions: ReadonlyMap<unknown, unknown>,
): FileDefinitions {
  let byId: Map<string, Definition> | undefined;
  return {
    file,
    get definitions(): readonly Definition[] {
      return definitionVector.toArray();
    },
    definitionVector,
    get byId(): ReadonlyMap<string, Definition> {
      byId ??= new Map(definitionVector.toArray().map((d) => [d.id, d]));
      return byId;
    },
    expansions,
  };
}

const NO_DEFINITIONS: FileDefinitions = fileDefinitions("", Vector.empty(), new Map());

function indexOf(definitions: readonly Definition[]): IndexEntry[] {
  return definitions.map((d) => ({ id: d.id, kind: d.kind, defines: d.defines }));
}

function startsOf(definitions: readonly Definition[]): Map<string, number> {
  return new Map(definitions.map((d) => [d.id, d.start]));
}

function sameStarts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [id, start] of a) if (b.get(id) !== start) return false;
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Node → type and `typeof` node → operand type for the current nodes of a file. */
function nodeTables(
  defs: FileDefinitions,
  chunks: Iterable<CheckedChunk>,
): { types: Map<Node, Type>; typeofs: Map<Node, Type> } {
  const nodeTypes = new Map<Node, Type>();
  const typeofs = new Map<Node, Type>();
  for (const chunk of chunks)
    for (const [group, inferred] of chunk.inferences) {
      group.forEach((id, m) => {
        const def = defs.byId.get(id);
        if (def === undefined) return;
        const types = inferred.types[m] ?? [];
        const ofs = inferred.typeofs[m] ?? [];
        const end = def.start + def.text.length;
        const expandedTypes = def.item === def.node ? undefined : new Map<Node, Type>();
        let k = 0;
        preorder(def.node, (n) => {
          const t = types[k];
          const o = ofs[k];
          k++;
          if (t !== undefined) expandedTypes?.set(n, t);
          // Syntax a macro copied from its definition is not where the user can point.
          if (def.anchored && (n.span.start < def.start || n.span.end > end)) return;
          if (t !== undefined) nodeTypes.set(n, t);
          if (o !== undefined) typeofs.set(n, o);
        });
        if (expandedTypes !== undefined)
          typeInvocations(def.item, def.node, defs.expansions, expandedTypes, nodeTypes);
      });
    }
  return { types: nodeTypes, typeofs };
}

/**
 * Gives each macro invocation of a parsed item the type of what it expanded to, by walking
 * the parsed and the expanded item side by side (they differ only at invocations).
 */
function typeInvocations(
  parsed: Node,
  expanded: Node,
  expansions: ReadonlyMap<unknown, unknown>,
  expandedTypes: ReadonlyMap<Node, Type>,
  types: Map<Node, Type>,
): void {
  if (parsed === expanded) return;
  const t = expandedTypes.get(expanded);
  if (t !== undefined && !types.has(parsed)) types.set(parsed, t);
  if (expansions.has(parsed)) return;
  if (parsed.kind !== "apply" || expanded.kind !== "apply") return;
  if (parsed.args.length !== expanded.args.length) return;
  typeInvocations(parsed.callee, expanded.callee, expansions, expandedTypes, types);
  parsed.args.forEach((a, i) => {
    typeInvocations(a, expanded.args[i]!, expansions, expandedTypes, types);
  });
}

function isDefinition(d: Definition | null): d is Definition {
  return d !== null;
}

/** Definitions the checker sees alike (wherever they are in the file). */
function sameDefinition(a: Definition | null, b: Definition | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.kind === b.kind &&
    a.anchored === b.anchored &&
    a.declaration === b.declaration &&
    a.text === b.text &&
    a.fingerprint === b.fingerprint
  );
}

function sameSignatureTable(
  a: Readonly<Record<string, Signature>>,
  b: Readonly<Record<string, Signature>>,
): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const y = b[k];
    if (y === undefined || signatureKey(a[k]!) !== signatureKey(y)) return false;
  }
  return true;
}

const NO_IMPORTS: ImportsResult = { imports: [], diagnostics: [] };

function sameSignatures(
  a: readonly (readonly [string, Signature])[][],
  b: readonly (readonly [string, Signature])[][],
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) {
      if (x[j]![0] !== y[j]![0]) return false;
      if (signatureKey(x[j]![1]) !== signatureKey(y[j]![1])) return false;
    }
  }
  return true;
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}\u0000${d.message}\u0000${d.primary.span.start}:${d.primary.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The single edit that turns `before` into `after` (common prefix and suffix kept). */
export function diffEdit(before: SourceFile, after: SourceFile): TextEdit {
  const { prefix, suffix } = textChange(before, after);
  return {
    span: { start: prefix, end: before.text.length - suffix },
    newText: after.text.slice(prefix, after.text.length - suffix),
  };
}
