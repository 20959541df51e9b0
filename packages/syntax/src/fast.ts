/**
 * The fast path of {@link parse}: a single-pass recursive-descent (Pratt) parser from text
 * straight to the uniform items of LANGUAGE.md §1, for well-formed files.
 *
 * The Lezer grammar (`cadenza.grammar`, `tokens.ts`, `layout.ts`) and the lowering (`lower.ts`)
 * stay the reference: `parseFast` either returns exactly the items `lower(parser.parse(text))`
 * returns (kinds, names, literal values, spans, argument order, synthetic heads, attributes and
 * doc comments) when that lowering reports no diagnostic, or `undefined` ("bail out"), and the
 * caller then runs the Lezer path, which reports and recovers. It bails out on every lexical or
 * parse error, and also wherever it meets something it does not reproduce exactly (listed
 * where it happens, each marked `bail`): the error-recovery behaviour is the Lezer path's alone.
 *
 * The lexical rules are the shared scanners of `scan.ts` and decoders of `literals.ts`; the
 * decisions the tokenizer takes at the character level (whether a name heads a D1 application,
 * the `import m *` wildcard, what the first token of a line is) are the very functions of
 * `tokens.ts`. What this file implements itself is the phrase structure (§4's binding powers,
 * the same table the grammar's precedences encode) and layout (§3), in the terms of the
 * tokenizer's `layoutAction`:
 *
 * - At the first token of a line outside delimiters, the innermost layout frame (the top level,
 *   whose reference indentation is the current item's, or a block with indentation B) decides:
 *   the end of the input or a line shallower than B ends the block (DEDENT); an infix or
 *   postfix operator (not a D2 prefix `-x`/`*x`) at or deeper than the reference continues the
 *   expression (§3.2 rule 2); `then`/`else` continue when some `if` of this frame can take them
 *   and the line is indented at least as much as the innermost pending `if`'s line (§3.5); any
 *   other deeper line opens a block (INDENT, §3.3), which is an operand or one more argument;
 *   anything else starts a new item (NEWLINE).
 * - Inside `( )`, `[ ]`, `{ }` and `${ }` layout is off, but a line not deeper than the
 *   opener's line must start with the matching closer or a comma (§3.4's guard; otherwise the
 *   reference reports `` expected `)` ``, so we bail).
 * - Lambda parameters may continue on deeper lines (no block can stand there).
 *
 * The decision at a line's first token is taken once, when the parser first looks at the
 * token, with the pending `if`s of that moment: that is when the tokenizer decides, before the
 * LR parser reduces anything. The first token of an item is past layout (the tokenizer has
 * shifted the item's `Newline` there).
 *
 * Spans: a node spans from the first to the last token of its construct, as a Lezer node does,
 * so grouping parentheses count for the enclosing node (`(f x) + 1` starts at the `(`) though
 * they leave no node of their own; `prevEnd`, the end of the last consumed token, is the end
 * of every node when it is finished.
 *
 * Cost: the items are most of the work, and in a fresh process (where the whole file is often
 * parsed before V8 has optimised this code) so is the garbage collection of the young
 * generation while they grow. Hence no token objects, no substring per token (names are
 * interned, operators are the scanner's constant strings, small integers share their value),
 * child lists copied out of a scratch stack at their exact length, no per-character calls in
 * the lexer, and fields and arrays that never change representation (which would deoptimise).
 */
import { type SourceFile, type Span, Vector } from "@cadenza/core";
import { type Apply, type Ident, type Literal, type Node, shiftNode } from "./ast.js";
import { decodeChar, decodeEscapes, decodeNumber, decodeString, decodeSymbol } from "./literals.js";
import {
  ASCII_IDENT_START,
  blankWidth,
  Ch,
  identifierEnd,
  isBlank,
  isDigit,
  isIdentStart,
  isTightPrefix,
  numberEnd,
  operatorAt,
  quotedHasInterpolation,
  StringSource,
  scanChar,
  scanComment,
  scanString,
  scanStringContent,
  startsOperand,
} from "./scan.js";
import { calleeEnd, classifyFirst, First, isImportWildcardAt, startsArgumentAt } from "./tokens.js";

// ---- tokens ---------------------------------------------------------------------------

/** Token kinds of the fast lexer. */
const K = {
  End: 0,
  Ident: 1,
  Number: 2,
  String: 3,
  Char: 4,
  /** `:"name"` without interpolation. */
  Symbol: 5,
  /** `$"`: the start of an interpolated string. */
  Interpolated: 6,
  /** `:"` of a symbol with interpolation. */
  SymbolInterpolated: 7,
  /** `${` */
  Unquote: 8,
  ParenOpen: 9,
  ParenClose: 10,
  BracketOpen: 11,
  BracketClose: 12,
  BraceOpen: 13,
  BraceClose: 14,
  Comma: 15,
  Operator: 16,
  /** Anything the language rejects (`;`, `` ` ``, a stray character): always a bail-out. */
  Bad: 17,
} as const;

/** The three identifiers the parser treats specially (§1). */
const KW_NONE = 0;
const KW_IF = 1;
const KW_THEN = 2;
const KW_ELSE = 3;

/** Layout decisions at the first token of a line (see the module comment). */
const L_CONTINUE = 0;
const L_NEWLINE = 1;
const L_DEDENT = 2;
const L_INDENT = 3;
const L_END = 4;
const L_BAIL = 5;

/** Frame kinds of the fast parser's layout state. */
const F_TOP = 0;
const F_BLOCK = 1;
const F_DELIMITER = 2;

/** States of a pending `if` (§3.5). */
const IF_CONDITION = 0;
const IF_THEN = 1;
const IF_ELSE = 2;

/** Binding powers of §4.1, by operator spelling: [lbp, rbp]. */
const INFIX_POWER: ReadonlyMap<string, readonly [number, number]> = new Map<
  string,
  readonly [number, number]
>([
  ["|>", [0, 1]],
  ["..", [2, 3]],
  ["..=", [2, 3]],
  ...["=", "->", "<-", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="].map(
    (op) => [op, [5, 4]] as [string, readonly [number, number]],
  ),
  ["=>", [8, 9]],
  [":", [10, 11]],
  ["||", [12, 13]],
  ["&&", [14, 15]],
  ["==", [16, 17]],
  ["!=", [16, 17]],
  ["<", [18, 19]],
  ["<=", [18, 19]],
  [">", [18, 19]],
  [">=", [18, 19]],
  ["|", [20, 21]],
  ["^", [22, 23]],
  ["&", [24, 25]],
  ["<<", [26, 27]],
  [">>", [26, 27]],
  ["+", [28, 29]],
  ["-", [28, 29]],
  ["*", [30, 31]],
  ["/", [30, 31]],
  ["%", [30, 31]],
  ["**", [35, 34]],
]);
/** Application: juxtaposition binds at 6, and each argument is parsed at 7. */
const APP_LBP = 6;
const APP_RBP = 7;
const FIELD_LBP = 36;
const PATH_LBP = 38;
const INDEX_LBP = 38;
const TRY_LBP = 32;
const PIPE_TRY_LBP = 0;
const PREFIX_RBP = 33;
/** A lambda's body binds like the right operand of an assignment (§4.1). */
const LAMBDA_RBP = 4;

/**
 * Lezer cuts a left-associative chain after about 450 operands and the lowering stops at a
 * nesting depth of 4000 (README, "Limits"); we bail out well before either.
 */
const MAX_CHAIN = 300;
const MAX_DEPTH = 1000;

/** Thrown to bail out; caught by {@link parseFast}. */
const BAIL: { readonly bail: true } = Object.freeze({ bail: true });

function bail(): never {
  throw BAIL;
}

/**
 * A top-level item body (an item without its attributes and doc comments), for an incremental
 * {@link reparse}: the fast path's next run can take it over, and the lowering's item cache can
 * be built from it.
 */
export interface FastBody {
  /** Start and end of the body's text (grouping parentheses included). */
  readonly start: number;
  readonly end: number;
  /** Indentation of the body's first line. */
  readonly indent: number;
  /**
   * The end of the token after the body (the first of the next item's line), which decided
   * that the body ended; the length of the text at the end of the input.
   */
  readonly after: number;
  readonly node: Node;
}

/**
 * What the fast parser produces: the items, and the top-level bodies for the item cache. After
 * an edit that keeps every item taken over at its index, both are the prior parse's vectors
 * with the new elements patched in (a chunk copied, not the list); otherwise they are made
 * from new arrays.
 */
export interface FastParse {
  readonly items: Vector<Node>;
  readonly bodies: Vector<FastBody>;
  /**
   * With a prior parse: the indexes at which `items` may differ from the prior items (every
   * other index holds the very same item), or undefined when items moved to other indexes.
   */
  readonly fresh?: readonly number[];
}

/** An edit between the previous text (`…A`) and the new one (`…B`), as Lezer's `ChangedRange`. */
export interface TextChange {
  readonly fromA: number;
  readonly toA: number;
  readonly fromB: number;
  readonly toB: number;
}

/**
 * The previous parse of a text and the edits (in order) that made the new one: its top-level
 * bodies, in order. A body whose text, together with the token after it, is untouched by the
 * edits and still at the same offsets parses the same again (a top-level item starts in the
 * same state wherever it is), so the fast path takes it over — the very same node — and skips
 * its text: every body before the first edit, and after the edits those the edits did not
 * move (an edit that keeps the length, such as changing a literal in a function body).
 */
export interface PriorParse {
  readonly bodies: Vector<FastBody>;
  /** The previous parse's items: `items[i]` is `bodies[i]` with its attributes and docs. */
  readonly items: Vector<Node>;
  readonly changes: readonly TextChange[];
}

/**
 * How far `body` of a prior parse moved (its offset in the new text minus the old one) when
 * its text is in the new text as it was; undefined when an edit reaches from one character
 * before the body to its lookahead (offsets of the prior parse: `fromA`, `toA`).
 */
function movedBy(body: FastBody, changes: readonly TextChange[]): number | undefined {
  let delta = 0;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (body.after < c.fromA) break;
    if (body.start <= c.toA) return undefined;
    delta += c.toB - c.fromB - (c.toA - c.fromA);
  }
  return delta;
}

/** The offset in the prior text that `offset` of the new text comes from (undefined: edited). */
function oldOffset(offset: number, changes: readonly TextChange[]): number | undefined {
  let delta = 0;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (offset < c.fromB) break;
    if (offset <= c.toB) return undefined;
    delta += c.toB - c.fromB - (c.toA - c.fromA);
  }
  return offset - delta;
}

interface DocLine {
  readonly indent: number;
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

interface PendingAttribute {
  readonly head: Ident;
  readonly attr: Node;
  readonly start: number;
  readonly doc: Doc | undefined;
}

interface Doc {
  readonly text: string;
  readonly span: Span;
}

/** A layout frame saved while a delimiter is open. */
interface SavedFrame {
  readonly frame: number;
  readonly indent: number;
  readonly closer: number;
}

class FastParser {
  readonly source: SourceFile;
  readonly text: string;
  readonly len: number;
  readonly src: StringSource;
  readonly prior: PriorParse | undefined;
  /** The first body of `prior` that may still be taken over. */
  priorAt = 0;

  // ---- the lexer: position after the current token, and the current token ----
  pos = 0;
  k: number = K.End;
  /** Start and end of the current token. */
  ts = 0;
  te = 0;
  /** The operator's spelling when `k` is `K.Operator`. */
  op = "";
  kw = KW_NONE;
  /** Whether the current token is an identifier written right after a number (a unit). */
  unit = false;
  /** Whether the current `[` has no blank or line break before it (an index). */
  tight = false;
  /** Whether the current token is the first of its line (always true at the end). */
  lineFirst = true;
  /** Kind and end of the previous token, for units. */
  prevKind: number = K.End;
  prevTokEnd = -1;
  /** End of the last token the parser consumed: the end of every node it finishes. */
  prevEnd = 0;
  /**
   * The line key of the current token, and the line key and indentation of where the lexer
   * is. A key goes up by one at each line break the lexer reads, and across a run of items
   * taken over from a prior parse (whose line breaks are not counted) by the run's length in
   * characters, which is at least its number of line breaks. Keys only tell which doc comment
   * lines are directly above an item (consecutive keys are consecutive lines, and keys only
   * grow), so they need not be line numbers.
   */
  tLine = 1;
  line = 1;
  lineIndent = 0;
  /** The indentation of the current token's line. */
  indent = 0;
  /** Whether a token has been read yet (the first line starts at the input's start). */
  started = false;
  /** The layout decision for the current token, cached per token and block depth. */
  layAt = -1;
  layDepth = -1;
  layValue = L_CONTINUE;

  // ---- layout ----
  frame = F_TOP;
  /** Top: the current item's reference indentation (-1 before the first); block: B; delimiter: the opener line's. */
  frameIndent = -1;
  /** The closing token kind of a delimiter frame. */
  frameCloser: number = K.End;
  blockDepth = 0;
  /** Pending `if`s, innermost last: their line's indentation, state and block depth. */
  ifIndent: number[] = [];
  ifState: number[] = [];
  ifBlock: number[] = [];
  ifCount = 0;

  /** One string per distinct name (the operators' spellings are constants already). */
  readonly names: Names;

  /**
   * Scratch stack for the children of the node being built: each list is copied out at its
   * exact length (an array grown by `push` keeps spare capacity, which would survive with the
   * tree), and nested lists use the part of the stack above their own.
   */
  readonly stack: Node[] = objectArray();
  /** The height of the scratch stack (entries above it are stale). */
  top = 0;

  // ---- results ----
  /** The doc comment lines by line key (always a map: a field changing type deoptimises). */
  readonly docs: Map<number, DocLine> = new Map();
  bodies: FastBody[] = [];
  /** The top-level indexes whose item is not the prior parse's item at that index. */
  fresh: number[] = [];
  /**
   * The top-level items before those on the scratch stack, in pieces (runs taken over from
   * the prior parse are slices of its items), and their number.
   */
  readonly topChunks: (Node[] | PriorRange)[] = [];
  topDone = 0;
  /** The top-level bodies before `bodies`, in pieces. */
  readonly bodyChunks: (FastBody[] | PriorRange)[] = [];
  /** Whether every item taken over in a run kept its index. */
  aligned = true;
  /** Whether the node just returned by `expr`/`operand` is a juxtaposed application. */
  juxt = false;
  depth = 0;

  constructor(source: SourceFile, prior: PriorParse | undefined) {
    this.source = source;
    this.text = source.text;
    this.len = source.text.length;
    this.src = new StringSource(source.text, 0);
    // A reparse interns into the table of the parse before it (names are compared with the
    // text, not stored as offsets): a large file's table is not made again per keystroke.
    this.names =
      prior !== undefined && spareNames !== undefined
        ? spareNames.on(source.text)
        : new Names(source.text);
    spareNames = this.names;
    this.prior = prior;
  }

  // ---- lexer ------------------------------------------------------------------------

  /**
   * Consumes the current token: reads the next one after `pos`, skipping blanks, line breaks
   * and comments. (Also how the first token is read, and how the lexer resumes after the text
   * of an interpolated string, which the parser scans itself.)
   */
  next(): void {
    this.prevEnd = this.te;
    const text = this.text;
    const len = this.len;
    let p = this.pos;
    let crossed = !this.started;
    let lineStart = -1;
    for (;;) {
      const c = p < len ? text.charCodeAt(p) : -1;
      if (c === 32 || c === 9) p++;
      else if (c === 10) {
        p++;
        this.line++;
        crossed = true;
        lineStart = p;
      } else if (c === 35) {
        const end = scanComment(this.src, p);
        // A `##` with nothing but blanks before it on its line is a doc comment (§2).
        if (crossed && p + 1 < len && text.charCodeAt(p + 1) === 35)
          this.docComment(p, end, Math.max(lineStart, 0));
        p = end;
      } else break;
    }
    if (lineStart >= 0) this.lineIndent = this.indentFrom(lineStart);
    else if (!this.started) this.lineIndent = this.indentFrom(0);
    this.started = true;
    this.lineFirst = crossed;
    this.indent = this.lineIndent;
    this.tLine = this.line;
    this.layAt = -1;
    this.prevKind = this.k;
    this.prevTokEnd = this.te;
    this.ts = p;
    this.kw = KW_NONE;
    this.unit = false;
    if (p >= len) {
      this.k = K.End;
      this.te = p;
      this.lineFirst = true;
      this.pos = p;
      return;
    }
    const c = text.charCodeAt(p);
    let end = p + 1;
    let k: number;
    if (c < 128 ? ASCII_IDENT_START[c] === 1 : isIdentStart(c)) {
      k = K.Ident;
      end = identifierEnd(text, p);
      if (this.prevKind === K.Number && this.prevTokEnd === p) this.unit = true;
      else if (end - p === 2 && c === 105 && text.charCodeAt(p + 1) === 102) this.kw = KW_IF;
      else if (end - p === 4) {
        if (text.startsWith("then", p)) this.kw = KW_THEN;
        else if (text.startsWith("else", p)) this.kw = KW_ELSE;
      }
    } else if (isDigit(c)) {
      k = K.Number;
      end = numberEnd(text, p);
    } else {
      switch (c) {
        case Ch.quote:
          k = K.String;
          end = scanString(this.src, p).end;
          this.passText(p, end);
          break;
        case Ch.apostrophe:
          k = K.Char;
          end = scanChar(this.src, p).end;
          break;
        case Ch.parenOpen:
          k = K.ParenOpen;
          break;
        case Ch.parenClose:
          k = K.ParenClose;
          break;
        case Ch.bracketOpen: {
          k = K.BracketOpen;
          const prev = p > 0 ? text.charCodeAt(p - 1) : -1;
          this.tight = prev >= 0 && !isBlank(prev) && prev !== Ch.newline;
          break;
        }
        case Ch.bracketClose:
          k = K.BracketClose;
          break;
        case Ch.braceOpen:
          k = K.BraceOpen;
          break;
        case Ch.braceClose:
          k = K.BraceClose;
          break;
        case Ch.comma:
          k = K.Comma;
          break;
        case Ch.colon:
          if (p + 1 < len && text.charCodeAt(p + 1) === Ch.quote) {
            if (quotedHasInterpolation(this.src, p + 1)) {
              k = K.SymbolInterpolated;
              end = p + 2;
            } else {
              k = K.Symbol;
              end = scanString(this.src, p + 1).end;
              this.passText(p, end);
            }
            break;
          }
          k = this.operator(p);
          end = p + this.op.length;
          break;
        case Ch.dollar:
          if (p + 1 < len && text.charCodeAt(p + 1) === Ch.quote) {
            k = K.Interpolated;
            end = p + 2;
            break;
          }
          if (p + 1 < len && text.charCodeAt(p + 1) === Ch.braceOpen) {
            k = K.Unquote;
            end = p + 2;
            break;
          }
          k = this.operator(p);
          end = p + this.op.length;
          break;
        default:
          k = this.operator(p);
          end = k === K.Operator ? p + this.op.length : p + 1;
      }
    }
    this.k = k;
    this.te = end;
    this.pos = end;
  }

  operator(p: number): number {
    const op = operatorAt(this.text, p);
    if (op === undefined) return K.Bad;
    this.op = op;
    return K.Operator;
  }

  /** The indentation of the line starting at `from` (tab = 4, §2). */
  indentFrom(from: number): number {
    const text = this.text;
    let width = 0;
    for (let o = from; o < this.len; o++) {
      const c = text.charCodeAt(o);
      if (!isBlank(c)) break;
      width += blankWidth(c);
    }
    return width;
  }

  /** Line bookkeeping for a token (a string) whose text `[from, to)` may span lines. */
  passText(from: number, to: number): void {
    let nl = this.text.indexOf("\n", from);
    if (nl < 0 || nl >= to) return;
    let last = nl;
    while (nl >= 0 && nl < to) {
      this.line++;
      last = nl;
      nl = this.text.indexOf("\n", nl + 1);
    }
    this.lineIndent = this.indentFrom(last + 1);
  }

  docComment(from: number, to: number, lineStart: number): void {
    const raw = this.text.slice(from + 2, to);
    const text = raw.charCodeAt(0) === Ch.space ? raw.slice(1) : raw;
    this.docs.set(this.line, { indent: this.indentFrom(lineStart), text, from, to });
  }

  // ---- layout -----------------------------------------------------------------------

  /**
   * The layout decision at the current token when it is the first of its line (or the end of
   * the input); `L_CONTINUE` for any other token. Cached per token and block depth: a dedent
   * re-decides the same token against the enclosing frame.
   */
  lay(): number {
    if (!this.lineFirst) return L_CONTINUE;
    if (this.layAt === this.ts && this.layDepth === this.blockDepth) return this.layValue;
    const value = this.decide();
    this.layAt = this.ts;
    this.layDepth = this.blockDepth;
    this.layValue = value;
    return value;
  }

  decide(): number {
    const k = this.k;
    if (this.frame === F_DELIMITER) {
      // §3.4's guard: a line not deeper than the opener's must start with its closer or `,`.
      if (k === K.End) return L_BAIL;
      if (this.indent <= this.frameIndent && k !== K.Comma && k !== this.frameCloser) return L_BAIL;
      return L_CONTINUE;
    }
    if (k === K.End) return this.frame === F_BLOCK ? L_DEDENT : L_END;
    const indent = this.indent;
    if (this.frame === F_BLOCK && indent < this.frameIndent) return L_DEDENT;
    const ref = this.frameIndent;
    if (ref < 0) return L_NEWLINE;
    const first = classifyFirst(this.src, this.ts).first;
    if (first === First.Operator) return indent >= ref ? L_CONTINUE : L_NEWLINE;
    if (first === First.Then || first === First.Else) {
      // Where the keyword cannot continue, the reference reports an error.
      return indent >= ref && this.keywordShifts(first, indent) ? L_CONTINUE : L_BAIL;
    }
    return indent > ref ? L_INDENT : L_NEWLINE;
  }

  /**
   * Whether a `then`/`else` at the start of a line continues the expression: an `if` of the
   * current block can take it (the LR parser's `canShift`, after reducing the finished inner
   * conditionals), and the line is indented at least as much as the innermost pending `if`'s.
   */
  keywordShifts(first: number, indent: number): boolean {
    let i = this.ifCount - 1;
    if (i < 0 || this.ifBlock[i] !== this.blockDepth) return false;
    if (indent < this.ifIndent[i]!) return false;
    if (first === First.Else) {
      while (i >= 0 && this.ifBlock[i] === this.blockDepth && this.ifState[i] === IF_ELSE) i--;
      return i >= 0 && this.ifBlock[i] === this.blockDepth && this.ifState[i] === IF_THEN;
    }
    while (i >= 0 && this.ifBlock[i] === this.blockDepth && this.ifState[i] !== IF_CONDITION) i--;
    return i >= 0 && this.ifBlock[i] === this.blockDepth && this.ifState[i] === IF_CONDITION;
  }

  // ---- node builders ----------------------------------------------------------------

  ident(name: string, start: number, end: number): Ident {
    return { kind: "ident", name, span: { start, end } };
  }

  /** The current token (a name or an operator) as an identifier node; consumes it. */
  takeIdent(): Ident {
    const name = this.k === K.Operator ? this.op : this.names.get(this.ts, this.te);
    const node: Ident = { kind: "ident", name, span: { start: this.ts, end: this.te } };
    this.next();
    return node;
  }

  apply(callee: Node, args: Node[], start: number, end: number): Apply {
    return { kind: "apply", callee, args, span: { start, end } };
  }

  /** The nodes pushed on the scratch stack since `base`, as an exact-length array. */
  popFrom(base: number): Node[] {
    const stack = this.stack;
    const top = this.top;
    this.top = base;
    // Literals for the usual short lists (cheaper than a builtin call before V8 optimises).
    switch (top - base) {
      case 0:
        return [];
      case 1:
        return [stack[base]!];
      case 2:
        return [stack[base]!, stack[base + 1]!];
      case 3:
        return [stack[base]!, stack[base + 1]!, stack[base + 2]!];
      default:
        return stack.slice(base, top);
    }
  }

  /** Pushes a node on the scratch stack. */
  push(node: Node): void {
    this.stack[this.top++] = node;
  }

  // ---- items ------------------------------------------------------------------------

  program(): Vector<Node> {
    this.next();
    return this.allItems(this.items(true));
  }

  /**
   * The items of the program or of a block, with attributes (`@expr` wraps the next item) and
   * doc comments (`##` lines directly above an item at its indentation) attached as the
   * lowering attaches them. An attribute with no item after it in its container is dropped,
   * as the lowering drops it.
   */
  items(top: boolean): Node[] {
    const base = this.top;
    let pending: PendingAttribute[] | null = null;
    /** The last prior body taken over with the current one (see {@link priorRun}). */
    let run = -1;
    for (;;) {
      if (this.k === K.End) break;
      // The item's `Newline` is the last layout decision of its line (layout.ts).
      this.lineFirst = false;
      const start = this.ts;
      const indent = this.indent;
      if (top) this.frameIndent = indent;
      const doc = this.docs.size === 0 ? undefined : this.docFor(this.tLine, indent);
      if (this.k === K.Operator && this.op === "@") {
        const head = this.ident("@", this.ts, this.te);
        this.next();
        const attr = this.expr(0);
        (pending ??= []).push({ head, attr, start, doc });
      } else {
        let node: Node;
        if (top) {
          // A top-level item starts in the same state wherever it is: the frame is the top
          // level, its reference indentation the item's, and nothing is pending.
          const prior = this.prior === undefined ? undefined : this.priorBody(start, indent);
          if (prior === undefined) {
            node = this.expr(0);
            const after = this.k === K.End ? this.len : this.te;
            this.bodies.push({ start, end: this.prevEnd, indent, after, node });
          } else if (prior !== this.prior!.bodies.get(this.priorAt)) {
            // A body an edit before it moved: the previous parse's tree, moved.
            node = prior.node;
            this.bodies.push(prior);
            this.skipTo(start, prior.end);
          } else {
            // The body, and the items after it up to the next edit (attributes and docs
            // included: their text is untouched too), are the previous parse's.
            node = prior.node;
            this.bodies.push(prior);
            run = this.priorRun();
            this.skipTo(start, this.prior!.bodies.get(run)!.end);
          }
        } else node = this.expr(0);
        node = wrapDoc(node, doc);
        if (pending) {
          for (let i = pending.length - 1; i >= 0; i--) {
            const p = pending[i]!;
            node = this.apply(p.head, [p.attr, node], p.start, node.span.end);
            node = wrapDoc(node, p.doc);
          }
          pending = null;
        }
        if (top && this.prior !== undefined) {
          const at = this.topDone + this.top - base;
          if (node !== this.prior.items.get(at)) this.fresh.push(at);
        }
        this.push(node);
        if (run > this.priorAt) {
          const from = this.priorAt + 1;
          // Taken over at the same indexes, or the changes cannot be told by index.
          if (this.topDone + this.top - base !== from) this.aligned = false;
          // Ranges of the prior lists (put together at the end), after what this level has.
          const done = this.popFrom(base);
          this.topDone += done.length + run + 1 - from;
          const range: PriorRange = { from, to: run + 1 };
          this.topChunks.push(done, range);
          this.bodyChunks.push(this.bodies, range);
          this.bodies = [];
          this.priorAt = run;
        }
        run = -1;
      }
      // The item ends at a new item, the end of the block, or the end of the input.
      if (this.k === K.End) break;
      const action = this.lineFirst ? this.lay() : L_CONTINUE;
      if (top) {
        if (action !== L_NEWLINE) bail();
      } else if (action === L_DEDENT) break;
      else if (action !== L_NEWLINE) bail();
    }
    return this.popFrom(base);
  }

  /** The top-level items, in order: the prior parse's runs and `rest`, the items after them. */
  allItems(rest: Node[]): Vector<Node> {
    return this.topChunks.length === 0
      ? Vector.from(rest)
      : assemble(this.topChunks, rest, this.prior!.items);
  }

  /** The top-level bodies, in order. */
  allBodies(): Vector<FastBody> {
    return this.bodyChunks.length === 0
      ? Vector.from(this.bodies)
      : assemble(this.bodyChunks, this.bodies, this.prior!.bodies);
  }

  /**
   * Whether the current `*` is the wildcard of `import m *`. When a continuation line follows
   * (its first token an operator), the reference takes the wildcard as the left operand of
   * that operator, inside the import's last argument, not as an argument of its own: bail.
   */
  importWildcard(): boolean {
    if (!isImportWildcardAt(this.src, this.ts)) return false;
    const text = this.text;
    for (let p = text.indexOf("\n", this.te); p >= 0; p = text.indexOf("\n", p + 1)) {
      let q = p + 1;
      while (q < text.length && isBlank(text.charCodeAt(q))) q++;
      const c = q < text.length ? text.charCodeAt(q) : -1;
      if (c === Ch.newline || c === Ch.hash) continue;
      if (c >= 0 && classifyFirst(this.src, q).first === First.Operator) bail();
      break;
    }
    return true;
  }

  /** The body of the prior parse at `start` that can be taken over, if any. */
  priorBody(start: number, indent: number): FastBody | undefined {
    const { bodies, changes } = this.prior!;
    const old = oldOffset(start, changes);
    if (old === undefined) return undefined;
    let i = this.priorAt;
    while (i < bodies.length && bodies.get(i)!.start < old) i++;
    this.priorAt = i;
    const body = bodies.get(i);
    if (body === undefined || body.start !== old || body.indent !== indent) return undefined;
    // The token after the body decided where it ended (and lookaheads read up to one character
    // past it): all of it must be untouched. A body an edit before it moved is the same tree
    // at its new place (a new one: see `shiftNode`).
    const delta = movedBy(body, changes);
    if (delta === undefined) return undefined;
    if (delta === 0) return body;
    return {
      start,
      end: body.end + delta,
      indent,
      after: body.after + delta,
      node: shiftNode(body.node, delta),
    };
  }

  /**
   * The index of the last prior body of the run that starts with the body at `priorAt` (just
   * taken over) and ends before the next edit: the text from the first body's start to the
   * token after the last one is untouched and unmoved, so the items in between — attributes
   * and doc comments included — are the prior parse's.
   */
  priorRun(): number {
    const { bodies, changes } = this.prior!;
    const first = this.priorAt;
    const from = bodies.get(first)!.start;
    // The first edit at or after the run's start (edits are sorted and do not overlap).
    let limit = Number.POSITIVE_INFINITY;
    for (let i = 0; i < changes.length; i++) {
      if (changes[i]!.toB >= from) {
        limit = changes[i]!.fromB;
        break;
      }
    }
    // The last body whose lookahead ends before the edit (one character of margin:
    // lookaheads read one past the token after a body); bodies are in text order.
    let lo = first;
    let hi = bodies.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bodies.get(mid)!.after + 1 < limit) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Moves the lexer past a run of bodies taken over from the prior parse, from `start` (the
   * current token's) to `end`. The line breaks in between are not counted: the line key moves
   * on by the run's length (see {@link tLine}), from the key of the run's first token (the
   * lexer may be past a string spanning lines).
   */
  skipTo(start: number, end: number): void {
    this.line = this.tLine + (end - start);
    // The next token starts a line, so what the body ended with (for units) does not matter.
    this.k = K.Bad;
    this.te = end;
    this.pos = end;
    this.next();
  }

  /** The run of `##` lines directly above line `line`, at indentation `indent`. */
  docFor(line: number, indent: number): Doc | undefined {
    const docs = this.docs;
    let first = line;
    for (let k = line - 1; k >= 1; k--) {
      const doc = docs.get(k);
      if (!doc || doc.indent !== indent) break;
      first = k;
    }
    if (first === line) return undefined;
    const texts: string[] = [];
    for (let k = first; k < line; k++) texts.push(docs.get(k)!.text);
    return {
      text: texts.join("\n"),
      span: { start: docs.get(first)!.from, end: docs.get(line - 1)!.to },
    };
  }

  /** A block (§3.3) at the current token, which opened it (`L_INDENT`). */
  block(): Node {
    const start = this.ts;
    const savedFrame = this.frame;
    const savedIndent = this.frameIndent;
    this.frame = F_BLOCK;
    this.frameIndent = this.indent;
    this.blockDepth++;
    const items = this.items(false);
    this.blockDepth--;
    this.frame = savedFrame;
    this.frameIndent = savedIndent;
    return this.apply(this.ident("__block__", start, start), items, start, this.prevEnd);
  }

  // ---- expressions ------------------------------------------------------------------

  /** §4.2's `expr(min)`: an operand, then operators binding at least `min`, and arguments. */
  expr(min: number): Node {
    if (++this.depth > MAX_DEPTH) bail();
    const start = this.ts;
    let lhs = this.operand();
    let juxt = this.juxt;
    let steps = 0;
    for (;;) {
      if (++steps > MAX_CHAIN) bail();
      const action = this.lineFirst ? this.lay() : L_CONTINUE;
      if (action === L_INDENT) {
        // A block on the following lines is one more argument (§3.3).
        if (APP_LBP < min) break;
        lhs = this.application(lhs, juxt, start);
        juxt = true;
        continue;
      }
      if (action !== L_CONTINUE) {
        if (action === L_BAIL) bail();
        break;
      }
      const k = this.k;
      if (k === K.Operator) {
        const op = this.op;
        if (op === "?" || op === "|?") {
          if ((op === "?" ? TRY_LBP : PIPE_TRY_LBP) < min) break;
          const head = this.takeIdent();
          lhs = this.apply(head, [lhs], start, this.prevEnd);
          juxt = false;
          continue;
        }
        if (op === "*" && this.importWildcard()) {
          // `import m *`: the wildcard is an operand, one more argument.
          if (APP_LBP < min) break;
          lhs = this.application(lhs, juxt, start);
          juxt = true;
          continue;
        }
        if (op === "." || op === "::") {
          if ((op === "." ? FIELD_LBP : PATH_LBP) < min) break;
          const head = this.takeIdent();
          lhs = this.apply(head, [lhs, this.member(op === ".")], start, this.prevEnd);
          juxt = false;
          continue;
        }
        const power = INFIX_POWER.get(op);
        if (power !== undefined) {
          if (power[0] < min) break;
          const head = this.takeIdent();
          const rhs = power[1] > APP_RBP ? this.tightOperand(power[1]) : this.expr(power[1]);
          lhs = this.apply(head, [lhs, rhs], start, this.prevEnd);
          juxt = false;
          continue;
        }
      } else if (k === K.BracketOpen && this.tight) {
        if (INDEX_LBP < min) break;
        lhs = this.index(lhs, start);
        juxt = false;
        continue;
      }
      if (this.startsArgument()) {
        if (APP_LBP < min) break;
        lhs = this.application(lhs, juxt, start);
        juxt = true;
        continue;
      }
      break;
    }
    this.depth--;
    this.juxt = juxt;
    return lhs;
  }

  /**
   * Whether the current token (after an operand) starts an argument (D1): the end of the
   * expression otherwise. Tokens the reference rejects after an operand bail out.
   */
  startsArgument(): boolean {
    const action = this.lineFirst ? this.lay() : L_CONTINUE;
    if (action === L_INDENT) return true;
    if (action !== L_CONTINUE) {
      if (action === L_BAIL) bail();
      return false;
    }
    switch (this.k) {
      case K.Ident:
        return this.kw !== KW_THEN && this.kw !== KW_ELSE;
      case K.Number:
      case K.String:
      case K.Char:
      case K.Symbol:
      case K.Interpolated:
      case K.SymbolInterpolated:
      case K.Unquote:
      case K.ParenOpen:
      case K.BraceOpen:
        return true;
      case K.BracketOpen:
        return !this.tight;
      case K.Operator:
        switch (this.op) {
          case "\\":
            return true;
          case "!":
          case "~":
          case "...":
            // A prefix form when an operand follows; the reference rejects it otherwise.
            if (this.startsOperandAfter(this.te)) return true;
            return bail();
          case "*":
            return this.importWildcard();
          case "$":
          case "@":
            // `$` after an operand is an error; `@` there is an operator value (bail).
            return bail();
          default:
            return false;
        }
      case K.Bad:
        return bail();
      default:
        return false;
    }
  }

  startsOperandAfter(at: number): boolean {
    let o = at;
    while (isBlank(this.src.peek(o))) o++;
    return startsOperand(this.src, o);
  }

  /** `lhs a b …`: arguments at 7 while they come; `(f a) b` flattens to `(f a b)` (§1). */
  application(lhs: Node, juxt: boolean, start: number): Node {
    const base = this.top;
    let callee: Node;
    if (juxt && lhs.kind === "apply") {
      callee = lhs.callee;
      for (const arg of lhs.args) this.push(arg);
    } else callee = lhs;
    let steps = 0;
    do {
      if (++steps > MAX_CHAIN) bail();
      const arg = this.argument();
      this.push(arg);
    } while (this.startsArgument());
    return this.apply(callee, this.popFrom(base), start, this.prevEnd);
  }

  /** One argument: a block, the `import m *` wildcard, or `expr(7)`. */
  argument(): Node {
    if (this.k === K.Operator && this.op === "*" && !this.lineFirst) {
      // Only reached for the wildcard (see `startsArgument`).
      return this.takeIdent();
    }
    return this.expr(APP_RBP);
  }

  /**
   * The right operand of an operator binding tighter than application (§4.2's `rhs`): a name,
   * possibly qualified, followed by an argument heads an application (the grammar's
   * `NameApp`), decided by the tokenizer's own character-level lookahead.
   */
  tightOperand(rbp: number): Node {
    // §3.4's guard holds for a name at the start of a line inside a delimiter too.
    if (this.lineFirst && this.frame === F_DELIMITER && this.lay() === L_BAIL) bail();
    if (
      this.k === K.Ident &&
      this.kw !== KW_IF &&
      this.kw !== KW_THEN &&
      this.kw !== KW_ELSE &&
      (this.frame === F_DELIMITER || !this.lineFirst)
    ) {
      const end = calleeEnd(this.src, this.ts, this.te);
      const inDelimiter = this.frame === F_DELIMITER;
      if (startsArgumentAt(this.src, end, inDelimiter, inDelimiter ? 0 : this.frameIndent)) {
        const start = this.ts;
        let head: Node = this.takeIdent();
        while (this.ts < end) {
          // `.name` / `::name` written without blanks (the callee chain).
          if ((this.k as number) !== K.Operator || (this.op !== "." && this.op !== "::")) bail();
          const op = this.takeIdent();
          // (`takeIdent` moved on: the token is the one after the operator.)
          if ((this.k as number) !== K.Ident || this.kw === KW_THEN || this.kw === KW_ELSE) bail();
          const name = this.takeIdent();
          head = this.apply(op, [head, name], start, this.prevEnd);
        }
        if (!this.startsArgument()) bail();
        const base = this.top;
        let steps = 0;
        do {
          if (++steps > MAX_CHAIN) bail();
          const arg = this.argument();
          this.push(arg);
        } while (this.startsArgument());
        return this.apply(head, this.popFrom(base), start, this.prevEnd);
      }
    }
    return this.expr(rbp);
  }

  /** The name after `.` (or `${…}`) or after `::`. */
  member(field: boolean): Node {
    // A name on the next line: the reference continues; not worth reproducing.
    if (this.lineFirst) bail();
    if (this.k === K.Ident && this.kw !== KW_THEN && this.kw !== KW_ELSE && !this.unit)
      return this.takeIdent();
    if (field && this.k === K.Unquote) return this.unquote();
    return bail();
  }

  /** An operand (§4.2's `operand()`), or a block opened at this token. */
  operand(): Node {
    this.juxt = false;
    const action = this.lineFirst ? this.lay() : L_CONTINUE;
    if (action === L_INDENT) {
      const block = this.block();
      this.juxt = false;
      return block;
    }
    if (action !== L_CONTINUE) bail();
    switch (this.k) {
      case K.Ident:
        if (this.kw === KW_IF) return this.conditional();
        if (this.kw !== KW_NONE || this.unit) bail();
        return this.takeIdent();
      case K.Number:
        return this.number();
      case K.String:
        return this.textLiteral(decodeString, "string");
      case K.Char:
        return this.textLiteral(decodeChar, "char");
      case K.Symbol:
        return this.textLiteral(decodeSymbol, "symbol");
      case K.Interpolated:
        return this.interpolated("__interpolate__");
      case K.SymbolInterpolated:
        return this.interpolated("__symbol__");
      case K.Unquote:
        return this.unquote();
      case K.ParenOpen:
        return this.group();
      case K.BracketOpen:
        return this.delimited("__list__", K.BracketClose);
      case K.BraceOpen:
        return this.delimited("__record__", K.BraceClose);
      case K.Operator:
        return this.operatorOperand();
      default:
        return bail();
    }
  }

  /** An operator where an operand is expected: a prefix form, a lambda, or an operator value. */
  operatorOperand(): Node {
    const op = this.op;
    let prefix = false;
    switch (op) {
      case "\\":
        return this.lambda();
      case "@":
        // An attribute only starts an item; elsewhere it is an operator value (rare: bail).
        return bail();
      case "-":
      case "*":
        prefix = isTightPrefix(this.src, this.ts);
        break;
      case "!":
      case "~":
      case "...":
      case "$":
        prefix = this.startsOperandAfter(this.te);
        break;
    }
    const start = this.ts;
    const head = this.takeIdent();
    if (!prefix) return head;
    const operand = this.expr(PREFIX_RBP);
    this.juxt = false;
    return this.apply(head, [operand], start, this.prevEnd);
  }

  number(): Node {
    const start = this.ts;
    const end = this.te;
    const text = this.text;
    // Up to 15 plain digits are exactly a double; everything else is decoded by the reference
    // decoder (underscores, fractions, exponents, the range check).
    let small = end - start <= 15 ? 0 : -1;
    for (let o = start; small >= 0 && o < end; o++) {
      const c = text.charCodeAt(o);
      small = isDigit(c) ? small * 10 + (c - 48) : -1;
    }
    let value: Literal["value"];
    if (small >= 0) value = smallInteger(small);
    else {
      const decoded = decodeNumber(text.slice(start, end), start, this.source);
      if (decoded.value === undefined || decoded.diagnostics.length > 0) bail();
      value = decoded.value;
    }
    const literal: Literal = { kind: "literal", value, span: { start, end } };
    this.next();
    if (this.k === K.Ident && this.unit) {
      // `25.4meter` is `(meter 25.4)` (§2).
      const unit = this.takeIdent();
      return this.apply(unit, [literal], start, this.prevEnd);
    }
    return literal;
  }

  textLiteral(
    decode: (
      text: string,
      start: number,
      source: SourceFile,
    ) => {
      readonly value: string | undefined;
      readonly diagnostics: readonly unknown[];
    },
    type: "string" | "char" | "symbol",
  ): Node {
    const start = this.ts;
    const end = this.te;
    const decoded = decode(this.text.slice(start, end), start, this.source);
    if (decoded.value === undefined || decoded.diagnostics.length > 0) bail();
    this.next();
    return { kind: "literal", value: { type, value: decoded.value }, span: { start, end } };
  }

  /**
   * Enters a delimiter frame for the opener `indent` is the line of (the layout context's
   * `lineIndent` when the tokenizer shifts the opener); returns the enclosing frame, packed
   * for {@link restoreFrame}.
   */
  openDelimiter(closer: number, indent: number): SavedFrame {
    const saved: SavedFrame = {
      frame: this.frame,
      indent: this.frameIndent,
      closer: this.frameCloser,
    };
    this.frame = F_DELIMITER;
    this.frameIndent = indent;
    this.frameCloser = closer;
    return saved;
  }

  restoreFrame(saved: SavedFrame): void {
    this.frame = saved.frame;
    this.frameIndent = saved.indent;
    this.frameCloser = saved.closer;
  }

  /**
   * Parses the slots of a delimiter after its opener: elements separated by commas, a trailing
   * comma allowed. Empty slots (`[, a]`, `[a,, b]`) are errors in the reference: bail.
   */
  slots(closer: number): Node[] {
    const base = this.top;
    let commas = 0;
    let expectElement = true;
    let juxt = false;
    for (;;) {
      if (this.lineFirst && this.lay() === L_BAIL) bail();
      const k = this.k;
      if (k === closer) break;
      if (k === K.Comma) {
        if (expectElement) bail();
        commas++;
        expectElement = true;
        this.next();
        continue;
      }
      if (!expectElement) bail();
      const element = this.expr(0);
      this.push(element);
      juxt = this.juxt;
      expectElement = false;
    }
    this.commas = commas;
    this.juxt = juxt;
    return this.popFrom(base);
  }

  /** The number of commas of the last {@link slots}. */
  commas = 0;

  /** `( … )`: a grouping (no node of its own), or a tuple. */
  group(): Node {
    const start = this.ts;
    const openEnd = this.te;
    const saved = this.openDelimiter(K.ParenClose, this.indent);
    this.next();
    const elements = this.slots(K.ParenClose);
    const commas = this.commas;
    const juxt = this.juxt;
    this.next();
    this.restoreFrame(saved);
    if (commas === 0 && elements.length === 1) {
      // Grouping leaves no node (§1); a parenthesised application still flattens.
      this.juxt = juxt;
      return elements[0]!;
    }
    this.juxt = false;
    return this.apply(this.ident("__tuple__", start, openEnd), elements, start, this.prevEnd);
  }

  delimited(head: string, closer: number): Node {
    const start = this.ts;
    const openEnd = this.te;
    const saved = this.openDelimiter(closer, this.indent);
    this.next();
    const elements = this.slots(closer);
    this.next();
    this.restoreFrame(saved);
    this.juxt = false;
    return this.apply(this.ident(head, start, openEnd), elements, start, this.prevEnd);
  }

  /** `xs[i]`: exactly one index (no comma, not empty, §3.6). */
  index(lhs: Node, start: number): Node {
    const open = this.ts;
    const openEnd = this.te;
    const saved = this.openDelimiter(K.BracketClose, this.indent);
    this.next();
    const elements = this.slots(K.BracketClose);
    if (elements.length !== 1 || this.commas > 0) bail();
    this.next();
    this.restoreFrame(saved);
    return this.apply(
      this.ident("__index__", open, openEnd),
      [lhs, elements[0]!],
      start,
      this.prevEnd,
    );
  }

  /** `${e}` as an operand: `(__unquote__ e)`. */
  unquote(): Node {
    const start = this.ts;
    const openEnd = this.te;
    const saved = this.openDelimiter(K.BraceClose, this.indent);
    this.next();
    if (this.lay() === L_BAIL || this.k === K.BraceClose) bail();
    const inner = this.expr(0);
    if (this.lay() === L_BAIL || this.k !== K.BraceClose) bail();
    this.next();
    this.restoreFrame(saved);
    this.juxt = false;
    return this.apply(this.ident("__unquote__", start, openEnd), [inner], start, this.prevEnd);
  }

  /**
   * `$"text ${e} text"` and `:"text ${e}"`: the literal text parts (empty ones dropped) and
   * the embedded expressions in order, as `(__interpolate__ …)` / `(__symbol__ …)`.
   */
  interpolated(head: string): Node {
    const start = this.ts;
    const text = this.text;
    const base = this.top;
    let p = start + 2;
    for (;;) {
      const end = scanStringContent(this.src, p);
      if (end > p) {
        const decoded = decodeEscapes(text.slice(p, end), p, "string", this.source);
        if (decoded.value === undefined || decoded.diagnostics.length > 0) bail();
        if (decoded.value !== "") {
          this.push({
            kind: "literal",
            value: { type: "string", value: decoded.value },
            span: { start: p, end },
          });
        }
        this.passText(p, end);
      }
      if (end >= this.len) bail(); // unterminated
      if (text.charCodeAt(end) === Ch.quote) {
        p = end + 1;
        break;
      }
      // `${`: an embedded expression in a delimiter frame, up to its `}`.
      const saved = this.openDelimiter(K.BraceClose, this.lineIndent);
      this.k = K.Unquote;
      this.te = end + 2;
      this.pos = end + 2;
      this.next();
      if (this.lay() === L_BAIL || this.k === K.BraceClose) bail();
      const part = this.expr(0);
      this.push(part);
      if (this.lay() === L_BAIL || this.k !== K.BraceClose) bail();
      p = this.te;
      this.restoreFrame(saved);
    }
    this.k = K.String;
    this.te = p;
    this.pos = p;
    this.prevEnd = p;
    this.next();
    this.juxt = false;
    return this.apply(this.ident(head, start, start + 2), this.popFrom(base), start, p);
  }

  /** `\params -> body` (§4.1): parameters up to `->`, then a body at rbp 4. */
  lambda(): Node {
    const start = this.ts;
    const backslash = this.ident("\\", this.ts, this.te);
    this.next();
    const base = this.top;
    let paramsEnd = backslash.span.end;
    for (;;) {
      if (this.lineFirst && this.frame !== F_DELIMITER) {
        // Parameters may continue on deeper lines, and `->` may start a line at the item's
        // indentation; anything else there makes the reference report a missing arrow.
        if (this.k === K.End || (this.frame === F_BLOCK && this.indent < this.frameIndent)) bail();
        const first = classifyFirst(this.src, this.ts).first;
        if (
          !(
            this.indent > this.frameIndent ||
            (this.indent === this.frameIndent && first === First.Operator)
          )
        )
          bail();
      } else if (this.lay() === L_BAIL) bail();
      const k = this.k;
      if (k === K.Operator && this.op === "->") break;
      if (k === K.Ident) {
        if (this.kw === KW_THEN || this.kw === KW_ELSE || this.unit) bail();
        this.push(this.takeIdent());
      } else if (k === K.ParenOpen) this.push(this.group());
      else if (k === K.BracketOpen) this.push(this.delimited("__list__", K.BracketClose));
      else if (k === K.BraceOpen) this.push(this.delimited("__record__", K.BraceClose));
      else if (k === K.Unquote) this.push(this.unquote());
      else bail();
      paramsEnd = this.prevEnd;
    }
    const arrow = this.takeIdent();
    const head = this.apply(backslash, this.popFrom(base), start, paramsEnd);
    const body = this.expr(LAMBDA_RBP);
    this.juxt = false;
    return this.apply(arrow, [head, body], start, this.prevEnd);
  }

  /** `if COND then A [else B]` (§3.5). */
  conditional(): Node {
    const start = this.ts;
    // The line of the `if`, for a later `then`/`else` line (§3.5).
    const ifIndent = this.indent;
    const head = this.takeIdent();
    const slot = this.ifCount++;
    this.ifIndent[slot] = ifIndent;
    this.ifState[slot] = IF_CONDITION;
    this.ifBlock[slot] = this.blockDepth;
    const condition = this.expr(0);
    if (this.k !== K.Ident || this.kw !== KW_THEN || this.lay() !== L_CONTINUE) bail();
    this.next();
    this.ifState[slot] = IF_THEN;
    const then = this.expr(0);
    let args: Node[];
    if (this.k === K.Ident && (this.kw as number) === KW_ELSE) {
      if (this.lay() !== L_CONTINUE) bail();
      this.next();
      this.ifState[slot] = IF_ELSE;
      args = [condition, then, this.expr(0)];
    } else args = [condition, then];
    this.ifCount--;
    this.juxt = false;
    return this.apply(head, args, start, this.prevEnd);
  }
}

/** The literal values of the small integers, shared: they are immutable plain data. */
const SMALL_INTEGERS: Literal["value"][] = [];

function smallInteger(value: number): Literal["value"] {
  if (value >= 1024) return { type: "integer", value: BigInt(value) };
  let literal = SMALL_INTEGERS[value];
  if (literal === undefined) {
    literal = { type: "integer", value: BigInt(value) };
    SMALL_INTEGERS[value] = literal;
  }
  return literal;
}

/**
 * Interns the names of one text: each distinct name is one string, looked up by its characters
 * in an open-addressing table, so that the thousands of occurrences of `x`, `let` or `fn` do
 * not each allocate a string that survives with the tree. Long names are sliced.
 */
class Names {
  text: string;
  table: (string | undefined)[];
  mask: number;
  size = 0;

  constructor(text: string) {
    this.text = text;
    // About one distinct name per 50 characters in real programs; the table stays half empty.
    let size = 1024;
    while (size < text.length / 16) size *= 2;
    this.table = nameTable(size);
    this.mask = size - 1;
  }

  /** This table, interning names of `text` from now on. */
  on(text: string): Names {
    this.text = text;
    return this;
  }

  get(start: number, end: number): string {
    const text = this.text;
    const length = end - start;
    if (length > 32) return text.slice(start, end);
    let h = 0x811c9dc5 | 0;
    for (let o = start; o < end; o++) h = Math.imul(h ^ text.charCodeAt(o), 0x01000193);
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = this.table[i];
      if (s === undefined) {
        const name = text.slice(start, end);
        this.table[i] = name;
        if (++this.size * 2 > mask) this.grow();
        return name;
      }
      if (s.length === length && equalAt(s, text, start)) return s;
    }
  }

  grow(): void {
    const old = this.table;
    this.mask = this.mask * 2 + 1;
    this.table = nameTable(this.mask + 1);
    for (const s of old) {
      if (s === undefined) continue;
      let h = 0x811c9dc5 | 0;
      for (let o = 0; o < s.length; o++) h = Math.imul(h ^ s.charCodeAt(o), 0x01000193);
      let i = h & this.mask;
      while (this.table[i] !== undefined) i = (i + 1) & this.mask;
      this.table[i] = s;
    }
  }
}

/** A run of the prior parse's items (or bodies) taken over: indexes `from` to `to`. */
interface PriorRange {
  readonly from: number;
  readonly to: number;
}

/**
 * The top-level list made of `chunks` (new elements, and ranges of `prior`), then `rest`. When
 * every range sits at its own index and the list is as long as `prior`, it is `prior` with the
 * new elements patched in: the chunks of the vector they fall in are copied, not the list, so
 * that an edit inside one item of a large file costs what it costs in a small one. Otherwise
 * (items moved to other indexes) it is a new array, joined from the pieces.
 */
function assemble<T>(
  chunks: readonly (T[] | PriorRange)[],
  rest: readonly T[],
  prior: Vector<T>,
): Vector<T> {
  let length = rest.length;
  let aligned = true;
  for (const chunk of chunks) {
    if (Array.isArray(chunk)) length += chunk.length;
    else {
      if (chunk.from !== length - rest.length) aligned = false;
      length += chunk.to - chunk.from;
    }
  }
  if (aligned && length === prior.length) {
    const indexes: number[] = [];
    const values: T[] = [];
    let at = 0;
    for (const chunk of chunks) {
      if (Array.isArray(chunk))
        for (const x of chunk) {
          indexes.push(at++);
          values.push(x);
        }
      else at = chunk.to;
    }
    for (const x of rest) {
      indexes.push(at++);
      values.push(x);
    }
    return prior.patch(indexes, values);
  }
  const flat = prior.toArray();
  const parts: (readonly T[])[] = [];
  for (const chunk of chunks)
    parts.push(Array.isArray(chunk) ? chunk : flat.slice(chunk.from, chunk.to));
  return Vector.from(([] as T[]).concat(...parts, rest));
}

/** The table of the last parse, which the next reparse interns into. */
let spareNames: Names | undefined;

/**
 * An empty table of names. Filled so that every table has the same elements kind from the
 * start (a transition on the first store would deoptimise the code that read the old one).
 */
function nameTable(size: number): (string | undefined)[] {
  return new Array<string | undefined>(size).fill(undefined);
}

/** An empty array whose elements kind is already that of objects (see {@link nameTable}). */
function objectArray(): Node[] {
  const array: Node[] = [BAIL as unknown as Node];
  array.length = 0;
  return array;
}

/** Whether `s` occurs in `text` at `at`. */
function equalAt(s: string, text: string, at: number): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== text.charCodeAt(at + i)) return false;
  return true;
}

function wrapDoc(node: Node, doc: Doc | undefined): Node {
  if (!doc) return node;
  const start = doc.span.start;
  return {
    kind: "apply",
    callee: { kind: "ident", name: "__doc__", span: { start, end: start + 2 } },
    args: [{ kind: "literal", value: { type: "string", value: doc.text }, span: doc.span }, node],
    span: { start, end: node.span.end },
  };
}

/**
 * The fast parser with its by-products; `undefined` when it bails out. With `prior`, the
 * top-level items of the previous parse before the first change are taken over, not parsed.
 */
export function fastParse(source: SourceFile, prior?: PriorParse): FastParse | undefined {
  const text = source.text;
  // Carriage returns and a byte order mark are normalised away by `SourceFile.fromRaw`; the
  // tokenizer tolerates them as blanks, which is not worth reproducing. After a fast parse,
  // only the text the edits inserted can have them.
  const unusual = (from: number, to: number): boolean => {
    const piece = from === 0 && to === text.length ? text : text.slice(from, to);
    return piece.indexOf("\r") >= 0 || piece.indexOf("\ufeff") >= 0;
  };
  if (
    prior === undefined
      ? unusual(0, text.length)
      : prior.changes.some((c) => unusual(c.fromB, c.toB))
  )
    return undefined;
  const parser = new FastParser(source, prior);
  try {
    const items = parser.program();
    const bodies = parser.allBodies();
    if (prior === undefined) return { items, bodies };
    const aligned = parser.aligned && items.length === prior.items.length;
    return { items, bodies, ...(aligned ? { fresh: parser.fresh } : {}) };
  } catch (e) {
    // A bail-out, or a stack overflow on absurdly deep input.
    if (e === BAIL || e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * Parses a well-formed file straight to its top-level items, without building a Lezer tree.
 *
 * Returns `undefined` ("bails out") whenever the file has a lexical or parse error, and
 * wherever it meets something it does not reproduce exactly; {@link parse} then runs the Lezer
 * path, which reports the problems and recovers. When it returns items, they are exactly the
 * items of `lower(parser.parse(text), source)`, whose diagnostics are then empty.
 */
export function parseFast(source: SourceFile): readonly Node[] | undefined {
  return fastParse(source)?.items.toArray();
}
