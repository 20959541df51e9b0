/**
 * The entry points: a full parse and an incremental reparse, both returning the lossless
 * Lezer tree together with the uniform items and the diagnostics.
 */
import { applyEdits, type Diagnostic, type SourceFile, type TextEdit } from "@cadenza/core";
import { type ChangedRange, type Tree, TreeFragment } from "@lezer/common";
import type { LRParser } from "@lezer/lr";
import type { Node } from "./ast.js";
import { type ItemCache, lower } from "./lower.js";
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
  /** Lexical and parse diagnostics, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  /** Fragments of `tree` for the next incremental reparse. */
  readonly fragments: readonly TreeFragment[];
}

/**
 * Parses a whole file. Never throws on user input: problems become error nodes in `items`
 * and entries in `diagnostics`, and the rest of the file still parses.
 */
export function parse(source: SourceFile): ParseResult {
  return finish(source, parser.parse(source.text), undefined);
}

/** Lowering caches of the results this module made, for {@link reparse}. */
const caches: WeakMap<ParseResult, ItemCache> = new WeakMap();

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
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.span.start < sorted[i - 1]!.span.end) return parse(source);
  }
  if (applyEdits(previous.source.text, sorted) !== source.text) return parse(source);
  const changes: ChangedRange[] = [];
  let delta = 0;
  for (const e of sorted) {
    const fromB = e.span.start + delta;
    changes.push({ fromA: e.span.start, toA: e.span.end, fromB, toB: fromB + e.newText.length });
    delta += e.newText.length - (e.span.end - e.span.start);
  }
  const fragments = TreeFragment.applyChanges(previous.fragments, changes);
  const cache = caches.get(previous);
  const toOld = (offset: number): number | undefined => {
    for (const c of changes) {
      if (offset < c.fromB) return offset - (c.fromB - c.fromA);
      if (offset < c.toB) return undefined;
    }
    const last = changes[changes.length - 1]!;
    return offset - (last.toB - last.toA);
  };
  return finish(source, parser.parse(source.text, fragments), cache && { cache, toOld });
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
    diagnostics,
    fragments: TreeFragment.addTree(tree),
  };
  caches.set(result, cache);
  return result;
}
