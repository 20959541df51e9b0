/**
 * An immutable sequence whose edited copies share structure with it: `with` and `patch` copy
 * one chunk of at most {@link VECTOR_CHUNK} elements and the short list of chunks, not the
 * sequence. The per-item lists of a large file (its items, their evaluation records, their
 * definitions) are vectors so that an edit of one item costs the same in a file of 50,000
 * lines as in one of 1,000: copying a plain array of 50,000 elements costs a quarter of a
 * millisecond or more (V8 allocates it outside the young generation), a chunk a microsecond.
 *
 * A vector made from an array (`Vector.from`) takes that array over (the caller must not
 * change it afterwards): reads go to it, and its chunks are cut only when a copy is first
 * edited. `toArray` gives the elements as one array, built once per vector and cached (a
 * vector made from an array returns that array).
 *
 * (A library persistent list — Immutable.js's `List` — was measured first: building one from
 * a 48,000-element array took 2.8 ms and reading it back as an array 1.5 ms, against
 * nothing and 0.1 ms here; this type needs only reads by index, point updates and a cached
 * flat view.)
 */
export class Vector<T> implements Iterable<T> {
  /** The number of elements. */
  readonly length: number;
  /** The elements as one array, when made or asked for. */
  private flat: readonly T[] | undefined;
  /** The elements in chunks of `VECTOR_CHUNK` (the last may be shorter), when cut. */
  private chunks: readonly (readonly T[])[] | undefined;

  private constructor(
    length: number,
    flat: readonly T[] | undefined,
    chunks: readonly (readonly T[])[] | undefined,
  ) {
    this.length = length;
    this.flat = flat;
    this.chunks = chunks;
  }

  /** A vector of the elements of `items`, which it takes over (do not change it afterwards). */
  static from<T>(items: readonly T[]): Vector<T> {
    return new Vector(items.length, items, undefined);
  }

  /** The empty vector. */
  static empty<T>(): Vector<T> {
    return EMPTY as Vector<T>;
  }

  /** The element at `index`; undefined outside `0 ≤ index < length`. */
  get(index: number): T | undefined {
    if (this.flat !== undefined) return this.flat[index];
    if (index < 0 || index >= this.length) return undefined;
    return this.chunks![index >>> SHIFT]![index & MASK];
  }

  /** This vector with `value` at `index` (`0 ≤ index < length`); this one when it is there. */
  with(index: number, value: T): Vector<T> {
    if (index < 0 || index >= this.length || !Number.isInteger(index))
      throw new RangeError(`Vector.with: index ${index} is outside 0…${this.length - 1}`);
    if (this.get(index) === value) return this;
    const chunks = this.cut().slice();
    const chunk = chunks[index >>> SHIFT]!.slice();
    chunk[index & MASK] = value;
    chunks[index >>> SHIFT] = chunk;
    return new Vector(this.length, undefined, chunks);
  }

  /**
   * This vector with `values[k]` at `indexes[k]` for every k (each chunk copied once, however
   * many of its elements change); this one when every value is already there.
   */
  patch(indexes: readonly number[], values: readonly T[]): Vector<T> {
    if (indexes.length !== values.length)
      throw new RangeError("Vector.patch: as many indexes as values are needed");
    let chunks: (readonly T[])[] | undefined;
    let copied: Set<number> | undefined;
    for (let k = 0; k < indexes.length; k++) {
      const index = indexes[k]!;
      if (index < 0 || index >= this.length || !Number.isInteger(index))
        throw new RangeError(`Vector.patch: index ${index} is outside 0…${this.length - 1}`);
      const value = values[k] as T;
      if (this.get(index) === value) continue;
      chunks ??= this.cut().slice();
      copied ??= new Set();
      const c = index >>> SHIFT;
      if (!copied.has(c)) {
        chunks[c] = chunks[c]!.slice();
        copied.add(c);
      }
      (chunks[c] as T[])[index & MASK] = value;
    }
    return chunks === undefined ? this : new Vector(this.length, undefined, chunks);
  }

  /** The elements as one array (built on the first call, then the same array). */
  toArray(): readonly T[] {
    this.flat ??= ([] as T[]).concat(...this.chunks!);
    return this.flat;
  }

  /**
   * Whether `array` is the array this vector's `toArray` gives (the one it was made from, or
   * built by an earlier call), found without building one.
   */
  isArray(array: readonly T[]): boolean {
    return this.flat === array;
  }

  /** Iterates over the elements (of the array `toArray` gives: a pass reads every element). */
  [Symbol.iterator](): Iterator<T> {
    return this.toArray()[Symbol.iterator]();
  }

  /** The chunks, cut from the flat array on the first edit of this vector. */
  private cut(): readonly (readonly T[])[] {
    if (this.chunks === undefined) {
      const flat = this.flat!;
      const chunks: T[][] = [];
      for (let at = 0; at < flat.length; at += VECTOR_CHUNK)
        chunks.push(flat.slice(at, at + VECTOR_CHUNK));
      this.chunks = chunks;
    }
    return this.chunks;
  }
}

/**
 * The number of elements of a chunk of a {@link Vector} (a power of two). An edit copies one
 * chunk and the list of chunks: 256 keeps both small up to a few hundred thousand elements
 * (at 48,000, 2 KB and 1.5 KB; with 1,024, 8 KB and 0.4 KB: what an edit allocates is what
 * the collector later pays for).
 */
export const VECTOR_CHUNK = 256;
const SHIFT = Math.log2(VECTOR_CHUNK);
const MASK = VECTOR_CHUNK - 1;

const EMPTY: Vector<unknown> = Vector.from([]);
