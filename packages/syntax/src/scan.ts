/**
 * Character classes and token scanners of LANGUAGE.md §2, shared by the external tokenizer
 * (which reads a Lezer `InputStream`) and the lowering (which reads plain strings).
 *
 * Every scanner takes a {@link CharSource} and an offset relative to the source's position
 * and returns the offset just past what it matched. Nothing here allocates per character.
 */

/** Something that can be read by UTF-16 code unit; `peek` returns -1 outside the text. */
export interface CharSource {
  peek(offset: number): number;
}

/** A {@link CharSource} over a string, positioned at `pos`. */
export class StringSource implements CharSource {
  readonly text: string;
  readonly pos: number;

  constructor(text: string, pos: number) {
    this.text = text;
    this.pos = pos;
  }

  peek(offset: number): number {
    const i = this.pos + offset;
    return i >= 0 && i < this.text.length ? this.text.charCodeAt(i) : -1;
  }
}

/** Character codes used by the scanners. */
export const Ch = {
  tab: 9,
  newline: 10,
  carriageReturn: 13,
  space: 32,
  bang: 33,
  quote: 34,
  hash: 35,
  dollar: 36,
  percent: 37,
  amp: 38,
  apostrophe: 39,
  parenOpen: 40,
  parenClose: 41,
  star: 42,
  plus: 43,
  comma: 44,
  minus: 45,
  dot: 46,
  slash: 47,
  zero: 48,
  nine: 57,
  colon: 58,
  semicolon: 59,
  lt: 60,
  eq: 61,
  gt: 62,
  question: 63,
  at: 64,
  bracketOpen: 91,
  backslash: 92,
  bracketClose: 93,
  caret: 94,
  underscore: 95,
  backtick: 96,
  braceOpen: 123,
  pipe: 124,
  braceClose: 125,
  tilde: 126,
} as const;

/** Whether `c` is an ASCII digit. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether `c` is a space or a tab (the horizontal whitespace of the language), or a carriage
 * return or byte order mark, which normalisation removes (§2) but which are tolerated as
 * blanks when a caller parses text it did not normalise.
 */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 0xfeff;
}

/** The indentation columns of one blank: 4 for a tab, 1 for a space, 0 for the others. */
export function blankWidth(c: number): number {
  return c === 32 ? 1 : c === 9 ? 4 : 0;
}

/**
 * Whether `c` is whitespace in the sense of §2's identifier rule: ASCII whitespace and the
 * Unicode space separators, line and paragraph separators and the byte order mark.
 */
export function isWhitespace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Whether `c` is one of the 32 ASCII punctuation characters. */
export function isAsciiPunctuation(c: number): boolean {
  return (
    (c >= 33 && c <= 47) ||
    (c >= 58 && c <= 64) ||
    (c >= 91 && c <= 96 && c !== 95) ||
    (c >= 123 && c <= 126)
  );
}

/** Whether `c` starts an identifier: not whitespace, not an ASCII digit, not ASCII punctuation. */
export function isIdentStart(c: number): boolean {
  return c >= 0 && !isWhitespace(c) && !isDigit(c) && !isAsciiPunctuation(c);
}

/** Whether `c` continues an identifier: ASCII letters and digits, `_`, non-ASCII non-whitespace. */
export function isIdentContinue(c: number): boolean {
  if (c < 128) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95;
  }
  return !isWhitespace(c);
}

/** The end of the identifier starting at `at` (which must satisfy {@link isIdentStart}). */
export function scanIdentifier(src: CharSource, at: number): number {
  let o = at + 1;
  while (isIdentContinue(src.peek(o))) o++;
  return o;
}

// ---- scanners over a string ------------------------------------------------------------
//
// The fast path (`fast.ts`) reads a plain string, and parses whole files before V8 has
// optimised its code: there, a function call per character (`peek`, then a predicate) costs
// more than everything else. These scanners apply the same rules as the `CharSource` ones
// above, with the ASCII classes in tables computed from the predicates themselves, and
// `test/scan.test.ts` checks that both agree.

/** Whether each ASCII character continues an identifier ({@link isIdentContinue}). */
const ASCII_IDENT_CONTINUE: Uint8Array = asciiTable(isIdentContinue);

/** Whether each ASCII character starts an identifier ({@link isIdentStart}). */
export const ASCII_IDENT_START: Uint8Array = asciiTable(isIdentStart);

function asciiTable(predicate: (c: number) => boolean): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = predicate(c) ? 1 : 0;
  return table;
}

/** {@link scanIdentifier} over `text`, from the identifier's first character at `at`. */
export function identifierEnd(text: string, at: number): number {
  const length = text.length;
  let o = at + 1;
  while (o < length) {
    const c = text.charCodeAt(o);
    if (c < 128 ? ASCII_IDENT_CONTINUE[c] === 0 : !isIdentContinue(c)) break;
    o++;
  }
  return o;
}

/** {@link scanNumberEnd} over `text`, from the number's first digit at `at`. */
export function numberEnd(text: string, at: number): number {
  let o = digitsEnd(text, at);
  if (text.charCodeAt(o) === Ch.dot && isDigit(text.charCodeAt(o + 1))) o = digitsEnd(text, o + 1);
  const e = text.charCodeAt(o);
  if (e === 101 || e === 69) {
    let p = o + 1;
    const sign = text.charCodeAt(p);
    if (sign === Ch.plus || sign === Ch.minus) p++;
    if (isDigit(text.charCodeAt(p))) o = digitsEnd(text, p);
  }
  return o;
}

/** Past the digits and underscores of `text` at `at`. */
function digitsEnd(text: string, at: number): number {
  const length = text.length;
  let o = at;
  while (o < length) {
    const c = text.charCodeAt(o);
    if ((c < 48 || c > 57) && c !== Ch.underscore) break;
    o++;
  }
  return o;
}

/** Result of {@link scanNumber}. */
export interface NumberScan {
  readonly end: number;
  readonly isFloat: boolean;
}

/**
 * Scans a number starting at a digit: `digit (digit | _)*`, an optional fraction (`.` only
 * when a digit follows) and an optional exponent (only when a digit follows the `e` and
 * its sign).
 */
export function scanNumber(src: CharSource, at: number): NumberScan {
  const end = scanNumberEnd(src, at);
  // A fraction or an exponent is only taken when digits follow (see scanNumberEnd).
  let isFloat = false;
  for (let o = at; o < end && !isFloat; o++) {
    const c = src.peek(o);
    isFloat = c === Ch.dot || c === 101 || c === 69;
  }
  return { end, isFloat };
}

/** The end of the number starting at `at`, as {@link scanNumber} scans it, without allocating. */
export function scanNumberEnd(src: CharSource, at: number): number {
  let o = skipDigits(src, at);
  if (src.peek(o) === Ch.dot && isDigit(src.peek(o + 1))) o = skipDigits(src, o + 1);
  const e = src.peek(o);
  if (e === 101 || e === 69) {
    let p = o + 1;
    const sign = src.peek(p);
    if (sign === Ch.plus || sign === Ch.minus) p++;
    if (isDigit(src.peek(p))) o = skipDigits(src, p);
  }
  return o;
}

/** Past the digits and underscores at `at`. */
function skipDigits(src: CharSource, at: number): number {
  let o = at;
  for (;;) {
    const c = src.peek(o);
    if (!isDigit(c) && c !== Ch.underscore) return o;
    o++;
  }
}

/** Result of the quoted-literal scanners. */
export interface QuotedScan {
  readonly end: number;
  readonly terminated: boolean;
}

/**
 * Scans a `"…"` string starting at the opening quote. Strings may span lines; without a
 * closing quote the string runs to the end of the input.
 */
export function scanString(src: CharSource, at: number): QuotedScan {
  let o = at + 1;
  for (;;) {
    const c = src.peek(o);
    if (c < 0) return { end: o, terminated: false };
    if (c === Ch.quote) return { end: o + 1, terminated: true };
    if (c === Ch.backslash && src.peek(o + 1) >= 0) o += 2;
    else o++;
  }
}

/**
 * Scans a `'…'` character literal starting at the opening quote. It must close on the same
 * line; otherwise it runs to the end of the line (not including the line break).
 */
export function scanChar(src: CharSource, at: number): QuotedScan {
  let o = at + 1;
  for (;;) {
    const c = src.peek(o);
    if (c < 0 || c === Ch.newline) return { end: o, terminated: false };
    if (c === Ch.apostrophe) return { end: o + 1, terminated: true };
    const d = src.peek(o + 1);
    if (c === Ch.backslash && d >= 0 && d !== Ch.newline) o += 2;
    else o++;
  }
}

/**
 * Scans literal text inside an interpolated string or symbol: up to (not including) the
 * closing quote, a `${` or the end of the input.
 */
export function scanStringContent(src: CharSource, at: number): number {
  let o = at;
  for (;;) {
    const c = src.peek(o);
    if (c < 0 || c === Ch.quote) return o;
    if (c === Ch.dollar && src.peek(o + 1) === Ch.braceOpen) return o;
    if (c === Ch.backslash && src.peek(o + 1) >= 0) o += 2;
    else o++;
  }
}

/**
 * Whether the quoted text starting at the quote at `at` contains an interpolation `${`
 * before its closing quote. Used to tell a plain symbol `:"name"` from `:"mul_${n}"`.
 */
export function quotedHasInterpolation(src: CharSource, at: number): boolean {
  const end = scanStringContent(src, at + 1);
  return src.peek(end) === Ch.dollar;
}

/** The end of the comment starting at `at` (a `#`): everything up to the line break. */
export function scanComment(src: CharSource, at: number): number {
  let o = at;
  for (;;) {
    const c = src.peek(o);
    if (c < 0 || c === Ch.newline) return o;
    o++;
  }
}

/**
 * All operators of §2's punctuation list, longest first within each first character.
 * Delimiters, `,`, quotes, `#`, `;` and `` ` `` are handled separately by the tokenizer.
 */
const OPERATORS: readonly string[] = [
  "...",
  "..=",
  "..",
  ".",
  "::",
  ":",
  "==",
  "=>",
  "=",
  "!=",
  "!",
  "<<=",
  "<<",
  "<=",
  "<-",
  "<",
  ">>=",
  ">>",
  ">=",
  ">",
  "->",
  "-=",
  "-",
  "+=",
  "+",
  "**",
  "*=",
  "*",
  "/=",
  "/",
  "%=",
  "%",
  "~",
  "&&",
  "&=",
  "&",
  "||",
  "|=",
  "|>",
  "|?",
  "|",
  "^=",
  "^",
  "?",
  "@",
  "$",
  "\\",
];

const OPERATORS_BY_FIRST: ReadonlyMap<number, readonly string[]> = (() => {
  const map = new Map<number, string[]>();
  for (const op of OPERATORS) {
    const c = op.charCodeAt(0);
    let list = map.get(c);
    if (!list) map.set(c, (list = []));
    list.push(op);
  }
  return map;
})();

/**
 * The operator starting at `at` by longest match, or `undefined` when the character there
 * does not start an operator.
 */
export function scanOperator(src: CharSource, at: number): string | undefined {
  const candidates = OPERATORS_BY_FIRST.get(src.peek(at));
  if (!candidates) return undefined;
  outer: for (const op of candidates) {
    for (let i = 1; i < op.length; i++) {
      if (src.peek(at + i) !== op.charCodeAt(i)) continue outer;
    }
    return op;
  }
  return undefined;
}

/** {@link scanOperator} over `text` (see the string scanners above). */
export function operatorAt(text: string, at: number): string | undefined {
  const candidates = OPERATORS_BY_FIRST.get(text.charCodeAt(at));
  if (candidates === undefined) return undefined;
  for (let k = 0; k < candidates.length; k++) {
    const op = candidates[k]!;
    if (op.length === 1 || text.startsWith(op, at)) return op;
  }
  return undefined;
}

/** Operators that can stand between two operands (§4.1), by spelling. */
export const INFIX_OPERATORS: ReadonlySet<string> = new Set([
  "|>",
  "..",
  "..=",
  "=",
  "->",
  "<-",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "<<=",
  ">>=",
  "=>",
  ":",
  "||",
  "&&",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "|",
  "^",
  "&",
  "<<",
  ">>",
  "+",
  "-",
  "*",
  "/",
  "%",
  "**",
  ".",
  "::",
]);

/** Postfix operators (§4.1). */
export const POSTFIX_OPERATORS: ReadonlySet<string> = new Set(["?", "|?"]);

/**
 * Whether the `-` or `*` at `at` is a prefix form by D2's lexical half: it is immediately
 * followed by a digit, an identifier character or `(`. (The other half, standing at the
 * start of an expression, is decided by the parser state.)
 */
export function isTightPrefix(src: CharSource, at: number): boolean {
  const c = src.peek(at + 1);
  return isDigit(c) || isIdentStart(c) || c === Ch.parenOpen;
}

/**
 * Whether the character at `at` (with `next` after it) can begin an operand. Approximate on
 * purpose: it decides whether `!`, `~`, `...` and `$` are prefix operators or operator values.
 */
export function startsOperand(src: CharSource, at: number): boolean {
  const c = src.peek(at);
  const d = src.peek(at + 1);
  if (isIdentStart(c) || isDigit(c)) return true;
  switch (c) {
    case Ch.quote:
    case Ch.apostrophe:
    case Ch.parenOpen:
    case Ch.bracketOpen:
    case Ch.braceOpen:
    case Ch.backslash:
    case Ch.dollar:
    case Ch.tilde:
      return true;
    case Ch.colon:
      return d === Ch.quote;
    case Ch.bang:
      return d !== Ch.eq;
    case Ch.dot:
      return d === Ch.dot && src.peek(at + 2) === Ch.dot;
    case Ch.minus:
    case Ch.star:
      return isTightPrefix(src, at);
    default:
      return false;
  }
}

/** The indentation width of a run of blanks: a tab counts 4 columns, a space 1 (§2). */
export function indentWidth(src: CharSource, from: number, to: number): number {
  let width = 0;
  for (let o = from; o < to; o++) width += blankWidth(src.peek(o));
  return width;
}
