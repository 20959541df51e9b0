import type { Span } from "./span.js";

/** A 1-based line and column; columns count Unicode scalar values, a tab counting as one. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** A 0-based line and UTF-16 character offset, as the Language Server Protocol uses. */
export interface Utf16Position {
  readonly line: number;
  readonly character: number;
}

/**
 * Normalises raw source text as the language requires (LANGUAGE.md §2): `\r\n` and lone `\r`
 * become `\n`, and a leading byte order mark is dropped.
 */
export function normalizeSource(raw: string): string {
  const withoutBom = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  return withoutBom.includes("\r") ? withoutBom.replace(/\r\n?/g, "\n") : withoutBom;
}

/**
 * One source text with its name and a line index.
 *
 * The text is kept exactly as given; use {@link normalizeSource} (or {@link SourceFile.fromRaw})
 * for text read from disk. Offsets are UTF-16 code units.
 */
export class SourceFile {
  /** The name shown in diagnostics, usually the path as the user gave it. */
  readonly name: string;
  /** The full text. */
  readonly text: string;
  private starts: readonly number[] | undefined = undefined;

  constructor(name: string, text: string) {
    this.name = name;
    this.text = text;
  }

  /**
   * Offsets at which each line starts; `lineStarts[0]` is always 0. Made on first use: an
   * editor makes a source per keystroke, and checking it rarely needs line numbers.
   */
  get lineStarts(): readonly number[] {
    if (this.starts === undefined) {
      const text = this.text;
      const starts = [0];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  /** A source file from text read from disk or an editor, normalised per LANGUAGE.md §2. */
  static fromRaw(name: string, raw: string): SourceFile {
    return new SourceFile(name, normalizeSource(raw));
  }

  /** The number of lines; an empty text has one (empty) line. */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The 0-based index of the line holding `offset` (clamped to the text). */
  lineIndexAt(offset: number): number {
    const o = clamp(offset, 0, this.text.length);
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The UTF-16 offset where 1-based line `line` starts (clamped to the existing lines). */
  lineStart(line: number): number {
    return this.lineStarts[clamp(line, 1, this.lineCount) - 1]!;
  }

  /** The UTF-16 offset of the end of 1-based line `line`, before its line break. */
  lineEnd(line: number): number {
    const index = clamp(line, 1, this.lineCount);
    return index < this.lineCount ? this.lineStarts[index]! - 1 : this.text.length;
  }

  /** The text of 1-based line `line` without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** The 1-based line and column (in Unicode scalar values) of `offset`. */
  lineColumn(offset: number): LineColumn {
    const o = clamp(offset, 0, this.text.length);
    const index = this.lineIndexAt(o);
    const start = this.lineStarts[index]!;
    return { line: index + 1, column: countScalars(this.text, start, o) + 1 };
  }

  /** The UTF-16 offset of a 1-based line and column (in Unicode scalar values), clamped. */
  offsetAt(position: LineColumn): number {
    const start = this.lineStart(position.line);
    const end = this.lineEnd(position.line);
    let offset = start;
    for (let col = 1; col < position.column && offset < end; col++) {
      offset += scalarWidthAt(this.text, offset);
    }
    return offset;
  }

  /** The LSP position (0-based line, UTF-16 character) of `offset`. */
  utf16Position(offset: number): Utf16Position {
    const o = clamp(offset, 0, this.text.length);
    const index = this.lineIndexAt(o);
    return { line: index, character: o - this.lineStarts[index]! };
  }

  /** The offset of an LSP position (0-based line, UTF-16 character), clamped to the line. */
  offsetOfUtf16(position: Utf16Position): number {
    const line = clamp(position.line, 0, this.lineCount - 1) + 1;
    const start = this.lineStart(line);
    return clamp(start + position.character, start, this.lineEnd(line));
  }

  /** The text covered by `s`. */
  slice(s: Span): string {
    return this.text.slice(s.start, s.end);
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), hi);
}

/** 2 when `offset` starts a surrogate pair, else 1. */
function scalarWidthAt(text: string, offset: number): number {
  const c = text.charCodeAt(offset);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(offset + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** The number of Unicode scalar values in `text[from, to)` (a lone surrogate counts as one). */
export function countScalars(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i += scalarWidthAt(text, i)) n++;
  return n;
}
