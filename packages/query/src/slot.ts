import type { InputImpl } from "./input.js";
import type { LruList, LruNode } from "./lru.js";
import type { Memo } from "./memo.js";
import type { QueryImpl } from "./query.js";
import { NEVER_CHANGED, type Revision } from "./revision.js";

/** The stored value of one input key. Input slots are never evicted. */
export class InputSlot {
  /** Discriminates slots without an `instanceof` test on the hot path. */
  readonly isInput: true = true;
  /** Scratch mark used while comparing dependency lists. */
  mark: number = 0;
  /** The input this slot belongs to. */
  readonly owner: InputImpl<unknown, unknown>;
  /** The key, as given. */
  readonly key: unknown;
  /** The key's stable encoding. */
  readonly keyString: string;
  /** The current value, meaningful when `present`. */
  value: unknown = undefined;
  /** Whether a value has been set. */
  present: boolean = false;
  /** The revision at which the value last changed. */
  changedAt: Revision = NEVER_CHANGED;
  /** Inputs are the bottom of the dependency graph (see {@link QuerySlot.height}). */
  readonly height: number = 0;
  /** The queries whose memos read this input (created on first use); see {@link QuerySlot}. */
  dependents: Dependents = undefined;

  /** Creates an empty slot. */
  constructor(owner: InputImpl<unknown, unknown>, key: unknown, keyString: string) {
    this.owner = owner;
    this.key = key;
    this.keyString = keyString;
  }
}

/**
 * The memo cell of one query application. A slot is dropped from its query's table only
 * when its tombstone is evicted too; dependents holding a dropped slot treat it as changed.
 */
export class QuerySlot implements LruNode {
  /** Discriminates slots without an `instanceof` test on the hot path. */
  readonly isInput: false = false;
  /** The query this slot belongs to. */
  readonly owner: QueryImpl<unknown, unknown>;
  /** The key, as given. */
  readonly key: unknown;
  /** The key's stable encoding. */
  readonly keyString: string;
  /** The memo, absent before the first completed execution. */
  memo: Memo | undefined = undefined;
  /** Set when the slot has been removed from its query's table. */
  dropped: boolean = false;
  /** How many stack frames (of any task) are computing or verifying this slot. */
  active: number = 0;
  /**
   * The slot's place in the dependency graph, for propagation: greater than the height of
   * every slot it is a dependent of (inputs are at 0), unless {@link QuerySlot.unsafe}.
   * Heights only grow; a slot without memo keeps its last one.
   */
  height: number = 0;
  /**
   * The queries whose memos read this slot (created on first use), and those whose failed
   * executions did. A query storing a new memo leaves the sets of what only its previous
   * memo read; a dropped slot stays in the sets of what it read, so that its dependents
   * still hear when that changes. A stale edge costs at most an extra check.
   */
  dependents: Dependents = undefined;
  /**
   * Set when the height order cannot be trusted here: the slot's outcome comes from a
   * query cycle, or it is on a cycle of dependency edges (dependencies that changed
   * direction), or it read (transitively) such a slot. Until a new memo clears it,
   * propagation does not treat the slot as final while anything is pending: it is verified
   * by the pull algorithm.
   */
  unsafe: boolean = false;
  /** Whether the slot is in the worklist of propagation. */
  pending: boolean = false;
  /** The revision at which this slot last pushed its dependents into the worklist. */
  pushedAt: Revision = 0;
  /** Scratch mark used while comparing dependency lists. */
  mark: number = 0;
  /** Whether the slot is on the path of the height-raising walk. */
  onPath: boolean = false;
  /** See {@link LruNode}. */
  lruPrev: LruNode | undefined = undefined;
  /** See {@link LruNode}. */
  lruNext: LruNode | undefined = undefined;
  /** See {@link LruNode}. */
  lruList: LruList<LruNode> | undefined = undefined;

  /** Creates a slot without a memo. */
  constructor(owner: QueryImpl<unknown, unknown>, key: unknown, keyString: string) {
    this.owner = owner;
    this.key = key;
    this.keyString = keyString;
  }
}

/** Anything a query can depend on. */
export type Slot = InputSlot | QuerySlot;

/**
 * The reverse edges of a slot: most slots are read by one query, which is kept as is; a set
 * is made for the second (a full check creates a slot per definition and query).
 */
export type Dependents = QuerySlot | Set<QuerySlot> | undefined;

/** Records that `dependent` read `slot`. */
export function addDependent(slot: Slot, dependent: QuerySlot): void {
  const current = slot.dependents;
  if (current === undefined) slot.dependents = dependent;
  else if (current instanceof Set) current.add(dependent);
  else if (current !== dependent) slot.dependents = new Set([current, dependent]);
}

/** Forgets that `dependent` read `slot`. */
export function removeDependent(slot: Slot, dependent: QuerySlot): void {
  const current = slot.dependents;
  if (current === dependent) slot.dependents = undefined;
  else if (current instanceof Set) current.delete(dependent);
}

/** The queries that read `slot`. */
export function dependentsOf(slot: Slot): Iterable<QuerySlot> & { values(): Iterator<QuerySlot> } {
  const current = slot.dependents;
  if (current === undefined) return NO_DEPENDENTS;
  return current instanceof Set ? current : [current];
}

/** Whether any query read `slot`. */
export function hasDependents(slot: Slot): boolean {
  const current = slot.dependents;
  return current !== undefined && (!(current instanceof Set) || current.size > 0);
}

const NO_DEPENDENTS: readonly QuerySlot[] = [];
