import { CycleError } from "./cycle.js";
import type { FiberYield } from "./fiber.js";
import type { Input, InputImpl } from "./input.js";
import type { Query, QueryImpl } from "./query.js";
import type { QueryResult } from "./result.js";
import type { QuerySlot } from "./slot.js";
import type { ExecFrame } from "./task.js";

/**
 * What a query function reads through. Every read records a dependency of the running
 * query, in order; reading anything any other way (closures, globals, `input.get`) would
 * make results stale, and `input.get` refuses to run inside a query for that reason.
 */
export interface QueryContext {
  /**
   * Reads an input or a query and records the dependency. Generator sub-queries run to
   * completion inside the call (their yields are not passed on; use
   * {@link QueryContext.fetch} from a generator query for that).
   *
   * @throws CycleError when the query read is on, or depends on, a cycle; if the caller
   * lets it escape, the caller's own outcome is that cycle.
   */
  get<K, V>(source: Query<K, V> | Input<K, V>, key: K): V;
  /**
   * Like {@link QueryContext.get}, returning cycles as results instead of throwing. (A query
   * that is itself on the cycle still gets a `CycleError`: its own result is already decided,
   * and the error unwinds it.)
   */
  result<K, V>(query: Query<K, V>, key: K): QueryResult<V>;
  /**
   * Reads an input or a query from a generator query, passing the yields of generator
   * sub-queries on to the host: `const v = yield* ctx.fetch(query, key)`.
   *
   * @throws CycleError like {@link QueryContext.get}.
   */
  fetch<K, V>(source: Query<K, V> | Input<K, V>, key: K): Generator<FiberYield, V, unknown>;
  /** Like {@link QueryContext.fetch}, returning cycles as results like {@link QueryContext.result}. */
  fetchResult<K, V>(query: Query<K, V>, key: K): Generator<FiberYield, QueryResult<V>, unknown>;
}

/** The context of one execution frame; internal to the package. */
export class ContextImpl implements QueryContext {
  private readonly frame: ExecFrame;

  /** Creates the context of `frame`. */
  constructor(frame: ExecFrame) {
    this.frame = frame;
  }

  /** See {@link QueryContext.get}. */
  get<K, V>(source: Query<K, V> | Input<K, V>, key: K): V {
    const frame = this.enter();
    if (source.kind === "input") return this.readInput(frame, source, key);
    return this.unwrap(frame, this.resultSync(frame, source, key));
  }

  /** See {@link QueryContext.result}. */
  result<K, V>(query: Query<K, V>, key: K): QueryResult<V> {
    const frame = this.enter();
    const outcome = this.resultSync(frame, query, key);
    if (frame.cycle !== undefined) throw new CycleError(frame.cycle);
    return outcome;
  }

  /** See {@link QueryContext.fetch}. */
  *fetch<K, V>(source: Query<K, V> | Input<K, V>, key: K): Generator<FiberYield, V, unknown> {
    const frame = this.enter();
    if (source.kind === "input") return this.readInput(frame, source, key);
    return this.unwrap(frame, yield* this.resultYielding(frame, source, key));
  }

  /** See {@link QueryContext.fetchResult}. */
  *fetchResult<K, V>(query: Query<K, V>, key: K): Generator<FiberYield, QueryResult<V>, unknown> {
    const frame = this.enter();
    const outcome = yield* this.resultYielding(frame, query, key);
    if (frame.cycle !== undefined) throw new CycleError(frame.cycle);
    return outcome;
  }

  private enter(): ExecFrame {
    const frame = this.frame;
    if (frame.finished) {
      throw new Error(`the context of ${frame.slot.owner.name} was used after the query returned`);
    }
    const stack = frame.task.stack;
    if (stack[stack.length - 1] !== frame) {
      throw new Error(
        `the context of ${frame.slot.owner.name} was used while another query was running`,
      );
    }
    // A frame found to be on a cycle has its result decided: unwind it quickly.
    if (frame.cycle !== undefined) throw new CycleError(frame.cycle);
    return frame;
  }

  private readInput<K, V>(frame: ExecFrame, source: Input<K, V>, key: K): V {
    const input = this.own(source) as InputImpl<K, V>;
    const slot = input.slotFor(key);
    frame.record(slot, slot.changedAt);
    return input.read(slot);
  }

  private resultSync<K, V>(frame: ExecFrame, source: Query<K, V>, key: K): QueryResult<V> {
    const query = this.own(source) as QueryImpl<K, V>;
    const slot = query.slotFor(key);
    const engine = frame.task.engine;
    const memo = slot.memo;
    if (memo !== undefined && memo.outcome !== undefined && memo.verifiedAt === engine.revision) {
      query.hit(slot);
      frame.record(slot, memo.changedAt);
      return memo.outcome as QueryResult<V>;
    }
    let outcome: QueryResult<unknown>;
    try {
      outcome = engine.fetchSync(frame.task, slot);
    } finally {
      this.recordQuery(frame, slot);
    }
    return outcome as QueryResult<V>;
  }

  private *resultYielding<K, V>(
    frame: ExecFrame,
    source: Query<K, V>,
    key: K,
  ): Generator<FiberYield, QueryResult<V>, unknown> {
    const query = this.own(source) as QueryImpl<K, V>;
    const slot = query.slotFor(key);
    const engine = frame.task.engine;
    const memo = slot.memo;
    if (memo !== undefined && memo.outcome !== undefined && memo.verifiedAt === engine.revision) {
      query.hit(slot);
      frame.record(slot, memo.changedAt);
      return memo.outcome as QueryResult<V>;
    }
    let outcome: QueryResult<unknown>;
    try {
      outcome = yield* engine.fetch(frame.task, slot);
    } finally {
      this.recordQuery(frame, slot);
    }
    return outcome as QueryResult<V>;
  }

  /**
   * Records a read of a query after fetching it. The dependency is recorded even when the
   * fetch threw, so that a caller catching the error still reruns when the error goes away.
   */
  private recordQuery(frame: ExecFrame, slot: QuerySlot): void {
    const live = slot.dropped ? slot.owner.slotFor(slot.key, slot.keyString) : slot;
    const memo = live.memo;
    const revision = frame.task.engine.revision;
    frame.record(
      live,
      memo !== undefined && memo.verifiedAt === revision ? memo.changedAt : revision,
    );
  }

  private unwrap<V>(frame: ExecFrame, outcome: QueryResult<V>): V {
    if (frame.cycle !== undefined) throw new CycleError(frame.cycle);
    if (outcome.kind === "cycle") throw new CycleError(outcome);
    return outcome.value;
  }

  private own(source: { readonly kind: string; readonly name: string }): object {
    const engine = (source as { engine?: unknown }).engine;
    if (engine !== this.frame.task.engine) {
      throw new Error(`${source.kind} ${source.name} belongs to another database`);
    }
    return source;
  }
}
