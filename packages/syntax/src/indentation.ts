/**
 * Indentation for editors: the column a line should start at, read from the Lezer tree and
 * the layout rules of LANGUAGE.md §3. Layout carries meaning in Cadenza (a deeper line opens a
 * block or continues an item, a line at the item's indentation starts a new one), so this
 * suggests an indentation only where the tree decides it, and otherwise keeps what the author
 * wrote: it never turns a block item into a continuation or the reverse.
 */
import type { SyntaxNode, Tree } from "@lezer/common";

/**
 * Text accessed by slices: a string, or a document such as CodeMirror's `Text`
 * (`state.doc`), so that an editor need not copy its document.
 */
export type TextSource =
  | string
  | { readonly length: number; sliceString(from: number, to?: number): string };

/** Options of {@link indentation}. */
export interface IndentationOptions {
  /** Columns per indentation level (CodeMirror's `indentUnit`); 4 by default. */
  readonly unit?: number;
}

function slice(text: TextSource, from: number, to: number): string {
  return typeof text === "string" ? text.slice(from, to) : text.sliceString(from, to);
}

/** The offset of the start of the line holding `offset`. */
function lineStart(text: TextSource, offset: number): number {
  for (let end = offset; end > 0; ) {
    const from = Math.max(0, end - 256);
    const i = slice(text, from, end).lastIndexOf("\n");
    if (i >= 0) return from + i + 1;
    end = from;
  }
  return 0;
}

/** The indentation (tab = 4, LANGUAGE.md §2) of the line holding `offset`. */
function lineIndent(text: TextSource, offset: number): number {
  let width = 0;
  for (let at = lineStart(text, offset); ; at += 256) {
    const chunk = slice(text, at, at + 256);
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 32) width++;
      else if (c === 9) width += 4;
      else return width;
    }
    if (chunk.length < 256) return width;
  }
}

/** The rest of the line from `pos`. */
function restOfLine(text: TextSource, pos: number): string {
  let rest = "";
  for (let at = pos; ; at += 256) {
    const chunk = slice(text, at, at + 256);
    const newline = chunk.indexOf("\n");
    if (newline >= 0) return rest + chunk.slice(0, newline);
    rest += chunk;
    if (chunk.length < 256) return rest;
  }
}

const SKIPPED = new Set(["Comment", "DocComment"]);
const isToken = (n: SyntaxNode): boolean => n.from < n.to && !SKIPPED.has(n.name);

/** The last token (not a comment, not zero-length) that starts before `pos`. */
function tokenBefore(node: SyntaxNode, pos: number): SyntaxNode | null {
  for (let child = node.childBefore(pos); child; child = child.prevSibling) {
    if (child.firstChild) {
      const inner = tokenBefore(child, pos);
      if (inner) return inner;
    } else if (isToken(child)) return child;
  }
  return null;
}

/** The first token (not a comment, not zero-length) that ends after `pos`. */
function tokenAfter(node: SyntaxNode, pos: number): SyntaxNode | null {
  for (let child = node.childAfter(pos); child; child = child.nextSibling) {
    if (child.firstChild) {
      const inner = tokenAfter(child, pos);
      if (inner) return inner;
    } else if (isToken(child)) return child;
  }
  return null;
}

function ancestor(node: SyntaxNode, names: ReadonlySet<string>): SyntaxNode | null {
  for (let n = node.parent; n; n = n.parent) if (names.has(n.name)) return n;
  return null;
}

const ITEM = new Set(["Item"]);
const BLOCK = new Set(["Block"]);
const DELIMITED = new Set(["Group", "List", "Record", "Index", "Unquote"]);
const CONDITIONAL = new Set(["Conditional"]);
const MULTILINE_TOKENS = new Set(["String", "StringContent", "Symbol"]);
/** Tokens after which an operand must follow: at a line end, a block or a deeper line. */
const AWAITS_OPERAND = new Set([
  "PipeOp",
  "RangeOp",
  "AssignOp",
  "Arrow",
  "ArmOp",
  "ColonOp",
  "OrOp",
  "AndOp",
  "EqOp",
  "CompareOp",
  "BitOrOp",
  "XorOp",
  "BitAndOp",
  "ShiftOp",
  "AddOp",
  "MulOp",
  "PowOp",
  "Then",
  "Else",
]);

/**
 * The column the line starting at `pos` should be indented to, or null to leave it as it is.
 * `pos` is the start of the line, or the place where a line break is being inserted (the
 * text after it on its line becomes the new line). From the tree of the current text:
 *
 * - inside a multi-line string: null (the indentation is part of the string);
 * - inside `( )`, `[ ]`, `{ }` or `${ }`: one `unit` deeper than the line holding the opener,
 *   or that line's indentation when the line starts with the closer (§3.4's guard wants
 *   every other line deeper than the opener's);
 * - a line starting with `then` or `else`: the indentation of the line holding the `if`
 *   (§3.5);
 * - the first line of a block, or a line after a token that needs an operand (`=`, `=>`,
 *   `->`, any infix operator, `then`, `else`): one `unit` deeper than the enclosing item;
 * - a line that continues the item before it, or that starts an item of another block than
 *   the one before it: null, since the indentation is what decides it;
 * - otherwise (a new item): the indentation of the item before, 0 at the top.
 *
 * A block hung from an application (`match n` then its arms) is only known once it is
 * written: after `match n` the suggestion is a new item, and Tab opens the block.
 */
export function indentation(
  tree: Tree,
  text: TextSource,
  pos: number,
  options: IndentationOptions = {},
): number | null {
  const unit = options.unit ?? 4;
  const top = tree.topNode;
  const before = tokenBefore(top, pos);
  if (before && before.to > pos && MULTILINE_TOKENS.has(before.name)) return null;
  const line = restOfLine(text, pos);
  const lineEnd = pos + line.length;
  const rest = line.replace(/^[ \t]+/, "");
  const afterToken = tokenAfter(top, pos);
  const after = afterToken && afterToken.from <= lineEnd && rest !== "" ? afterToken : null;

  const itemIndent = (node: SyntaxNode): number => {
    const item = node.name === "Item" ? node : ancestor(node, ITEM);
    return item ? lineIndent(text, item.from) : 0;
  };

  if (before) {
    for (let d = ancestor(before, DELIMITED); d; d = ancestor(d, DELIMITED)) {
      const open = d.firstChild;
      const close = d.lastChild;
      if (!open || open.to > pos) continue;
      const closed = close && close !== open && close.from < close.to && close.from < pos;
      if (closed) continue;
      const closer = close && close.from < close.to ? slice(text, close.from, close.to) : undefined;
      const base = lineIndent(text, open.from);
      return closer !== undefined && rest.startsWith(closer) ? base : base + unit;
    }
  }

  if (after && (after.name === "Then" || after.name === "Else")) {
    const conditional = ancestor(after, CONDITIONAL);
    if (conditional) return lineIndent(text, conditional.from);
  }
  const keyword = /^(then|else)(?![\p{L}\p{N}_])/u.exec(rest)?.[1];
  if (keyword && before) {
    // The innermost `if` still waiting for this keyword (`else` sits inside `ThenClause`).
    for (let c = ancestor(before, CONDITIONAL); c; c = ancestor(c, CONDITIONAL)) {
      const thenClause = c.getChild("ThenClause");
      const waiting =
        keyword === "then" ? !thenClause : thenClause && !thenClause.getChild("ElseClause");
      if (waiting) return lineIndent(text, c.from);
    }
  }

  if (after) {
    const block = ancestor(after, BLOCK);
    if (block && block.from === after.from) return itemIndent(block) + unit;
  }
  if (!before) return after ? null : 0;
  if (AWAITS_OPERAND.has(before.name)) return itemIndent(before) + unit;
  if (after) {
    const itemBefore = ancestor(before, ITEM);
    const itemAfter = ancestor(after, ITEM);
    if (itemBefore === null || itemAfter === null) return null;
    if (itemBefore.from === itemAfter.from) return null;
    const parentOf = (item: SyntaxNode): number => item.parent?.from ?? -1;
    if (parentOf(itemBefore) !== parentOf(itemAfter)) return null;
  }
  return itemIndent(before);
}
