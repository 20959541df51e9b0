import type { InputImpl } from "./input.js";
import type { LruList, LruNode } from "./lru.js";
import type { Memo } from "./memo.js";
import type { QueryImpl } from "./query.js";
import { NEVER_CHANGED, type Revision } from "./revision.js";

/** The stored value of one input key. Input slots are never evicted. */
export class InputSlot {
  /** Discriminates slots without an `instanceof` test on the hot path. */
  readonly isInput: true = true;
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
