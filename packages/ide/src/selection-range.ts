/**
 * Selection ranges ("expand selection"): from the token under the cursor outwards through
 * the expressions of the uniform tree and the brackets, items and blocks of the Lezer tree, to
 * the whole file.
 */
import type { Span } from "@cadenza/core";
import { nodePathAt, type ParseResult } from "@cadenza/syntax";
import type { FileAnalysis } from "./analysis.js";

/** A node of the Lezer tree (named through the parse result, so no Lezer dependency is needed). */
type SyntaxNode = ReturnType<ParseResult["tree"]["resolveInner"]>;

/** The nested spans around `offset`, innermost first; each contains the previous one. */
export function selectionRanges(file: FileAnalysis, offset: number): Span[] {
  const spans: Span[] = [];
  for (const n of nodePathAt(file.parse.items, offset)) spans.push(n.span);
  // Between two tokens, the one before the cursor is meant when it is a word (`abc|)`).
  const before = offset > 0 && /[\p{L}\p{N}_]/u.test(file.source.text[offset - 1]!);
  for (const side of before ? ([-1] as const) : ([1, -1] as const)) {
    for (let n: SyntaxNode | null = file.parse.tree.resolveInner(offset, side); n; n = n.parent)
      spans.push({ start: n.from, end: n.to });
  }
  spans.push({ start: 0, end: file.source.text.length });
  const valid = spans.filter((s) => s.start <= offset && offset <= s.end && s.end > s.start);
  valid.sort((a, b) => a.end - a.start - (b.end - b.start) || b.start - a.start);
  const out: Span[] = [];
  for (const s of valid) {
    const last = out[out.length - 1];
    if (last !== undefined && last.start === s.start && last.end === s.end) continue;
    if (last !== undefined && !(s.start <= last.start && last.end <= s.end)) continue;
    out.push(s);
  }
  return out;
}
