/**
 * The compiler as a stream of events (ARCHITECTURE.md, "The compiler as a stream of
 * events"): a compilation is a generator the caller resumes with {@link poll} within a
 * budget. Passes yield after every N nodes and at the end of each phase; cancellation
 * happens at those yield points and ends the stream with a `cancelled` event.
 */
import type { Diagnostic, Severity, Span } from "@cadenza/core";
import type { EvalStatus } from "@cadenza/eval";
import { type Pass, passOf } from "./diagnostics.js";

export type { Pass } from "./diagnostics.js";

/** A pass reports how far it got. `done` and `total` count the phase's units of work. */
export interface ProgressEvent {
  readonly kind: "progress";
  readonly pass: Pass;
  /** The step of the pass: `parse`; `evaluate`; `declarations`, `infer`, `assemble`. */
  readonly phase: string;
  readonly done: number;
  readonly total?: number;
}

/** One diagnostic, with the fields an editor needs at hand and the full diagnostic. */
export interface DiagEvent {
  readonly kind: "diag";
  readonly pass: Pass;
  readonly file: string;
  /** The primary span (UTF-16 offsets). */
  readonly range: Span;
  readonly severity: Severity;
  readonly message: string;
  readonly code?: string;
  readonly diagnostic: Diagnostic;
}

/** The files a file's results depend on: the modules its imports resolved to, in order. */
export interface DepsEvent {
  readonly kind: "deps";
  readonly file: string;
  readonly deps: readonly string[];
}

/**
 * Resolving an import needs a file the compiler does not have yet: it asks its host for it
 * (`key`, a path) and carries on — a missing file becomes an `unknown module` diagnostic.
 */
export interface NeedModuleEvent {
  readonly kind: "needModule";
  /** The file tried. */
  readonly key: string;
  /** The module path as the import writes it (`shapes.circle`). */
  readonly spec: string;
  /** The importing file. */
  readonly from: string;
}

/** The compilation finished. */
export interface DoneEvent {
  readonly kind: "done";
  readonly result: CompileResult;
}

/** The compilation failed inside the compiler (a bug: user errors are diagnostics). */
export interface ErrorEvent {
  readonly kind: "error";
  readonly error: unknown;
}

/**
 * The last event of a compilation that was stopped: by {@link CompileFiber.cancel}
 * (`requested`), or because a file it reads (its entry, until modules exist) changed while it
 * was suspended (`stale`: its results would mix two versions; start again, the work already
 * done is kept in the database). Changes to other files do not stop it.
 */
export interface CancelledEvent {
  readonly kind: "cancelled";
  readonly reason: "requested" | "stale";
}

/** What a compilation yields. */
export type CompileEvent =
  | ProgressEvent
  | DiagEvent
  | DepsEvent
  | NeedModuleEvent
  | DoneEvent
  | ErrorEvent
  | CancelledEvent;

/** The outcome of a finished compilation of one entry file. */
export interface CompileResult {
  readonly entry: string;
  /** Every diagnostic of the entry, in the order of `Compiler.diagnostics`. */
  readonly diagnostics: readonly Diagnostic[];
  readonly errors: number;
  readonly warnings: number;
  /** How evaluation ended (a budget can stop it). */
  readonly evaluation: EvalStatus;
}

/** Options of `Compiler.start`. */
export interface StartOptions {
  /**
   * Yield after about this many syntax nodes of work (default 512); every phase also
   * yields when it ends.
   */
  readonly yieldEvery?: number;
}

/** How much {@link poll} may do before it returns. Without any limit it runs to the end. */
export interface PollBudget {
  /** Return once this many events were collected. */
  readonly events?: number;
  /** Return once this many syntax nodes were processed. */
  readonly nodes?: number;
  /** Return once this much time went by (measured with the compiler's clock). */
  readonly millis?: number;
}

/** What {@link poll} returns. */
export interface PollResult {
  /** The events since the previous poll, in order. */
  readonly events: readonly CompileEvent[];
  /** Whether the compilation is over (done, failed or cancelled). */
  readonly done: boolean;
  /** The result, once done. */
  readonly result?: CompileResult;
  /** Set when the compilation was cancelled. */
  readonly cancelled?: boolean;
  /** The internal error, when it failed. */
  readonly error?: unknown;
}

/** One step of a compilation: an event, or just a yield point; `nodes` of work since the last. */
export interface Step {
  readonly event?: CompileEvent;
  readonly nodes: number;
}

/** A compilation in progress: resume it with {@link poll}. */
export interface CompileFiber {
  /** The file being compiled. */
  readonly entry: string;
  /** Whether it is over. */
  readonly done: boolean;
  /**
   * Asks it to stop: the next {@link poll} returns a final `cancelled` event (unless it is
   * already over). Nothing runs until then.
   */
  cancel(): void;
}

/** The implementation behind {@link CompileFiber}; internal to the package. */
export class FiberImpl implements CompileFiber {
  readonly entry: string;
  private readonly steps: Generator<Step, CompileResult, undefined>;
  private readonly stale: () => boolean;
  readonly clock: () => number;
  private finished = false;
  private cancelRequested = false;
  result: CompileResult | undefined = undefined;
  error: unknown = undefined;
  failed = false;
  cancelled = false;

  /** Wraps the steps of a compilation; `stale` tells whether its inputs changed since. */
  constructor(
    entry: string,
    steps: Generator<Step, CompileResult, undefined>,
    stale: () => boolean,
    clock: () => number,
  ) {
    this.entry = entry;
    this.steps = steps;
    this.stale = stale;
    this.clock = clock;
  }

  /** See {@link CompileFiber.done}. */
  get done(): boolean {
    return this.finished;
  }

  /** See {@link CompileFiber.cancel}. */
  cancel(): void {
    if (!this.finished) this.cancelRequested = true;
  }

  /** Runs one step: the events it produced (none for a plain yield) and its work. */
  step(): { events: CompileEvent[]; nodes: number } {
    if (this.finished) return { events: [], nodes: 0 };
    if (this.cancelRequested || this.stale()) {
      const reason = this.cancelRequested ? "requested" : "stale";
      this.finished = true;
      this.cancelled = true;
      this.steps.return(undefined as never);
      return { events: [{ kind: "cancelled", reason }], nodes: 0 };
    }
    let r: IteratorResult<Step, CompileResult>;
    try {
      r = this.steps.next();
    } catch (error) {
      this.finished = true;
      this.failed = true;
      this.error = error;
      return { events: [{ kind: "error", error }], nodes: 0 };
    }
    if (r.done) {
      this.finished = true;
      this.result = r.value;
      return { events: [{ kind: "done", result: r.value }], nodes: 0 };
    }
    return { events: r.value.event === undefined ? [] : [r.value.event], nodes: r.value.nodes };
  }
}

/**
 * Resumes a compilation until the budget is spent or it is over, and returns the events it
 * produced. At least one step runs per call, so every poll makes progress.
 */
export function poll(fiber: CompileFiber, budget: PollBudget = {}): PollResult {
  if (!(fiber instanceof FiberImpl)) throw new TypeError("not a fiber made by Compiler.start");
  const events: CompileEvent[] = [];
  const start = budget.millis === undefined ? 0 : fiber.clock();
  let nodes = 0;
  while (!fiber.done) {
    const step = fiber.step();
    events.push(...step.events);
    nodes += step.nodes;
    if (budget.events !== undefined && events.length >= budget.events) break;
    if (budget.nodes !== undefined && nodes >= budget.nodes) break;
    if (budget.millis !== undefined && fiber.clock() - start >= budget.millis) break;
  }
  const out: {
    events: readonly CompileEvent[];
    done: boolean;
    result?: CompileResult;
    cancelled?: boolean;
    error?: unknown;
  } = { events, done: fiber.done };
  if (fiber.result !== undefined) out.result = fiber.result;
  if (fiber.cancelled) out.cancelled = true;
  if (fiber.failed) out.error = fiber.error;
  return out;
}

/** The event of one diagnostic. */
export function diagEvent(d: Diagnostic): DiagEvent {
  return {
    kind: "diag",
    pass: passOf(d),
    file: d.file,
    range: d.primary.span,
    severity: d.severity,
    message: d.message,
    code: d.code,
    diagnostic: d,
  };
}
