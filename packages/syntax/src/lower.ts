/**
 * Lowering of the Lezer tree to the uniform tree of LANGUAGE.md §1 (`ast.ts`), with the
 * diagnostics of §3.6 and §8.2.
 *
 * The tree already has the phrase structure (precedence, D1, layout); this pass names the
 * synthetic heads, flattens juxtaposed applications, attaches attributes and doc comments,
 * decodes literals, and turns the recovery tokens (`Missing`, `Invalid`, zero-length
 * closers) into error nodes with their messages. At most one parse error is reported per
 * item, as §3.6 prescribes (the rest of the item is what recovery skipped); lexical errors in
 * literals are all reported.
 */
import type { Diagnostic, SourceFile, Span } from "@cadenza/core";
import type { SyntaxNode, Tree } from "@lezer/common";
import {
  type Apply,
  type ErrorNode,
  type Ident,
  type Literal,
  type LiteralValue,
  type Node,
  shiftNode,
} from "./ast.js";
import {
  expectedArrow,
  expectedBeforeComma,
  expectedCloser,
  expectedExpression,
  expectedThen,
  nestedTooDeeply,
  unexpectedEndOfFile,
} from "./diagnostics.js";
import {
  type Decoded,
  decodeChar,
  decodeEscapes,
  decodeNumber,
  decodeString,
  decodeSymbol,
  endOfInput,
  unterminatedString,
} from "./literals.js";
import * as T from "./parser.terms.generated.js";
import {
  blankWidth,
  Ch,
  isBlank,
  isDigit,
  isIdentStart,
  StringSource,
  scanChar,
  scanComment,
  scanIdentifier,
  scanNumberEnd,
  scanOperator,
  scanString,
} from "./scan.js";

/** The result of lowering a whole tree. */
export interface Lowered {
  readonly items: readonly Node[];
  readonly diagnostics: readonly Diagnostic[];
  /** What a later incremental lowering may reuse (see {@link LowerOptions}). */
  readonly cache: ItemCache;
}

/**
 * The lowered bodies of the top-level items that had no diagnostic, by start offset. Such a
 * body depends only on its own text and the indentation of its first line, so an incremental
 * lowering reuses it when both are unchanged (shifting its spans if the item moved).
 */
export interface ItemCache {
  readonly byStart: ReadonlyMap<number, CachedItem>;
}

/** One entry of an {@link ItemCache}. */
export interface CachedItem {
  readonly text: string;
  readonly indent: number;
  readonly node: Node;
}

/** Options of {@link lower}. */
export interface LowerOptions {
  /**
   * The cache of a previous lowering, and a map from offsets of the new text to offsets of the
   * old one (`undefined` inside edited text).
   */
  readonly reuse?: {
    readonly cache: ItemCache;
    readonly toOld: (offset: number) => number | undefined;
  };
}

interface DocLine {
  readonly line: number;
  readonly indent: number;
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

/** Recursion budget of the lowering; deeper expressions become error nodes. */
const MAX_DEPTH = 4000;

class Lowering {
  readonly source: SourceFile;
  readonly text: string;
  readonly diagnostics: Diagnostic[] = [];
  /** Applications made by juxtaposition, which flatten with further arguments. */
  readonly juxtaposed: WeakSet<Apply> = new WeakSet();
  readonly docs: Map<number, DocLine> = new Map();
  /** Lezer error nodes, by start offset, reported with the item that contains them. */
  readonly errorNodes: number[] = [];
  /** Whether the current item already has a parse error (§3.6: one per item). */
  itemHasError = false;
  depth = 0;
  readonly reuse: LowerOptions["reuse"];
  readonly cache: Map<number, CachedItem> = new Map();

  constructor(tree: Tree, source: SourceFile, options: LowerOptions) {
    this.source = source;
    this.text = source.text;
    this.reuse = options.reuse;
    tree.iterate({
      enter: (n) => {
        if (n.type.id === T.DocComment) {
          const { line } = source.lineColumn(n.from);
          const raw = this.text.slice(n.from + 2, n.to);
          const text = raw.startsWith(" ") ? raw.slice(1) : raw;
          this.docs.set(line, {
            line,
            indent: this.indentOfLine(line),
            text,
            from: n.from,
            to: n.to,
          });
        } else if (n.type.isError) {
          this.errorNodes.push(n.from);
        }
      },
    });
  }

  // ---- diagnostics --------------------------------------------------------------------

  /** Records a parse error unless the current item already has one. */
  parseError(d: Diagnostic): void {
    if (this.itemHasError) return;
    this.itemHasError = true;
    this.diagnostics.push(d);
  }

  lexical(ds: readonly Diagnostic[]): void {
    for (const d of ds) this.diagnostics.push(d);
  }

  /** Reports a missing operand at `at`, describing what follows. */
  reportMissing(at: number): void {
    const next = this.nextToken(at);
    if (next === undefined)
      this.parseError(unexpectedEndOfFile(endOfInput(this.source), this.source));
    else if (next.crossedLine)
      this.parseError(expectedExpression("end of line", { start: at, end: at }, this.source));
    else this.parseError(expectedExpression(next.text, next.span, this.source));
  }

  /** The span of a "here" label at `at`: the next token on the line, else the point itself. */
  pointAfter(at: number): Span {
    const next = this.nextToken(at);
    if (next === undefined) return endOfInput(this.source);
    if (next.crossedLine) return { start: at, end: at };
    return next.span;
  }

  /**
   * The primary span of `` expected `)` ``: the token the guard stopped at, which may be on
   * a later line, or the end-of-input point.
   */
  offendingToken(at: number): Span {
    const next = this.nextToken(at);
    return next === undefined ? endOfInput(this.source) : next.span;
  }

  // ---- source helpers -----------------------------------------------------------------

  indentOfLine(line: number): number {
    let width = 0;
    for (let o = this.source.lineStart(line); o < this.text.length; o++) {
      const c = this.text.charCodeAt(o);
      if (!isBlank(c)) break;
      width += blankWidth(c);
    }
    return width;
  }

  /** The token starting at `at` (at a non-blank character). */
  tokenAt(at: number): { text: string; span: Span } {
    const src = new StringSource(this.text, at);
    const c = src.peek(0);
    let end = 1;
    if (isIdentStart(c)) end = scanIdentifier(src, 0);
    else if (isDigit(c)) end = scanNumberEnd(src, 0);
    else if (c === Ch.quote) end = scanString(src, 0).end;
    else if (c === Ch.apostrophe) end = scanChar(src, 0).end;
    else if ((c === Ch.colon || c === Ch.dollar) && src.peek(1) === Ch.quote) end = 2;
    else if (c === Ch.dollar && src.peek(1) === Ch.braceOpen) end = 2;
    else if (c >= 0xd800 && c <= 0xdbff) end = 2;
    else end = scanOperator(src, 0)?.length ?? 1;
    let text = this.text.slice(at, at + end);
    const newline = text.indexOf("\n");
    if (newline >= 0) {
      end = newline;
      text = text.slice(0, newline);
    }
    return { text, span: { start: at, end: at + end } };
  }

  /** The next token at or after `at`, skipping blanks, comments and line breaks. */
  nextToken(at: number): { text: string; span: Span; crossedLine: boolean } | undefined {
    const src = new StringSource(this.text, at);
    let o = 0;
    let crossedLine = false;
    for (;;) {
      const c = src.peek(o);
      if (isBlank(c)) o++;
      else if (c === Ch.newline) {
        crossedLine = true;
        o++;
      } else if (c === Ch.hash) o = scanComment(src, o);
      else break;
    }
    if (at + o >= this.text.length) return undefined;
    return { ...this.tokenAt(at + o), crossedLine };
  }

  // ---- node builders ------------------------------------------------------------------

  slice(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  ident(name: string, span: Span): Ident {
    return { kind: "ident", name, span };
  }

  identOf(n: SyntaxNode): Ident {
    return { kind: "ident", name: this.slice(n), span: { start: n.from, end: n.to } };
  }

  literal(value: LiteralValue, span: Span): Literal {
    return { kind: "literal", value, span };
  }

  apply(callee: Node, args: readonly Node[], span: Span): Apply {
    return { kind: "apply", callee, args, span };
  }

  error(span: Span): ErrorNode {
    return { kind: "error", span };
  }

  // ---- items --------------------------------------------------------------------------

  /** Lowers the `Item` children of a program or block, attaching attributes and docs. */
  items(container: SyntaxNode, top = false): Node[] {
    const out: Node[] = [];
    let pending: { head: Ident; attr: Node; start: number; doc: Doc | undefined }[] = [];
    for (let c = container.firstChild; c; c = c.nextSibling) {
      if (c.type.id === T.Item) {
        const saved = this.itemHasError;
        const reported = this.diagnostics.length;
        this.itemHasError = false;
        this.errorsWithin(c);
        const body = bodyOf(c);
        const doc = this.docFor(c);
        if (body && body.type.id === T.Attribute) {
          const at = body.firstChild!;
          const expr = expressionChild(body, at.to);
          pending.push({
            head: this.ident("@", { start: at.from, end: at.to }),
            attr: expr ? this.expr(expr) : this.missingAfter(at.to),
            start: body.from,
            doc,
          });
        } else if (body) {
          let node = this.wrapDoc(top ? this.topLevel(body, reported) : this.expr(body), doc);
          for (let i = pending.length - 1; i >= 0; i--) {
            const p = pending[i]!;
            node = this.apply(p.head, [p.attr, node], { start: p.start, end: node.span.end });
            node = this.wrapDoc(node, p.doc);
          }
          pending = [];
          out.push(node);
        }
        this.itemHasError = saved;
      } else if (c.type.isError) {
        const saved = this.itemHasError;
        this.itemHasError = false;
        this.lezerError(c.from);
        this.itemHasError = saved;
      }
    }
    return out;
  }

  /** A top-level item's body, reused from the previous lowering when possible. */
  topLevel(body: SyntaxNode, reported: number): Node {
    const text = this.text.slice(body.from, body.to);
    const indent = this.indentOfLine(this.source.lineColumn(body.from).line);
    const old = this.reuse?.toOld(body.from);
    if (old !== undefined) {
      const hit = this.reuse!.cache.byStart.get(old);
      if (hit && hit.text === text && hit.indent === indent) {
        const node = shiftNode(hit.node, body.from - old);
        this.cache.set(body.from, { text, indent, node });
        return node;
      }
    }
    const node = this.expr(body);
    if (this.diagnostics.length === reported) this.cache.set(body.from, { text, indent, node });
    return node;
  }

  /** Reports the first Lezer error node inside `n`, if any. */
  errorsWithin(n: SyntaxNode): void {
    for (const at of this.errorNodes) {
      if (at >= n.from && at <= n.to) {
        this.lezerError(at);
        return;
      }
    }
  }

  lezerError(at: number): void {
    const next = this.nextToken(at);
    if (next === undefined)
      this.parseError(unexpectedEndOfFile(endOfInput(this.source), this.source));
    else if (next.crossedLine)
      this.parseError(expectedExpression("end of line", { start: at, end: at }, this.source));
    else this.parseError(expectedExpression(next.text, next.span, this.source));
  }

  /** The run of `##` lines directly above the item's first line, at its indentation. */
  docFor(item: SyntaxNode): Doc | undefined {
    if (this.docs.size === 0) return undefined;
    const { line } = this.source.lineColumn(item.from);
    const indent = this.indentOfLine(line);
    const lines: DocLine[] = [];
    for (let k = line - 1; k >= 1; k--) {
      const doc = this.docs.get(k);
      if (!doc || doc.indent !== indent) break;
      lines.push(doc);
    }
    if (lines.length === 0) return undefined;
    lines.reverse();
    return {
      text: lines.map((l) => l.text).join("\n"),
      span: { start: lines[0]!.from, end: lines[lines.length - 1]!.to },
    };
  }

  wrapDoc(node: Node, doc: Doc | undefined): Node {
    if (!doc) return node;
    const head = this.ident("__doc__", { start: doc.span.start, end: doc.span.start + 2 });
    const text = this.literal({ type: "string", value: doc.text }, doc.span);
    return this.apply(head, [text, node], { start: doc.span.start, end: node.span.end });
  }

  // ---- expressions --------------------------------------------------------------------

  expr(n: SyntaxNode): Node {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      this.parseError(nestedTooDeeply({ start: n.from, end: n.to }, this.source));
      return this.error({ start: n.from, end: n.to });
    }
    try {
      return this.exprInner(n);
    } finally {
      this.depth--;
    }
  }

  exprInner(n: SyntaxNode): Node {
    const span = { start: n.from, end: n.to };
    switch (n.type.id) {
      case T.Identifier:
      case T.CalleeName:
      case T.Unit:
      case T.OperatorName:
        return this.identOf(n);
      case T.Number:
        return this.number(n);
      case T.Quantity: {
        const num = n.getChild(T.Number);
        const unit = n.getChild(T.Unit);
        if (!num || !unit) return this.error(span);
        return this.apply(this.identOf(unit), [this.number(num)], span);
      }
      case T.String:
        return this.textLiteral(n, decodeString, "string");
      case T.Char:
        return this.textLiteral(n, decodeChar, "char");
      case T.Symbol:
        return this.textLiteral(n, decodeSymbol, "symbol");
      case T.Interpolated:
        return this.interpolated(n, "__interpolate__");
      case T.SymbolInterpolated:
        return this.interpolated(n, "__symbol__");
      case T.Group:
        return this.group(n);
      case T.List:
        return this.delimited(n, "__list__");
      case T.Record:
        return this.delimited(n, "__record__");
      case T.Index:
        return this.index(n);
      case T.Unquote:
        return this.unquote(n);
      case T.Block: {
        const indent = n.getChild(T.Indent);
        const at = indent ? indent.from : n.from;
        return this.apply(this.ident("__block__", { start: at, end: at }), this.items(n), span);
      }
      case T.Prefix: {
        const op = n.getChild(T.PrefixOp);
        if (!op) return this.error(span);
        const operand = expressionChild(n, op.to);
        return this.apply(
          this.identOf(op),
          [operand ? this.expr(operand) : this.missingAfter(op.to)],
          span,
        );
      }
      case T.Postfix: {
        const operand = n.firstChild;
        const op = n.lastChild;
        if (!operand || !op || operand === op) return this.error(span);
        return this.apply(this.identOf(op), [this.expr(operand)], span);
      }
      case T.Binary:
        return this.binary(n);
      case T.Field:
      case T.Path:
        return this.access(n);
      case T.App:
        return this.application(n);
      case T.NameApp:
        return this.nameApplication(n);
      case T.Lambda:
        return this.lambda(n);
      case T.Conditional:
        return this.conditional(n);
      case T.Missing:
        this.reportMissing(n.from);
        return this.error(span);
      case T.Invalid: {
        const token = this.tokenAt(n.from);
        this.parseError(expectedExpression(token.text, token.span, this.source));
        return this.error(span);
      }
      default:
        this.lezerError(n.from);
        return this.error(span);
    }
  }

  /** A string, char or symbol token: decoded, its lexical errors reported, an error node if bad. */
  textLiteral(
    n: SyntaxNode,
    decode: (text: string, start: number, source: SourceFile) => Decoded<string>,
    type: "string" | "char" | "symbol",
  ): Node {
    const span = { start: n.from, end: n.to };
    const decoded = decode(this.slice(n), n.from, this.source);
    this.lexical(decoded.diagnostics);
    return decoded.value === undefined
      ? this.error(span)
      : this.literal({ type, value: decoded.value }, span);
  }

  number(n: SyntaxNode): Node {
    const span = { start: n.from, end: n.to };
    const decoded = decodeNumber(this.slice(n), n.from, this.source);
    this.lexical(decoded.diagnostics);
    return decoded.value === undefined ? this.error(span) : this.literal(decoded.value, span);
  }

  missingAfter(at: number): ErrorNode {
    this.reportMissing(at);
    return this.error({ start: at, end: at });
  }

  binary(n: SyntaxNode): Node {
    const span = { start: n.from, end: n.to };
    const left = n.firstChild;
    const op = left ? nextSiblingToken(left) : null;
    if (!left || !op) return this.error(span);
    const right = expressionChild(n, op.to);
    const lhs = this.expr(left);
    const rhs = right ? this.expr(right) : this.missingAfter(op.to);
    return this.apply(this.identOf(op), [lhs, rhs], span);
  }

  access(n: SyntaxNode): Node {
    const span = { start: n.from, end: n.to };
    const left = n.firstChild;
    const op = left ? nextSiblingToken(left) : null;
    if (!left || !op) return this.error(span);
    const name = nextSiblingToken(op);
    let rhs: Node;
    if (!name) rhs = this.missingAfter(op.to);
    else if (name.type.id === T.Identifier) rhs = this.identOf(name);
    else rhs = this.expr(name);
    return this.apply(this.identOf(op), [this.expr(left), rhs], span);
  }

  /** `f a b`: walks the left spine iteratively and flattens (§1). */
  application(n: SyntaxNode): Node {
    const spine: SyntaxNode[] = [];
    let callee: SyntaxNode = n;
    while (callee.type.id === T.App) {
      spine.push(callee);
      const first = callee.firstChild;
      if (!first) break;
      callee = first;
    }
    let head = this.expr(callee);
    let args: Node[] = [];
    if (head.kind === "apply" && this.juxtaposed.has(head)) {
      args = [...head.args];
      head = head.callee;
    }
    for (let i = spine.length - 1; i >= 0; i--) {
      const app = spine[i]!;
      const arg = app.lastChild;
      if (arg && arg !== app.firstChild) args.push(this.expr(arg));
    }
    const result = this.apply(head, args, { start: n.from, end: n.to });
    this.juxtaposed.add(result);
    return result;
  }

  /** `a == f x y`: the head is a name, possibly qualified (D1's rhs rule). */
  nameApplication(n: SyntaxNode): Node {
    const callee = n.firstChild;
    if (!callee || callee.type.id !== T.Callee) return this.error({ start: n.from, end: n.to });
    let head: Node | undefined;
    let op: SyntaxNode | null = null;
    for (let c = callee.firstChild; c; c = c.nextSibling) {
      if (c.type.id === T.Comment || c.type.id === T.DocComment) continue;
      if (c.type.id === T.Dot || c.type.id === T.PathSep) op = c;
      else if (!head) head = this.identOf(c);
      else if (op) {
        head = this.apply(this.identOf(op), [head, this.identOf(c)], {
          start: callee.from,
          end: c.to,
        });
        op = null;
      }
    }
    const args: Node[] = [];
    for (let c = callee.nextSibling; c; c = c.nextSibling) {
      if (isExpression(c)) args.push(this.expr(c));
    }
    const result = this.apply(head ?? this.error({ start: callee.from, end: callee.to }), args, {
      start: n.from,
      end: n.to,
    });
    this.juxtaposed.add(result);
    return result;
  }

  /**
   * The elements after `opener` up to its closer, reporting empty slots (leading or doubled
   * commas, or any comma where `allowTrailing` is false) and a missing closer.
   */
  slots(
    n: SyntaxNode,
    opener: SyntaxNode,
    allowTrailing: boolean,
  ): { elements: Node[]; commas: number } {
    const elements: Node[] = [];
    let commas = 0;
    let expectElement = true;
    let closer: SyntaxNode | null = null;
    for (let c = opener.nextSibling; c; c = c.nextSibling) {
      const id = c.type.id;
      if (id === T.Comment || id === T.DocComment) continue;
      if (id === T.Comma) {
        commas++;
        if (expectElement || !allowTrailing) {
          this.parseError(expectedBeforeComma({ start: c.from, end: c.to }, this.source));
        }
        expectElement = true;
      } else if (id === T.ParenClose || id === T.BracketClose || id === T.BraceClose) {
        closer = c;
      } else if (isExpression(c)) {
        elements.push(this.expr(c));
        expectElement = false;
      }
    }
    if (!closer || closer.from === closer.to) {
      const at = closer ? closer.from : n.to;
      const close =
        opener.type.id === T.ParenOpen ? ")" : opener.type.id === T.BraceOpen ? "}" : "]";
      this.parseError(
        expectedCloser(
          close,
          this.offendingToken(at),
          { start: opener.from, end: opener.to },
          this.source,
        ),
      );
    }
    return { elements, commas };
  }

  group(n: SyntaxNode): Node {
    const { elements, commas } = this.slots(n, n.firstChild!, true);
    if (commas === 0 && elements.length === 1) return elements[0]!;
    const open = n.firstChild!;
    return this.apply(this.ident("__tuple__", { start: open.from, end: open.to }), elements, {
      start: n.from,
      end: n.to,
    });
  }

  delimited(n: SyntaxNode, head: string): Node {
    const open = n.firstChild!;
    const { elements } = this.slots(n, open, true);
    return this.apply(this.ident(head, { start: open.from, end: open.to }), elements, {
      start: n.from,
      end: n.to,
    });
  }

  index(n: SyntaxNode): Node {
    const span = { start: n.from, end: n.to };
    const target = n.firstChild;
    const open = n.getChild(T.IndexOpen);
    if (!target || !open) return this.error(span);
    const lhs = this.expr(target);
    const { elements } = this.slots(n, open, false);
    let index: Node;
    if (elements.length === 0) {
      const close = n.getChild(T.BracketClose);
      if (close && close.to > close.from) {
        this.parseError(expectedExpression("]", { start: close.from, end: close.to }, this.source));
      }
      index = this.error({ start: open.to, end: open.to });
    } else {
      index = elements[0]!;
    }
    return this.apply(
      this.ident("__index__", { start: open.from, end: open.to }),
      [lhs, index],
      span,
    );
  }

  unquote(n: SyntaxNode): Node {
    const span = { start: n.from, end: n.to };
    const open = n.firstChild!;
    const inner = expressionChild(n, open.to);
    const close = n.getChild(T.BraceClose);
    let value: Node;
    if (inner) value = this.expr(inner);
    else {
      if (close && close.to > close.from) {
        this.parseError(expectedExpression("}", { start: close.from, end: close.to }, this.source));
      }
      value = this.error({ start: open.to, end: open.to });
    }
    if (!close || close.from === close.to) {
      this.parseError(
        expectedCloser(
          "}",
          this.offendingToken(close ? close.from : n.to),
          { start: open.from, end: open.to },
          this.source,
        ),
      );
    }
    return this.apply(this.ident("__unquote__", { start: open.from, end: open.to }), [value], span);
  }

  /** Interpolated strings and symbols: text parts and embedded expressions, in order. */
  interpolated(n: SyntaxNode, head: string): Node {
    const span = { start: n.from, end: n.to };
    const start = n.firstChild!;
    const parts: Node[] = [];
    let ok = true;
    for (let c = start.nextSibling; c; c = c.nextSibling) {
      if (c.type.id === T.StringContent) {
        const decoded = decodeEscapes(this.slice(c), c.from, "string", this.source);
        this.lexical(decoded.diagnostics);
        if (decoded.value === undefined) ok = false;
        else if (decoded.value !== "") {
          parts.push(
            this.literal({ type: "string", value: decoded.value }, { start: c.from, end: c.to }),
          );
        }
      } else if (c.type.id === T.Unquote) {
        const open = c.firstChild!;
        const inner = expressionChild(c, open.to);
        parts.push(inner ? this.expr(inner) : this.missingAfter(open.to));
        const close = c.getChild(T.BraceClose);
        if (!close || close.from === close.to) {
          this.parseError(
            expectedCloser(
              "}",
              this.offendingToken(close ? close.from : c.to),
              { start: open.from, end: open.to },
              this.source,
            ),
          );
        }
      } else if (c.type.id === T.StringEnd) {
        if (c.from === c.to) {
          this.lexical([unterminatedString(start.from + 1, this.source)]);
          ok = false;
        }
      }
    }
    if (!ok) return this.error(span);
    return this.apply(this.ident(head, { start: start.from, end: start.to }), parts, span);
  }

  lambda(n: SyntaxNode): Node {
    const span = { start: n.from, end: n.to };
    const backslash = n.firstChild!;
    const params = n.getChild(T.Params);
    const arrow = n.getChild(T.Arrow);
    const paramNodes: Node[] = [];
    if (params)
      for (let c = params.firstChild; c; c = c.nextSibling)
        if (isExpression(c)) paramNodes.push(this.expr(c));
    const paramsEnd = params && params.to > params.from ? params.to : backslash.to;
    const head = this.apply(
      this.ident("\\", { start: backslash.from, end: backslash.to }),
      paramNodes,
      {
        start: backslash.from,
        end: paramsEnd,
      },
    );
    let body: Node;
    let arrowIdent: Ident;
    if (!arrow || arrow.from === arrow.to) {
      const here = this.pointAfter(paramsEnd);
      this.parseError(expectedArrow(here, this.source));
      arrowIdent = this.ident("->", { start: paramsEnd, end: paramsEnd });
      body = this.error({ start: paramsEnd, end: paramsEnd });
      // The body after an inserted arrow is whatever recovery produced; lower it silently.
      const b = arrow ? expressionChild(n, arrow.to) : null;
      if (b && b.type.id !== T.Missing) body = this.expr(b);
    } else {
      arrowIdent = this.identOf(arrow);
      const b = expressionChild(n, arrow.to);
      body = b ? this.expr(b) : this.missingAfter(arrow.to);
    }
    return this.apply(arrowIdent, [head, body], span);
  }

  conditional(n: SyntaxNode): Node {
    const span = { start: n.from, end: n.to };
    const kw = n.firstChild!;
    const condition = n.getChild(T.Condition);
    const thenClause = n.getChild(T.ThenClause);
    const args: Node[] = [this.wrapped(condition, kw.to)];
    if (!thenClause) {
      const end = condition ? condition.to : kw.to;
      this.parseError(expectedThen(this.pointAfter(end), this.source));
      args.push(this.error({ start: end, end }));
    } else {
      const thenKw = thenClause.firstChild!;
      args.push(this.wrapped(thenClause.getChild(T.Branch), thenKw.to));
      const elseClause = thenClause.getChild(T.ElseClause);
      if (elseClause)
        args.push(this.wrapped(elseClause.getChild(T.Branch), elseClause.firstChild!.to));
    }
    return this.apply(this.identOf(kw), args, span);
  }

  /** The expression inside a `Condition` or `Branch` wrapper, or a missing operand. */
  wrapped(wrapper: SyntaxNode | null, after: number): Node {
    const inner = wrapper ? expressionChild(wrapper, wrapper.from) : null;
    return inner ? this.expr(inner) : this.missingAfter(after);
  }
}

interface Doc {
  readonly text: string;
  readonly span: Span;
}

/** Whether `n` is an expression node (including the recovery tokens). */
function isExpression(n: SyntaxNode): boolean {
  return n.type.is("Expression") || n.type.id === T.NameApp || n.type.isError;
}

/**
 * The next sibling of `n` that is not a comment: skipped tokens are children in a Lezer tree,
 * so a comment line before a continuation line (`x` / `# c` / `    |> f`) sits between an
 * operand and its operator.
 */
function nextSiblingToken(n: SyntaxNode): SyntaxNode | null {
  let c = n.nextSibling;
  while (c && (c.type.id === T.Comment || c.type.id === T.DocComment)) c = c.nextSibling;
  return c;
}

/** The first expression child of `n` that starts at or after `from`. */
function expressionChild(n: SyntaxNode, from: number): SyntaxNode | null {
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (c.from >= from && isExpression(c)) return c;
  }
  return null;
}

/** The content of an `Item`: what follows its `Newline`. */
function bodyOf(item: SyntaxNode): SyntaxNode | null {
  for (let c = item.firstChild; c; c = c.nextSibling) {
    if (c.type.id === T.Attribute || isExpression(c)) return c;
  }
  return null;
}

/**
 * Lowers a whole Lezer tree of `source` to the uniform top-level items, with the parse and
 * lexical diagnostics in source order. With `options.reuse`, unchanged clean top-level items
 * of a previous lowering are reused instead of lowered again.
 */
export function lower(tree: Tree, source: SourceFile, options: LowerOptions = {}): Lowered {
  const l = new Lowering(tree, source, options);
  let items: Node[];
  try {
    items = l.items(tree.topNode, true);
  } catch (e) {
    // Only a stack overflow on absurdly deep input can land here; never let it escape.
    if (!(e instanceof RangeError)) throw e;
    l.diagnostics.push(nestedTooDeeply({ start: 0, end: source.text.length }, source));
    items = [{ kind: "error", span: { start: 0, end: source.text.length } }];
  }
  const diagnostics = [...l.diagnostics].sort(
    (a, b) => (a.position ?? a.primary.span.start) - (b.position ?? b.primary.span.start),
  );
  return { items, diagnostics, cache: { byStart: l.cache } };
}
