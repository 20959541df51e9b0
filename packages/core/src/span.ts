/**
 * A half-open range `[start, end)` of UTF-16 code unit offsets into one source text.
 *
 * Offsets are UTF-16 code units everywhere in the toolchain because JavaScript strings and
 * Lezer use them; conversion to line and column happens only at the edges (rendering, LSP).
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Builds a span, swapping the bounds if they are given in the wrong order. */
export function span(start: number, end: number): Span {
  return start <= end ? { start, end } : { start: end, end: start };
}

/** The smallest span covering both `a` and `b`. */
export function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Whether `offset` lies inside `s` (the end is included so that a cursor after a token hits it). */
export function spanContains(s: Span, offset: number): boolean {
  return offset >= s.start && offset <= s.end;
}

/** The length of a span in UTF-16 code units. */
export function spanLength(s: Span): number {
  return s.end - s.start;
}
