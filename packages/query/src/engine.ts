import type { CancelReason } from "./cancelled.js";
import {
  CycleError,
  type CycleOutcome,
  type CycleParticipant,
  cycleOutcome,
  makeCycle,
  onCycle,
} from "./cycle.js";
import { type FiberOutcome, YieldEvent } from "./fiber.js";
import type { InputImpl } from "./input.js";
import { type Memo, sameOutcome } from "./memo.js";
import type { QueryImpl } from "./query.js";
import type { QueryResult } from "./result.js";
import { INITIAL_REVISION, type Revision } from "./revision.js";
import type { QuerySlot, Slot } from "./slot.js";
import { ExecFrame, Task, VerifyFrame } from "./task.js";

/** The generators the engine is written as: they yield pauses and return a `T`. */
type Step<T> = Generator<YieldEvent, T, unknown>;

/** How an execution ended: still `running` in a `finally` means it was cancelled. */
type ExecState = "running" | "returned" | "threw";

/**
 * The red–green algorithm. Each step exists twice: as a plain method, used by `db.get` and
 * `ctx.get` (fast, and shallow on the JavaScript stack), and as a generator, used by fibers
 * so that pauses of generator queries reach the host. The twins differ only in control flow;
 * the decisions (hits, cycle detection, verification order, change stamps) live in shared
 * helpers so that they cannot drift apart, and the property tests run both.
 *
 * Invariant: every memo stored at revision `r` is correct at `r`, and a memo's value has
 * not changed between its `changedAt` and its `verifiedAt`.
 */
export class Engine {
  /** The current revision. */
  revision: Revision = INITIAL_REVISION;
  /** Greater than zero while some task is running synchronously (a query is executing). */
  busy: number = 0;
  /** The default LRU capacity of queries. */
  readonly capacity: number;
  /** The clock for execution timings (ms). */
  readonly clock: () => number;
  /** See `DatabaseOptions.onExecute`. */
  onExecute: ((query: string, key: unknown) => void) | undefined = undefined;
  /** Inputs and queries by name. */
  readonly ingredients: Map<string, InputImpl<unknown, unknown> | QueryImpl<unknown, unknown>> =
    new Map();

  /** Creates an engine. */
  constructor(capacity: number, clock: () => number) {
    this.capacity = capacity;
    this.clock = clock;
  }

  /** Adds an input or query under its name. */
  register(ingredient: InputImpl<unknown, unknown> | QueryImpl<unknown, unknown>): void {
    if (this.ingredients.has(ingredient.name)) {
      throw new Error(`an input or query named ${ingredient.name} is already defined`);
    }
    this.ingredients.set(ingredient.name, ingredient);
  }

  /** Starts a new revision and returns it. */
  newRevision(): Revision {
    return ++this.revision;
  }

  /** Throws when a query is running: inputs are read and written only between runs. */
  assertIdle(what: string): void {
    if (this.busy > 0) {
      throw new Error(
        `${what} cannot be called while a query is running: read inputs with ctx.get, and set them between runs`,
      );
    }
  }

  /** Runs a synchronous top-level read in its own task. */
  read(task: Task, slot: QuerySlot): QueryResult<unknown> {
    if (this.busy > 0) {
      throw new Error("db.get cannot be called while a query is running; use ctx.get");
    }
    this.busy++;
    try {
      return this.fetchSync(task, slot);
    } finally {
      this.busy--;
    }
  }

  /** The synchronous twin of {@link Engine.fetch}. */
  fetchSync(task: Task, slot: QuerySlot): QueryResult<unknown> {
    const memo = slot.memo;
    if (memo !== undefined && memo.verifiedAt === this.revision && memo.outcome !== undefined) {
      slot.owner.hit(slot);
      return memo.outcome;
    }
    if (task.has(slot)) return this.cycleAt(task, slot);
    if (memo !== undefined && memo.verifiedAt !== this.revision) {
      if (this.deepVerifySync(task, slot, memo)) {
        const outcome = this.green(slot, memo);
        if (outcome !== undefined) return outcome;
      }
    }
    return this.executeSync(task, slot).outcome!;
  }

  /** The synchronous twin of {@link Engine.changedAfter}. */
  changedAfterSync(task: Task, dep: QuerySlot, since: Revision): boolean {
    if (dep.dropped) return true;
    const memo = dep.memo;
    if (memo === undefined) return true;
    if (memo.verifiedAt === this.revision) return memo.changedAt > since;
    if (task.has(dep)) return true;
    if (this.deepVerifySync(task, dep, memo)) {
      memo.verifiedAt = this.revision;
      return memo.changedAt > since;
    }
    return this.executeSync(task, dep).changedAt > since;
  }

  /** The synchronous twin of {@link Engine.deepVerify}. */
  deepVerifySync(task: Task, slot: QuerySlot, memo: Memo): boolean {
    const frame = this.beginVerify(task, slot, memo);
    const since = frame.since;
    const deps = memo.deps;
    try {
      for (let i = 0; i < deps.length; i++) {
        frame.index = i;
        const dep = deps[i]!;
        const known = this.knownChange(dep, since);
        if (known === undefined ? this.changedAfterSync(task, dep as QuerySlot, since) : known) {
          return false;
        }
      }
      frame.index = deps.length;
      return true;
    } finally {
      task.pop(frame);
    }
  }

  /**
   * The synchronous twin of {@link Engine.execute}: a generator query function is driven to
   * completion, its pauses ignored.
   */
  executeSync(task: Task, target: QuerySlot): Memo {
    const frame = this.beginExecute(task, target);
    const query = frame.slot.owner;
    let state: ExecState = "running";
    let value: unknown;
    let error: unknown;
    let gen: Generator<unknown, unknown, undefined> | undefined;
    let genOpen = false;
    try {
      if (query.isGenerator) {
        gen = query.fn(frame.ctx, frame.slot.key) as Generator<unknown, unknown, undefined>;
        genOpen = true;
        let r = gen.next();
        while (!r.done && frame.cycle === undefined) r = gen.next();
        if (r.done) {
          genOpen = false;
          value = r.value;
        }
      } else {
        value = query.fn(frame.ctx, frame.slot.key);
      }
      state = "returned";
    } catch (e) {
      genOpen = false;
      state = "threw";
      error = e;
    } finally {
      this.endExecute(frame, state, genOpen ? gen : undefined);
    }
    return this.conclude(frame, state, value, error);
  }

  /**
   * The value of `slot` at the current revision: from its memo if it is verified (deeply if
   * need be), otherwise by executing the query.
   */
  *fetch(task: Task, slot: QuerySlot): Step<QueryResult<unknown>> {
    const memo = slot.memo;
    if (memo !== undefined && memo.verifiedAt === this.revision && memo.outcome !== undefined) {
      slot.owner.hit(slot);
      return memo.outcome;
    }
    if (task.has(slot)) return this.cycleAt(task, slot);
    if (memo !== undefined && memo.verifiedAt !== this.revision) {
      if (yield* this.deepVerify(task, slot, memo)) {
        const outcome = this.green(slot, memo);
        if (outcome !== undefined) return outcome;
      }
    }
    return (yield* this.execute(task, slot)).outcome!;
  }

  /**
   * Marks a deeply verified memo as up to date and returns its outcome, or `undefined` for a
   * verified tombstone: its value was evicted but is known to be unchanged, so executing
   * recomputes the same value and keeps the old change stamp.
   */
  private green(slot: QuerySlot, memo: Memo): QueryResult<unknown> | undefined {
    memo.verifiedAt = this.revision;
    if (memo.outcome === undefined) return undefined;
    slot.owner.hit(slot);
    return memo.outcome;
  }

  /**
   * Whether the value of `dep` may have changed after revision `since`, bringing its memo
   * up to date on the way (salsa's `maybe_changed_after`).
   */
  *changedAfter(task: Task, dep: QuerySlot, since: Revision): Step<boolean> {
    if (dep.dropped) return true;
    const memo = dep.memo;
    if (memo === undefined) return true;
    if (memo.verifiedAt === this.revision) return memo.changedAt > since;
    // Reaching a slot that is being computed or verified means the old dependency graph
    // loops back on itself; answering "changed" is always safe.
    if (task.has(dep)) return true;
    if (yield* this.deepVerify(task, dep, memo)) {
      memo.verifiedAt = this.revision;
      return memo.changedAt > since;
    }
    // Some input of `dep` changed: recompute it and compare, so that an equal result
    // (early cut-off) keeps its old stamp and the caller may stay green. This is never
    // wasted: every dependency of the caller before `dep` is unchanged, so the caller
    // would read `dep` again if it had to rerun.
    const fresh = yield* this.execute(task, dep);
    return fresh.changedAt > since;
  }

  /**
   * Whether every dependency of `memo` is unchanged since `memo` was last verified. Stops
   * at the first change: later dependencies may not even be read by a new execution.
   */
  *deepVerify(task: Task, slot: QuerySlot, memo: Memo): Step<boolean> {
    const frame = this.beginVerify(task, slot, memo);
    const since = frame.since;
    const deps = memo.deps;
    try {
      for (let i = 0; i < deps.length; i++) {
        frame.index = i;
        const dep = deps[i]!;
        const known = this.knownChange(dep, since);
        if (known === undefined ? yield* this.changedAfter(task, dep as QuerySlot, since) : known) {
          return false;
        }
      }
      frame.index = deps.length;
      return true;
    } finally {
      task.pop(frame);
    }
  }

  private beginVerify(task: Task, slot: QuerySlot, memo: Memo): VerifyFrame {
    slot.owner.stats.verifications++;
    const frame = new VerifyFrame(slot, memo);
    task.push(frame);
    return frame;
  }

  /**
   * Whether `dep` changed after `since`, when that is known without verifying anything (an
   * input, or a query already verified at this revision); `undefined` otherwise.
   */
  private knownChange(dep: Slot, since: Revision): boolean | undefined {
    if (dep.isInput) return dep.changedAt > since;
    const m = dep.memo;
    if (!dep.dropped && m !== undefined && m.verifiedAt === this.revision) {
      return m.changedAt > since;
    }
    return undefined;
  }

  /**
   * Runs the query function of `slot` and stores the memo. A result equal to the previous
   * one keeps the previous `changedAt` (early cut-off).
   */
  *execute(task: Task, target: QuerySlot): Step<Memo> {
    const frame = this.beginExecute(task, target);
    const query = frame.slot.owner;
    const clock = this.clock;
    let state: ExecState = "running";
    let value: unknown;
    let error: unknown;
    let gen: Generator<unknown, unknown, undefined> | undefined;
    let genOpen = false;
    try {
      if (query.isGenerator) {
        gen = query.fn(frame.ctx, frame.slot.key) as Generator<unknown, unknown, undefined>;
        genOpen = true;
        let r = gen.next();
        while (!r.done) {
          if (frame.cycle !== undefined) break;
          const event =
            r.value instanceof YieldEvent
              ? r.value
              : new YieldEvent(query.name, frame.slot.key, r.value);
          frame.elapsed += clock() - frame.startedAt;
          yield event;
          frame.startedAt = clock();
          r = gen.next();
        }
        if (r.done) {
          genOpen = false;
          value = r.value;
        }
      } else {
        value = query.fn(frame.ctx, frame.slot.key);
      }
      state = "returned";
    } catch (e) {
      genOpen = false;
      state = "threw";
      error = e;
    } finally {
      // Also runs when the fiber is cancelled (this generator is returned at its yield).
      this.endExecute(frame, state, genOpen ? gen : undefined);
    }
    return this.conclude(frame, state, value, error);
  }

  private beginExecute(task: Task, target: QuerySlot): ExecFrame {
    const query = target.owner;
    const slot = target.dropped ? query.slotFor(target.key, target.keyString) : target;
    query.stats.executions++;
    if (this.onExecute !== undefined) this.onExecute(query.name, slot.key);
    const frame = new ExecFrame(task, slot, task.currentExec);
    task.push(frame);
    frame.startedAt = this.clock();
    return frame;
  }

  /**
   * Tears an execution frame down, however it ended. `open` is the user's generator when it
   * is still suspended (cancellation, or a cycle found below it): it is returned so that its
   * `finally` blocks run.
   */
  private endExecute(
    frame: ExecFrame,
    state: ExecState,
    open: Generator<unknown, unknown, undefined> | undefined,
  ): void {
    if (open !== undefined) {
      try {
        open.return(undefined);
      } catch {
        // An error while unwinding a computation whose result is discarded anyway.
      }
    }
    const stats = frame.slot.owner.stats;
    frame.finished = true;
    frame.elapsed += this.clock() - frame.startedAt;
    stats.totalTime += frame.elapsed;
    stats.selfTime += frame.elapsed - frame.childTime;
    if (frame.parent !== undefined) frame.parent.childTime += frame.elapsed;
    if (state === "running") stats.cancellations++;
    frame.task.pop(frame);
  }

  /** Decides the outcome of a finished execution and stores it. */
  private conclude(frame: ExecFrame, state: ExecState, value: unknown, error: unknown): Memo {
    const query = frame.slot.owner;
    const keyString = frame.slot.keyString;
    let outcome: QueryResult<unknown>;
    let cycle = frame.cycle;
    if (
      cycle === undefined &&
      state === "threw" &&
      error instanceof CycleError &&
      onCycle(error.cycle, query.name, keyString)
    ) {
      cycle = error.outcome;
    }
    if (cycle !== undefined) {
      query.stats.cycles++;
      outcome =
        query.recover !== undefined
          ? { kind: "ok", value: query.recover(cycle.cycle, frame.slot.key) }
          : cycle;
    } else if (state === "threw") {
      if (!(error instanceof CycleError)) throw error;
      outcome = error.outcome;
    } else {
      outcome = { kind: "ok", value };
    }
    return this.store(frame, outcome);
  }

  private store(frame: ExecFrame, outcome: QueryResult<unknown>): Memo {
    const query = frame.slot.owner;
    const slot = frame.slot.dropped
      ? query.slotFor(frame.slot.key, frame.slot.keyString)
      : frame.slot;
    const revision = this.revision;
    const old = slot.memo;
    let changedAt: Revision;
    if (old !== undefined && old.outcome !== undefined) {
      if (sameOutcome(query.equals, old.outcome, outcome)) {
        changedAt = old.changedAt;
        query.stats.cutoffs++;
      } else {
        changedAt = revision;
      }
    } else if (old !== undefined && old.verifiedAt === revision) {
      // A tombstone verified at this revision: same inputs, so the same value.
      changedAt = old.changedAt;
    } else {
      // Nothing to compare with. A pure function of inputs that last changed at
      // `maxChangedAt` has had its current value since then.
      changedAt = frame.maxChangedAt;
    }
    const memo: Memo = { outcome, changedAt, verifiedAt: revision, deps: frame.deps };
    slot.memo = memo;
    query.stored(slot);
    return memo;
  }

  /**
   * Reports that `slot`, already on the stack, was required again. Every execution from
   * the first occurrence of `slot` up to the top is on the cycle and gets its outcome.
   */
  private cycleAt(task: Task, slot: QuerySlot): CycleOutcome {
    const stack = task.stack;
    let start = stack.length - 1;
    while (start > 0 && stack[start]!.slot !== slot) start--;
    const participants: CycleParticipant[] = [];
    for (let i = start; i < stack.length; i++) {
      const s = stack[i]!.slot;
      participants.push({ query: s.owner.name, key: s.key, keyString: s.keyString });
    }
    const outcome = cycleOutcome(makeCycle(participants));
    for (let i = start; i < stack.length; i++) {
      const frame = stack[i]!;
      if (frame.kind === "execute" && frame.cycle === undefined) frame.cycle = outcome;
    }
    return outcome;
  }

  /**
   * After the revision changed under a suspended task: checks that everything the task
   * has read so far is unchanged at the new revision (re-executing and comparing where
   * needed). Returns whether the task may carry on.
   *
   * The checks run in a task of their own. The suspended stack is not a path of
   * dependencies of what is being checked (a frame's dependencies may well read a query
   * suspended above it), so cycle detection must not see it; a query suspended there is
   * simply computed again if a check needs it.
   */
  private *revalidate(task: Task): Step<boolean> {
    const since = task.validAt;
    const checker = new Task(this, task.policy);
    try {
      for (const frame of task.stack) {
        if (frame.kind === "execute") {
          for (const dep of frame.deps) {
            if (yield* this.slotChangedAfter(checker, dep, since)) return false;
            const stamp = dep.isInput ? dep.changedAt : (dep.memo?.changedAt ?? this.revision);
            if (stamp > frame.maxChangedAt) frame.maxChangedAt = stamp;
          }
        } else {
          const deps = frame.memo.deps;
          for (let i = 0; i < frame.index; i++) {
            if (yield* this.slotChangedAfter(checker, deps[i]!, frame.since)) return false;
          }
        }
      }
    } catch {
      // A dependency now fails: the computation cannot carry on; rerunning it will report
      // the error where it belongs.
      return false;
    }
    task.validAt = this.revision;
    return true;
  }

  private *slotChangedAfter(task: Task, dep: Slot, since: Revision): Step<boolean> {
    if (dep.isInput) return dep.changedAt > since;
    return yield* this.changedAfter(task, dep, since);
  }

  /**
   * Called each time a fiber is resumed: decides whether the suspended computation may go
   * on, revalidating what it read when inputs changed meanwhile.
   */
  private *checkpoint(task: Task): Step<CancelReason | undefined> {
    if (task.cancelRequested) return "requested";
    if (this.revision === task.validAt) return undefined;
    if (task.policy === "any-change") return "input-changed";
    const revision = this.revision;
    const check = this.revalidate(task);
    let finished = false;
    try {
      let r = check.next();
      while (!r.done) {
        yield r.value;
        if (task.cancelRequested) return "requested";
        // Inputs changed again while revalidating: give up rather than chase them.
        if (this.revision !== revision) return "input-changed";
        r = check.next();
      }
      finished = true;
      return r.value ? undefined : "input-changed";
    } finally {
      if (!finished) check.return(false);
    }
  }

  /** The body of a fiber computing `slot`. */
  *root(task: Task, slot: QuerySlot): Step<FiberOutcome<unknown>> {
    const inner = this.fetch(task, slot);
    let closed = false;
    try {
      let r = inner.next();
      while (!r.done) {
        yield r.value;
        const reason = yield* this.checkpoint(task);
        if (reason !== undefined) return { kind: "cancelled", reason };
        r = inner.next();
      }
      closed = true;
      return r.value;
    } catch (error) {
      closed = true;
      return { kind: "error", error };
    } finally {
      // Cancelling returns the suspended generators: every frame's `finally` pops it and
      // nothing in progress is memoised.
      if (!closed) inner.return(undefined as never);
    }
  }
}
