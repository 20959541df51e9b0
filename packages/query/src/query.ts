import type { QueryContext } from "./context.js";
import type { Cycle } from "./cycle.js";
import { type Database, engineOf } from "./database.js";
import type { Engine } from "./engine.js";
import { structuralEqual } from "./equality.js";
import { encodeKey } from "./key.js";
import { LruList } from "./lru.js";
import { QuerySlot } from "./slot.js";
import { StatsCounter } from "./stats.js";

/**
 * A derived query: a pure function of its key and of what it reads through its context,
 * memoised per key. Read it with `db.get`, `db.run`, or from another query with
 * `ctx.get` / `yield* ctx.fetch`.
 */
export interface Query<K, V> {
  readonly kind: "query";
  /** The query's name, unique in its database; it names the query in stats and cycles. */
  readonly name: string;
  /** Phantom field carrying the key and value types; always `undefined` at run time. */
  readonly __types?: (key: K) => V;
}

/** A query function that runs to completion. */
export type QueryFunction<K, V> = (ctx: QueryContext, key: K) => V;

/**
 * A query function written as a generator. It may `yield` at natural points (after a batch
 * of work, between phases); each yield is a point where a fiber can be suspended, report
 * progress, and be cancelled. The yielded values reach the host as {@link FiberYield}s.
 * Read sub-queries with `yield* ctx.fetch(query, key)` so that their yields reach the host
 * too.
 */
export type GeneratorQueryFunction<K, V> = (
  ctx: QueryContext,
  key: K,
) => Generator<unknown, V, undefined>;

/** Options of {@link defineQuery}. */
export interface QueryOptions<K, V> {
  /**
   * Decides whether a recomputed value equals the previous one, for early cut-off.
   * Defaults to {@link structuralEqual}; pass `Object.is` for values that are costly to
   * compare and are rebuilt only when they change.
   */
  readonly equals?: (a: V, b: V) => boolean;
  /** Encodes a key as a string. Defaults to {@link encodeKey}. */
  readonly keyOf?: (key: K) => string;
  /**
   * How many memo values to keep; the least recently used are evicted beyond it. Evicted
   * memos keep their change stamps and dependencies (up to `capacity` of those too), so
   * they can still be verified without running. Defaults to the database's `capacity`.
   */
  readonly capacity?: number;
  /**
   * The value this query takes when it turns out to be on a dependency cycle. Without it a
   * cycle is an outcome of kind `cycle` (a `query/cycle` diagnostic).
   */
  readonly recover?: (cycle: Cycle, key: K) => V;
}

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as new (
  ...args: string[]
) => unknown;

/** The implementation behind {@link Query}; internal to the package. */
export class QueryImpl<K, V> implements Query<K, V> {
  /** See {@link Query.kind}. */
  readonly kind: "query" = "query";
  /** See {@link Query.name}. */
  readonly name: string;
  /** The database engine the query belongs to. */
  readonly engine: Engine;
  /** The user function. */
  readonly fn: (ctx: QueryContext, key: K) => unknown;
  /** Whether {@link QueryImpl.fn} is a generator function. */
  readonly isGenerator: boolean;
  /** See {@link QueryOptions.equals}. */
  readonly equals: (a: V, b: V) => boolean;
  /** See {@link QueryOptions.keyOf}. */
  readonly keyOf: (key: K) => string;
  /** See {@link QueryOptions.recover}. */
  readonly recover: ((cycle: Cycle, key: K) => V) | undefined;
  /** See {@link QueryOptions.capacity}. */
  readonly capacity: number;
  /** Slots by encoded key. */
  readonly slots: Map<string, QuerySlot> = new Map();
  /** Counters reported by `db.stats`. */
  readonly stats: StatsCounter = new StatsCounter();
  /** Slots holding a value, most recently used first (maintained only when bounded). */
  private readonly live: LruList<QuerySlot> = new LruList();
  /** Slots holding a tombstone, most recently evicted first (maintained only when bounded). */
  private readonly tombs: LruList<QuerySlot> = new LruList();
  private readonly bounded: boolean;

  /** Creates a query; use {@link defineQuery}. */
  constructor(
    engine: Engine,
    name: string,
    fn: (ctx: QueryContext, key: K) => unknown,
    options: QueryOptions<K, V>,
  ) {
    this.engine = engine;
    this.name = name;
    this.fn = fn;
    this.isGenerator = fn instanceof GeneratorFunction;
    this.equals = options.equals ?? structuralEqual;
    this.keyOf = options.keyOf ?? encodeKey;
    this.recover = options.recover;
    const capacity = options.capacity ?? engine.capacity;
    if (!(capacity === Number.POSITIVE_INFINITY || (Number.isInteger(capacity) && capacity >= 1))) {
      throw new RangeError(`capacity of query ${name} must be a positive integer or Infinity`);
    }
    this.capacity = capacity;
    this.bounded = capacity !== Number.POSITIVE_INFINITY;
  }

  /** The live slot for `key`, created without a memo on first use. */
  slotFor(key: K, keyString: string = this.keyOf(key)): QuerySlot {
    let slot = this.slots.get(keyString);
    if (slot === undefined) {
      slot = new QuerySlot(this as QueryImpl<unknown, unknown>, key, keyString);
      this.slots.set(keyString, slot);
    }
    return slot;
  }

  /** Records a read answered from the memo of `slot`. */
  hit(slot: QuerySlot): void {
    this.stats.hits++;
    if (this.bounded) this.live.touch(slot);
  }

  /** Called after a new memo with a value was stored in `slot`: enforces the bound. */
  stored(slot: QuerySlot): void {
    if (!this.bounded) return;
    this.live.touch(slot);
    while (this.live.size > this.capacity) {
      const victim = this.live.oldest((s) => s === slot);
      if (victim === undefined) break;
      this.evict(victim);
    }
  }

  /** Counts of memos with values and of tombstones, for tests and diagnostics. */
  cacheCounts(): { values: number; tombstones: number } {
    let values = 0;
    let tombstones = 0;
    for (const slot of this.slots.values()) {
      if (slot.memo === undefined) continue;
      if (slot.memo.outcome === undefined) tombstones++;
      else values++;
    }
    return { values, tombstones };
  }

  private evict(victim: QuerySlot): void {
    this.live.remove(victim);
    if (victim.memo !== undefined) victim.memo.outcome = undefined;
    this.stats.evictions++;
    this.tombs.touch(victim);
    while (this.tombs.size > this.capacity) {
      // A slot some task is computing or verifying keeps its identity: cycle detection and
      // the pending memo store rely on it.
      const old = this.tombs.oldest((s) => s.active > 0);
      if (old === undefined) break;
      this.tombs.remove(old);
      old.dropped = true;
      old.memo = undefined;
      this.slots.delete(old.keyString);
    }
  }
}

/**
 * Declares a derived query of `db`. The function must be pure: its result may depend only
 * on its key and on what it reads through `ctx`. It may be a generator function (see
 * {@link GeneratorQueryFunction}).
 *
 * @example
 * const lineCount = defineQuery(db, "lineCount", (ctx, file: string) =>
 *   ctx.get(source, file).split("\n").length,
 * );
 *
 * @throws Error when the name is already used by an input or query of `db`.
 */
export function defineQuery<K, V>(
  db: Database,
  name: string,
  fn: GeneratorQueryFunction<K, V> | QueryFunction<K, V>,
  options: QueryOptions<K, V> = {},
): Query<K, V> {
  const engine = engineOf(db);
  const query = new QueryImpl<K, V>(engine, name, fn, options);
  engine.register(query as QueryImpl<unknown, unknown>);
  return query;
}
