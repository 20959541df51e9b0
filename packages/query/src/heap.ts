import type { QuerySlot } from "./slot.js";

/**
 * A binary min-heap of query slots keyed by height: the worklist of propagation. Each entry
 * keeps the height its slot had when it was pushed, so that raising the height of a slot
 * in the heap does not disturb the order (the propagation re-pushes such an entry when it
 * pops it).
 */
export class HeightHeap {
  private readonly slots: QuerySlot[] = [];
  private readonly keys: number[] = [];

  /** How many entries the heap holds. */
  get size(): number {
    return this.slots.length;
  }

  /** Adds `slot` with key `height`. */
  push(slot: QuerySlot, height: number): void {
    const slots = this.slots;
    const keys = this.keys;
    let i = slots.length;
    slots.push(slot);
    keys.push(height);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= height) break;
      slots[i] = slots[parent]!;
      keys[i] = keys[parent]!;
      i = parent;
    }
    slots[i] = slot;
    keys[i] = height;
  }

  /** The key of the smallest entry; the heap must not be empty. */
  peekKey(): number {
    return this.keys[0]!;
  }

  /** Removes the smallest entry and returns its slot; the heap must not be empty. */
  pop(): QuerySlot {
    const slots = this.slots;
    const keys = this.keys;
    const top = slots[0]!;
    const lastSlot = slots.pop()!;
    const lastKey = keys.pop()!;
    const n = slots.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && keys[r]! < keys[l]! ? r : l;
        if (keys[c]! >= lastKey) break;
        slots[i] = slots[c]!;
        keys[i] = keys[c]!;
        i = c;
      }
      slots[i] = lastSlot;
      keys[i] = lastKey;
    }
    return top;
  }

  /** Removes every entry, returning their slots. */
  drain(): QuerySlot[] {
    const all = this.slots.splice(0);
    this.keys.length = 0;
    return all;
  }
}
