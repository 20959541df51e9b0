/**
 * The entry points: a full parse and an incremental reparse, both returning the lossless
 * Lezer tree together with the uniform items and the diagnostics.
 *
 * A full parse first tries the fast path (`fast.ts`), which goes from text straight to the
 * items of a well-formed file; its result builds the Lezer tree (and its fragments) only when
 * they are first read. Files with any lexical or parse error take the Lezer path, which
 * reports them and recovers.
 */
import {
  type Diagnostic,
  SideTable,
  type SourceFile,
  type TextEdit,
  textChange,
  Vector,
} from "@cadenza/core";
import { type ChangedRange, type Tree, TreeFragment } from "@lezer/common";
import type { LRParser } from "@lezer/lr";
import type { Node } from "./ast.js";
import { type FastBody, type FastParse, fastParse, type PriorParse } from "./fast.js";
import { type CachedItem, type ItemCache, lower } from "./lower.js";
import { parser as generated } from "./parser.generated.js";

/**
 * The Lezer parser generated from `cadenza.grammar`, for editor integrations that drive Lezer
 * themselves (CodeMirror's `LRLanguage`, incremental parsing with their own fragments). Its
 * trees are the ones {@link ParseResult.tree} holds; {@link lower} turns them into items.
 */
export const parser: LRParser = generated;

/** The result of {@link parse} and {@link reparse}. */
export interface ParseResult {
  /** The file that was parsed. */
  readonly source: SourceFile;
  /**
   * The lossless Lezer tree. Every token except whitespace and the zero-length layout and
   * recovery markers is a named leaf, so leaves plus the whitespace between them are the text.
   */
  readonly tree: Tree;
  /** The top-level items in the uniform model of LANGUAGE.md §1. */
  readonly items: readonly Node[];
  /**
   * The same items as a vector (`itemVector.toArray()` is `items`). After a {@link reparse}
   * that kept every item at its index, it is the previous result's vector with the new items
   * patched in, and `items` is built from it only when first read: a consumer that reads the
   * items by index (with {@link changedItems}) never pays for a large file's list.
   */
  readonly itemVector: Vector<Node>;
  /** Lexical and parse diagnostics, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  /** Fragments of `tree` for the next incremental reparse. */
  readonly fragments: readonly TreeFragment[];
}

/**
 * Parses a whole file. Never throws on user input: problems become error nodes in `items`
 * and entries in `diagnostics`, and the rest of the file still parses.
 *
 * A well-formed file is parsed by the fast path ({@link parseFast}); the Lezer tree of the
 * result is then built when `tree` or `fragments` is first read, and equals the tree of a
 * Lezer parse.
 */
export function parse(source: SourceFile): ParseResult {
  const fast = tryFastParse(source);
  if (fast) return fastResult(source, fast);
  return finish(source, parser.parse(source.text), undefined);
}

/**
 * {@link fastParse} for {@link parse} and {@link reparse}: an exception out of the fast path
 * (a bug there) falls back to the Lezer path, the reference, so that parsing never throws. The
 * differential tests call `fastParse` itself, where such an exception stays visible.
 */
function tryFastParse(source: SourceFile, prior?: PriorParse): FastParse | undefined {
  try {
    return fastParse(source, prior);
  } catch {
    return undefined;
  }
}

/**
 * The indexes at which the items of `result` may differ from `previousItems` (every other
 * index holds the very same item object), when `result` is a reparse of the parse that gave
 * `previousItems` (its `itemVector`, or its `items`) and can tell; undefined otherwise (compare
 * the items). Lets a consumer of a large file's items skip what an edit did not reach without
 * visiting every item.
 */
export function changedItems(
  previousItems: readonly Node[] | Vector<Node>,
  result: ParseResult,
): readonly number[] | undefined {
  const known = states.get(result)?.changed;
  if (known === undefined) return undefined;
  const same =
    known.before === previousItems ||
    (Array.isArray(previousItems) && known.before.isArray(previousItems));
  return same ? known.fresh : undefined;
}

/** What {@link reparse} needs of a result this module made, beside the result itself. */
interface ResultState {
  /** The lowering cache (of a Lezer-path result, or built from a fast-path result's bodies). */
  cache: ItemCache | undefined;
  /** Of a fast-path result: its tree, once built, and its top-level bodies. */
  readonly cell: TreeCell | undefined;
  readonly bodies: Vector<FastBody> | undefined;
  /**
   * Of a reparse on the fast path that kept the items at their indexes: the previous items
   * (not the previous result: a chain of reparses keeps nothing else of it) and the indexes
   * at which the items may differ from them.
   */
  readonly changed:
    | { readonly before: Vector<Node>; readonly fresh: readonly number[] }
    | undefined;
}

/** The states of the results this module made (kept on the results: see `SideTable`). */
const states = new SideTable<ParseResult, ResultState>("parse state");

/**
 * The tree of a fast-path result, once built. A reparsed result refers to its predecessor's
 * cell, not to the predecessor itself, so that a chain of reparses whose trees are never read
 * keeps nothing of the earlier results alive.
 */
interface TreeCell {
  tree: Tree | undefined;
}

/** Where a reparsed fast-path result may take its tree from: the previous one, edited. */
interface TreeBase {
  readonly previous: TreeCell;
  readonly changes: readonly ChangedRange[];
}

/**
 * A result of the fast path: `diagnostics` is empty, and `tree` and `fragments` run the Lezer
 * parse on first access (once; the values are memoised), so that a caller that only needs the
 * items never pays for the tree. After a {@link reparse}, when the previous result's tree has
 * been built by then, the tree is an incremental parse from it (equal to a fresh parse, with
 * the untouched subtrees shared).
 */
function fastResult(
  source: SourceFile,
  fast: FastParse,
  base?: TreeBase,
  changed?: ResultState["changed"],
): ParseResult {
  const cell: TreeCell = { tree: undefined };
  let fragments: readonly TreeFragment[] | undefined;
  let from = base;
  const itemVector = fast.items;
  const result: ParseResult = {
    source,
    get items(): readonly Node[] {
      // (Free when the vector was made from an array; built once after a patch.)
      return itemVector.toArray();
    },
    itemVector,
    diagnostics: [],
    get tree(): Tree {
      if (cell.tree === undefined) {
        const previous = from?.previous.tree;
        cell.tree =
          from !== undefined && previous !== undefined
            ? parser.parse(
                source.text,
                TreeFragment.applyChanges(TreeFragment.addTree(previous), from.changes),
              )
            : parser.parse(source.text);
        from = undefined;
      }
      return cell.tree;
    },
    get fragments(): readonly TreeFragment[] {
      fragments ??= TreeFragment.addTree(this.tree);
      return fragments;
    },
  };
  states.set(result, { cache: undefined, cell, bodies: fast.bodies, changed });
  return result;
}

/** The item cache of a result this module made (built from a fast-path result's bodies). */
function cacheOf(result: ParseResult): ItemCache | undefined {
  const state = states.get(result);
  if (state === undefined) return undefined;
  if (state.cache !== undefined) return state.cache;
  const bodies = state.bodies;
  if (bodies === undefined) return undefined;
  const text = result.source.text;
  const byStart = new Map<number, CachedItem>();
  for (const body of bodies) {
    byStart.set(body.start, {
      text: text.slice(body.start, body.end),
      indent: body.indent,
      node: body.node,
    });
  }
  const cache: ItemCache = { byStart };
  state.cache = cache;
  return cache;
}

/**
 * Reparses `source` after `edits` were applied to `previous.source`, reusing the subtrees of
 * `previous.tree` that the edits did not touch. Edits use offsets into the previous text, do
 * not overlap, and may come in any order. The result equals `parse(source)`; when the edits do
 * not turn the previous text into `source.text`, this falls back to a full parse.
 */
export function reparse(
  previous: ParseResult,
  source: SourceFile,
  edits: readonly TextEdit[],
): ParseResult {
  const sorted = edits.length < 2 ? edits : [...edits].sort((a, b) => a.span.start - b.span.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.span.start < sorted[i - 1]!.span.end) return parse(source);
  }
  if (
    !(sorted.length === 1 && editAgrees(previous.source, sorted[0]!, source)) &&
    !editsMake(previous.source.text, sorted, source.text)
  )
    return parse(source);
  const state = states.get(previous);
  if (state?.cell !== undefined && state.cell.tree === undefined)
    return reparseFast(previous, state, state.cell, source, sorted);
  const changes = changedRanges(sorted);
  const fragments = TreeFragment.applyChanges(previous.fragments, changes);
  const cache = cacheOf(previous);
  const toOld = oldOffsets(changes);
  return finish(source, parser.parse(source.text, fragments), cache && { cache, toOld });
}

/**
 * Whether `edit` turns the text of `before` into that of `after`, told from their common ends
 * ({@link textChange}: compared once per edit by whoever asks first, usually the driver) and
 * the inserted text alone: the text before the edit lies in the common prefix, the text after
 * it in the common suffix, the lengths agree and the new text is at the edit's start. False
 * when that cannot be told so (the common ends of a repetitive text can be shorter than the
 * edit's, e.g. an `a` inserted into `aa`); {@link editsMake} then compares the pieces.
 */
function editAgrees(before: SourceFile, edit: TextEdit, after: SourceFile): boolean {
  const { start, end } = edit.span;
  const oldLength = before.text.length;
  const { newText } = edit;
  if (start < 0 || start > end || end > oldLength) return false;
  if (oldLength - (end - start) + newText.length !== after.text.length) return false;
  const { prefix, suffix } = textChange(before, after);
  return (
    start <= prefix &&
    oldLength - end <= suffix &&
    sameSlice(newText, 0, newText.length, after.text, start)
  );
}

/**
 * Whether applying sorted, non-overlapping `edits` to `before` gives `after`, comparing the
 * pieces in place rather than building the edited text (a reparse on every keystroke of a
 * large file should not copy it).
 */
function editsMake(before: string, edits: readonly TextEdit[], after: string): boolean {
  let delta = 0;
  for (const e of edits) delta += e.newText.length - (e.span.end - e.span.start);
  if (before.length + delta !== after.length) return false;
  let from = 0; // in `before`
  let at = 0; // in `after`
  for (const e of edits) {
    if (!sameSlice(before, from, e.span.start, after, at)) return false;
    at += e.span.start - from;
    if (!after.startsWith(e.newText, at)) return false;
    at += e.newText.length;
    from = e.span.end;
  }
  return sameSlice(before, from, before.length, after, at);
}

/** Whether `a.slice(from, to)` equals `b` from `at`. */
function sameSlice(a: string, from: number, to: number, b: string, at: number): boolean {
  // (Comparing two slices is a memory comparison; `startsWith` compares characters.)
  return to - from === 0 || a.slice(from, to) === b.slice(at, at + to - from);
}

/** The changed ranges of sorted, non-overlapping edits (offsets into the old and new text). */
function changedRanges(sorted: readonly TextEdit[]): ChangedRange[] {
  const changes: ChangedRange[] = [];
  let delta = 0;
  for (const e of sorted) {
    const fromB = e.span.start + delta;
    changes.push({ fromA: e.span.start, toA: e.span.end, fromB, toB: fromB + e.newText.length });
    delta += e.newText.length - (e.span.end - e.span.start);
  }
  return changes;
}

/** Maps offsets of the new text to the old one (`undefined` inside edited text). */
function oldOffsets(changes: readonly ChangedRange[]): (offset: number) => number | undefined {
  if (changes.length === 0) return (offset) => offset;
  return (offset) => {
    for (const c of changes) {
      if (offset < c.fromB) return offset - (c.fromB - c.fromA);
      if (offset < c.toB) return undefined;
    }
    const last = changes[changes.length - 1]!;
    return offset - (last.toB - last.toA);
  };
}

/**
 * A reparse of a fast-path result whose tree was never built: the fast path on the new text,
 * which costs less than building the previous tree to reparse it incrementally (measured by
 * `bench/syntax.bench.mjs`). It takes over the previous result's top-level items that the
 * edits neither touched nor moved (the very same objects, as the incremental lowering does)
 * instead of parsing them again; when every item stays at its index, the new item and body
 * vectors are the previous ones with the new elements patched in. When the new text is not
 * well-formed, the Lezer path parses it in full, and its lowering reuses the previous items.
 */
function reparseFast(
  previous: ParseResult,
  state: ResultState,
  cell: TreeCell,
  source: SourceFile,
  sorted: readonly TextEdit[],
): ParseResult {
  const changes = changedRanges(sorted);
  const bodies = state.bodies;
  const before = previous.itemVector;
  const fast = tryFastParse(source, bodies && { bodies, items: before, changes });
  if (fast) {
    const fresh = fast.fresh;
    return fastResult(
      source,
      fast,
      { previous: cell, changes },
      fresh === undefined ? undefined : { before, fresh },
    );
  }
  const cache = cacheOf(previous);
  return finish(source, parser.parse(source.text), cache && { cache, toOld: oldOffsets(changes) });
}

function finish(
  source: SourceFile,
  tree: Tree,
  reuse: { cache: ItemCache; toOld: (offset: number) => number | undefined } | undefined,
): ParseResult {
  const { items, diagnostics, cache } = lower(tree, source, reuse ? { reuse } : {});
  const result: ParseResult = {
    source,
    tree,
    items,
    itemVector: Vector.from(items),
    diagnostics,
    fragments: TreeFragment.addTree(tree),
  };
  states.set(result, { cache, cell: undefined, bodies: undefined, changed: undefined });
  return result;
}
