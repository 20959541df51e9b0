/**
 * Data kept on the side of objects, like a `WeakMap` keyed by them, but stored on each object
 * under a private, non-enumerable symbol: the data lives exactly as long as its object.
 *
 * Why not a `WeakMap`: a long-lived `WeakMap` is in V8's old generation, and V8's minor
 * collections keep the entries of such a table whose keys are young, keys and values alike,
 * until the next full collection. Data attached to short-lived objects (each edit's parse,
 * evaluation, source) then survives every minor collection and is promoted: measured on the
 * driver's body edit, a quarter of what an edit allocated, and on a large heap collecting it
 * cost as much as the edit itself.
 *
 * Objects must be extensible (not frozen or sealed).
 */
export class SideTable<K extends object, V> {
  private readonly key: symbol;

  constructor(description: string) {
    this.key = Symbol(description);
  }

  get(object: K): V | undefined {
    return (object as Record<symbol, V | undefined>)[this.key];
  }

  set(object: K, value: V): void {
    if (Object.hasOwn(object, this.key)) (object as Record<symbol, V>)[this.key] = value;
    else
      Object.defineProperty(object, this.key, {
        value,
        writable: true,
        configurable: true,
        enumerable: false,
      });
  }

  has(object: K): boolean {
    return Object.hasOwn(object, this.key);
  }

  /** Forgets the data of `object` (it no longer keeps the data alive). */
  delete(object: K): void {
    if (Object.hasOwn(object, this.key))
      (object as Record<symbol, V | undefined>)[this.key] = undefined;
  }
}
