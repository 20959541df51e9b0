import type { CancelPolicy } from "./cancelled.js";
import { CycleError } from "./cycle.js";
import { Engine } from "./engine.js";
import { type Fiber, FiberImpl } from "./fiber.js";
import type { Input, InputImpl } from "./input.js";
import type { Query, QueryImpl } from "./query.js";
import type { QueryResult } from "./result.js";
import type { Revision } from "./revision.js";
import type { QueryStats } from "./stats.js";
import { Task } from "./task.js";

/** Options of {@link createDatabase}. */
export interface DatabaseOptions {
  /**
   * The LRU capacity of queries that do not set their own (default: unbounded). Inputs are
   * never evicted.
   */
  readonly capacity?: number;
  /** The clock used for execution timings, in milliseconds (default: `performance.now`). */
  readonly clock?: () => number;
  /**
   * Called each time a query function is started (what {@link QueryStats.executions}
   * counts), with the query's name and the key: for counters finer than per query, such as
   * per file of a compiler. It must not read or write the database.
   */
  readonly onExecute?: (query: string, key: unknown) => void;
  /**
   * Whether `db.get` first brings memos up to date by pushing changes from the changed
   * inputs up the dependency graph, in height order with early cut-off, as high as what it
   * reads (default `true`): a re-check then costs in proportion to what changed rather than
   * to the size of what is read, but a memo whose inputs changed is recomputed even when
   * the read does not need it. With `false`, verification is purely pull-based (each read
   * walks the dependencies of stale memos). Results are the same either way.
   */
  readonly propagation?: boolean;
}

/** Options of {@link Database.run}. */
export interface RunOptions {
  /** When inputs changing under a suspended fiber cancel it (default `read-change`). */
  readonly cancelOn?: CancelPolicy;
}

/** How many memos a query holds. */
export interface CacheInfo {
  /** Memos holding a value. */
  readonly values: number;
  /** Evicted memos kept for verification, without a value. */
  readonly tombstones: number;
  /** The query's LRU capacity. */
  readonly capacity: number;
}

/** Any query, whatever its key and value types. */
export type AnyQuery = Query<never, unknown>;

/**
 * A query database: the inputs and queries defined on it, their memos, and the current
 * revision. It is the one place where incremental state lives; the compiler driver, the CLI
 * and the language server all run their phases as queries of one database.
 */
export interface Database {
  /** The current revision; it grows by one each time an input changes. */
  readonly revision: Revision;
  /**
   * The value of a query (or input) at the current revision, computed or verified as
   * needed. Generator queries run to completion.
   *
   * @throws CycleError when the query is on, or depends on, a cycle without recovery.
   * @throws whatever a query function threw (errors are not memoised).
   */
  get<K, V>(source: Query<K, V> | Input<K, V>, key: K): V;
  /** Like {@link Database.get}, returning cycles as results instead of throwing. */
  result<K, V>(query: Query<K, V>, key: K): QueryResult<V>;
  /**
   * Starts computing a query as a {@link Fiber} the host resumes with a budget. Nothing
   * runs until the fiber is first resumed.
   */
  run<K, V>(query: Query<K, V>, key: K, options?: RunOptions): Fiber<V>;
  /** The counters of a query (by handle or name). */
  stats(query: AnyQuery | string): QueryStats;
  /** Sets the counters of every query back to zero. */
  resetStats(): void;
  /** How many memos a query holds. */
  cacheInfo(query: AnyQuery | string): CacheInfo;
}

/** The implementation behind {@link Database}; internal to the package. */
export class DatabaseImpl implements Database {
  /** The engine holding all state. */
  readonly engine: Engine;

  /** Creates a database; use {@link createDatabase}. */
  constructor(options: DatabaseOptions) {
    const capacity = options.capacity ?? Number.POSITIVE_INFINITY;
    this.engine = new Engine(
      capacity,
      options.clock ?? performance.now.bind(performance),
      options.propagation ?? true,
    );
    this.engine.onExecute = options.onExecute;
  }

  /** See {@link Database.revision}. */
  get revision(): Revision {
    return this.engine.revision;
  }

  /** See {@link Database.get}. */
  get<K, V>(source: Query<K, V> | Input<K, V>, key: K): V {
    if (source.kind === "input") return this.ownInput(source).get(key);
    const outcome = this.result(source, key);
    if (outcome.kind === "cycle") throw new CycleError(outcome);
    return outcome.value;
  }

  /** See {@link Database.result}. */
  result<K, V>(query: Query<K, V>, key: K): QueryResult<V> {
    const q = this.ownQuery(query);
    const task = new Task(this.engine, "any-change");
    return this.engine.read(task, q.slotFor(key)) as QueryResult<V>;
  }

  /** See {@link Database.run}. */
  run<K, V>(query: Query<K, V>, key: K, options: RunOptions = {}): Fiber<V> {
    const q = this.ownQuery(query);
    const slot = q.slotFor(key);
    const task = new Task(this.engine, options.cancelOn ?? "read-change");
    return new FiberImpl<V>(this.engine, task, this.engine.root(task, slot));
  }

  /** See {@link Database.stats}. */
  stats(query: AnyQuery | string): QueryStats {
    return this.lookup(query).stats.snapshot();
  }

  /** See {@link Database.resetStats}. */
  resetStats(): void {
    for (const ingredient of this.engine.ingredients.values()) {
      if (ingredient.kind === "query") ingredient.stats.reset();
    }
  }

  /** See {@link Database.cacheInfo}. */
  cacheInfo(query: AnyQuery | string): CacheInfo {
    const q = this.lookup(query);
    return { ...q.cacheCounts(), capacity: q.capacity };
  }

  private lookup(query: AnyQuery | string): QueryImpl<unknown, unknown> {
    const name = typeof query === "string" ? query : query.name;
    const ingredient = this.engine.ingredients.get(name);
    if (ingredient === undefined || ingredient.kind !== "query") {
      throw new Error(`no query named ${name} in this database`);
    }
    return ingredient;
  }

  private ownQuery<K, V>(query: Query<K, V>): QueryImpl<K, V> {
    const q = query as unknown as QueryImpl<K, V>;
    if (q.engine !== this.engine)
      throw new Error(`query ${query.name} belongs to another database`);
    return q;
  }

  private ownInput<K, V>(input: Input<K, V>): InputImpl<K, V> {
    const i = input as InputImpl<K, V>;
    if (i.engine !== this.engine)
      throw new Error(`input ${input.name} belongs to another database`);
    return i;
  }
}

/**
 * Creates an empty database.
 *
 * @example
 * const db = createDatabase({ capacity: 1000 });
 */
export function createDatabase(options: DatabaseOptions = {}): Database {
  return new DatabaseImpl(options);
}

/** The engine of a database created by {@link createDatabase}. */
export function engineOf(db: Database): Engine {
  if (!(db instanceof DatabaseImpl)) throw new TypeError("not a database made by createDatabase");
  return db.engine;
}
