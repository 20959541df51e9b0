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
import { HeightHeap } from "./heap.js";
import type { InputImpl } from "./input.js";
import { type Memo, sameOutcome } from "./memo.js";
import type { QueryImpl } from "./query.js";
import type { QueryResult } from "./result.js";
import { INITIAL_REVISION, type Revision } from "./revision.js";
import {
  addDependent,
  dependentsOf,
  hasDependents,
  type InputSlot,
  type QuerySlot,
  removeDependent,
  type Slot,
} from "./slot.js";
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
 *
 * On top of this pull algorithm, `db.get` first runs {@link Engine.propagate}, which pushes
 * the changes of inputs up the graph of reverse edges (`dependents`) in height order; a memo
 * the propagation shows to be up to date is then accepted without walking its dependencies
 * (see {@link Engine.upToDate}).
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
  /** Whether `db.get` propagates changes first (see {@link Engine.propagate}). */
  readonly propagation: boolean;
  /** The last revision at which propagation had nothing left to do (informational). */
  settledAt: Revision = INITIAL_REVISION;
  /** Input slots changed whose dependents are not in the worklist yet. */
  readonly unseeded: Set<InputSlot> = new Set();
  /**
   * The worklist of propagation: slots whose memos may be out of date, by height. It
   * persists between reads and across revisions (a read settles it only as high as it needs).
   */
  private readonly heap: HeightHeap = new HeightHeap();
  /**
   * Every safe slot that is not pending and is below this height is up to date at the
   * current revision (`h` in {@link Engine.propagate}); `Infinity` when nothing is pending,
   * 0 while changed inputs are not seeded yet (and always without propagation).
   */
  private level: number;
  /** The revision at which a propagation failed; it is not retried at that revision. */
  private abandonedAt: Revision = 0;
  /** A fresh number for marking slots (see {@link Engine.link}). */
  private stamp: number = 0;
  /** Inputs and queries by name. */
  readonly ingredients: Map<string, InputImpl<unknown, unknown> | QueryImpl<unknown, unknown>> =
    new Map();

  /** Creates an engine. */
  constructor(capacity: number, clock: () => number, propagation: boolean = true) {
    this.capacity = capacity;
    this.clock = clock;
    this.propagation = propagation;
    this.level = propagation ? Number.POSITIVE_INFINITY : 0;
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

  /** Records that an input slot changed (at the current revision), for the next propagation. */
  inputChanged(slot: InputSlot): void {
    if (!this.propagation) return;
    this.unseeded.add(slot);
    this.level = 0;
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
      if (this.propagation && this.abandonedAt !== this.revision) {
        // Everything `slot` depends on is below it, unless its height is unknown or unsafe.
        const limit =
          slot.memo === undefined || slot.unsafe ? Number.POSITIVE_INFINITY : slot.height;
        const heap = this.heap;
        if (this.unseeded.size > 0 || (heap.size > 0 && heap.peekKey() <= limit)) {
          this.propagate(task, limit);
        }
      }
      return this.fetchSync(task, slot);
    } finally {
      this.busy--;
    }
  }

  /**
   * Brings memos up to date by pushing the changes of inputs up the reverse edges
   * (`dependents`) in height order, with early cut-off, as far as height `limit` (a read
   * asks for the height of what it reads: nothing above can matter to it). Reads then
   * accept the memos below that height without walking their dependencies (see
   * {@link Engine.upToDate}), so the cost of a revision is proportional to what changed
   * (the slots reached, and the dependency lists of those whose dependencies changed)
   * instead of to the size of what is read.
   *
   * The worklist is a min-heap by height that persists between reads and across
   * revisions; a slot is in it at most once (`pending`). It is fed by the changed inputs
   * (seeded here with their dependents) and by {@link Engine.store}: whenever a memo is
   * stored with a value that changed since it was last verified, whoever executed it (this
   * propagation, a plain read, a fiber), its dependents are pushed. Let `h` be the height
   * of the slot `N` just popped. A dropped or memo-less `N` pushes its dependents
   * (conservatively); a memo already verified at this revision (pulled by a read) is done;
   * otherwise the recorded dependencies are checked without recursion (an input by its
   * `changedAt`, a query by its memo's `changedAt`, a dependency without memo, dropped, or
   * not final counting as changed): unchanged, the memo is marked verified and nothing is
   * pushed; changed, `N` is re-executed through the normal machinery, so an equal result
   * keeps its old `changedAt` (cut-off) and a different one pushes `N`'s dependents.
   *
   * Why a safe slot `S` that is not pending and is below `h` is final. Heights grow along
   * every edge outside unsafe slots (inputs are at 0; a store puts a slot above what it
   * read and raises its dependents above it, transitively; a slot found on a cycle of edges
   * is marked unsafe together with everything above it), so everything `S` depends on,
   * transitively, is safe and below `h` too. Pushes always go above the slot that pushes
   * (raising the dependent if need be), so the heap's minimum only grows while a
   * propagation runs and `h` is a lower bound of every pending height. Suppose `S` read
   * something whose value changed after `S` was verified. If it is an input, seeding pushed
   * `S` (or `S` was verified after the change). If it is a query `D` whose memo changed,
   * the store of that memo pushed `S` (or `S` was verified after it). If it is a query `D`
   * whose memo is itself out of date, `D` is, by induction on the height, not final, hence
   * pending below `h`, which is impossible. Either way `S` was pushed after its last
   * verification and must since have been popped, which verified it. So `S`'s memo is up
   * to date, and reads accept it without walking its dependencies. Anything else (pending,
   * at or above `h`, unsafe) is verified by the pull algorithm when read, which is always
   * right, and whose stores feed the worklist like any other.
   *
   * Why every slot whose value changes gets its dependents pushed: the value of a memo only
   * changes through a store, and {@link Engine.store} pushes the dependents whenever the
   * new `changedAt` is after the previous memo's `verifiedAt` (which covers a memo stored
   * where there was none). A slot that was dropped, or that threw, has no memo to store
   * into: it stays a dependent of what it read (failed executions register their reads
   * too), so it is pushed when that changes, and pushes its own dependents when popped.
   * When the worklist is empty, every memo is therefore up to date (unsafe ones included:
   * each was pushed after any change below it and has been popped since): `level` is then
   * infinite and reads accept every memo.
   *
   * A re-execution may read a slot that is dirty but not popped yet (a new dependency, or a
   * higher one): it is not final, so it is pulled, and its later pop finds it verified. If a
   * query throws (an error, not a cycle: cycles are outcomes), the propagation stops: the
   * slot being settled goes back into the worklist, so that it stays unverified, and reads
   * at this revision use the pull algorithm above it, which reports the error where it
   * belongs; this method does not throw.
   */
  propagate(task: Task, limit: number = Number.POSITIVE_INFINITY): void {
    const heap = this.heap;
    let settling: QuerySlot | undefined;
    try {
      if (this.unseeded.size > 0) {
        for (const input of this.unseeded) this.pushDependents(input);
        this.unseeded.clear();
      }
      while (heap.size > 0 && heap.peekKey() <= limit) {
        const key = heap.peekKey();
        const slot = heap.pop();
        if (slot.height !== key) {
          // Raised while waiting: it goes back in at its new height.
          heap.push(slot, slot.height);
          continue;
        }
        this.level = key;
        slot.pending = false;
        settling = slot;
        this.settle(task, slot);
        settling = undefined;
      }
    } catch {
      if (settling !== undefined && !settling.pending) {
        settling.pending = true;
        heap.push(settling, settling.height);
      }
      this.abandonedAt = this.revision;
    }
    this.level =
      this.unseeded.size > 0 ? 0 : heap.size > 0 ? heap.peekKey() : Number.POSITIVE_INFINITY;
    if (this.level === Number.POSITIVE_INFINITY) this.settledAt = this.revision;
  }

  /** Settles a popped slot (see {@link Engine.propagate}). */
  private settle(task: Task, slot: QuerySlot): void {
    const memo = slot.memo;
    if (slot.dropped || memo === undefined) {
      this.pushDependents(slot);
    } else if (memo.verifiedAt !== this.revision) {
      // A changed result pushes the dependents from `store`.
      if (this.depsChanged(slot, memo)) this.executeSync(task, slot);
      else memo.verifiedAt = this.revision;
    }
  }

  /**
   * Whether a dependency of `memo` may have changed since it was verified, judged without
   * recursion: a query dependency that is not final counts as changed.
   */
  private depsChanged(slot: QuerySlot, memo: Memo): boolean {
    slot.owner.stats.verifications++;
    const since = memo.verifiedAt;
    const deps = memo.deps;
    for (let i = 0; i < deps.length; i++) {
      const dep = deps[i]!;
      if (dep.isInput) {
        if (dep.changedAt > since) return true;
        continue;
      }
      const m = dep.memo;
      if (dep.dropped || m === undefined || !this.upToDate(dep, m) || m.changedAt > since) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds to the worklist the dependents of `from` that may not have seen its current value,
   * above `from` (raising them if a cycle of edges left them lower). A query slot does so
   * at most once per revision.
   */
  private pushDependents(from: Slot): void {
    if (from.dependents === undefined) return;
    let changedAt: Revision;
    if (from.isInput) {
      changedAt = from.changedAt;
    } else {
      if (from.pushedAt === this.revision) return;
      from.pushedAt = this.revision;
      const m = from.memo;
      changedAt = from.dropped || m === undefined ? Number.POSITIVE_INFINITY : m.changedAt;
    }
    const floor = from.height;
    const heap = this.heap;
    for (const dependent of dependentsOf(from)) {
      if (dependent.pending) continue;
      const m = dependent.memo;
      // Verified since the change: it has seen the current value.
      if (m !== undefined && !dependent.dropped && m.verifiedAt >= changedAt) continue;
      if (dependent.height <= floor) this.lift(dependent, floor + 1);
      dependent.pending = true;
      heap.push(dependent, dependent.height);
      if (dependent.height < this.level) this.level = dependent.height;
    }
  }

  /** The synchronous twin of {@link Engine.fetch}. */
  fetchSync(task: Task, slot: QuerySlot): QueryResult<unknown> {
    const memo = slot.memo;
    if (memo !== undefined && memo.outcome !== undefined && this.upToDate(slot, memo)) {
      slot.owner.hit(slot);
      return memo.outcome;
    }
    if (task.has(slot)) return this.cycleAt(task, slot);
    if (memo !== undefined && !this.upToDate(slot, memo)) {
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
    if (this.upToDate(dep, memo)) return memo.changedAt > since;
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
    if (memo !== undefined && memo.outcome !== undefined && this.upToDate(slot, memo)) {
      slot.owner.hit(slot);
      return memo.outcome;
    }
    if (task.has(slot)) return this.cycleAt(task, slot);
    if (memo !== undefined && !this.upToDate(slot, memo)) {
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
    if (this.upToDate(dep, memo)) return memo.changedAt > since;
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
    if (!dep.dropped && m !== undefined && this.upToDate(dep, m)) return m.changedAt > since;
    return undefined;
  }

  /**
   * Whether the memo of `slot` is up to date at the current revision without walking its
   * dependencies: verified at this revision, or final for propagation, that is not pending
   * and below the height it has settled (any slot once nothing is pending; only safe ones
   * otherwise; see {@link Engine.propagate}). A memo accepted by propagation is marked
   * verified, so later checks are O(1); a tombstone accepted so still has to be executed for
   * its value, and keeps its change stamp (see {@link Engine.store}).
   */
  upToDate(slot: QuerySlot, memo: Memo): boolean {
    const revision = this.revision;
    if (memo.verifiedAt === revision) return true;
    const level = this.level;
    if (
      !slot.pending &&
      slot.height < level &&
      (!slot.unsafe || level === Number.POSITIVE_INFINITY)
    ) {
      memo.verifiedAt = revision;
      return true;
    }
    return false;
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
      if (!(error instanceof CycleError)) {
        // Not memoised, but the error is a function of what was read so far: whoever
        // caught it must hear when that changes.
        if (this.propagation) this.link(this.liveSlot(frame.slot), frame.deps, false, null);
        throw error;
      }
      outcome = error.outcome;
    } else {
      outcome = { kind: "ok", value };
    }
    return this.store(frame, outcome);
  }

  private liveSlot(slot: QuerySlot): QuerySlot {
    return slot.dropped ? slot.owner.slotFor(slot.key, slot.keyString) : slot;
  }

  /**
   * Stores the memo of a finished execution. Its `verifiedAt` is the current revision and
   * its `changedAt` the previous one when the value is equal (early cut-off).
   */
  private store(frame: ExecFrame, outcome: QueryResult<unknown>): Memo {
    const query = frame.slot.owner;
    const slot = this.liveSlot(frame.slot);
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
    if (this.propagation) {
      const cyclic = frame.cycle !== undefined || outcome.kind === "cycle";
      this.link(slot, frame.deps, cyclic, old === undefined ? [] : old.deps);
      // The value changed since dependents last saw it (or there was none to see).
      if (old === undefined || changedAt > old.verifiedAt) this.pushDependents(slot);
    }
    query.stored(slot);
    return memo;
  }

  /**
   * Registers `slot` as a dependent of each of `deps` and brings heights up to date: the
   * slot goes above its dependencies, and its dependents above it, transitively.
   * `previous` lists the dependencies of the memo being replaced, whose edges that `deps`
   * no longer has are removed; `null` adds the edges of a failed execution to those of the
   * memo the slot keeps. A slot is unsafe when `cyclic` (its outcome comes from a cycle, so
   * depends on where the cycle was entered and not only on what it read) or when it read an
   * unsafe slot; a new memo may make it safe again.
   */
  private link(
    slot: QuerySlot,
    deps: readonly Slot[],
    cyclic: boolean,
    previous: readonly Slot[] | null,
  ): void {
    const stamp = ++this.stamp;
    let height = slot.height;
    let unsafe = cyclic;
    for (let i = 0; i < deps.length; i++) {
      const dep = deps[i]!;
      dep.mark = stamp;
      addDependent(dep, slot);
      if (dep.height >= height) height = dep.height + 1;
      if (!dep.isInput && dep.unsafe) unsafe = true;
    }
    if (previous !== null) {
      for (let i = 0; i < previous.length; i++) {
        const dep = previous[i]!;
        if (dep.mark !== stamp) removeDependent(dep, slot);
      }
      if (!unsafe) slot.unsafe = false;
    }
    if (unsafe && !slot.unsafe) this.markUnsafe(slot);
    if (height > slot.height) this.lift(slot, height);
  }

  /**
   * Sets the height of `slot` to `height` and raises its dependents above it, transitively
   * (an iterative depth-first walk). A dependent found on the walk's own path closes a cycle
   * of edges, where no height order exists: it is marked unsafe instead.
   */
  private lift(slot: QuerySlot, height: number): void {
    slot.height = height;
    if (!hasDependents(slot)) return;
    const path: QuerySlot[] = [slot];
    const walks: Iterator<QuerySlot>[] = [dependentsOf(slot).values()];
    slot.onPath = true;
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const next = walks[walks.length - 1]!.next();
      if (next.done) {
        top.onPath = false;
        path.pop();
        walks.pop();
        continue;
      }
      const dependent = next.value;
      if (dependent.height > top.height) continue;
      if (dependent.onPath) {
        if (!dependent.unsafe) this.markUnsafe(dependent);
        continue;
      }
      dependent.height = top.height + 1;
      if (hasDependents(dependent)) {
        dependent.onPath = true;
        path.push(dependent);
        walks.push(dependentsOf(dependent).values());
      }
    }
  }

  /** Marks `slot` and everything depending on it (transitively) as unsafe. */
  private markUnsafe(slot: QuerySlot): void {
    slot.unsafe = true;
    const todo: QuerySlot[] = [slot];
    while (todo.length > 0) {
      const s = todo.pop()!;
      for (const d of dependentsOf(s)) {
        if (!d.unsafe) {
          d.unsafe = true;
          todo.push(d);
        }
      }
    }
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
