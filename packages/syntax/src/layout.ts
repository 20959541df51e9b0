/**
 * The layout context (LANGUAGE.md §3): a stack of frames tracked by a Lezer
 * `ContextTracker`, read by the external tokenizer in `tokens.ts` to decide where items,
 * blocks and delimiters begin and end.
 *
 * Frames:
 * - the **top** frame holds the reference indentation of the current top-level item
 *   (-1 before the first item);
 * - a **block** frame holds the block indentation B (§3.3);
 * - a **delimiter** frame (`(`, `[`, `{`, `${`) holds the indentation of the line holding the
 *   opener, for the unclosed-delimiter guard of §3.4. Inside one, layout is off.
 *
 * The context also carries the indentation of the current line and whether nothing but
 * whitespace and comments has been seen on it yet, so that the tokenizer never looks
 * backwards in the input (Lezer does not track lookbehind, which would make incremental
 * reparses unsound). Every piece of it is part of the hash, so a node is only reused where
 * it was built under the same layout.
 */

import type { Tree } from "@lezer/common";
import { ContextTracker, type InputStream, type Stack } from "@lezer/lr";
import * as T from "./parser.terms.generated.js";
import { blankWidth, Ch, isBlank } from "./scan.js";

/** Frame kinds. Delimiter kinds are ordered after `Block`. */
export const FrameKind = {
  Top: 0,
  Block: 1,
  Paren: 2,
  Bracket: 3,
  Brace: 4,
  Unquote: 5,
  /** Inside the text of `$"…"` or `:"…${…}…"`; an embedded `${` pushes an `Unquote` frame. */
  String: 6,
} as const;

/** One of the {@link FrameKind} values. */
export type FrameKindValue = (typeof FrameKind)[keyof typeof FrameKind];

/** An immutable layout frame; see the module comment. */
export class Frame {
  readonly kind: FrameKindValue;
  /** Top: the current item's reference indentation; block: B; delimiter: the opener line's. */
  readonly indent: number;
  readonly parent: Frame | null;
  readonly hash: number;

  constructor(kind: FrameKindValue, indent: number, parent: Frame | null) {
    this.kind = kind;
    this.indent = indent;
    this.parent = parent;
    this.hash = (((parent ? parent.hash : 0) * 31 + kind * 1009 + indent + 7) | 0) >>> 0;
  }

  /** Whether this is a delimiter frame (layout is off inside). */
  get isDelimiter(): boolean {
    return this.kind >= FrameKind.Paren && this.kind !== FrameKind.String;
  }

  /** The closing character of a delimiter frame. */
  get closer(): number {
    return this.kind === FrameKind.Paren
      ? Ch.parenClose
      : this.kind === FrameKind.Bracket
        ? Ch.bracketClose
        : Ch.braceClose;
  }

  /** The term of the closing token of a delimiter frame. */
  get closerTerm(): number {
    return this.kind === FrameKind.Paren
      ? T.ParenClose
      : this.kind === FrameKind.Bracket
        ? T.BracketClose
        : T.BraceClose;
  }
}

/**
 * The indentation of the line holding each `if` whose `else` may still come (§3.5: `else` may
 * start a later line indented at least as much as that line), innermost first.
 */
export class IfLine {
  readonly indent: number;
  readonly parent: IfLine | null;
  readonly hash: number;

  constructor(indent: number, parent: IfLine | null) {
    this.indent = indent;
    this.parent = parent;
    this.hash = (((parent ? parent.hash : 0) * 37 + indent + 3) | 0) >>> 0;
  }
}

/** The context value: the frame stack plus what the tokenizer knows about the current line. */
export class LayoutContext {
  readonly frame: Frame;
  /** Indentation (tab = 4) of the line the parser is on. */
  readonly lineIndent: number;
  /** Whether only whitespace and comments have been read on the current line so far. */
  readonly atLineStart: boolean;
  /**
   * How many zero-length `Missing`/arrow tokens recovery has inserted at the current position
   * (0 after any real token). Every zero-length token changes the hash, so that Lezer's token
   * cache (keyed by position and context hash) never hands the tokenizer's previous answer
   * back after one is shifted; two insertions can follow each other (an arrow, then its body).
   */
  readonly insertions: number;
  /** The pending `if` lines, innermost first. */
  readonly ifs: IfLine | null;
  readonly hash: number;

  constructor(
    frame: Frame,
    lineIndent: number,
    atLineStart: boolean,
    insertions = 0,
    ifs: IfLine | null = null,
  ) {
    this.frame = frame;
    this.lineIndent = lineIndent;
    this.atLineStart = atLineStart;
    this.insertions = insertions;
    this.ifs = ifs;
    const h = frame.hash * 131 + lineIndent * 16 + (atLineStart ? 1 : 0) + insertions * 2;
    this.hash = ((h * 7 + (ifs ? ifs.hash : 0)) | 0) >>> 0;
  }

  /** A context with some fields replaced; the pending `if` lines carry over. */
  update(frame: Frame, lineIndent: number, atLineStart: boolean, insertions = 0): LayoutContext {
    return new LayoutContext(frame, lineIndent, atLineStart, insertions, this.ifs);
  }

  with(frame: Frame): LayoutContext {
    return frame === this.frame ? this : this.update(frame, this.lineIndent, this.atLineStart);
  }

  /** The innermost frame that is not a delimiter, i.e. the block or the top. */
  get layoutFrame(): Frame {
    let f: Frame = this.frame;
    while (f.isDelimiter && f.parent) f = f.parent;
    return f;
  }
}

const start = new LayoutContext(new Frame(FrameKind.Top, -1, null), 0, true);

function delimiterKind(term: number): FrameKindValue | undefined {
  switch (term) {
    case T.ParenOpen:
      return FrameKind.Paren;
    case T.ListOpen:
    case T.IndexOpen:
      return FrameKind.Bracket;
    case T.BraceOpen:
      return FrameKind.Brace;
    case T.UnquoteOpen:
      return FrameKind.Unquote;
    default:
      return undefined;
  }
}

/**
 * The line state after the text `[from, to)` of `input` (offsets relative to its
 * position): if the text contains a line break, the indentation of the last line and
 * whether that line is still blank at `to`; otherwise `undefined`.
 */
function lineStateAfter(
  input: InputStream,
  from: number,
  to: number,
): { indent: number; blank: boolean } | undefined {
  let o = to - 1;
  while (o >= from && input.peek(o) !== Ch.newline) o--;
  if (o < from) return undefined;
  let indent = 0;
  let p = o + 1;
  for (; p < to; p++) {
    const c = input.peek(p);
    if (!isBlank(c)) break;
    indent += blankWidth(c);
  }
  return { indent, blank: p === to };
}

function shift(cx: LayoutContext, term: number, stack: Stack, input: InputStream): LayoutContext {
  const length = stack.pos - input.pos;
  if (length === 0 && (term === T.Missing || term === T.Arrow)) {
    return cx.update(cx.frame, cx.lineIndent, cx.atLineStart, (cx.insertions + 1) & 7);
  }
  switch (term) {
    case T.whitespace: {
      const after = lineStateAfter(input, 0, length);
      if (after) return cx.update(cx.frame, after.indent, true);
      if (cx.atLineStart || cx.insertions > 0) {
        if (!cx.atLineStart) return cx.update(cx.frame, cx.lineIndent, false);
        // Leading whitespace of the first line of the input.
        let indent = 0;
        for (let o = 0; o < length; o++) indent += blankWidth(input.peek(o));
        return cx.update(cx.frame, cx.lineIndent + indent, true);
      }
      return cx;
    }
    case T.Comment:
    case T.DocComment:
      return cx.insertions > 0 ? cx.update(cx.frame, cx.lineIndent, cx.atLineStart) : cx;
    case T.Newline: {
      // The item's `Newline` is the last layout token of its line: clearing `atLineStart`
      // keeps the tokenizer from laying out the same line twice.
      const f = cx.frame;
      const frame = f.kind === FrameKind.Top ? new Frame(FrameKind.Top, cx.lineIndent, null) : f;
      return cx.update(frame, cx.lineIndent, false);
    }
    case T.Indent:
      return cx.with(new Frame(FrameKind.Block, cx.lineIndent, cx.frame));
    case T.dedent:
      return cx.frame.kind === FrameKind.Block && cx.frame.parent ? cx.with(cx.frame.parent) : cx;
    case T.ParenClose:
    case T.BracketClose:
    case T.BraceClose:
      // A zero-length closer (an unclosed delimiter closed by the guard) leaves the line as is.
      return cx.update(
        cx.frame.isDelimiter && cx.frame.parent ? cx.frame.parent : cx.frame,
        cx.lineIndent,
        length === 0 && cx.atLineStart,
      );
    case T.If:
      return new LayoutContext(
        cx.frame,
        cx.lineIndent,
        false,
        0,
        new IfLine(cx.lineIndent, cx.ifs),
      );
    case T.InterpolationStart:
    case T.SymbolStart:
      return cx.update(new Frame(FrameKind.String, cx.lineIndent, cx.frame), cx.lineIndent, false);
    case T.StringEnd:
      return cx.update(
        cx.frame.kind === FrameKind.String && cx.frame.parent ? cx.frame.parent : cx.frame,
        cx.lineIndent,
        false,
      );
    case T.String:
    case T.StringContent:
    case T.Invalid: {
      const after = lineStateAfter(input, 0, length);
      if (after) return cx.update(cx.frame, after.indent, false);
      break;
    }
    default: {
      const kind = delimiterKind(term);
      if (kind !== undefined) {
        return cx.update(new Frame(kind, cx.lineIndent, cx.frame), cx.lineIndent, false);
      }
    }
  }
  return (cx.atLineStart || cx.insertions > 0) && length > 0
    ? cx.update(cx.frame, cx.lineIndent, false)
    : cx;
}

/**
 * After a reused node: delimiters and blocks inside it are balanced, so only the line state
 * and, for top-level items, the top frame's reference indentation can change.
 */
function reuse(cx: LayoutContext, node: Tree, _stack: Stack, input: InputStream): LayoutContext {
  let frame = cx.frame;
  if (frame.kind === FrameKind.Top) {
    const last = node.type.id === T.Item ? node.topNode : lastItem(node);
    if (last) {
      const itemStart = last.from;
      let indent = cx.lineIndent;
      if (itemStart > 0) {
        let o = itemStart - 1;
        let width = 0;
        while (o >= 0 && isBlank(input.peek(o))) {
          width += blankWidth(input.peek(o));
          o--;
        }
        if (o >= 0) indent = width;
      }
      frame = new Frame(FrameKind.Top, indent, null);
    }
  }
  const after = lineStateAfter(input, 0, node.length);
  if (after) return cx.update(frame, after.indent, after.blank);
  return cx.update(frame, cx.lineIndent, node.length === 0 ? cx.atLineStart : false);
}

/** The `if` of a finished conditional can take no more `else`. */
function reduce(cx: LayoutContext, term: number): LayoutContext {
  if (term !== T.Conditional || !cx.ifs) return cx;
  return new LayoutContext(cx.frame, cx.lineIndent, cx.atLineStart, cx.insertions, cx.ifs.parent);
}

function lastItem(node: Tree): { from: number } | null {
  const last = node.topNode.lastChild;
  return last && last.type.id === T.Item ? last : null;
}

/** The context tracker named by the grammar's `@context` declaration. */
export const layout: ContextTracker<LayoutContext> = new ContextTracker<LayoutContext>({
  start,
  shift,
  reduce,
  reuse,
  hash: (cx) => cx.hash,
  strict: true,
});
