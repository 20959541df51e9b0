import { sameCycle } from "./cycle.js";
import type { QueryResult } from "./result.js";
import type { Revision } from "./revision.js";
import type { Slot } from "./slot.js";

/**
 * The memoised state of one query application.
 *
 * `verifiedAt` is the last revision at which the memo was known to be up to date;
 * `changedAt` the revision at which its value last actually changed (which early cut-off
 * keeps old when a recomputation yields an equal value). `deps` lists everything the last
 * execution read, in the order it read it, so verification can stop at the first change.
 *
 * When the LRU evicts the value, `outcome` becomes `undefined` but the stamps and
 * dependencies stay: the memo is then a tombstone that can still be verified, so its
 * dependents do not have to rerun just because it was cold.
 */
export interface Memo {
  outcome: QueryResult<unknown> | undefined;
  changedAt: Revision;
  verifiedAt: Revision;
  readonly deps: readonly Slot[];
}

/** Whether two outcomes are equal for early cut-off, using the query's `equals` for values. */
export function sameOutcome(
  equals: (a: unknown, b: unknown) => boolean,
  a: QueryResult<unknown>,
  b: QueryResult<unknown>,
): boolean {
  if (a.kind === "ok") return b.kind === "ok" && equals(a.value, b.value);
  return b.kind === "cycle" && sameCycle(a.cycle, b.cycle);
}
