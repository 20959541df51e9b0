import { type Diagnostic, SideTable, type SourceFile, textChange, Vector } from "@cadenza/core";
import { noteMovedDefinition } from "./compile.js";
import { type Binding, type Env, Scope } from "./env.js";
import { Halt } from "./errors.js";
import {
  type EvalOptions,
  type EvalResult,
  hoistedName,
  Interpreter,
  statusOf,
  type TranscriptEntry,
} from "./evaluate.js";
import {
  type InferenceOrigin,
  inferenceContext,
  isCurrent,
  noteRedefinition,
  shareInferredType,
} from "./infer.js";
import {
  definedNames,
  type ItemRecord,
  type ModuleRecorder,
  type ModuleState,
  moduleRecorder,
  moduleState,
} from "./module.js";
import {
  headName,
  isCall,
  itemArray,
  itemAt,
  sameShape,
  type TopLevelItems,
  type Tree,
  type TreeApply,
} from "./tree.js";
import type { ClosureValue, Value } from "./values.js";

// Incremental evaluation (`EvalOptions.incremental` and `EvalOptions.previous`).
//
// A tracked run records, per top-level item, the environment it started in and the top-level
// cells it read while it ran, however deep in calls (tree-walked or compiled: both read a
// cell's `value`). The cells of the top-level scope of a tracked run have a `value` accessor
// that notes the read in the item running; nothing else changes, so untracked runs pay
// nothing. A later run whose items differ only in the bodies of plain `fn` items evaluates
// those items again in their recorded environments, writing the new closures into the same
// hoisted cells, and re-runs the expression items that read one of those cells. Everything
// else (entries, diagnostics, expansions, branches, output, budget use) is taken over from
// the record. Whenever the result could differ from a fresh evaluation, the run falls back
// to one (see `fastPath` for the conditions).
//
// An edit that changes the length of the text moves every item after it: the parser makes them
// anew, with the same text at shifted spans. Such copies are not run again when their results
// cannot differ: a copied `fn` item gets its closure made again over the new node (the same
// environment and cell; the compiled code of the previous node is carried over by
// `noteMovedDefinition`, its inferred type by `shareInferredType`), and a copied expression
// item whose result holds no node or position (no diagnostic, expansion or branch, a value of
// numbers, strings and the like) keeps its entry at the new span, unless it reads a cell
// defined again. Their traces stay as they are.
//
// The fast path costs what changed and what runs again, not the size of the file: the per-item
// lists (traces, entries, item records) are vectors patched at the indexes run again, the items
// are read only at the changed indexes, the text comparison is the one the host already made
// (`textChange`), and what is merged over all items (diagnostics, output, expansions, branches)
// is merged over the sorted indexes of the items that have any, only when it changed.

/**
 * How many copied items fast-path runs took over: `fn` items whose closures were made again,
 * and expression items whose entries were shifted (for tests).
 */
export const copyStats: { fns: number; expressions: number } = { fns: 0, expressions: 0 };

/** Thrown during a fast-path run when its result could differ from a fresh evaluation. */
export class FastPathAbort extends Error {}

/**
 * What a tracked run recorded about one top-level item (its entry and item record are kept
 * apart: a copy of the item at another place keeps its trace).
 */
export interface ItemTrace {
  /** The environment the item started in. */
  readonly env: Env;
  /** The top-level cells the item read, each once. */
  readonly reads: readonly Binding[];
  readonly diagnostics: readonly Diagnostic[];
  /** The expansions made while the item ran (the first per invocation). */
  readonly expansions: ReadonlyMap<Tree, Tree> | undefined;
  /** The branches reached or considered, and those taken. */
  readonly seen: ReadonlySet<Tree> | undefined;
  readonly taken: ReadonlySet<Tree> | undefined;
  /** Printed text (recorded when there is an output sink). */
  readonly output: readonly string[] | undefined;
  readonly steps: number;
  readonly allocations: number;
}

/** A counter making every item run's read stamp unique. */
let epochs = 0;

/** The recording state of a tracked run, shared by the runs that take it over. */
export class Tracker {
  /** The index of the item running, or -1 between items. */
  item = -1;
  /** The stamp of the item running (cells note a read once per stamp). */
  epoch = 0;
  reads: Binding[] = [];
  /** Whether a top-level cell was written after it held a value (an assignment). */
  assigned = false;
  /** Whether a `Cell` was mutated. */
  mutated = false;
  /** A cell the fast path empties before its `fn` item fills it again. */
  redefining: Binding | undefined;
  /** The item that first gave each top-level cell a value. */
  readonly definedBy: Map<Binding, number> = new Map();
  /** Per-unit flags of compiled code set during the current item (cleared per item). */
  readonly states: Int8Array[] = [];
  /** Whether printed text is recorded. */
  recordOutput: boolean;
  output: string[] | undefined;
  /** Whether printed text waits for the run to commit (fast path). */
  holdOutput = false;
  /** Whether a fast-path run is in progress. */
  fastPath = false;
  /**
   * Whether an item of a fast-path run used a cached inferred type that a fresh run could not
   * have at that point (see `infer.ts`): made after the item, outside the items, or from a
   * redefined cell.
   */
  untrusted = false;
  record: ItemRecord | undefined;
  expansions: Map<Tree, Tree> | undefined;
  seen: Set<Tree> | undefined;
  taken: Set<Tree> | undefined;
  private env: Env | undefined;
  private steps0 = 0;
  private allocations0 = 0;
  /** The traces of a full run, in order. */
  traces: ItemTrace[] = [];

  constructor(recordOutput: boolean) {
    this.recordOutput = recordOutput;
  }

  begin(i: number, env: Env, interp: Interpreter): void {
    // Compiled code records a branch once per unit; per item, so that each item's record
    // is complete.
    for (const st of this.states) st.fill(0);
    this.states.length = 0;
    this.item = i;
    this.epoch = ++epochs;
    inferenceContext.owner = this;
    inferenceContext.item = i;
    this.reads = [];
    this.env = env;
    this.record = undefined;
    this.expansions = undefined;
    this.seen = undefined;
    this.taken = undefined;
    this.output = this.recordOutput ? [] : undefined;
    this.steps0 = interp.steps;
    this.allocations0 = interp.allocated;
  }

  end(diagnostics: readonly Diagnostic[], interp: Interpreter): ItemTrace {
    const trace: ItemTrace = {
      env: this.env!,
      reads: this.reads,
      diagnostics,
      expansions: this.expansions,
      seen: this.seen,
      taken: this.taken,
      output: this.output,
      steps: interp.steps - this.steps0,
      allocations: interp.allocated - this.allocations0,
    };
    this.traces.push(trace);
    this.abandon();
    return trace;
  }

  /** Leaves the current item (nothing more is recorded until the next one begins). */
  abandon(): void {
    this.item = -1;
    this.output = undefined;
    if (inferenceContext.owner === this) {
      inferenceContext.owner = undefined;
      inferenceContext.item = -1;
    }
  }

  /** Checks a cached inferred type used by the item running (fast path). */
  readonly checkCache = (origin: InferenceOrigin | undefined): void => {
    if (
      origin === undefined ||
      origin.owner !== this ||
      origin.item > this.item ||
      !isCurrent(origin)
    )
      this.untrusted = true;
  };
}

/** The hidden state of a tracked cell (its `value` is an accessor over `trackedValue`). */
interface TrackedCell extends Binding {
  trackedValue: Binding["value"];
  trackedStamp: number;
  readonly tracker: Tracker;
}

// One getter and setter for every tracked cell (so that call sites reading cells stay
// monomorphic in the accessor), keeping their state in the cell itself.
const trackedAccessor: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: TrackedCell) {
    const t = this.tracker;
    if (t.item >= 0 && this.trackedStamp !== t.epoch) {
      this.trackedStamp = t.epoch;
      t.reads.push(this);
    }
    return this.trackedValue;
  },
  set(this: TrackedCell, x: Binding["value"]) {
    const t = this.tracker;
    if (this.trackedValue !== undefined) {
      if (t.redefining !== this) t.assigned = true;
    } else if (x !== undefined && !t.definedBy.has(this)) t.definedBy.set(this, t.item);
    this.trackedValue = x;
  },
};

/** Turns a top-level cell into one whose reads and writes `t` records (same object). */
function track(t: Tracker, b: Binding): Binding {
  if (b.origin === "import" || "tracker" in b) return b;
  const v = b.value;
  const cell = b as TrackedCell;
  cell.trackedValue = v;
  cell.trackedStamp = 0;
  (cell as { tracker: Tracker }).tracker = t;
  if (v !== undefined && !t.definedBy.has(b)) t.definedBy.set(b, t.item);
  Object.defineProperty(b, "value", trackedAccessor);
  return b;
}

/** The top-level scope of a tracked run: every cell bound in it is tracked. */
export class TrackedScope extends Scope {
  private readonly tracker: Tracker;

  constructor(env: Env, tracker: Tracker) {
    super(env, "top");
    this.tracker = tracker;
  }

  override bind(name: string, binding: Binding): Binding {
    return super.bind(name, track(this.tracker, binding));
  }

  override declare(names: Iterable<string>): Map<string, Binding> {
    const table = super.declare(names);
    for (const b of table.values()) track(this.tracker, b);
    return table;
  }
}

/** A recorder that also records each item's expansions and branches into `t`. */
function trackingRecorder(base: ModuleRecorder, t: Tracker): ModuleRecorder {
  return {
    beginItem: (node, core) => base.beginItem(node, core),
    recordExpansion(call, expansion): void {
      base.recordExpansion(call, expansion);
      if (t.item < 0) return;
      t.expansions ??= new Map();
      if (!t.expansions.has(call)) t.expansions.set(call, expansion);
    },
    recordBranch(branch, taken): void {
      base.recordBranch(branch, taken);
      if (t.item < 0) return;
      (t.seen ??= new Set()).add(branch);
      if (taken) (t.taken ??= new Set()).add(branch);
    },
    finish: (scope) => base.finish(scope),
  };
}

/** What an incremental result hands over to the next run. */
interface IncrementalState {
  readonly interp: Interpreter;
  readonly tracker: Tracker;
  readonly scope: TrackedScope;
  readonly source: SourceFile;
  readonly items: TopLevelItems;
  readonly traces: Vector<ItemTrace>;
  /**
   * A top-level cell that each item gave its first value to, by index (the same in every run
   * that takes the first one over: items that bind names are never run again).
   */
  readonly defines: readonly (Binding | undefined)[];
  /** Reverse index: the items that read each cell (may list items that no longer do). */
  readonly readers: Map<Binding, number[]>;
  /** The top-level environment after the last item. */
  readonly finalEnv: Env;
  readonly entries: Vector<TranscriptEntry>;
  readonly records: Vector<ItemRecord>;
  readonly diagnostics: readonly Diagnostic[];
  readonly module: ModuleState;
  /** The indexes, in order, of the items whose traces have something of each kind. */
  readonly notable: Notable;
  readonly completed: boolean;
  readonly compile: boolean;
  readonly maxCallDepth: number | undefined;
  readonly imports: boolean;
  readonly totalSteps: number;
  readonly totalAllocations: number;
  consumed: boolean;
}

/** The states of incremental results (kept on the results: see `SideTable` of core). */
const states = new SideTable<EvalResult, IncrementalState>("incremental state");

/** {@link evaluate} with `incremental` or `previous`. */
export function evaluateIncremental(
  source: SourceFile,
  items: TopLevelItems,
  options: EvalOptions,
): EvalResult {
  const { previous, ...rest } = options;
  const state = previous === undefined ? undefined : states.get(previous);
  if (state !== undefined && !state.consumed) {
    state.consumed = true;
    const fast = fastPath(state, source, items, rest);
    if (fast !== undefined) return fast;
  }
  return fullRun(source, items, rest);
}

function fullRun(source: SourceFile, items: TopLevelItems, options: EvalOptions): EvalResult {
  const interp = new Interpreter(source, options);
  const tracker = new Tracker(options.output !== undefined);
  interp.tracker = tracker;
  interp.recorder = trackingRecorder(interp.recorder, tracker);
  const scope = new TrackedScope(interp.topScope().env, tracker);
  const { entries, halted } = interp.runTopLevel(itemArray(items), scope);
  tracker.abandon();
  const status = statusOf(halted);
  const module = interp.recorder.finish(scope);
  const result: EvalResult = {
    entries,
    diagnostics: interp.diagnostics,
    module,
    status,
    reused: 0,
    reevaluated: entries.length,
  };
  const traces = tracker.traces;
  tracker.traces = [];
  const readers = new Map<Binding, number[]>();
  const defines: (Binding | undefined)[] = [];
  for (const [cell, i] of tracker.definedBy) if (i >= 0) defines[i] = cell;
  const notable: Record<keyof Notable, number[]> = {
    diagnosed: [],
    printed: [],
    expanding: [],
    branching: [],
  };
  let totalSteps = 0;
  let totalAllocations = 0;
  for (let i = 0; i < traces.length; i++) {
    const trace = traces[i]!;
    totalSteps += trace.steps;
    totalAllocations += trace.allocations;
    for (const cell of trace.reads) addReader(readers, cell, i);
    for (const kind of NOTABLE) if (HAS[kind](trace)) notable[kind].push(i);
  }
  states.set(result, {
    interp,
    tracker,
    scope,
    source,
    items,
    traces: Vector.from(traces),
    defines,
    readers,
    finalEnv: scope.env,
    entries: Vector.from(entries),
    records: Vector.from(module.items),
    // (A copy: the interpreter's own list grows if a later run takes it over.)
    diagnostics: interp.diagnostics.slice(),
    module,
    notable,
    completed: status === "completed",
    compile: options.compile !== false,
    maxCallDepth: options.maxCallDepth,
    imports: options.imports !== undefined && options.imports.size > 0,
    totalSteps,
    totalAllocations,
    consumed: false,
  });
  return result;
}

function addReader(readers: Map<Binding, number[]>, cell: Binding, i: number): void {
  const list = readers.get(cell);
  if (list === undefined) readers.set(cell, [i]);
  else list.push(i);
}

/**
 * The items whose traces have diagnostics, printed text, expansions or branches, each kind as
 * indexes in increasing order: what is merged over the whole file is merged over these.
 */
interface Notable {
  readonly diagnosed: readonly number[];
  readonly printed: readonly number[];
  readonly expanding: readonly number[];
  readonly branching: readonly number[];
}

const NOTABLE = ["diagnosed", "printed", "expanding", "branching"] as const;

/** Whether a trace belongs in each list of {@link Notable}. */
const HAS: Readonly<Record<keyof Notable, (trace: ItemTrace) => boolean>> = {
  diagnosed: (trace) => trace.diagnostics.length > 0,
  printed: (trace) => (trace.output?.length ?? 0) > 0,
  expanding: (trace) => (trace.expansions?.size ?? 0) > 0,
  // (An item that took a branch also saw it.)
  branching: (trace) => (trace.seen?.size ?? 0) > 0,
};

/**
 * The lists of `notable` after the items of `redone` ran again (`traces` holds their previous
 * traces): a list is copied only when an item joins or leaves it.
 */
function updateNotable(
  notable: Notable,
  traces: Vector<ItemTrace>,
  redone: ReadonlyMap<number, ItemTrace>,
): Notable {
  const out = { ...notable };
  for (const kind of NOTABLE) {
    const has = HAS[kind];
    let moved = false;
    for (const [i, trace] of redone) if (has(trace) !== has(traces.get(i)!)) moved = true;
    if (!moved) continue;
    const list = notable[kind].filter((i) => !redone.has(i));
    for (const [i, trace] of redone) if (has(trace)) list.push(i);
    out[kind] = list.sort((a, b) => a - b);
  }
  return out;
}

/** Heads of items that bind names: such items are never re-run on the fast path. */
const DEFINING = new Set(["let", "fn", "macro", "measure", "struct", "enum", "type", "use"]);

/** Whether a top-level item may be run again in its recorded environment. */
function rerunnable(item: Tree): boolean {
  if (isCall(item, "@") || isCall(item, "__doc__") || isCall(item, "import")) return false;
  if (definedNames(item).length > 0) return false;
  const head = headName(item);
  if (head !== undefined && DEFINING.has(head)) return false;
  if (isCall(item, "=") && item.args.length > 0) {
    const lhs = headName(item.args[0]!);
    if (lhs !== undefined && DEFINING.has(lhs)) return false;
  }
  return true;
}

/**
 * The fast path: `undefined` when it does not apply or when the run could differ from a
 * fresh evaluation (the caller then evaluates in full). Conditions:
 *
 * - the previous run completed, and used no imports, the same `compile` and `maxCallDepth`,
 *   and recorded output if there is a sink now; the file keeps its name; not cancelled;
 * - the same number of items, identical except for plain `fn NAME … = …` items (no
 *   wrappers) that keep their name and that first defined their hoisted cell, and expression
 *   items (an item that binds another name may not even move);
 * - no top-level cell was assigned after its definition and no `Cell` was mutated (in the
 *   previous runs or in this one);
 * - every item to re-run (one reading a redefined cell) is an expression item that bound
 *   nothing, and is not itself a redefined `fn` item;
 * - no item run again reads a hoisted cell defined by a later item, binds a name, reports an
 *   undefined name that an ended block or expansion bound, or uses an inferred type that a
 *   fresh run would not have at that point (see `infer.ts`);
 * - the budgets hold for the recorded use of the other items plus the items run again.
 */
function fastPath(
  state: IncrementalState,
  source: SourceFile,
  items: TopLevelItems,
  options: EvalOptions,
): EvalResult | undefined {
  const t = state.tracker;
  const interp = state.interp;
  const prevItems = state.items;
  const n = items.length;
  if (!state.completed || n !== prevItems.length || state.imports) return undefined;
  if (options.imports !== undefined && options.imports.size > 0) return undefined;
  if ((options.compile !== false) !== state.compile) return undefined;
  if (options.maxCallDepth !== state.maxCallDepth) return undefined;
  if (t.assigned || t.mutated || options.signal?.aborted === true) return undefined;
  if (source.name !== state.source.name) return undefined;
  if (options.output !== undefined && !t.recordOutput) return undefined;

  // The redefined `fn` items and their cells.
  const changed: number[] = [];
  const hint = options.changedItems;
  if (hint === undefined) {
    for (let i = 0; i < n; i++) if (itemAt(items, i) !== itemAt(prevItems, i)) changed.push(i);
  } else {
    // The caller says where items may differ (the others are the same objects).
    for (const i of hint) {
      if (!Number.isInteger(i) || i < 0 || i >= n) continue;
      if (itemAt(items, i) !== itemAt(prevItems, i)) changed.push(i);
    }
    changed.sort((x, y) => x - y);
    // (An index listed twice counts once.)
    let k = 0;
    for (const i of changed) if (k === 0 || changed[k - 1] !== i) changed[k++] = i;
    changed.length = k;
  }
  const hoisted = state.scope.hoisted;
  const traces = state.traces;
  // An item outside the edited region of the text (moved by an edit before it, or made anew by
  // a host that does not keep items) is a copy of the previous one: the same text, the same
  // environment, and so the same result but for positions. A copied plain `fn` item whose
  // cell it defined gets its closure made again over the new node (its cell is not dirty); a
  // copied expression item whose result holds no position is taken over with its span shifted,
  // unless it reads a dirty cell.
  const isCopy = copyTest(state.source, source);
  const movedFns: number[] = [];
  const movedCells: Binding[] = [];
  const movedExprs: number[] = [];
  // Changed `fn` items are defined again (their cells are dirty); changed expression items
  // (an edited or a moved top-level call) are run again like the readers of dirty cells.
  const redefined: number[] = [];
  const dirty: Binding[] = [];
  const rerunSet = new Set<number>();
  for (const i of changed) {
    const item = itemAt(items, i)!;
    const previous = itemAt(prevItems, i)!;
    if (isCopy(item, previous)) {
      const cell = state.defines[i];
      if (cell !== undefined) {
        // A plain `fn` item: the hoisted cell it defined holds the closure `fnForm` made of it
        // (the item is that closure's node), so its run completed with nothing to report,
        // expand or branch on (the closure is the last thing `fnForm` makes).
        const f = cell.value;
        if (cell.origin === "hoisted" && f?.kind === "closure" && f.node === previous) {
          movedFns.push(i);
          movedCells.push(cell);
          continue;
        }
      } else if (clean(traces.get(i)!)) {
        const entry = state.entries.get(i)!;
        if (
          entry.ok &&
          positionFree(entry.value) &&
          rerunnable(previous) &&
          sameShape(previous, item)
        ) {
          movedExprs.push(i);
          continue;
        }
      }
    }
    const name = hoistedName(item);
    if (name === undefined) {
      if (hoistedName(previous) !== undefined) return undefined;
      if (!rerunnable(previous)) return undefined;
      rerunSet.add(i);
      continue;
    }
    if (name !== hoistedName(previous)) return undefined;
    const cell = hoisted?.get(name);
    if (cell === undefined || t.definedBy.get(cell) !== i) return undefined;
    redefined.push(i);
    dirty.push(cell);
  }

  // The diagnostics taken over quote positions as `file:line:column`: lines must not move.
  if (!sameLines(state.source, source, changed, items)) return undefined;

  // The items to re-run: changed expression items, and readers of a redefined cell (a copied
  // expression item among them runs again).
  // (A `fn` item among them, copied or not, is not rerunnable: the run falls back below.)
  const redefinedSet = new Set(redefined);
  for (const cell of dirty) {
    for (const j of state.readers.get(cell) ?? []) {
      if (redefinedSet.has(j)) return undefined;
      rerunSet.add(j);
    }
  }
  const reruns = [...rerunSet].sort((a, b) => a - b);
  for (const j of reruns) {
    if (!rerunnable(itemAt(items, j)!)) return undefined;
    const after = j + 1 < n ? traces.get(j + 1)!.env : state.finalEnv;
    if (after !== traces.get(j)!.env) return undefined;
  }
  const takenExprs = rerunSet.size === 0 ? movedExprs : movedExprs.filter((j) => !rerunSet.has(j));
  for (const j of takenExprs) {
    const after = j + 1 < n ? traces.get(j + 1)!.env : state.finalEnv;
    if (after !== traces.get(j)!.env) return undefined;
  }

  // Budgets: the items taken over are charged their recorded use up front.
  let steps = state.totalSteps;
  let allocations = state.totalAllocations;
  for (const i of [...redefined, ...reruns]) {
    steps -= traces.get(i)!.steps;
    allocations -= traces.get(i)!.allocations;
  }
  const budget = options.budget;
  if (budget?.steps !== undefined && steps > budget.steps) return undefined;
  if (budget?.allocations !== undefined && allocations > budget.allocations) return undefined;

  interp.options = options;
  interp.source = source;
  interp.diagnostics = [];
  interp.recorder = trackingRecorder(moduleRecorder(), t);
  interp.chargeBudget(steps, allocations);
  t.recordOutput = options.output !== undefined;
  t.fastPath = true;
  t.holdOutput = true;
  t.untrusted = false;
  inferenceContext.hit = t.checkCache;
  // Types inferred from the cells defined again are stale.
  for (const cell of dirty) noteRedefinition(cell);
  // The copies taken over: closures made again over the new nodes, entries with spans shifted
  // and records of the new nodes (their traces stay).
  const copies: number[] = [];
  const copiedEntries: TranscriptEntry[] = [];
  const copiedRecords: ItemRecord[] = [];
  const copy = (i: number, item: Tree, e: TranscriptEntry): void => {
    copies.push(i);
    copiedEntries.push({ value: e.value, type: e.type, text: e.text, span: item.span, ok: e.ok });
    copiedRecords.push({ node: item, core: item, attributes: NO_ATTRIBUTES, doc: undefined });
  };
  for (const i of takenExprs) copy(i, itemAt(items, i)!, state.entries.get(i)!);
  copyStats.fns += movedFns.length;
  copyStats.expressions += takenExprs.length;
  // (The entries of `fn` items are all `() : Unit`.)
  const unitEntry = movedFns.length === 0 ? undefined : state.entries.get(movedFns[0]!)!;
  for (let k = 0; k < movedFns.length; k++) {
    const i = movedFns[k]!;
    const item = itemAt(items, i) as TreeApply;
    copy(i, item, unitEntry!);
    const cell = movedCells[k]!;
    const old = cell.value as ClosureValue;
    // (As `fnForm` makes it.)
    const closure: ClosureValue = {
      kind: "closure",
      name: old.name,
      params: (item.args[0] as TreeApply).args.slice(1),
      body: item.args[1]!,
      env: old.env,
      node: item,
      fast: undefined,
    };
    t.redefining = cell;
    cell.value = closure;
    t.redefining = undefined;
    noteMovedDefinition(interp, old.node, item);
    shareInferredType(old, closure);
  }
  const redone = new Map<number, ItemTrace>();
  const redoneEntries: TranscriptEntry[] = [];
  const redoneRecords: ItemRecord[] = [];
  const runOne = (i: number): void => {
    const env = traces.get(i)!.env;
    const scope = new TrackedScope(env, t);
    scope.hoisted = hoisted;
    const item = itemAt(items, i)!;
    const before = interp.diagnostics.length;
    t.begin(i, env, interp);
    const value = interp.evalItem(item, scope);
    const entry = interp.entryOf(value, before, item.span);
    const record = t.record!;
    const trace = t.end(interp.diagnostics.slice(before), interp);
    if (t.assigned || t.mutated) throw new FastPathAbort("assignment or mutation");
    if (t.untrusted) throw new FastPathAbort("a type a fresh run would infer elsewhere");
    if (scope.env !== env || scope.hoisted !== hoisted) throw new FastPathAbort("binding");
    for (const cell of trace.reads) {
      const d = t.definedBy.get(cell);
      if (d !== undefined && d > i) throw new FastPathAbort("read of a later definition");
    }
    redone.set(i, trace);
    redoneEntries.push(entry);
    redoneRecords.push(record);
  };
  try {
    for (let k = 0; k < redefined.length; k++) {
      const cell = dirty[k]!;
      // In a fresh run the cell is empty until its item runs.
      t.redefining = cell;
      cell.value = undefined;
      t.redefining = undefined;
      runOne(redefined[k]!);
    }
    for (const j of reruns) runOne(j);
  } catch (e) {
    if (e instanceof Halt || e instanceof FastPathAbort) return undefined;
    throw e;
  } finally {
    inferenceContext.hit = undefined;
    t.redefining = undefined;
    t.fastPath = false;
    t.holdOutput = false;
    t.abandon();
    t.traces = [];
  }

  // Patch the new pieces into the recorded ones (a copy of the chunks they fall in).
  const indexes = [...redone.keys()];
  const newTraces = traces.patch(indexes, [...redone.values()]);
  indexes.push(...copies);
  const entries = state.entries.patch(indexes, [...redoneEntries, ...copiedEntries]);
  const records = state.records.patch(indexes, [...redoneRecords, ...copiedRecords]);
  let expansionsChanged = false;
  let branchesChanged = false;
  let diagnosticsChanged = false;
  let totalSteps = steps;
  let totalAllocations = allocations;
  for (const [i, trace] of redone) {
    const old = traces.get(i)!;
    totalSteps += trace.steps;
    totalAllocations += trace.allocations;
    if ((old.expansions?.size ?? 0) > 0 || (trace.expansions?.size ?? 0) > 0)
      expansionsChanged = true;
    if (!sameSet(old.seen, trace.seen) || !sameSet(old.taken, trace.taken)) branchesChanged = true;
    // Without diagnostics in the items run again, before or now, the list is the previous one.
    if (trace.diagnostics.length > 0 || old.diagnostics.length > 0) diagnosticsChanged = true;
    const oldReads = new Set(old.reads);
    for (const cell of trace.reads) if (!oldReads.has(cell)) addReader(state.readers, cell, i);
  }
  const notable = updateNotable(state.notable, traces, redone);
  const diagnostics = diagnosticsChanged
    ? notable.diagnosed.flatMap((i) => newTraces.get(i)!.diagnostics)
    : state.diagnostics;
  if (options.output !== undefined) {
    for (const i of notable.printed)
      for (const text of newTraces.get(i)!.output!) options.output(text);
  }
  const previousModule = state.module;
  let expansions = previousModule.expansions;
  if (expansionsChanged) {
    const merged = new Map<Tree, Tree>();
    for (const i of notable.expanding) {
      for (const [call, expansion] of newTraces.get(i)!.expansions!)
        if (!merged.has(call)) merged.set(call, expansion);
    }
    expansions = merged;
  }
  // (Taken from the previous module now, so that modules do not keep each other alive.)
  const untaken: readonly Tree[] | (() => readonly Tree[]) = branchesChanged
    ? () => untakenOf(newTraces, notable.branching)
    : previousModule.untakenBranches;
  const module = moduleState(state.scope, records, previousModule.exports, expansions, untaken);
  const result: EvalResult = {
    // (Built when first read: a host that does not read the entries does not pay for them.)
    get entries() {
      return entries.toArray();
    },
    diagnostics,
    module,
    status: "completed",
    reused: n - redone.size,
    reevaluated: redone.size,
  };
  states.set(result, {
    ...state,
    source,
    items,
    traces: newTraces,
    entries,
    records,
    diagnostics,
    module,
    notable,
    totalSteps,
    totalAllocations,
    consumed: false,
  });
  return result;
}

/** The attributes of an item that has none. */
const NO_ATTRIBUTES: readonly Tree[] = [];

/** Whether a trace has nothing that quotes a node or a position but its entry's span. */
function clean(trace: ItemTrace): boolean {
  return (
    trace.diagnostics.length === 0 &&
    (trace.expansions?.size ?? 0) === 0 &&
    (trace.seen?.size ?? 0) === 0
  );
}

/**
 * A test of whether an item of `after` is a copy of the item of `before` at the same index: it
 * lies wholly before the region where the texts differ, at the same span, or wholly after it,
 * at the span shifted by the difference in length (so the two have the same text).
 */
function copyTest(before: SourceFile, after: SourceFile): (item: Tree, previous: Tree) => boolean {
  const a = before.text.length;
  const b = after.text.length;
  const { prefix, suffix } =
    before === after ? { prefix: a, suffix: 0 } : textChange(before, after);
  const delta = b - a;
  const from = b - suffix;
  return (item, previous) => {
    const s = item.span;
    const p = previous.span;
    if (s.end <= prefix) return p.start === s.start && p.end === s.end;
    return s.start >= from && p.start + delta === s.start && p.end + delta === s.end;
  };
}

/**
 * Whether a value holds no node and nothing that a run makes anew with identity (numbers,
 * strings, quantities, types, builtins, and lists, tuples, records and struct or enum values of
 * such): the value of a copied item can then be taken over. Closures, syntax, macros and cells
 * cannot; neither can large values (the check gives up after a few hundred parts).
 */
function positionFree(v: Value): boolean {
  const stack: Value[] = [v];
  for (let budget = 256; stack.length > 0; budget--) {
    if (budget === 0) return false;
    const x = stack.pop()!;
    switch (x.kind) {
      case "integer":
      case "rational":
      case "float":
      case "bool":
      case "string":
      case "char":
      case "symbol":
      case "quantity":
      case "unit":
      case "type":
      case "builtin":
      case "constructor":
      case "form":
        break;
      case "tuple":
      case "list":
        if (x.items.length >= budget) return false;
        for (const y of x.items) stack.push(y);
        break;
      case "record":
      case "struct":
        if (x.fields.size >= budget) return false;
        for (const y of x.fields.values()) stack.push(y);
        break;
      case "variant":
        if (x.payload !== undefined) stack.push(x.payload);
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Whether every item that is not in `changed` (the same object as before, at the same
 * offset) keeps its line and column, and no such item shares a line with the end of a changed
 * one. The texts differ only between their common prefix and suffix (`textChange`, computed
 * once per edit for every phase that asks): an item before that region keeps its line; after
 * it, offsets are the same only if the lengths are, and lines only if the region keeps its
 * number of line breaks (a moved item is a new object, hence changed). Only the changed
 * region and the lines that end changed items are read.
 */
function sameLines(
  before: SourceFile,
  after: SourceFile,
  changed: readonly number[],
  items: TopLevelItems,
): boolean {
  if (before === after) return true;
  const a = before.text;
  const b = after.text;
  if (changed.length === 0 && a.length !== b.length) return false;
  const { prefix, suffix } = textChange(before, after);
  // Without a changed item, the text must be the same.
  if (changed.length === 0) return prefix === a.length;
  if (a.length === b.length) {
    if (breaks(a, prefix, a.length - suffix) !== breaks(b, prefix, b.length - suffix)) return false;
  }
  for (let k = 0; k < changed.length; k++) {
    // (`changed` is sorted.)
    const i = changed[k]!;
    if (changed[k + 1] === i + 1) continue;
    const next = itemAt(items, i + 1);
    if (next === undefined) continue;
    const nl = b.indexOf("\n", itemAt(items, i)!.span.end);
    if (nl < 0 || next.span.start <= nl) return false;
  }
  return true;
}

/** The number of line breaks in `text` between `start` and `end`. */
function breaks(text: string, start: number, end: number): number {
  let n = 0;
  for (let p = text.indexOf("\n", start); p >= 0 && p < end; p = text.indexOf("\n", p + 1)) n++;
  return n;
}

function sameSet(a: ReadonlySet<Tree> | undefined, b: ReadonlySet<Tree> | undefined): boolean {
  if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
  if (a === undefined || b === undefined) return true;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** The branches seen but never taken, in the order they were first seen (`branching`: the
 * indexes of the traces that saw any). */
function untakenOf(traces: Vector<ItemTrace>, branching: readonly number[]): Tree[] {
  const seen = new Set<Tree>();
  const taken = new Set<Tree>();
  for (const i of branching) {
    const trace = traces.get(i)!;
    if (trace.seen !== undefined) for (const b of trace.seen) seen.add(b);
    if (trace.taken !== undefined) for (const b of trace.taken) taken.add(b);
  }
  return [...seen].filter((b) => !taken.has(b));
}
