import {
  type Diagnostic,
  type DiagnosticNote,
  diagnostic,
  type Problem,
  type SourceFile,
  type Span,
  type UndefinedReason,
} from "@cadenza/core";
import { type FastFunction, linkClosure, type Unit } from "./compile.js";
import { type Binding, type Env, lookup, Scope, suggestName } from "./env.js";
import {
  allocationBudgetExhausted,
  cancelled,
  catalogue,
  Halt,
  ItemFailure,
  stackOverflow,
  stepBudgetExhausted,
} from "./errors.js";
import { constructStruct, constructVariant } from "./forms/struct.js";
import { evaluateIncremental, FastPathAbort, type Tracker } from "./incremental.js";
import { invokeMacro } from "./macros.js";
import { definedNames, type ModuleRecorder, type ModuleState, moduleRecorder } from "./module.js";
import { float, int, type Num } from "./numbers.js";
import { arithmetic } from "./operators.js";
import { bindPattern } from "./patterns.js";
import { renderEntry } from "./print.js";
import { baseEnvironment, type Stdlib, stdlib } from "./stdlib.js";
import {
  isCall,
  isIdent,
  itemArray,
  type TopLevelItems,
  type Tree,
  type TreeApply,
  valueNode,
} from "./tree.js";
import { renderType, type Type, typeOf } from "./types.js";
import { quantity } from "./units.js";
import {
  type CallInfo,
  type ClosureValue,
  ERROR,
  isError,
  isNum,
  type MacroValue,
  str,
  UNIT,
  type Value,
} from "./values.js";

/** Limits a host puts on one evaluation (LANGUAGE server, MCP server). */
export interface Budget {
  /** The maximum number of evaluation steps (one per node evaluated). */
  readonly steps?: number;
  /** The maximum number of allocation units (roughly one per value slot allocated). */
  readonly allocations?: number;
}

/** Something that can tell the evaluator to stop, such as an `AbortSignal`. */
export interface CancelSignal {
  readonly aborted: boolean;
}

/** Options of {@link evaluate} and of sessions. */
export interface EvalOptions {
  /** Step and allocation budgets; evaluation halts cleanly when one runs out. */
  readonly budget?: Budget;
  /** Checked together with the budgets; evaluation halts cleanly once it is aborted. */
  readonly signal?: CancelSignal;
  /**
   * The maximum depth of nested Cadenza calls before `stack overflow` is reported
   * (default 10000). Deep calls run on the evaluator's own stack, so the limit is about memory.
   */
  readonly maxCallDepth?: number;
  /**
   * Where `println` and `print` write (LANGUAGE.md §5.13 and `docs/spec/13-standard-library.md`).
   * The evaluator does no IO: the host decides what printing means. Without a sink, printed
   * text is dropped.
   */
  readonly output?: (text: string) => void;
  /**
   * Whether user functions are compiled to JavaScript on their first call (default true).
   * `false` runs everything on the tree walker; results are the same, only slower.
   */
  readonly compile?: boolean;
  /**
   * The names the file's imports bind (docs/spec/15-modules.md), resolved by the host that
   * knows the other modules (the driver). They are hoisted below the file's own definitions,
   * and each use reads the value through its function, so that a host can evaluate an imported
   * module only once one of its values is needed, and record that need. Without this option an
   * `import` item is an error (`imports need a module host`).
   */
  readonly imports?: ReadonlyMap<string, ImportedName>;
  /**
   * Record what a later evaluation of the same file needs to re-evaluate only what an edit
   * affects ({@link previous}). Costs some time and memory; off by default.
   */
  readonly incremental?: boolean;
  /**
   * The result of an earlier `evaluate` of the same file made with `incremental: true` and
   * the same other options (budgets, signal and output sink may differ). When the items
   * differ only in the bodies of plain `fn NAME … = …` items (the others being the very same
   * objects, as `reparse` keeps them), only those items and the top-level items that read
   * them are evaluated again; otherwise the file is evaluated in full. Either way the result
   * equals a fresh evaluation and is recorded for the next run.
   *
   * Passing a result here hands its state over to the new run: the new run reuses and updates
   * its bindings, so its function values may then see the new definitions. Do not use the
   * previous result afterwards except as a plain value, and pass it only once.
   */
  readonly previous?: EvalResult;
  /**
   * With {@link previous}: the indexes at which `items` may differ from the previous run's
   * items (every other index holds the very same item), as `changedItems` of
   * `@cadenza/syntax` tells after a reparse. Saves comparing every item of a large file (with
   * it, and `items` as a `Vector`, a run that takes the others over reads only these indexes);
   * an index listed whose item did not change is harmless.
   */
  readonly changedItems?: readonly number[];
}

/** A name bound by an import ({@link EvalOptions.imports}). */
export interface ImportedName {
  /** Reads the value (a host may evaluate the imported module now). */
  readonly read: () => Value;
  /** For a qualified alias (`import m as q`): the names of the namespace's members. */
  readonly members?: readonly string[];
  /** The documentation of the imported definition (`docof`), read when asked for. */
  readonly doc?: () => string | undefined;
}

/** One transcript entry (LANGUAGE.md §7): the value of a top-level item and its rendering. */
export interface TranscriptEntry {
  /** The value; the error value when the item failed. */
  readonly value: Value;
  /** The value's type. */
  readonly type: Type;
  /** `value : Type`, as `cadenza eval` prints it (possibly several lines). */
  readonly text: string;
  /** The span of the item. */
  readonly span: Span;
  /** Whether the item evaluated without error. */
  readonly ok: boolean;
}

/** How an evaluation ended. */
export type EvalStatus = "completed" | "budget-exhausted" | "cancelled";

/** The result of {@link evaluate}. */
export interface EvalResult {
  /**
   * One entry per evaluated top-level item, in order. (After an incremental run that took
   * items over, the array is built when first read.)
   */
  readonly entries: readonly TranscriptEntry[];
  /** Evaluation diagnostics in the order they occurred (parse diagnostics are the caller's). */
  readonly diagnostics: readonly Diagnostic[];
  /** Every definition and the compile-time products later phases read. */
  readonly module: ModuleState;
  /** Whether every item ran, or a budget or cancellation stopped the evaluation. */
  readonly status: EvalStatus;
  /**
   * With {@link EvalOptions.incremental}: how many top-level items were taken over from
   * {@link EvalOptions.previous} without evaluating them again (0 for a full evaluation).
   */
  readonly reused?: number;
  /** With {@link EvalOptions.incremental}: how many top-level items were evaluated. */
  readonly reevaluated?: number;
}

/** What {@link Interpreter.runTopLevel} returns. */
export interface TopLevelRun {
  /** One entry per item that ran. */
  readonly entries: TranscriptEntry[];
  /** The budget or cancellation that stopped the run, if any. */
  readonly halted: Halt | undefined;
  /** The diagnostics reported while each item ran. */
  readonly perItem: Diagnostic[][];
}

/** A Cadenza call in progress, for stack traces. */
export interface CallFrame {
  /** A function call, a macro body running, or a macro's expansion being evaluated. */
  readonly what: "function" | "macro" | "expansion";
  readonly name: string | undefined;
  readonly site: Span;
}

/** What an item is wrapped in: attributes (`@…`) and documentation (`##`). */
export interface ItemContext {
  readonly attributes: readonly Tree[];
  readonly doc: string | undefined;
}

/**
 * The tree-walking interpreter. One instance evaluates one source file (or one REPL session,
 * entry by entry). Special forms in `src/forms/` receive it to evaluate sub-expressions.
 */
export class Interpreter {
  /** The file whose spans diagnostics refer to. */
  source: SourceFile;
  /** Evaluation diagnostics, in order. */
  diagnostics: Diagnostic[] = [];
  /** The standard library (namespaces and the type namespaces of §5.12). */
  readonly lib: Stdlib;
  /** Records definitions, expansions and untaken branches for later phases. */
  recorder: ModuleRecorder;
  /** Names `let`-bound inside hygienic expansions (for the notes of `undefined variable`). */
  readonly macroInternalNames: Set<string> = new Set();
  /** Names `let`-bound inside blocks that have ended. */
  readonly blockNames: Set<string> = new Set();
  /** Attributes and documentation of items being evaluated, keyed by the unwrapped item. */
  readonly itemContexts: WeakMap<Tree, ItemContext> = new WeakMap();

  /** The options of the current run (an incremental run replaces them). */
  options: EvalOptions;
  /** With {@link EvalOptions.incremental}: what the current run records per item. */
  tracker: Tracker | undefined;
  /**
   * Evaluation steps taken so far. Compiled functions (`compile.ts`) add to it directly and
   * call {@link checkpoint} once it passes {@link stepCheck}.
   */
  steps = 0;
  /** The step count at which the next {@link checkpoint} runs (budget and cancellation). */
  stepCheck = 0;
  /** Allocation units charged so far. */
  allocated = 0;
  /** The tree walker's Cadenza calls in progress, innermost last. */
  readonly callStack: CallFrame[] = [];
  /**
   * The compiled Cadenza calls in progress (they keep no frames: see `ItemFailure`). Calls
   * are nested `callStack.length + depth` deep.
   */
  depth = 0;
  private readonly maxDepth: number;
  /**
   * While fewer compiled calls than this are in progress, calls run compiled code on the
   * JavaScript stack; beyond, they run on the evaluator's own stack, so that deep recursion
   * never exhausts JavaScript's.
   */
  fastLimit: number;
  private readonly compiles: boolean;
  /** Compiled function bodies by defining node (`null`: not compilable). */
  readonly units: WeakMap<Tree, Unit | null> = new WeakMap();
  /**
   * Definitions an incremental run moved, by their new node: the node of the same text whose
   * unit theirs is derived from when first needed (`noteMovedDefinition` in `compile.ts`).
   */
  readonly unitSources: WeakMap<Tree, Tree> = new WeakMap();
  private lastSpan: Span = { start: 0, end: 0 };

  constructor(source: SourceFile, options: EvalOptions = {}) {
    this.source = source;
    this.options = options;
    this.lib = stdlib();
    this.recorder = moduleRecorder();
    this.maxDepth = options.maxCallDepth ?? 10_000;
    this.compiles = options.compile !== false;
    this.fastLimit = this.compiles ? Math.min(this.maxDepth, FAST_DEPTH) : -1;
    this.stepCheck = this.nextCheck();
  }

  /** A fresh top-level scope over a fresh base environment. */
  /** The root of this interpreter's environments (another root: code of another module). */
  private baseEnv: Env | undefined;
  private readonly foreignEnvs = new WeakMap<Env, boolean>();

  /** Whether `env` belongs to another module's evaluation (an imported closure or macro). */
  isForeign(env: Env): boolean {
    if (this.options.imports === undefined) return false;
    let known = this.foreignEnvs.get(env);
    if (known === undefined) {
      let root = env;
      while (root.parent !== undefined) root = root.parent;
      known = root !== this.baseEnv;
      this.foreignEnvs.set(env, known);
    }
    return known;
  }

  topScope(): Scope {
    const base = baseEnvironment(this.lib);
    this.baseEnv ??= base;
    const imports = this.options.imports;
    if (imports === undefined) return new Scope(base, "top");
    const table = new Map<string, Binding>();
    for (const [name, imported] of imports) table.set(name, importedBinding(imported));
    return new Scope({ kind: "table", table, parent: base, base: false }, "top");
  }

  /** Whether a host resolves this file's imports ({@link EvalOptions.imports}). */
  get resolvesImports(): boolean {
    return this.options.imports !== undefined;
  }

  // ---------------------------------------------------------------------------------------
  // Errors and budgets

  /** Abandons the current item with a diagnostic (LANGUAGE.md §9). */
  fail(problem: Problem): never {
    throw new ItemFailure(problem, [...this.callStack]);
  }

  /** Turns a problem into a diagnostic with the current Cadenza stack trace appended. */
  report(problem: Problem, frames: readonly CallFrame[] = []): Diagnostic {
    ({ problem, frames } = this.atImportBoundary(problem, frames));
    const notes: DiagnosticNote[] = [...(problem.notes ?? []), ...this.traceNotes(frames)];
    const d = diagnostic({
      code: problem.code,
      message: problem.message,
      file: this.source.name,
      primary: problem.primary,
      secondary: problem.secondary ?? [],
      notes,
    });
    this.diagnostics.push(d);
    return d;
  }

  /**
   * A problem inside an imported function happened in another file: its spans point there. It
   * is reported at the call into that function in this file, saying what went wrong inside
   * (the imported module reports nothing: its own evaluation did not fail).
   */
  private atImportBoundary(
    problem: Problem,
    frames: readonly CallFrame[],
  ): { problem: Problem; frames: readonly CallFrame[] } {
    const imports = this.options.imports;
    if (imports === undefined || imports.size === 0) return { problem, frames };
    this.foreignNames ??= importedFunctionNames(imports);
    const names = this.foreignNames;
    const j = frames.findIndex(
      (f) => f.what === "function" && f.name !== undefined && names.has(f.name),
    );
    if (j < 0) return { problem, frames };
    const call = frames[j]!;
    return {
      problem: {
        ...problem,
        primary: {
          span: call.site,
          message: `${problem.primary.message}, inside \`${call.name}\` (imported)`,
        },
        secondary: [],
      },
      frames: frames.slice(0, j),
    };
  }

  /** The names of the functions other modules define, as calls to them are named. */
  private foreignNames: Set<string> | undefined;

  private traceNotes(frames: readonly CallFrame[]): DiagnosticNote[] {
    const notes: DiagnosticNote[] = [];
    const collapsed: { frame: CallFrame; count: number }[] = [];
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i]!;
      const last = collapsed[collapsed.length - 1];
      if (last && last.frame.name === f.name && last.frame.site.start === f.site.start)
        last.count++;
      else collapsed.push({ frame: f, count: 1 });
    }
    const shown = collapsed.slice(0, 8);
    for (const { frame, count } of shown) {
      const who =
        frame.what === "expansion"
          ? `the expansion of macro \`${frame.name}\``
          : frame.name === undefined
            ? `an anonymous ${frame.what}`
            : `${frame.what} \`${frame.name}\``;
      const verb = frame.what === "function" ? "called" : "expanded";
      const times = count > 1 ? ` (${count} times)` : "";
      notes.push({
        kind: "note",
        message: `in ${who}, ${verb} at ${this.locate(frame.site.start)}${times}`,
      });
    }
    if (collapsed.length > shown.length) {
      notes.push({ kind: "note", message: `… and ${collapsed.length - shown.length} more frames` });
    }
    return notes;
  }

  /** Counts one evaluation step and checks the step budget and cancellation. */
  step(span: Span): void {
    this.lastSpan = span;
    if (++this.steps > this.stepCheck) this.checkpoint(span);
  }

  /**
   * Runs when the step count passes {@link stepCheck}: stops at the step budget, polls the
   * cancellation signal (about every 256 steps), and sets the next check.
   */
  checkpoint(span: Span): void {
    this.lastSpan = span;
    const limit = this.options.budget?.steps;
    if (limit !== undefined && this.steps > limit)
      throw new Halt(stepBudgetExhausted(span, limit), [...this.callStack]);
    if (this.options.signal?.aborted) throw new Halt(cancelled(span));
    this.stepCheck = this.nextCheck();
  }

  /**
   * Starts the budgets at the given counts (an incremental run charges the items it takes
   * over without running them).
   */
  chargeBudget(steps: number, allocations: number): void {
    this.steps = steps;
    this.allocated = allocations;
    this.stepCheck = this.nextCheck();
  }

  /** Compiled code notes the per-unit flags it set (reset per item in incremental runs). */
  noteState(state: Int8Array): void {
    this.tracker?.states.push(state);
  }

  /** `Cell.set` and `Cell.update` note that they mutate (incremental runs need none). */
  noteMutation(): void {
    if (this.tracker !== undefined) this.tracker.mutated = true;
  }

  private nextCheck(): number {
    const limit = this.options.budget?.steps ?? Number.POSITIVE_INFINITY;
    const poll = this.options.signal === undefined ? Number.POSITIVE_INFINITY : this.steps + 256;
    return Math.min(limit, poll);
  }

  /** Charges `units` against the allocation budget before an allocation is made. */
  allocate(units: number, span: Span): void {
    this.allocated += units;
    const limit = this.options.budget?.allocations;
    if (limit !== undefined && this.allocated > limit) {
      throw new Halt(allocationBudgetExhausted(span, limit), [...this.callStack]);
    }
    if (this.options.signal?.aborted) throw new Halt(cancelled(span));
  }

  /**
   * `file:line:column` of an offset, used in stack-trace notes. Sessions replace it to count
   * lines within each entry.
   */
  locate: (offset: number) => string = (offset) => {
    const at = this.source.lineColumn(offset);
    return `${this.source.name}:${at.line}:${at.column}`;
  };

  /** Writes program output (`println`, `print`) to the host's sink, if any. */
  write(text: string): void {
    const t = this.tracker;
    if (t?.output !== undefined) {
      t.output.push(text);
      if (t.holdOutput) return;
    }
    this.options.output?.(text);
  }

  /** Starts the step and allocation budgets afresh (each REPL entry has its own). */
  resetBudget(): void {
    this.steps = 0;
    this.allocated = 0;
    this.stepCheck = this.nextCheck();
  }

  /** The source text of a span (used in helps that quote the program). Sessions replace it. */
  text: (span: Span) => string = (span) => this.source.text.slice(span.start, span.end);

  // ---------------------------------------------------------------------------------------
  // Items

  /**
   * Evaluates the items of a file or REPL entry in `scope`, one transcript entry each; an
   * error abandons only its item (LANGUAGE.md §9). When a budget runs out or the host
   * cancels, the run stops there: the items not reached get no entry, and `halted` says why.
   */
  runTopLevel(items: readonly Tree[], scope: Scope): TopLevelRun {
    this.hoist(items, scope);
    const entries: TranscriptEntry[] = [];
    const perItem: Diagnostic[][] = [];
    const tracker = this.tracker;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const before = this.diagnostics.length;
      tracker?.begin(i, scope.env, this);
      let value: Value;
      try {
        value = this.evalItem(item, scope);
      } catch (e) {
        if (e instanceof Halt) {
          // Where a budget ran out inside an imported function, the report is at the call.
          this.report(this.atImportBoundary(e.problem, e.allFrames() as CallFrame[]).problem);
          this.callStack.length = 0;
          this.depth = 0;
          this.syncFastLimit();
          tracker?.abandon();
          return { entries, halted: e, perItem };
        }
        throw e;
      }
      const entry = this.entryOf(value, before, item.span);
      entries.push(entry);
      const diagnostics = this.diagnostics.slice(before);
      perItem.push(diagnostics);
      tracker?.end(diagnostics, this);
    }
    return { entries, halted: undefined, perItem };
  }

  /**
   * Evaluates one top-level item; an error abandons the item with a diagnostic and gives the
   * error value. Budgets and cancellation (`Halt`) propagate.
   */
  evalItem(item: Tree, scope: Scope): Value {
    try {
      const record = this.recorder.beginItem(item, this.unwrapItem(item));
      if (this.tracker !== undefined) this.tracker.record = record;
      return this.eval(item, scope);
    } catch (e) {
      if (e instanceof Halt || e instanceof FastPathAbort) throw e;
      this.reportThrown(e, item.span);
      this.poisonDefinitions(item, scope);
      return ERROR;
    }
  }

  /** The transcript entry of an item that gave `value` (diagnostics counted from `before`). */
  entryOf(value: Value, before: number, span: Span): TranscriptEntry {
    const ok = !isError(value) && this.diagnostics.length === before;
    return { value, type: typeOf(value), text: renderEntry(value), span, ok };
  }

  /** Reports anything thrown while evaluating an item as one diagnostic. */
  private reportThrown(e: unknown, span: Span): void {
    this.callStack.length = 0;
    this.depth = 0;
    this.syncFastLimit();
    if (e instanceof ItemFailure) {
      this.report(e.problem, e.allFrames() as CallFrame[]);
    } else if (isStackOverflow(e)) {
      this.report(stackOverflow(this.lastSpan));
    } else {
      // A bug in the evaluator must not crash its host: report it like any other error.
      const message = e instanceof Error ? e.message : String(e);
      this.report({
        code: "eval/internal-error",
        message: `internal evaluator error: ${message}`,
        primary: { span, message: "while evaluating this item" },
        notes: [
          { kind: "note", message: "this is a bug in the Cadenza evaluator; please report it" },
        ],
      });
    }
  }

  /** Binds every name a failed item would have bound to the error value (§9). */
  private poisonDefinitions(item: Tree, scope: Scope): void {
    for (const name of definedNames(this.unwrapItem(item))) {
      const existing = scope.hoisted?.get(name);
      if (existing && existing.value === undefined) existing.value = ERROR;
      else if (!existing) scope.bind(name, { value: ERROR, origin: "definition" });
    }
  }

  /**
   * Declares every `fn NAME … = …` item written directly in a block (or file) before it runs
   * (LANGUAGE.md §5.1), so functions of the block can call each other.
   */
  hoist(items: readonly Tree[], scope: Scope): void {
    const names: string[] = [];
    for (const item of items) {
      const core = this.unwrapItem(item);
      const name = hoistedName(core);
      if (name !== undefined) names.push(name);
    }
    if (names.length === 0) return;
    // Merged with what is already hoisted in this scope: an unhygienic macro's block expansion
    // runs in its caller's scope while the caller's own functions may still be pending.
    const table = scope.declare(names);
    scope.hoisted = scope.hoisted === undefined ? table : new Map([...scope.hoisted, ...table]);
  }

  /** Runs block items in `scope` (after hoisting) and yields the last value (or `()`). */
  runItems(items: readonly Tree[], scope: Scope): Value {
    return this.run(this.itemsStep(items, scope));
  }

  /** {@link runItems} as a step, for special forms written as generators. */
  *itemsStep(items: readonly Tree[], scope: Scope): Step {
    this.hoist(items, scope);
    let last: Value = UNIT;
    for (const item of items) {
      const x = this.evalStep(item, scope);
      last = isPending(x) ? yield x : x;
    }
    return last;
  }

  /** Strips `@attr` and `##` wrappers from an item, remembering them for the item's forms. */
  unwrapItem(item: Tree): Tree {
    const attributes: Tree[] = [];
    let doc: string | undefined;
    let core = item;
    for (;;) {
      if (isCall(core, "@") && core.args.length === 2) {
        attributes.push(core.args[0]!);
        core = core.args[1]!;
      } else if (isCall(core, "__doc__") && core.args.length === 2) {
        const text = core.args[0]!;
        if (text.kind === "literal" && text.value.type === "string") {
          doc = doc === undefined ? text.value.value : `${doc}\n${text.value.value}`;
        }
        core = core.args[1]!;
      } else break;
    }
    if (core !== item) this.itemContexts.set(core, { attributes, doc });
    return core;
  }

  // ---------------------------------------------------------------------------------------
  // Expressions

  /**
   * Evaluates a tree in a scope to a value. Work that may nest deeply runs on an explicit
   * stack (see {@link run}), so deep recursion in Cadenza does not exhaust JavaScript's stack.
   */
  eval(node: Tree, scope: Scope): Value {
    const x = this.evalStep(node, scope);
    return isPending(x) ? this.run(x) : x;
  }

  /**
   * Starts evaluating a tree: simple nodes give their value at once, applications may give
   * a {@link Step} for the driver to run. Special forms written as generators use this (with
   * `yield`) to evaluate their operands without growing the JavaScript stack.
   */
  evalStep(node: Tree, scope: Scope): Value | Step {
    this.step(node.span);
    switch (node.kind) {
      case "literal": {
        const l = node.value;
        switch (l.type) {
          case "integer":
            return int(l.value);
          case "float":
            return float(l.value);
          case "string":
            return str(l.value);
          case "char":
            return { kind: "char", value: l.value };
          case "symbol":
            return { kind: "symbol", name: l.value };
        }
        break;
      }
      case "ident":
        return this.identStep(node.name, node.span, scope);
      case "value":
        return node.value;
      case "error":
        return ERROR;
      case "apply":
        return this.applyStep(node, scope);
    }
    return ERROR;
  }

  /**
   * The driver: runs a step and every step it yields on an explicit stack, passing results
   * back with `next` and exceptions with `throw`, so that `finally` blocks and handlers in
   * special forms behave as in direct style.
   */
  run(first: Step): Value {
    const stack: Step[] = [first];
    let input: Value | undefined;
    let error: unknown;
    let failing = false;
    for (;;) {
      const top = stack[stack.length - 1]!;
      let r: IteratorResult<Step, Value>;
      try {
        if (failing) {
          failing = false;
          r = top.throw(error);
        } else {
          r = top.next(input as Value);
        }
      } catch (e) {
        stack.pop();
        if (stack.length === 0) throw e;
        error = e;
        failing = true;
        continue;
      }
      if (r.done) {
        stack.pop();
        if (stack.length === 0) return r.value;
        input = r.value;
      } else {
        stack.push(r.value);
        input = undefined;
      }
    }
  }

  /** Looks up a name, reporting `undefined variable` with the notes of §8.2 when missing. */
  lookupOrFail(name: string, span: Span, scope: Scope): Binding & { value: Value } {
    const b = lookup(scope.env, name);
    if (b === undefined || b.value === undefined)
      this.fail(this.undefinedProblem(name, span, scope));
    return b as Binding & { value: Value };
  }

  /** The `undefined variable` problem for `name`, with the first matching note. */
  undefinedProblem(name: string, span: Span, scope: Scope, reassignRhs?: string): Problem {
    let reason: UndefinedReason;
    // An incremental run keeps the names of every earlier run: when they could matter, the
    // run falls back to a full evaluation, whose notes are exact.
    if (
      this.tracker?.fastPath === true &&
      (this.macroInternalNames.has(name) || this.blockNames.has(name))
    )
      throw new FastPathAbort("an undefined name was bound in an ended block or expansion");
    if (reassignRhs !== undefined) reason = { kind: "reassignment", rhs: reassignRhs };
    else if (this.macroInternalNames.has(name)) reason = { kind: "macro-internal" };
    else if (this.blockNames.has(name)) reason = { kind: "block-ended" };
    else {
      const suggestion = suggestName(scope.env, name);
      reason =
        suggestion === undefined ? { kind: "none" } : { kind: "suggestion", name: suggestion };
    }
    return catalogue.undefinedVariable(name, span, reason);
  }

  /**
   * Evaluates an identifier: its value, except that a zero-parameter function or macro is
   * called (LANGUAGE.md §5.2, §5.9).
   */
  evalIdent(name: string, span: Span, scope: Scope): Value {
    const x = this.identStep(name, span, scope);
    return isPending(x) ? this.run(x) : x;
  }

  private identStep(name: string, span: Span, scope: Scope): Value | Step {
    const v = this.lookupOrFail(name, span, scope).value;
    if (v.kind === "closure" && v.params.length === 0) return this.callValue(v, [], span);
    if (v.kind === "macro" && v.params.length === 0) {
      const call: TreeApply = {
        kind: "apply",
        callee: { kind: "ident", name, span },
        args: [],
        span,
      };
      return invokeMacro(this, v, call, scope);
    }
    return v;
  }

  /** Builds the call information builtins receive. */
  site(span: Span, calleeSpan: Span, argSpans: readonly Span[], scope: Scope): CallInfo {
    return { interp: this, span, calleeSpan, argSpans, scope };
  }

  /**
   * Evaluates an application (LANGUAGE.md §1): a special form or macro gets the syntax of its
   * arguments; otherwise the callee and then the arguments are evaluated and applied.
   */
  applyStep(node: TreeApply, scope: Scope): Value | Step {
    const callee = node.callee;
    if (callee.kind === "ident") {
      const v = lookup(scope.env, callee.name)?.value;
      if (v?.kind === "form") return v.form(this, node, node.args, scope);
      if (v?.kind === "macro") return invokeMacro(this, v, node, scope);
      if (node.args.every(isSimple)) {
        // Operands that cannot nest (names, literals) are evaluated here without a generator:
        // the common `n - 1`, `x == 0`.
        const f = this.evalIdent(callee.name, callee.span, scope);
        if (isError(f)) return ERROR;
        if (f.kind === "form" || f.kind === "macro") return this.applyGen(node, scope);
        const args: Value[] = [];
        for (const a of node.args) args.push(this.eval(a, scope));
        return this.applyValues(f, args, node, scope);
      }
    }
    return this.applyGen(node, scope);
  }

  /**
   * Evaluates an application whose callee evaluated to a special form or macro after being
   * called (a zero-parameter function returning one): the callee is evaluated again, as the
   * tree walker does for simple arguments.
   */
  applyAgain(node: TreeApply, scope: Scope): Value {
    return this.run(this.applyGen(node, scope));
  }

  private *applyGen(node: TreeApply, scope: Scope): Step {
    const c = this.evalStep(node.callee, scope);
    const f = isPending(c) ? yield c : c;
    if (isError(f)) return ERROR;
    if (f.kind === "form") {
      const r = f.form(this, node, node.args, scope);
      return isPending(r) ? yield r : r;
    }
    if (f.kind === "macro") return invokeMacro(this, f, node, scope);
    const args: Value[] = [];
    for (const a of node.args) {
      const x = this.evalStep(a, scope);
      args.push(isPending(x) ? yield x : x);
    }
    const r = this.applyValues(f, args, node, scope);
    return isPending(r) ? yield r : r;
  }

  /** Applies evaluated values; a user function gives a step to run on the driver's stack. */
  private applyValues(
    f: Value,
    args: readonly Value[],
    node: TreeApply,
    scope: Scope,
  ): Value | Step {
    if (args.some(isError)) return ERROR;
    if (f.kind === "closure" && args.length === f.params.length) {
      return this.callValue(
        f,
        args,
        node.span,
        node.args.map((a) => a.span),
      );
    }
    return this.apply(f, args, node, scope);
  }

  /** Applies a function value to evaluated arguments; `node` is the call for spans. */
  apply(f: Value, args: readonly Value[], node: TreeApply, scope: Scope): Value {
    const info = this.site(
      node.span,
      node.callee.span,
      node.args.map((a) => a.span),
      scope,
    );
    return this.applyWith(f, args, info, node);
  }

  /**
   * Applies a function value with explicit call information (builtins such as `List.map`
   * call user functions this way). `node` gives argument syntax for precise spans.
   */
  applyWith(f: Value, args: readonly Value[], info: CallInfo, node?: TreeApply): Value {
    if (isError(f) || args.some(isError)) return ERROR;
    switch (f.kind) {
      case "closure":
        if (args.length !== f.params.length) {
          this.fail(
            catalogue.arityMismatch(
              info.calleeSpan,
              "function",
              f.name,
              f.params.map((p) => this.paramText(p)),
              f.params.length,
              args.length,
            ),
          );
        }
        return this.callClosure(f, args, info.span, info.argSpans);
      case "builtin": {
        const ok = args.length === f.params.length || (f.alsoArity?.includes(args.length) ?? false);
        if (!ok)
          this.fail(
            catalogue.arityMismatch(
              info.calleeSpan,
              "function",
              f.name,
              f.params,
              f.params.length,
              args.length,
            ),
          );
        return f.impl(args, info);
      }
      case "constructor":
        if (args.length !== 1) {
          this.fail(
            catalogue.arityMismatch(
              info.calleeSpan,
              "function",
              `${f.def.name}.${f.variant.name}`,
              ["payload"],
              1,
              args.length,
            ),
          );
        }
        return constructVariant(
          this,
          f.def,
          f.variant,
          args[0]!,
          info.argSpans[0] ?? info.span,
          node?.args[0],
        );
      case "unit":
        if (args.length === 1 && (isNum(args[0]!) || args[0]!.kind === "quantity")) {
          // `meter 10`, `meter (w * h)`, `meter (5second)`: the argument times one unit.
          const one = {
            kind: "quantity" as const,
            magnitude: int(1),
            units: [{ unit: f.unit, exponent: 1 }],
          };
          return arithmetic(this, "*", args[0]!, one, info.span);
        }
        break;
      case "integer":
      case "rational":
      case "float":
        // D7: a number applied to a unit is a quantity (`25.4 millimeter`).
        if (args.length === 1 && args[0]!.kind === "unit") {
          return quantity(f as Num, [{ unit: args[0]!.unit, exponent: 1 }]);
        }
        break;
      case "type":
        if (f.type.kind === "struct" && args.length === 1) {
          return constructStruct(
            this,
            f.type.def,
            args[0]!,
            info.argSpans[0] ?? info.span,
            node?.args[0],
          );
        }
        break;
      case "form":
        if (node) {
          // A special form used as a value (`let both = &&`) gets the evaluated arguments as
          // value nodes, so they are not evaluated a second time.
          const call: TreeApply = {
            kind: "apply",
            callee: node.callee,
            args: args.map((a, i) => valueNode(a, node.args[i]?.span ?? node.span)),
            span: node.span,
          };
          const r = f.form(this, call, call.args, info.scope);
          return isPending(r) ? this.run(r) : r;
        }
        break;
      default:
        break;
    }
    return this.fail(catalogue.notCallable(info.calleeSpan, renderType(typeOf(f))));
  }

  /** How a parameter pattern is named in arity notes: its source text. */
  paramText(p: Tree): string {
    if (p.kind === "ident") return p.name;
    const t = this.text(p.span);
    return t.length > 0 ? t : "_";
  }

  /**
   * Calls a user function: a new scope over the captured one, with parameters bound. `site`
   * is the call (for stack traces), `argSpans` the argument expressions (for pattern errors).
   */
  callClosure(
    f: ClosureValue,
    args: readonly Value[],
    site: Span,
    argSpans?: readonly Span[],
  ): Value {
    const x = this.callValue(f, args, site, argSpans);
    return isPending(x) ? this.run(x) : x;
  }

  /**
   * Calls a user function with the right number of arguments: its compiled code directly
   * while calls are nested less than {@link fastLimit} deep, otherwise a step for the driver.
   */
  callValue(
    f: ClosureValue,
    args: readonly Value[],
    site: Span,
    argSpans?: readonly Span[],
  ): Value | Step {
    if (this.depth < this.fastLimit) {
      const fast = this.fastOf(f);
      if (fast.generic !== true) return callFast(fast, f, callFrame(f.name, site), args);
    }
    return this.callStep(f, args, site, argSpans);
  }

  /**
   * Calls a function value with one or two arguments on behalf of a builtin (`List.map`,
   * `List.fold`, `Cell.update`): compiled code directly when possible, otherwise as
   * {@link applyWith} does. `frame` is the stack-trace frame of the builtin's call.
   */
  callBack(f: Value, frame: CallFrame, info: CallInfo, a: Value, b?: Value): Value {
    if (a.kind === "error" || b?.kind === "error" || f.kind === "error") return ERROR;
    const n = b === undefined ? 1 : 2;
    if (f.kind === "closure" && f.params.length === n) {
      // Compiled code checks the depth itself and continues on the tree walker when deep.
      const fast = this.fastOf(f);
      if (fast.generic !== true) return b === undefined ? fast(f, frame, a) : fast(f, frame, a, b);
    }
    return this.applyWith(f, b === undefined ? [a] : [a, b], info);
  }

  /**
   * Calls a user function on the evaluator's own stack, whatever the depth: what compiled
   * code does once calls are nested {@link fastLimit} deep, and for functions that were not
   * compiled.
   */
  callGeneric(f: ClosureValue, args: readonly Value[], site: Span): Value {
    return this.run(this.callStep(f, args, site));
  }

  /**
   * The compiled code of a closure (compiling its definition on first use), or a trampoline
   * into {@link callGeneric} when the body uses something the compiler leaves to the
   * tree walker. Cached on the closure.
   */
  link(f: ClosureValue): FastFunction {
    const fast = linkClosure(this, f);
    f.fast = fast;
    f.fastOwner = this;
    return fast;
  }

  /** The closure's compiled code for this interpreter (compiling it if need be). */
  fastOf(f: ClosureValue): FastFunction {
    return f.fastOwner === this && f.fast !== undefined ? f.fast : this.link(f);
  }

  private *callStep(
    f: ClosureValue,
    args: readonly Value[],
    site: Span,
    argSpans?: readonly Span[],
  ): Step {
    if (this.callStack.length + this.depth >= this.maxDepth)
      this.fail(stackOverflow(site, this.maxDepth));
    const scope = new Scope(f.env, "call");
    const params = f.params;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (p.kind === "ident" && p.name !== "_")
        scope.bind(p.name, { value: args[i]!, origin: "param" });
      else {
        bindPattern(this, p, args[i]!, scope, {
          valueSpan: argSpans?.[i] ?? site,
          origin: "param",
        });
      }
    }
    this.callStack.push({ what: "function", name: f.name, site });
    this.syncFastLimit();
    try {
      const x = this.evalStep(f.body, scope);
      return isPending(x) ? yield x : x;
    } catch (e) {
      // JavaScript's stack can still run out through forms written in direct style: report
      // it here, where the Cadenza stack is still known, instead of at the top.
      if (isStackOverflow(e)) this.fail(stackOverflow(site));
      throw e;
    } finally {
      this.callStack.pop();
      this.syncFastLimit();
    }
  }

  /**
   * Compiled calls check only their own count against {@link fastLimit}, so the limit leaves
   * room for the tree walker's frames: calls never nest deeper than `maxCallDepth` unnoticed.
   */
  private syncFastLimit(): void {
    if (this.compiles) {
      this.fastLimit = Math.min(FAST_DEPTH, this.maxDepth - this.callStack.length);
    }
  }

  /** Runs a macro body (or its expansion) with a frame on the Cadenza stack. */
  withMacroFrame<T>(
    m: MacroValue,
    site: Span,
    run: () => T,
    what: "macro" | "expansion" = "macro",
  ): T {
    if (this.callStack.length + this.depth >= this.maxDepth)
      this.fail(stackOverflow(site, this.maxDepth));
    this.callStack.push({ what, name: m.name, site });
    this.syncFastLimit();
    try {
      return run();
    } finally {
      this.callStack.pop();
      this.syncFastLimit();
    }
  }

  /** The type of a value, for messages. */
  typeName(v: Value): string {
    return renderType(typeOf(v));
  }
}

/**
 * A unit of evaluation on the driver's explicit stack: a generator that yields the steps it
 * needs evaluated and receives their values, and returns its own value.
 */
export type Step = Generator<Step, Value, Value>;

/**
 * How deep compiled calls may nest on the JavaScript stack before calls continue on the
 * evaluator's own stack. Node's default stack (about 1 MB) holds several times this many
 * compiled frames; deeper recursion is rarer than fast shallow calls.
 */
const FAST_DEPTH = 600;

/** Calls compiled code with an argument array (calls from the tree walker and builtins). */
function callFast(
  fast: FastFunction,
  f: ClosureValue,
  frame: CallFrame,
  args: readonly Value[],
): Value {
  switch (args.length) {
    case 0:
      return fast(f, frame);
    case 1:
      return fast(f, frame, args[0]!);
    case 2:
      return fast(f, frame, args[0]!, args[1]!);
    case 3:
      return fast(f, frame, args[0]!, args[1]!, args[2]!);
    default:
      return fast(f, frame, ...args);
  }
}

/** A stack-trace frame for a call of a user function named `name` at `site`. */
export function callFrame(name: string | undefined, site: Span): CallFrame {
  return { what: "function", name, site };
}

/** Whether a result is a step still to run rather than a value. */
export function isPending(x: Value | Step): x is Step {
  return (x as { kind?: unknown }).kind === undefined;
}

/** Names and literals: operands whose evaluation cannot nest. */
function isSimple(t: Tree): boolean {
  return t.kind === "literal" || t.kind === "ident" || t.kind === "value";
}

/** Whether an exception is the JavaScript stack running out (checked without regular expressions). */
function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message.indexOf("call stack") >= 0;
}

/** The name a block item declares by hoisting: `fn NAME … = …` with a plain name. */
export function hoistedName(core: Tree): string | undefined {
  if (!isCall(core, "=") || core.args.length !== 2) return undefined;
  const lhs = core.args[0]!;
  if (!isCall(lhs, "fn") || lhs.args.length === 0) return undefined;
  const name = lhs.args[0]!;
  return isIdent(name) ? name.name : undefined;
}

/** How a run of top-level items ended, from what stopped it (if anything). */
export function statusOf(halted: Halt | undefined): EvalStatus {
  if (halted === undefined) return "completed";
  return halted.problem.code === "eval/cancelled" ? "cancelled" : "budget-exhausted";
}

/**
 * Evaluates the items of one source file (LANGUAGE.md §9 step 3): every item in order, one
 * transcript entry each, an error abandoning only its item. Never throws on user input.
 *
 * `items` are the parser's top-level items for `source`, as an array or as a `Vector` (the
 * parser's `itemVector`: an incremental run then reads only the indexes that changed); parse
 * diagnostics are not repeated here. Budgets and cancellation stop the evaluation cleanly with
 * one diagnostic.
 */
export function evaluate(
  source: SourceFile,
  items: TopLevelItems,
  options: EvalOptions = {},
): EvalResult {
  if (options.incremental === true || options.previous !== undefined)
    return evaluateIncremental(source, items, options);
  const interp = new Interpreter(source, options);
  const scope = interp.topScope();
  const { entries, halted } = interp.runTopLevel(itemArray(items), scope);
  const status = statusOf(halted);
  return {
    entries,
    diagnostics: interp.diagnostics,
    module: interp.recorder.finish(scope),
    status,
  };
}

/**
 * The cell of an imported name: reading it asks the host every time (the host caches), and
 * assigning to it gives the importing file its own value from then on, as for any name.
 */
export function importedBinding(imported: ImportedName): Binding {
  let assigned: Value | undefined;
  return {
    get value(): Value {
      return assigned ?? imported.read();
    },
    set value(v: Value | undefined) {
      assigned = v;
    },
    get doc(): string | undefined {
      return assigned === undefined ? imported.doc?.() : undefined;
    },
    origin: "import",
  };
}

/**
 * The names imported functions are called by in stack frames: the imported names, and the
 * members of imported namespaces (listing them reads no imported value).
 */
function importedFunctionNames(imports: ReadonlyMap<string, ImportedName>): Set<string> {
  const out = new Set<string>();
  for (const [name, imported] of imports) {
    out.add(name);
    for (const member of imported.members ?? []) out.add(member);
  }
  return out;
}
