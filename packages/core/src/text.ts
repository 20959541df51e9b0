import { SideTable } from "./side.js";
import type { SourceFile } from "./source.js";

/**
 * How many characters `a` and `b` share at their start and, after that, at their end: the
 * texts differ only between `prefix` and their lengths minus `suffix` (`prefix + suffix` is
 * at most the shorter length). Blocks are compared first, as slices (a memory comparison),
 * then characters, so that comparing two versions of a large file after a keystroke costs a
 * fraction of a millisecond.
 */
export function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  for (const block of BLOCKS) {
    while (
      prefix + block <= max &&
      a.slice(prefix, prefix + block) === b.slice(prefix, prefix + block)
    )
      prefix += block;
  }
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  const room = max - prefix;
  const al = a.length;
  const bl = b.length;
  let suffix = 0;
  for (const block of BLOCKS) {
    while (
      suffix + block <= room &&
      a.slice(al - suffix - block, al - suffix) === b.slice(bl - suffix - block, bl - suffix)
    )
      suffix += block;
  }
  while (suffix < room && a.charCodeAt(al - 1 - suffix) === b.charCodeAt(bl - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/** The block sizes of {@link commonEnds}, largest first. */
const BLOCKS = [65536, 1024, 32];

/** The last comparison of each text with an earlier version (see {@link textChange}). */
const changes = new SideTable<
  SourceFile,
  { readonly before: SourceFile; readonly prefix: number; readonly suffix: number }
>("text change");

/**
 * {@link commonEnds} of the texts of two versions of a file, computed once per pair: the
 * phases that each need to know what an edit changed (the driver, the parser, the evaluator)
 * ask for it in turn, and a large file's text is compared once per edit rather than once per
 * phase. The last pair asked for with `after` is remembered on `after` (see `SideTable`),
 * until `after` is itself compared with a later version (so no chain of versions is kept
 * alive).
 */
export function textChange(
  before: SourceFile,
  after: SourceFile,
): { readonly prefix: number; readonly suffix: number } {
  const known = changes.get(after);
  if (known !== undefined && known.before === before) return known;
  const { prefix, suffix } = commonEnds(before.text, after.text);
  const change = { before, prefix, suffix };
  changes.set(after, change);
  // Only the newest version remembers the one before it: otherwise each version would keep
  // its predecessor (and its text) alive, and an editing session every text it ever had.
  changes.delete(before);
  return change;
}
