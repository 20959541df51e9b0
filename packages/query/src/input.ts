import { type Database, engineOf } from "./database.js";
import type { Engine } from "./engine.js";
import { structuralEqual } from "./equality.js";
import { encodeKey } from "./key.js";
import { InputSlot } from "./slot.js";

/**
 * A family of base values, one per key, set from outside the database. Setting a value
 * that differs from the current one starts a new revision; inputs are never evicted.
 */
export interface Input<K, V> {
  readonly kind: "input";
  /** The input's name, unique in its database. */
  readonly name: string;
  /**
   * Sets the value for `key`. If it equals the current value (by the input's `equals`)
   * nothing happens; otherwise the database moves to a new revision.
   *
   * @throws Error when called while a query is running: queries must be pure.
   */
  set(key: K, value: V): void;
  /**
   * Reads the current value for `key` outside any query. Inside a query read it with
   * `ctx.get(input, key)`, which records the dependency.
   *
   * @throws Error when no value was set for `key`, or when called while a query is running.
   */
  get(key: K): V;
  /** Whether a value was set for `key` (outside queries only, like {@link Input.get}). */
  has(key: K): boolean;
}

/** Options of {@link defineInput}. */
export interface InputOptions<K, V> {
  /**
   * Decides whether a new value differs from the current one; equal values do not start a
   * new revision. Defaults to {@link structuralEqual}.
   */
  readonly equals?: (a: V, b: V) => boolean;
  /** Encodes a key as a string. Defaults to {@link encodeKey}. */
  readonly keyOf?: (key: K) => string;
  /**
   * What a key that was never set reads as (without one, reading it is an error). Queries
   * that read an unset key depend on it like on any other: setting it later is a change.
   */
  readonly fallback?: V;
}

/** The implementation behind {@link Input}; internal to the package. */
export class InputImpl<K, V> implements Input<K, V> {
  /** See {@link Input.kind}. */
  readonly kind: "input" = "input";
  /** See {@link Input.name}. */
  readonly name: string;
  /** The database engine the input belongs to. */
  readonly engine: Engine;
  /** Slots by encoded key. */
  readonly slots: Map<string, InputSlot> = new Map();
  /** See {@link InputOptions.equals}. */
  readonly equals: (a: V, b: V) => boolean;
  /** See {@link InputOptions.keyOf}. */
  readonly keyOf: (key: K) => string;
  /** See {@link InputOptions.fallback}. */
  private readonly fallback: { readonly value: V } | undefined;

  /** Creates an input; use {@link defineInput}. */
  constructor(engine: Engine, name: string, options: InputOptions<K, V>) {
    this.engine = engine;
    this.name = name;
    this.equals = options.equals ?? structuralEqual;
    this.keyOf = options.keyOf ?? encodeKey;
    this.fallback = "fallback" in options ? { value: options.fallback as V } : undefined;
  }

  /** The slot for `key`, created empty on first use. */
  slotFor(key: K): InputSlot {
    const keyString = this.keyOf(key);
    let slot = this.slots.get(keyString);
    if (slot === undefined) {
      slot = new InputSlot(this as InputImpl<unknown, unknown>, key, keyString);
      this.slots.set(keyString, slot);
    }
    return slot;
  }

  /** See {@link Input.set}. */
  set(key: K, value: V): void {
    this.engine.assertIdle(`${this.name}.set`);
    const slot = this.slotFor(key);
    if (slot.present && this.equals(slot.value as V, value)) return;
    slot.value = value;
    slot.present = true;
    slot.changedAt = this.engine.newRevision();
    this.engine.inputChanged(slot);
  }

  /** See {@link Input.get}. */
  get(key: K): V {
    this.engine.assertIdle(`${this.name}.get`);
    return this.read(this.slotFor(key));
  }

  /** See {@link Input.has}. */
  has(key: K): boolean {
    this.engine.assertIdle(`${this.name}.has`);
    return this.slots.get(this.keyOf(key))?.present ?? false;
  }

  /** The value of a slot, or an error naming the missing key. */
  read(slot: InputSlot): V {
    if (!slot.present) {
      if (this.fallback !== undefined) return this.fallback.value;
      throw new Error(`input ${this.name}(${slot.keyString}) has no value; set it first`);
    }
    return slot.value as V;
  }
}

/**
 * Declares an input of `db`.
 *
 * @example
 * const source = defineInput<string, string>(db, "source");
 * source.set("main.cdz", "1 + 2");
 *
 * @throws Error when the name is already used by an input or query of `db`.
 */
export function defineInput<K, V>(
  db: Database,
  name: string,
  options: InputOptions<K, V> = {},
): Input<K, V> {
  const engine = engineOf(db);
  const input = new InputImpl<K, V>(engine, name, options);
  engine.register(input as InputImpl<unknown, unknown>);
  return input;
}
