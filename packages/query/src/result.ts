import type { CycleOutcome } from "./cycle.js";

/** A successfully computed value. */
export interface Ok<V> {
  readonly kind: "ok";
  readonly value: V;
}

/**
 * What reading a query gives: a value, or a cycle (when the query is on a dependency cycle
 * without a `recover` value, or depends on such a query). Errors thrown by query functions
 * are not results: they propagate to the caller and are not memoised.
 */
export type QueryResult<V> = Ok<V> | CycleOutcome;
