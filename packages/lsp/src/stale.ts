/**
 * Answers from the analysis of an older text while the current one is being checked. Two
 * texts differ in one region (everything between their common prefix and common suffix); an
 * offset outside it has a counterpart in the other text, and an answer about a span that lies
 * strictly outside it (not even touching it, so that an identifier being typed is never
 * mistaken for the old one) is still about the same source text.
 */
import type { Span } from "@cadenza/core";

/** Where two texts differ: `[prefix, oldEnd)` of the old one became `[prefix, newEnd)`. */
export interface TextChange {
  readonly prefix: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** The region where `now` differs from `old`. */
export function changeBetween(old: string, now: string): TextChange {
  const max = Math.min(old.length, now.length);
  let prefix = 0;
  while (prefix < max && old.charCodeAt(prefix) === now.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    old.charCodeAt(old.length - 1 - suffix) === now.charCodeAt(now.length - 1 - suffix)
  )
    suffix++;
  return { prefix, oldEnd: old.length - suffix, newEnd: now.length - suffix };
}

/** The old text's offset for an offset of the new text, unless it is inside the change. */
export function toOldOffset(change: TextChange, offset: number): number | undefined {
  if (offset <= change.prefix) return offset;
  if (offset >= change.newEnd) return offset - change.newEnd + change.oldEnd;
  return undefined;
}

/** A span of the old text in the new one, if it lies strictly outside the change. */
export function toNewSpan(change: TextChange, span: Span): Span | undefined {
  if (span.end < change.prefix) return span;
  if (span.start > change.oldEnd) {
    const shift = change.newEnd - change.oldEnd;
    return { start: span.start + shift, end: span.end + shift };
  }
  return undefined;
}
