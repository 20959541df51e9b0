/**
 * The parse-error diagnostics of LANGUAGE.md §3.6 and §8.2, built in one place so that every
 * message, label and code stays consistent.
 */
import { type Diagnostic, diagnostic, type SourceFile, type Span } from "@cadenza/core";

/** The label of a missing operand. */
const EXPECTED_AN_EXPRESSION = "expected an expression";

/** `` expected expression, found `X` `` at the offending token (or the end of a line). */
export function expectedExpression(found: string, span: Span, source: SourceFile): Diagnostic {
  return diagnostic({
    code: "syntax/expected-expression",
    message: `expected expression, found \`${found}\``,
    file: source.name,
    primary: { span, message: EXPECTED_AN_EXPRESSION },
  });
}

/** `unexpected end of file`, at the end-of-input point. */
export function unexpectedEndOfFile(span: Span, source: SourceFile): Diagnostic {
  return diagnostic({
    code: "syntax/unexpected-eof",
    message: "unexpected end of file",
    file: source.name,
    primary: { span, message: EXPECTED_AN_EXPRESSION },
  });
}

/** `` expected `)` `` with the unclosed opener as a secondary label. */
export function expectedCloser(
  closer: string,
  span: Span,
  opener: Span,
  source: SourceFile,
): Diagnostic {
  return diagnostic({
    code: "syntax/unclosed-delimiter",
    message: `expected \`${closer}\``,
    file: source.name,
    primary: { span, message: `expected \`${closer}\` here` },
    secondary: [{ span: opener, message: "unclosed delimiter" }],
  });
}

/** `expected expression before comma`, at the comma. */
export function expectedBeforeComma(comma: Span, source: SourceFile): Diagnostic {
  return diagnostic({
    code: "syntax/expected-element",
    message: "expected expression before comma",
    file: source.name,
    primary: { span: comma, message: "expected an element before this comma" },
  });
}

/** `` expected `->` `` for a lambda without its arrow. */
export function expectedArrow(span: Span, source: SourceFile): Diagnostic {
  return diagnostic({
    code: "syntax/expected-arrow",
    message: "expected `->`",
    file: source.name,
    primary: { span, message: "expected `->` here" },
  });
}

/** `` expected `then` `` for an `if` without `then`. */
export function expectedThen(span: Span, source: SourceFile): Diagnostic {
  return diagnostic({
    code: "syntax/expected-then",
    message: "expected `then`",
    file: source.name,
    primary: { span, message: "expected `then` here" },
  });
}

/** Reported when an expression nests deeper than the lowering's recursion budget. */
export function nestedTooDeeply(span: Span, source: SourceFile): Diagnostic {
  return diagnostic({
    code: "syntax/nested-too-deeply",
    message: "expression is nested too deeply",
    file: source.name,
    primary: { span, message: "this expression exceeds the nesting limit" },
  });
}
