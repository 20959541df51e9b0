import type { Cancelled } from "./cancelled.js";
import type { Engine } from "./engine.js";
import type { QueryResult } from "./result.js";
import type { Task } from "./task.js";

/** A pause of a fiber: a generator query yielded `value`. */
export interface FiberYield {
  readonly kind: "yield";
  /** The query that yielded. */
  readonly query: string;
  /** The key it is computing. */
  readonly key: unknown;
  /** What it yielded (a progress report, or `undefined` for a plain yield point). */
  readonly value: unknown;
}

/** The implementation of {@link FiberYield}; its class marks pauses the engine passes on. */
export class YieldEvent implements FiberYield {
  /** See {@link FiberYield.kind}. */
  readonly kind: "yield" = "yield";
  /** See {@link FiberYield.query}. */
  readonly query: string;
  /** See {@link FiberYield.key}. */
  readonly key: unknown;
  /** See {@link FiberYield.value}. */
  readonly value: unknown;

  /** Creates a pause event. */
  constructor(query: string, key: unknown, value: unknown) {
    this.query = query;
    this.key = key;
    this.value = value;
  }
}

/** A fiber whose query function threw: the error, not memoised. */
export interface FiberError {
  readonly kind: "error";
  readonly error: unknown;
}

/** How a fiber ended. */
export type FiberOutcome<V> = QueryResult<V> | Cancelled | FiberError;

/** How much work {@link Fiber.poll} may do before returning. */
export interface FiberBudget {
  /** Stop after this many pauses (default: no limit). */
  readonly yields?: number;
  /** Checked after every pause; stop when it returns true (for example a deadline). */
  readonly shouldStop?: () => boolean;
}

/** What {@link Fiber.poll} returns. */
export type FiberPoll<V> =
  | {
      readonly kind: "pending";
      /** The pauses since the previous poll, in order. */
      readonly yields: readonly FiberYield[];
    }
  | {
      readonly kind: "finished";
      /** The pauses since the previous poll, in order. */
      readonly yields: readonly FiberYield[];
      readonly outcome: FiberOutcome<V>;
    };

/**
 * A computation of one query that the host resumes at its own pace. It is an iterator of
 * pauses whose return value is the outcome, and has helpers to run it under a budget.
 *
 * Whenever it is resumed after inputs changed, it checks what it has read so far (see
 * {@link CancelPolicy}) and stops with a `cancelled` outcome if that is stale. Sub-queries
 * it completed keep their memos, so running the query again picks up from there.
 */
export interface Fiber<V> {
  /** The outcome once finished, `undefined` while it can still be resumed. */
  readonly outcome: FiberOutcome<V> | undefined;
  /** Resumes until the next pause or the end. */
  next(): IteratorResult<FiberYield, FiberOutcome<V>>;
  /** The fiber itself, so that `for (const pause of fiber)` drives it. */
  [Symbol.iterator](): Iterator<FiberYield, FiberOutcome<V>, undefined>;
  /** Resumes until the budget is spent or the fiber finishes (no budget: until it finishes). */
  poll(budget?: FiberBudget): FiberPoll<V>;
  /** Stops the fiber (if it has not finished) and returns its outcome. */
  cancel(): FiberOutcome<V>;
}

/** The implementation behind {@link Fiber}; internal to the package. */
export class FiberImpl<V> implements Fiber<V> {
  private readonly engine: Engine;
  private readonly task: Task;
  private readonly body: Generator<FiberYield, FiberOutcome<unknown>, unknown>;
  private finished: FiberOutcome<V> | undefined = undefined;

  /** Wraps the body of a fiber; use `db.run`. */
  constructor(
    engine: Engine,
    task: Task,
    body: Generator<FiberYield, FiberOutcome<unknown>, unknown>,
  ) {
    this.engine = engine;
    this.task = task;
    this.body = body;
  }

  /** See {@link Fiber.outcome}. */
  get outcome(): FiberOutcome<V> | undefined {
    return this.finished;
  }

  /** See {@link Fiber.next}. */
  next(): IteratorResult<FiberYield, FiberOutcome<V>> {
    if (this.finished !== undefined) return { done: true, value: this.finished };
    const engine = this.engine;
    if (engine.busy > 0) throw new Error("a fiber cannot be resumed while a query is running");
    engine.busy++;
    let r: IteratorResult<FiberYield, FiberOutcome<unknown>>;
    try {
      r = this.body.next();
    } finally {
      engine.busy--;
    }
    if (r.done) {
      this.finished = r.value as FiberOutcome<V>;
      return { done: true, value: this.finished };
    }
    return r;
  }

  /** See {@link Fiber.poll}. */
  poll(budget: FiberBudget = {}): FiberPoll<V> {
    const limit = budget.yields ?? Number.POSITIVE_INFINITY;
    const yields: FiberYield[] = [];
    while (yields.length < limit) {
      const r = this.next();
      if (r.done) return { kind: "finished", yields, outcome: r.value };
      yields.push(r.value);
      if (budget.shouldStop?.()) break;
    }
    return { kind: "pending", yields };
  }

  /** See {@link Fiber.cancel}. */
  cancel(): FiberOutcome<V> {
    if (this.finished !== undefined) return this.finished;
    this.task.cancelRequested = true;
    const engine = this.engine;
    if (engine.busy > 0) throw new Error("a fiber cannot be cancelled while a query is running");
    engine.busy++;
    try {
      this.body.return({ kind: "cancelled", reason: "requested" });
    } finally {
      engine.busy--;
    }
    this.finished = { kind: "cancelled", reason: "requested" };
    return this.finished;
  }

  /** See {@link Fiber[Symbol.iterator]}. */
  [Symbol.iterator](): Iterator<FiberYield, FiberOutcome<V>, undefined> {
    return this;
  }
}
