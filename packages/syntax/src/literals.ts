/**
 * Decoding of literal tokens (LANGUAGE.md §2) with the lexical diagnostics of §8.2.
 *
 * Decoders take the token text and its offset in the file, and return the value plus the
 * problems found, each already in the exact wording of the catalogue. They never throw.
 */
import { type Diagnostic, diagnostic, type SourceFile, type Span } from "@cadenza/core";

/** The largest Integer value, 2^127 − 1. */
export const MAX_INTEGER: bigint = (1n << 127n) - 1n;

/** The smallest Integer value, −2^127 (not writable as a literal). */
export const MIN_INTEGER: bigint = -(1n << 127n);

/** The decoded value of a numeric literal, or `undefined` when it is out of range. */
export type NumberValue =
  | { readonly type: "integer"; readonly value: bigint }
  | { readonly type: "float"; readonly value: number };

/** A decoded value with the diagnostics found while decoding it. */
export interface Decoded<T> {
  /** The value; `undefined` when the literal is unusable. */
  readonly value: T | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Decodes a number token (`1_000`, `3.14`, `2e3`). Underscores are ignored; an Integer above
 * 2^127 − 1 is `integer literal is too large`.
 */
export function decodeNumber(
  text: string,
  start: number,
  source: SourceFile,
): Decoded<NumberValue> {
  const digits = text.replace(/_/g, "");
  if (/[.eE]/.test(digits))
    return { value: { type: "float", value: Number(digits) }, diagnostics: [] };
  const value = BigInt(digits);
  if (value > MAX_INTEGER) {
    return {
      value: undefined,
      diagnostics: [
        diagnostic({
          code: "syntax/integer-too-large",
          message: "integer literal is too large",
          file: source.name,
          primary: {
            span: { start, end: start + text.length },
            message: "exceeds maximum 128-bit integer value",
          },
          notes: [`maximum value is ${MAX_INTEGER}`],
          helps: ["consider using a BigInt type for arbitrarily large integers"],
        }),
      ],
    };
  }
  return { value: { type: "integer", value }, diagnostics: [] };
}

/** Which literal an escape appears in; the catalogue's note differs for characters. */
export type QuoteKind = "string" | "char";

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Decodes the body of a quoted literal (the text between the quotes), resolving escapes.
 * `start` is the file offset of the first character of `body`.
 */
export function decodeEscapes(
  body: string,
  start: number,
  kind: QuoteKind,
  source: SourceFile,
): Decoded<string> {
  if (!body.includes("\\")) return { value: body, diagnostics: [] };
  let out = "";
  const diagnostics: Diagnostic[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c !== 92) {
      out += body[i];
      i++;
      continue;
    }
    const next = body.codePointAt(i + 1);
    if (next === undefined) {
      // A lone backslash at the very end of an unterminated literal.
      diagnostics.push(unknownEscape("\\", start + i, 1, kind, source));
      i++;
      continue;
    }
    const simple = SIMPLE_ESCAPES[String.fromCodePoint(next)];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (next === 117 /* u */) {
      const unicode = readUnicodeEscape(body, i);
      if (unicode.value !== undefined) out += String.fromCodePoint(unicode.value);
      else diagnostics.push(invalidUnicode(start + i, unicode.length, source));
      i += unicode.length;
      continue;
    }
    const width = next > 0xffff ? 2 : 1;
    diagnostics.push(
      unknownEscape(`\\${String.fromCodePoint(next)}`, start + i, 1 + width, kind, source),
    );
    i += 1 + width;
  }
  return { value: diagnostics.length ? undefined : out, diagnostics };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  '"': '"',
  "'": "'",
  "0": "\0",
};

/** Reads `\u{H…}` at `at`; returns the code point when valid and the escape's length. */
function readUnicodeEscape(
  body: string,
  at: number,
): { value: number | undefined; length: number } {
  let i = at + 2;
  if (body.charCodeAt(i) !== 123 /* { */) return { value: undefined, length: 2 };
  i++;
  const digitsStart = i;
  while (i < body.length && isHex(body.charCodeAt(i))) i++;
  const digits = body.slice(digitsStart, i);
  if (body.charCodeAt(i) !== 125 /* } */) {
    // Runs up to the first character that cannot belong to the escape.
    while (i < body.length && !/[\s"'\\}]/.test(body[i]!)) i++;
    if (body.charCodeAt(i) === 125) i++;
    return { value: undefined, length: i - at };
  }
  i++;
  if (digits.length < 1 || digits.length > 6) return { value: undefined, length: i - at };
  const value = Number.parseInt(digits, 16);
  if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))
    return { value: undefined, length: i - at };
  return { value, length: i - at };
}

function unknownEscape(
  sequence: string,
  start: number,
  length: number,
  kind: QuoteKind,
  source: SourceFile,
): Diagnostic {
  const quote = kind === "char" ? "\\'" : '\\"';
  return diagnostic({
    code: "syntax/unknown-escape",
    message: "unknown escape sequence",
    file: source.name,
    primary: { span: { start, end: start + length }, message: `unknown escape: ${sequence}` },
    notes: [`valid escape sequences are: \\n \\t \\r \\\\ ${quote} \\u{...}`],
    helps: ["use \\\\ to include a literal backslash"],
  });
}

function invalidUnicode(start: number, length: number, source: SourceFile): Diagnostic {
  return diagnostic({
    code: "syntax/invalid-unicode-escape",
    message: "invalid unicode escape",
    file: source.name,
    primary: { span: { start, end: start + length }, message: "not a valid Unicode scalar value" },
    notes: ["write \\u{...} with 1 to 6 hex digits"],
  });
}

/**
 * The end-of-input point of §8.1: just after the last character of the last non-empty line.
 */
export function endOfInput(source: SourceFile): Span {
  let end = source.text.length;
  while (end > 0 && source.text.charCodeAt(end - 1) === 10) end--;
  return { start: end, end };
}

/** The `unterminated string literal` diagnostic for a quote opened at `open`. */
export function unterminatedString(open: number, source: SourceFile): Diagnostic {
  return diagnostic({
    code: "syntax/unterminated-string",
    message: "unterminated string literal",
    file: source.name,
    primary: { span: endOfInput(source), message: "missing closing double quote" },
    notes: ["string literals must have a closing quote"],
    helps: ['try adding a closing "'],
    position: open,
  });
}

/**
 * Decodes a string token `"…"` starting at `start` (which may lack its closing quote).
 */
export function decodeString(text: string, start: number, source: SourceFile): Decoded<string> {
  const terminated = text.length >= 2 && text.endsWith('"') && !endsWithEscape(text);
  const body = text.slice(1, terminated ? -1 : undefined);
  const decoded = decodeEscapes(body, start + 1, "string", source);
  if (terminated) return decoded;
  return {
    value: undefined,
    diagnostics: [unterminatedString(start, source), ...decoded.diagnostics],
  };
}

/** Whether the closing quote of `text` is actually escaped (`"abc\"` is unterminated). */
function endsWithEscape(text: string): boolean {
  let backslashes = 0;
  for (let i = text.length - 2; i >= 1 && text.charCodeAt(i) === 92; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Decodes a symbol token `:"name"` starting at `start`. */
export function decodeSymbol(text: string, start: number, source: SourceFile): Decoded<string> {
  return decodeString(text.slice(1), start + 1, source);
}

/**
 * Decodes a character token `'c'` starting at `start`: exactly one Unicode scalar value after
 * escapes, closed on the same line.
 */
export function decodeChar(text: string, start: number, source: SourceFile): Decoded<string> {
  const span = { start, end: start + text.length };
  const terminated = text.length >= 2 && text.endsWith("'") && !endsWithEscape(text);
  if (!terminated) {
    return {
      value: undefined,
      diagnostics: [
        diagnostic({
          code: "syntax/unterminated-char",
          message: "unterminated character literal",
          file: source.name,
          primary: { span, message: "missing closing single quote" },
          notes: ["character literals must be closed on the same line"],
        }),
      ],
    };
  }
  const body = text.slice(1, -1);
  const decoded = decodeEscapes(body, start + 1, "char", source);
  if (decoded.value === undefined) return decoded;
  const count = [...decoded.value].length;
  if (count === 0) {
    return {
      value: undefined,
      diagnostics: [
        diagnostic({
          code: "syntax/empty-char",
          message: "empty character literal",
          file: source.name,
          primary: { span, message: "this character literal is empty" },
          notes: ["character literals must contain exactly one character"],
          helps: ['try using \\"\\" for an empty string instead'],
        }),
      ],
    };
  }
  if (count > 1) {
    return {
      value: undefined,
      diagnostics: [
        diagnostic({
          code: "syntax/multiple-chars",
          message: "character literal contains multiple characters",
          file: source.name,
          primary: { span, message: `contains ${count} characters` },
          notes: ["character literals can only contain a single Unicode scalar value"],
          helps: [`use a string literal "${body}" for multiple characters`],
        }),
      ],
    };
  }
  return decoded;
}
