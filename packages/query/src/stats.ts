/**
 * Counters and timings of one query, for tests and profiling. Counts are exact; times are
 * milliseconds measured with the database's clock and only belong in benchmarks.
 */
export interface QueryStats {
  /** How many times the query function was started (including runs that were cancelled). */
  readonly executions: number;
  /** Reads answered from a memo without running the function. */
  readonly hits: number;
  /**
   * Verifications: walks over a memo's dependencies after a revision change (deep ones by
   * reads, and the non-recursive checks of propagation).
   */
  readonly verifications: number;
  /**
   * Executions whose result equalled the previous one, so the memo kept its old change
   * stamp and dependents were not invalidated (early cut-off).
   */
  readonly cutoffs: number;
  /** Memos whose value was evicted by the LRU bound. */
  readonly evictions: number;
  /** Executions abandoned because their fiber was cancelled. */
  readonly cancellations: number;
  /** Executions that found themselves on a dependency cycle. */
  readonly cycles: number;
  /** Time spent running the function, including the queries it computed (ms). */
  readonly totalTime: number;
  /** Time spent running the function, excluding the queries it computed (ms). */
  readonly selfTime: number;
}

/** The mutable counters behind {@link QueryStats}; internal to the engine. */
export class StatsCounter {
  /** See {@link QueryStats.executions}. */
  executions: number = 0;
  /** See {@link QueryStats.hits}. */
  hits: number = 0;
  /** See {@link QueryStats.verifications}. */
  verifications: number = 0;
  /** See {@link QueryStats.cutoffs}. */
  cutoffs: number = 0;
  /** See {@link QueryStats.evictions}. */
  evictions: number = 0;
  /** See {@link QueryStats.cancellations}. */
  cancellations: number = 0;
  /** See {@link QueryStats.cycles}. */
  cycles: number = 0;
  /** See {@link QueryStats.totalTime}. */
  totalTime: number = 0;
  /** See {@link QueryStats.selfTime}. */
  selfTime: number = 0;

  /** A frozen copy of the current counters. */
  snapshot(): QueryStats {
    return Object.freeze({
      executions: this.executions,
      hits: this.hits,
      verifications: this.verifications,
      cutoffs: this.cutoffs,
      evictions: this.evictions,
      cancellations: this.cancellations,
      cycles: this.cycles,
      totalTime: this.totalTime,
      selfTime: this.selfTime,
    });
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.executions = 0;
    this.hits = 0;
    this.verifications = 0;
    this.cutoffs = 0;
    this.evictions = 0;
    this.cancellations = 0;
    this.cycles = 0;
    this.totalTime = 0;
    this.selfTime = 0;
  }
}
