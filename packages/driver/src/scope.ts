/**
 * The scoping of top-level definitions (LANGUAGE.md §5.1, SPEC.md §T5): a `let` is seen by
 * the items after it, a function by every item (hoisted). The same rules as the checker's
 * `BlockIndex`, over the file's definition index instead of its items.
 */
import type { DefinitionKind } from "./definitions.js";

/** One definition of a file's index: what grouping and scoping need. */
export interface IndexEntry {
  readonly id: string;
  readonly kind: DefinitionKind;
  readonly defines: readonly string[];
}

/** The latest index in an ascending list below `limit` (at most `limit` when `inclusive`). */
function latestBefore(
  list: readonly number[],
  limit: number,
  inclusive: boolean,
): number | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inclusive ? list[mid]! <= limit : list[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : list[lo - 1];
}

/** Resolves names used at the top level of one file to the definitions they refer to. */
export class TopLevelScope {
  /** The definitions, in file order. */
  readonly entries: readonly IndexEntry[];
  private readonly lets = new Map<string, number[]>();
  private readonly fns = new Map<string, number[]>();
  private readonly positions = new Map<string, number>();

  /** Indexes the definitions of a file. */
  constructor(entries: readonly IndexEntry[]) {
    this.entries = entries;
    entries.forEach((e, i) => {
      this.positions.set(e.id, i);
      const table = e.kind === "let" ? this.lets : e.kind === "fn" ? this.fns : undefined;
      if (table === undefined) return;
      for (const name of e.defines) {
        let list = table.get(name);
        if (list === undefined) table.set(name, (list = []));
        list.push(i);
      }
    });
  }

  /** The position of a definition in the file, by id. */
  position(id: string): number | undefined {
    return this.positions.get(id);
  }

  /**
   * The definition a use of `name` in definition `from` refers to: the latest `let` before
   * it, else the file's function of that name (the latest one up to `from`, else the first
   * after it), else none.
   */
  resolve(from: number, name: string): number | undefined {
    const l = this.lets.get(name);
    const viaLet = l === undefined ? undefined : latestBefore(l, from, false);
    if (viaLet !== undefined) return viaLet;
    const f = this.fns.get(name);
    if (f === undefined) return undefined;
    return latestBefore(f, from, true) ?? f[0];
  }
}
