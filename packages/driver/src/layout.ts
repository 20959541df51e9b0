/**
 * Virtual sources: the text a binding group (or the file's declarations) is checked in. It
 * holds only the definitions involved, one after the other, so that checking a definition
 * depends on its own text and not on where it sits in the file; segments map offsets in it
 * back to the file once results are read.
 */
import type { Diagnostic, Span } from "@cadenza/core";

/** A stretch of a virtual source that is the text of one definition (or the whole file). */
export interface Segment {
  /** The definition whose text it is; null for the whole file at its absolute offsets. */
  readonly id: string | null;
  /** Where it starts in the virtual source. */
  readonly at: number;
  readonly length: number;
}

/** Maps offsets of a virtual source to the file, given where each definition starts now. */
export class Relocator {
  private readonly segments: readonly Segment[];
  private readonly startOf: (id: string) => number | undefined;

  /** `segments` must be sorted by `at`. */
  constructor(segments: readonly Segment[], startOf: (id: string) => number | undefined) {
    this.segments = segments;
    this.startOf = startOf;
  }

  /** The file offset of a virtual offset. */
  offset(x: number): number {
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    let found: Segment | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = segs[mid]!;
      if (x < s.at) hi = mid - 1;
      else if (x > s.at + s.length) lo = mid + 1;
      else {
        found = s;
        break;
      }
    }
    // Nothing the checker reports lies between segments; be safe anyway.
    if (found === undefined) found = segs[Math.max(0, Math.min(lo, segs.length - 1))];
    if (found === undefined) return x;
    if (found.id === null) return x - found.at;
    const start = this.startOf(found.id) ?? 0;
    return start + Math.max(0, Math.min(x - found.at, found.length));
  }

  /** The file span of a virtual span. */
  span(s: Span): Span {
    const start = this.offset(s.start);
    const end = this.offset(s.end);
    return end >= start ? { start, end } : { start, end: start };
  }

  /** A diagnostic with every position mapped to the file. */
  diagnostic(d: Diagnostic): Diagnostic {
    const moved: Diagnostic = {
      ...d,
      primary: { ...d.primary, span: this.span(d.primary.span) },
      secondary: d.secondary.map((l) => ({ ...l, span: this.span(l.span) })),
      fixes: d.fixes.map((f) => ({
        ...f,
        edits: f.edits.map((e) => ({ ...e, span: this.span(e.span) })),
      })),
    };
    return d.position === undefined ? moved : { ...moved, position: this.offset(d.position) };
  }
}

/**
 * Lays definitions out one after the other, separated by line breaks, starting at `at`.
 * Returns the text and the segments.
 */
export function layOut(
  parts: readonly { readonly id: string; readonly text: string }[],
  at: number,
): { text: string; segments: Segment[] } {
  const segments: Segment[] = [];
  const texts: string[] = [];
  let offset = at;
  for (const p of parts) {
    segments.push({ id: p.id, at: offset, length: p.text.length });
    texts.push(p.text);
    offset += p.text.length + 1;
  }
  return { text: texts.join("\n"), segments };
}
