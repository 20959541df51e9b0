/**
 * The external tokenizer: every token of LANGUAGE.md §2, the layout tokens of §3, and the
 * recovery tokens of §3.6.
 *
 * It is one hand-written lexer because most decisions need the parse state:
 * - layout (`newline`, `indent`, `dedent`) and the unclosed-delimiter guard need the frames of
 *   the context tracker (`layout.ts`) and the first token of the next line;
 * - an operator is infix/postfix after an operand and a prefix form or an operator value
 *   where an operand is expected (D2 for `-` and `*`), which `stack.canShift` tells apart;
 * - a name in the right operand of a tight operator is the head of an application (D1) when
 *   an argument follows it, which needs lookahead;
 * - errors: where the next token cannot be shifted, the tokenizer emits `Missing` (a
 *   zero-length operand before a terminator) or `Invalid` (the offending token and the rest
 *   of the item, per §3.6) instead of leaving it to Lezer's generic recovery.
 *
 * The tokenizer never looks more than one character backwards; everything it needs from
 * earlier lines is in the context, so incremental reparses stay sound.
 */
import { ExternalTokenizer, type InputStream, type Stack } from "@lezer/lr";
import { type Frame, FrameKind, type LayoutContext } from "./layout.js";
import * as T from "./parser.terms.generated.js";
import {
  Ch,
  type CharSource,
  INFIX_OPERATORS,
  indentWidth,
  isBlank,
  isDigit,
  isIdentContinue,
  isIdentStart,
  isTightPrefix,
  POSTFIX_OPERATORS,
  quotedHasInterpolation,
  scanChar,
  scanComment,
  scanIdentifier,
  scanNumberEnd,
  scanOperator,
  scanString,
  scanStringContent,
  startsOperand,
} from "./scan.js";

/**
 * `stack.canShift`, memoized for the duration of one tokenizer call (the stack does not change
 * while the tokenizer runs). `canShift` simulates reductions, and the tokenizer asks about the
 * same few terms many times per token.
 */
const shiftCache = new Int8Array(256);
const shiftStamp = new Uint32Array(256);
let generation = 0;

function can(stack: Stack, term: number): boolean {
  if (shiftStamp[term] === generation) return shiftCache[term] === 1;
  const result = shiftsDirectly(stack, term);
  shiftStamp[term] = generation;
  shiftCache[term] = result ? 1 : 0;
  return result;
}

/**
 * What the parse tables say about shifting a terminal in a state, which depends on nothing
 * else: the state shifts it at once (`Shifts`), has no action for it and no default
 * reduction (`Fails`), or must reduce first (`Reduces`), when only `canShift` can tell, by
 * simulating the reductions on the actual stack. Most questions the tokenizer asks are settled
 * by the first two, and a table lookup is much cheaper than `canShift`, which scans the
 * state's actions every time (about 7% of a full parse, measured with `bench/syntax`).
 */
const Direct = { Unknown: 0, Shifts: 1, Fails: 2, Reduces: 3 } as const;

/**
 * The LR internals the table reads (Lezer marks them internal): the stack's state, and the
 * parser's state slots and action lookup. When they are not there, `canShift` answers.
 */
interface Internals {
  readonly states?: ArrayLike<number>;
  readonly maxTerm: number;
  stateSlot?(state: number, slot: number): number;
  hasAction?(state: number, terminal: number): number;
}

let directParser: unknown = null;
let directTable: Uint8Array | null = null;
let directTerms = 0;
/** Tables by the parser's state array, which `parser.configure` shares between copies. */
const directTables: WeakMap<object, Uint8Array> = new WeakMap();

/** `stack.canShift(term)`, answered from the tables when they decide it (see {@link Direct}). */
export function shiftsDirectly(stack: Stack, term: number): boolean {
  const parser = stack.parser as unknown as Internals;
  if (parser !== directParser) {
    directParser = parser;
    directTerms = parser.maxTerm + 1;
    const usable =
      typeof parser.stateSlot === "function" &&
      typeof parser.hasAction === "function" &&
      parser.states !== undefined &&
      typeof (stack as unknown as { state?: unknown }).state === "number";
    if (usable) {
      const states = parser.states as unknown as object;
      let table = directTables.get(states);
      if (!table) {
        // ParseState.Size: six slots per state.
        table = new Uint8Array((parser.states!.length / 6) * directTerms);
        directTables.set(states, table);
      }
      directTable = table;
    } else directTable = null;
  }
  const table = directTable;
  if (table === null || term >= directTerms) return stack.canShift(term);
  const state = (stack as unknown as { state: number }).state;
  const key = state * directTerms + term;
  let direct = table[key]!;
  if (direct === Direct.Unknown) {
    // Slot 4 is ParseState.DefaultReduce; bit 16 of an action is Action.ReduceFlag.
    const action = parser.stateSlot!(state, 4) || parser.hasAction!(state, term);
    direct =
      action === 0 ? Direct.Fails : (action & 0x10000) === 0 ? Direct.Shifts : Direct.Reduces;
    table[key] = direct;
  }
  return direct === Direct.Reduces ? stack.canShift(term) : direct === Direct.Shifts;
}

/** Infix operator spelling → term. */
const INFIX_TERMS: ReadonlyMap<string, number> = new Map([
  ["|>", T.PipeOp],
  ["..", T.RangeOp],
  ["..=", T.RangeOp],
  ["=", T.AssignOp],
  ["<-", T.AssignOp],
  ["+=", T.AssignOp],
  ["-=", T.AssignOp],
  ["*=", T.AssignOp],
  ["/=", T.AssignOp],
  ["%=", T.AssignOp],
  ["&=", T.AssignOp],
  ["|=", T.AssignOp],
  ["^=", T.AssignOp],
  ["<<=", T.AssignOp],
  [">>=", T.AssignOp],
  ["->", T.Arrow],
  ["=>", T.ArmOp],
  [":", T.ColonOp],
  ["||", T.OrOp],
  ["&&", T.AndOp],
  ["==", T.EqOp],
  ["!=", T.EqOp],
  ["<", T.CompareOp],
  ["<=", T.CompareOp],
  [">", T.CompareOp],
  [">=", T.CompareOp],
  ["|", T.BitOrOp],
  ["^", T.XorOp],
  ["&", T.BitAndOp],
  ["<<", T.ShiftOp],
  [">>", T.ShiftOp],
  ["+", T.AddOp],
  ["-", T.AddOp],
  ["*", T.MulOp],
  ["/", T.MulOp],
  ["%", T.MulOp],
  ["**", T.PowOp],
  [".", T.Dot],
  ["::", T.PathSep],
  ["?", T.TryOp],
  ["|?", T.PipeTryOp],
]);

/** What the first token of a line is, as far as layout cares. */
export const First = {
  /** An infix or postfix operator: the line continues the expression (§3.2 rule 2). */
  Operator: 0,
  /** A closer `)` `]` `}`; `closer` says which character. */
  Closer: 1,
  Comma: 2,
  Then: 3,
  Else: 4,
  /** Anything else. */
  Other: 5,
  EndOfInput: 6,
} as const;
/** One of the {@link First} values. */
export type First = (typeof First)[keyof typeof First];

interface LineInfo {
  /** Offset (relative to the input position) of the line's first token. */
  readonly at: number;
  /** Indentation of the line (tab = 4). */
  readonly indent: number;
  readonly first: First;
  /** The closer character when `first` is `Closer`. */
  readonly closer: number;
}

/** Layout decision at the first token of a line. */
const Action = {
  None: 0,
  Newline: 1,
  Indent: 2,
  Dedent: 3,
  /** Close the innermost delimiter (the guard of §3.4, or the end of the input). */
  CloseDelimiter: 4,
} as const;
type Action = (typeof Action)[keyof typeof Action];

/** Whether the identifier at `at` is exactly `word`. */
function isKeywordAt(src: CharSource, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (src.peek(at + i) !== word.charCodeAt(i)) return false;
  return !isIdentContinue(src.peek(at + word.length));
}

/** Classifies the token at `at` for layout (shared with the fast path, `fast.ts`). */
export function classifyFirst(src: CharSource, at: number): { first: First; closer: number } {
  const c = src.peek(at);
  if (c < 0) return { first: First.EndOfInput, closer: 0 };
  if (c === Ch.parenClose || c === Ch.bracketClose || c === Ch.braceClose) {
    return { first: First.Closer, closer: c };
  }
  if (c === Ch.comma) return { first: First.Comma, closer: 0 };
  if (c === 116 && isKeywordAt(src, at, "then")) return { first: First.Then, closer: 0 };
  if (c === 101 && isKeywordAt(src, at, "else")) return { first: First.Else, closer: 0 };
  if (c === Ch.colon && src.peek(at + 1) === Ch.quote) return { first: First.Other, closer: 0 };
  const op = scanOperator(src, at);
  if (op !== undefined && (INFIX_OPERATORS.has(op) || POSTFIX_OPERATORS.has(op))) {
    // D2: a tight `-x` / `*x` at the start of a line is a prefix form, not a continuation.
    if ((op === "-" || op === "*") && isTightPrefix(src, at))
      return { first: First.Other, closer: 0 };
    return { first: First.Operator, closer: 0 };
  }
  return { first: First.Other, closer: 0 };
}

/**
 * Skips blanks, comments and line breaks from `from`. Returns the next line's info when a
 * line break is crossed (or at the end of the input), `undefined` when a token follows on
 * the same line; `sameLineAt` receives that token's offset.
 */
function nextLine(
  src: CharSource,
  from: number,
  out: { sameLineAt: number },
): LineInfo | undefined {
  let o = from;
  let crossed = false;
  let lineStart = from;
  for (;;) {
    const c = src.peek(o);
    if (isBlank(c)) o++;
    else if (c === Ch.newline) {
      crossed = true;
      o++;
      lineStart = o;
    } else if (c === Ch.hash) o = scanComment(src, o);
    else break;
  }
  if (!crossed && src.peek(o) >= 0) {
    out.sameLineAt = o;
    return undefined;
  }
  const { first, closer } = classifyFirst(src, o);
  return { at: o, indent: crossed ? indentWidth(src, lineStart, o) : 0, first, closer };
}

/** The layout action for a line whose first token is described by `line`. */
function layoutAction(cx: LayoutContext, stack: Stack, line: LineInfo): Action {
  const frame = cx.frame;
  if (line.first === First.EndOfInput) {
    if (frame.isDelimiter) return Action.CloseDelimiter;
    if (frame.kind === FrameKind.Block) return Action.Dedent;
    return Action.None;
  }
  if (frame.isDelimiter) {
    if (
      line.indent <= frame.indent &&
      line.first !== First.Comma &&
      !(line.first === First.Closer && line.closer === frame.closer)
    ) {
      return Action.CloseDelimiter;
    }
    return Action.None;
  }
  if (frame.kind === FrameKind.Block && line.indent < frame.indent) return Action.Dedent;
  const ref = frame.indent;
  if (ref < 0) return Action.Newline;
  const keyword = line.first === First.Then || line.first === First.Else;
  // `then` and `else` may start a later line indented at least as much as the `if` (§3.5).
  const keywordShifts =
    keyword &&
    line.indent >= (cx.ifs ? cx.ifs.indent : ref) &&
    can(stack, line.first === First.Then ? T.Then : T.Else);
  if (line.indent > ref) {
    if (line.first === First.Operator || keywordShifts) return Action.None;
    // A block can only go where an operand or an argument can; elsewhere the deeper line
    // simply continues (for example lambda parameters split over lines).
    return can(stack, T.Indent) ? Action.Indent : Action.None;
  }
  if (line.indent === ref && (line.first === First.Operator || keywordShifts)) return Action.None;
  return Action.Newline;
}

const actionTerm = (action: Action, frame: Frame): number => {
  switch (action) {
    case Action.Newline:
      return T.Newline;
    case Action.Indent:
      return T.Indent;
    case Action.Dedent:
      return T.dedent;
    default:
      return frame.closerTerm;
  }
};

/** Whether any delimiter frame in the stack closes with `closer`. */
function openDelimiterWith(frame: Frame | null, closer: number): Frame | null {
  for (let f = frame; f; f = f.parent) {
    if (f.isDelimiter && f.closer === closer) return f;
    if (!f.isDelimiter) return null;
  }
  return null;
}

/** Whether a block or argument starts at `at` (after a name): D1's "starts an argument". */
function startsArgument(src: CharSource, at: number, cx: LayoutContext): boolean {
  // Outside a delimiter the innermost frame is the layout frame (the block or the top).
  return startsArgumentAt(
    src,
    at,
    cx.frame.isDelimiter,
    cx.frame.isDelimiter ? 0 : cx.frame.indent,
  );
}

/**
 * {@link startsArgument} on the character level, for a parser that keeps its own layout state
 * (the fast path, `fast.ts`): `inDelimiter` tells whether the innermost frame is a delimiter,
 * `layoutIndent` is the indentation of the innermost block or top-level item otherwise.
 */
export function startsArgumentAt(
  src: CharSource,
  at: number,
  inDelimiter: boolean,
  layoutIndent: number,
): boolean {
  let o = at;
  while (isBlank(src.peek(o))) o++;
  const spaced = o > at;
  const c = src.peek(o);
  if (c === Ch.newline || c === Ch.hash || c < 0) {
    // A block on the following lines is an argument too (§3.3).
    if (inDelimiter) return false;
    const line = nextLine(src, o, { sameLineAt: 0 });
    if (!line || line.first === First.EndOfInput) return false;
    return line.indent > layoutIndent && line.first === First.Other;
  }
  if (isIdentStart(c)) return !(isKeywordAt(src, o, "then") || isKeywordAt(src, o, "else"));
  if (isDigit(c)) return true;
  switch (c) {
    case Ch.quote:
    case Ch.apostrophe:
    case Ch.parenOpen:
    case Ch.braceOpen:
    case Ch.backslash:
      return true;
    case Ch.bracketOpen:
      return spaced;
    case Ch.dollar:
      return src.peek(o + 1) === Ch.braceOpen || src.peek(o + 1) === Ch.quote;
    case Ch.colon:
      return src.peek(o + 1) === Ch.quote;
    case Ch.bang:
    case Ch.tilde:
      return src.peek(o + 1) !== Ch.eq && startsOperandAfterBlanks(src, o + 1);
    case Ch.dot:
      return src.peek(o + 1) === Ch.dot && src.peek(o + 2) === Ch.dot && startsOperand(src, o + 3);
    default:
      return false;
  }
}

function startsOperandAfterBlanks(src: CharSource, at: number): boolean {
  let o = at;
  while (isBlank(src.peek(o))) o++;
  return startsOperand(src, o);
}

/**
 * Whether the name at `at` (and any `.name` / `::name` after it) is followed by an argument,
 * which makes it the head of an application in a tight operator's right operand (D1).
 */
function isApplicationHead(src: CharSource, at: number, cx: LayoutContext): boolean {
  return startsArgument(src, calleeEnd(src, at), cx);
}

/**
 * The end of the name at `at` together with every `.name` / `::name` written right after it:
 * the head of a D1 application, when an argument follows ({@link isApplicationHead}). A caller
 * that has scanned the name already passes its end.
 */
export function calleeEnd(
  src: CharSource,
  at: number,
  nameEnd: number = scanIdentifier(src, at),
): number {
  let o = nameEnd;
  for (;;) {
    const c = src.peek(o);
    if (c === Ch.dot && src.peek(o + 1) !== Ch.dot && isIdentStart(src.peek(o + 1))) {
      o = scanIdentifier(src, o + 1);
    } else if (c === Ch.colon && src.peek(o + 1) === Ch.colon && isIdentStart(src.peek(o + 2))) {
      o = scanIdentifier(src, o + 2);
    } else break;
  }
  return o;
}

/** A lexed token: its term as decided from the parse state, and its end. */
interface Lexed {
  readonly term: number;
  readonly end: number;
}

/** Lexes the token at offset 0 (which is not whitespace, a comment or the end of input). */
function lex(input: InputStream, cx: LayoutContext, stack: Stack): Lexed {
  const c = input.peek(0);
  if (isDigit(c)) return { term: T.Number, end: scanNumberEnd(input, 0) };
  if (isIdentStart(c)) {
    const end = scanIdentifier(input, 0);
    const prev = input.peek(-1);
    if ((isDigit(prev) || prev === Ch.underscore) && can(stack, T.Unit))
      return { term: T.Unit, end };
    if (end === 2 && c === 105 && input.peek(1) === 102 && can(stack, T.If))
      return { term: T.If, end };
    if (end === 4 && isKeywordAt(input, 0, "then")) return { term: T.Then, end };
    if (end === 4 && isKeywordAt(input, 0, "else")) return { term: T.Else, end };
    if (can(stack, T.CalleeName) && isApplicationHead(input, 0, cx)) {
      return { term: T.CalleeName, end };
    }
    return { term: T.Identifier, end };
  }
  switch (c) {
    case Ch.quote:
      return { term: T.String, end: scanString(input, 0).end };
    case Ch.apostrophe:
      return { term: T.Char, end: scanChar(input, 0).end };
    case Ch.parenOpen:
      return { term: T.ParenOpen, end: 1 };
    case Ch.parenClose:
      return { term: T.ParenClose, end: 1 };
    case Ch.bracketOpen: {
      const prev = input.peek(-1);
      const tight = prev >= 0 && !isBlank(prev) && prev !== Ch.newline;
      return { term: tight && can(stack, T.IndexOpen) ? T.IndexOpen : T.ListOpen, end: 1 };
    }
    case Ch.bracketClose:
      return { term: T.BracketClose, end: 1 };
    case Ch.braceOpen:
      return { term: T.BraceOpen, end: 1 };
    case Ch.braceClose:
      return { term: T.BraceClose, end: 1 };
    case Ch.comma:
      return { term: T.Comma, end: 1 };
    case Ch.semicolon:
    case Ch.backtick:
      // Reserved: a parse error wherever they appear (§2).
      return { term: T.Invalid, end: 1 };
    case Ch.colon:
      if (input.peek(1) === Ch.quote) {
        if (quotedHasInterpolation(input, 1)) return { term: T.SymbolStart, end: 2 };
        return { term: T.Symbol, end: scanString(input, 1).end };
      }
      break;
    case Ch.dollar:
      if (input.peek(1) === Ch.quote) return { term: T.InterpolationStart, end: 2 };
      if (input.peek(1) === Ch.braceOpen) return { term: T.UnquoteOpen, end: 2 };
      break;
  }
  const op = scanOperator(input, 0);
  if (op === undefined) return { term: T.Invalid, end: 1 };
  return { term: operatorTerm(op, input, stack), end: op.length };
}

/** Decides what an operator token is from the parse state (§4.1, D2). */
function operatorTerm(op: string, input: InputStream, stack: Stack): number {
  if (op === "\\") return T.Backslash;
  if (op === "@") return can(stack, T.At) ? T.At : T.OperatorName;
  // Wherever the infix reading fits, it wins: after an operand, and in the two places that
  // take an operator without a complete operand before it (`->` after lambda parameters,
  // `.`/`::` inside the head of a D1 application).
  // `import m *` (docs/spec/15-modules.md): a `*` that ends an import line is the wildcard,
  // an operand, not a multiplication missing its right operand.
  if (op === "*" && isImportWildcard(input, stack)) return T.OperatorName;
  const infix = INFIX_TERMS.get(op);
  if (infix !== undefined && can(stack, infix)) return infix;
  const afterOperand = can(stack, T.AddOp);
  if (afterOperand) {
    if (infix !== undefined) return infix;
    // `!`, `~`, `...` and `$` have no infix meaning; the first three start an argument.
    if (op !== "$" && startsOperandAfterBlanks(input, op.length)) return T.PrefixOp;
    return T.Invalid;
  }
  switch (op) {
    case "-":
    case "*":
      return isTightPrefix(input, 0) ? T.PrefixOp : T.OperatorName;
    case "!":
    case "~":
    case "...":
    case "$":
      return startsOperandAfterBlanks(input, op.length) ? T.PrefixOp : T.OperatorName;
    default:
      return T.OperatorName;
  }
}

/**
 * Whether the `*` at the current position is the wildcard of `import m *`: it follows an
 * operand, nothing but blanks or a comment follows it on its line, and the line starts with
 * `import`.
 */
function isImportWildcard(input: InputStream, stack: Stack): boolean {
  return can(stack, T.OperatorName) && isImportWildcardAt(input, 0);
}

/**
 * The lexical half of {@link isImportWildcard}, for the `*` at `at`: nothing but blanks or a
 * comment follows it on its line, and the line starts with `import`.
 */
export function isImportWildcardAt(src: CharSource, at: number): boolean {
  let o = at + 1;
  while (isBlank(src.peek(o))) o++;
  const after = src.peek(o);
  if (after !== -1 && after !== Ch.newline && after !== Ch.hash && after !== 13) return false;
  let start = at;
  while (true) {
    const c = src.peek(start - 1);
    if (c === -1 || c === Ch.newline) break;
    start--;
  }
  while (isBlank(src.peek(start))) start++;
  return isKeywordAt(src, start, "import");
}

/** Whether `term` can end the construct before it (so that a missing operand goes first). */
function isTerminator(term: number, cx: LayoutContext, input: InputStream): boolean {
  switch (term) {
    case T.ParenClose:
    case T.BracketClose:
    case T.BraceClose:
      return openDelimiterWith(cx.frame, input.peek(0)) !== null;
    case T.Comma:
      return cx.frame.isDelimiter;
    case T.Then:
    case T.Else:
    case T.Newline:
    case T.dedent:
    case T.Indent:
      return true;
    default:
      return false;
  }
}

/**
 * The end (relative offset) of the region skipped after an error at offset 0 (§3.6): inside a
 * delimiter, up to the next comma or closer at the same depth, or to a line the guard would
 * close at; elsewhere, up to the next line indented no deeper than the current item.
 */
function skipRegion(input: InputStream, cx: LayoutContext): number {
  const frame = cx.frame;
  let o = 0;
  let depth = 0;
  let first = true;
  for (;;) {
    // Blanks and comments on the current line.
    for (;;) {
      const c = input.peek(o);
      if (isBlank(c)) o++;
      else if (c === Ch.hash) o = scanComment(input, o);
      else break;
    }
    const c = input.peek(o);
    if (c < 0) return trimEnd(input, o);
    if (c === Ch.newline) {
      const line = nextLine(input, o, { sameLineAt: 0 });
      if (!line || line.first === First.EndOfInput) return trimEnd(input, o);
      if (frame.isDelimiter) {
        if (
          depth === 0 &&
          line.indent <= frame.indent &&
          line.first !== First.Comma &&
          !(line.first === First.Closer && line.closer === frame.closer)
        ) {
          return trimEnd(input, o);
        }
      } else {
        const ref = cx.layoutFrame.indent;
        if (line.indent <= ref) return trimEnd(input, o);
      }
      o = line.at;
      continue;
    }
    if (!first && frame.isDelimiter && depth === 0) {
      if (c === Ch.comma || c === Ch.parenClose || c === Ch.bracketClose || c === Ch.braceClose) {
        return o;
      }
    }
    first = false;
    if (c === Ch.parenOpen || c === Ch.bracketOpen || c === Ch.braceOpen) {
      depth++;
      o++;
    } else if (c === Ch.dollar && input.peek(o + 1) === Ch.braceOpen) {
      depth++;
      o += 2;
    } else if (c === Ch.parenClose || c === Ch.bracketClose || c === Ch.braceClose) {
      if (depth > 0) depth--;
      o++;
    } else if (c === Ch.quote) {
      o = scanString(input, o).end;
    } else if (c === Ch.apostrophe) {
      o = scanChar(input, o).end;
    } else if (isDigit(c)) {
      o = scanNumberEnd(input, o);
    } else if (isIdentStart(c)) {
      o = scanIdentifier(input, o);
    } else if (c === Ch.colon && input.peek(o + 1) === Ch.quote) {
      o = scanString(input, o + 1).end;
    } else if (c === Ch.dollar && input.peek(o + 1) === Ch.quote) {
      o = scanString(input, o + 1).end;
    } else {
      o += scanOperator(input, o)?.length ?? 1;
    }
  }
}

/** Backs up over trailing blanks so that an `Invalid` token ends at its last character. */
function trimEnd(input: InputStream, end: number): number {
  let o = end;
  while (o > 0 && isBlank(input.peek(o - 1))) o--;
  return o;
}

/**
 * A cheap filter before the checks that need the parse state: whether, past the blanks at the
 * current position, something comes that could end the current construct (a line break, a
 * comment, the end of the input, a closer, a comma, `then` or `else`).
 */
function mayEndHere(input: InputStream): boolean {
  let o = 0;
  while (isBlank(input.peek(o))) o++;
  const d = input.peek(o);
  switch (d) {
    case -1:
    case Ch.newline:
    case Ch.hash:
    case Ch.parenClose:
    case Ch.bracketClose:
    case Ch.braceClose:
    case Ch.comma:
      return true;
    case 116:
      return isKeywordAt(input, o, "then");
    case 101:
      return isKeywordAt(input, o, "else");
    default:
      return false;
  }
}

/** Whether the parser needs an operand here: it cannot take an infix operator but can take one. */
function operandRequired(stack: Stack): boolean {
  return !can(stack, T.AddOp) && (can(stack, T.Missing) || can(stack, T.Arrow));
}

/**
 * The zero-length token that stands in for what is missing where an operand is required:
 * the arrow of a lambda whose parameters end without one, otherwise `Missing`.
 */
function missingTerm(stack: Stack): number {
  return can(stack, T.Arrow) && !can(stack, T.Missing) ? T.Arrow : T.Missing;
}

/**
 * Looks past blanks, comments and line breaks from the current position: whether what
 * comes next is a terminator (layout, closer, comma, `then`/`else`, end of input) that the
 * parser cannot take now.
 */
function missingAhead(input: InputStream, stack: Stack, cx: LayoutContext): boolean {
  const out = { sameLineAt: 0 };
  const line = nextLine(input, 0, out);
  if (line) {
    const action = layoutAction(cx, stack, line);
    if (action === Action.None) return line.first === First.EndOfInput;
    return !can(stack, actionTerm(action, cx.frame));
  }
  const at = out.sameLineAt;
  const { first, closer } = classifyFirst(input, at);
  switch (first) {
    case First.Closer:
      return (
        openDelimiterWith(cx.frame, closer) !== null &&
        !can(
          stack,
          closer === Ch.parenClose
            ? T.ParenClose
            : closer === Ch.bracketClose
              ? T.BracketClose
              : T.BraceClose,
        )
      );
    case First.Comma:
      return cx.frame.isDelimiter && !can(stack, T.Comma);
    case First.Then:
      return !can(stack, T.Then);
    case First.Else:
      return !can(stack, T.Else);
    default:
      return false;
  }
}

/** Calls at one position of one input, to guarantee progress (see {@link tokenize}). */
let lastInput: InputStream | null = null;
let lastPos = -1;
let callsHere = 0;
const MAX_CALLS_AT_ONE_POSITION = 64;

function tokenize(input: InputStream, stack: Stack): void {
  generation = (generation + 1) >>> 0;
  if (generation === 0) shiftStamp.fill(0xffffffff);
  const cx = stack.context as LayoutContext;
  const c = input.next;

  // Zero-length tokens (layout, recovery) are bounded by construction; this guard makes
  // termination independent of that reasoning: a position asked about too often gets its
  // character consumed as `Invalid`.
  if (input !== lastInput || input.pos !== lastPos) {
    lastInput = input;
    lastPos = input.pos;
    callsHere = 0;
  } else if (++callsHere > MAX_CALLS_AT_ONE_POSITION) {
    if (c >= 0) input.acceptToken(T.Invalid, 1);
    return;
  }

  // Inside an interpolated string or symbol: literal text, `${`, the closing quote.
  if (cx.frame.kind === FrameKind.String) {
    if (c < 0) input.acceptToken(T.StringEnd);
    else if (c === Ch.quote) input.acceptToken(T.StringEnd, 1);
    else if (c === Ch.dollar && input.peek(1) === Ch.braceOpen) input.acceptToken(T.UnquoteOpen, 2);
    else input.acceptToken(T.StringContent, scanStringContent(input, 0));
    return;
  }

  const lineStart = cx.atLineStart && !isBlank(c) && c !== Ch.newline && c !== Ch.hash;

  // Before whitespace, a comment or the end of the input: if an operand is required here and
  // what comes next cannot follow, the operand is missing right after the operator (§3.6).
  if (
    !lineStart &&
    (isBlank(c) || c === Ch.newline || c === Ch.hash || c < 0) &&
    mayEndHere(input)
  ) {
    if (operandRequired(stack) && missingAhead(input, stack, cx)) {
      input.acceptToken(missingTerm(stack));
      return;
    }
    // An unclosed delimiter that the next line (or the end of the input) closes is closed
    // here, at the end of its last line, rather than at the first token of the next one.
    if (cx.frame.isDelimiter) {
      const line = nextLine(input, 0, { sameLineAt: 0 });
      if (
        line &&
        layoutAction(cx, stack, line) === Action.CloseDelimiter &&
        can(stack, cx.frame.closerTerm)
      ) {
        input.acceptToken(cx.frame.closerTerm);
        return;
      }
    }
  }

  if (isBlank(c) || c === Ch.newline) {
    let o = 1;
    for (;;) {
      const d = input.peek(o);
      if (isBlank(d) || d === Ch.newline) o++;
      else break;
    }
    input.acceptToken(T.whitespace, o);
    return;
  }
  if (c === Ch.hash) {
    const doc = cx.atLineStart && input.peek(1) === Ch.hash;
    input.acceptToken(doc ? T.DocComment : T.Comment, scanComment(input, 0));
    return;
  }

  // Layout at the first token of a line, and the end of the input.
  if (lineStart || c < 0) {
    const line: LineInfo =
      c < 0
        ? { at: 0, indent: 0, first: First.EndOfInput, closer: 0 }
        : { at: 0, indent: cx.lineIndent, ...classifyFirst(input, 0) };
    const action = layoutAction(cx, stack, line);
    if (action !== Action.None) {
      const term = actionTerm(action, cx.frame);
      // After the item's `newline`, the same line asks again: layout is done.
      if (!(action === Action.Newline && !can(stack, T.Newline))) {
        if (!can(stack, term) && operandRequired(stack)) {
          input.acceptToken(missingTerm(stack));
          return;
        }
        input.acceptToken(term);
        return;
      }
    }
    if (c < 0) {
      if (operandRequired(stack)) input.acceptToken(missingTerm(stack));
      return;
    }
  }

  const lexed = lex(input, cx, stack);
  if (lexed.term === T.Invalid) {
    if (can(stack, T.Invalid)) input.acceptToken(T.Invalid, skipRegion(input, cx));
    else input.acceptToken(T.Invalid, lexed.end);
    return;
  }
  if (can(stack, lexed.term)) {
    input.acceptToken(lexed.term, lexed.end);
    return;
  }
  // A lambda whose parameters are not followed by `->` gets a zero-length arrow; a missing
  // operand before a terminator comes first.
  if (operandRequired(stack)) {
    const term = missingTerm(stack);
    if (term === T.Arrow || isTerminator(lexed.term, cx, input)) {
      input.acceptToken(term);
      return;
    }
  }
  // A closer for an outer delimiter closes the inner one first (reported as unclosed).
  if (lexed.term === T.ParenClose || lexed.term === T.BracketClose || lexed.term === T.BraceClose) {
    if (cx.frame.isDelimiter && openDelimiterWith(cx.frame.parent, c)) {
      input.acceptToken(cx.frame.closerTerm);
      return;
    }
  }
  if (can(stack, T.Invalid)) {
    input.acceptToken(T.Invalid, skipRegion(input, cx));
    return;
  }
  // Nothing fits: hand the token to Lezer's own recovery.
  input.acceptToken(lexed.term, lexed.end);
}

// Not `contextual`: Lezer then reuses a token while the position and the context hash stay the
// same, that is across the reductions it performs before shifting it. The answer would not
// change anyway (`canShift` already simulates those reductions), and re-running the tokenizer
// after every reduction was its largest cost. Every zero-length token changes the context hash
// (see `LayoutContext.insertions`), so a shifted one is never handed back.

/** The tokenizer named by the grammar's `@external tokens` declaration. */
export const tokens: ExternalTokenizer = new ExternalTokenizer(tokenize);
