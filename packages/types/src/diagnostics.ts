/**
 * The checker's messages. Where LANGUAGE.md §8.2 has a message for the problem, the text is
 * exactly the catalogue's (and the evaluator's), so a driver can report a problem found both
 * statically and at run time once (§9). Problems the evaluator cannot see (a missing field
 * of a row, an unhandled effect, a missing trait implementation) get messages in the same
 * voice. Types in messages are rendered by `print.ts`: never an internal variable.
 */
import { type DiagnosticNote, type Label, levenshtein, type Span } from "@cadenza/core";

/** A diagnostic without its file name. */
export interface Problem {
  readonly code: string;
  readonly message: string;
  readonly primary: Label;
  readonly secondary?: readonly Label[];
  readonly notes?: readonly DiagnosticNote[];
}

/** A note line. */
export const note = (message: string): DiagnosticNote => ({ kind: "note", message });
/** A help line. */
export const help = (message: string): DiagnosticNote => ({ kind: "help", message });

function problem(
  code: string,
  message: string,
  span: Span,
  label: string,
  notes: readonly DiagnosticNote[] = [],
  secondary: readonly Label[] = [],
): Problem {
  return { code: `types/${code}`, message, primary: { span, message: label }, secondary, notes };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Why a name is unknown, for the note or help of `undefined variable`. */
export type UndefinedReason =
  | { readonly kind: "reassignment"; readonly rhs: string }
  | { readonly kind: "suggestion"; readonly name: string }
  | { readonly kind: "none" };

/** `` undefined variable: `X` `` (§8.2). */
export function undefinedVariable(name: string, span: Span, reason: UndefinedReason): Problem {
  const notes: DiagnosticNote[] = [];
  switch (reason.kind) {
    case "reassignment":
      notes.push(note("reassignment requires an existing binding"));
      notes.push(help(`use \`let ${name} = ${reason.rhs}\` to create a new binding`));
      break;
    case "suggestion":
      notes.push(help(`did you mean \`${reason.name}\`?`));
      break;
    case "none":
      notes.push(help(`use \`let ${name} = ...\` to define it`));
      break;
  }
  return problem(
    "undefined-variable",
    `undefined variable: \`${name}\``,
    span,
    "not found in this scope",
    notes,
  );
}

/** `arity mismatch` on the callee (§8.2). */
export function arityMismatch(
  span: Span,
  name: string | undefined,
  params: readonly string[] | undefined,
  expected: number,
  got: number,
): Problem {
  const notes: DiagnosticNote[] = [];
  if (params !== undefined) {
    const subject = name === undefined ? "this function" : `function \`${name}\``;
    const text =
      params.length === 0
        ? "is defined without parameters"
        : `is defined with ${params.length === 1 ? "parameter" : "parameters"}: ${params.join(", ")}`;
    notes.push(note(`${subject} ${text}`));
  }
  notes.push(
    help(got < expected ? "provide the missing argument(s)" : "remove the extra argument(s)"),
  );
  return problem(
    "arity-mismatch",
    "arity mismatch",
    span,
    `function expects ${plural(expected, "argument")}, got ${got}`,
    notes,
  );
}

/** `not callable` on the callee (§8.2). */
export function notCallable(span: Span, type: string): Problem {
  return problem("not-callable", "not callable", span, `value of type ${type} is not a function`, [
    note("only functions can be called with arguments"),
  ]);
}

/** `type mismatch` with a free label. */
export function typeMismatch(
  span: Span,
  label: string,
  notes: readonly DiagnosticNote[] = [],
  secondary: readonly Label[] = [],
): Problem {
  return problem("type-mismatch", "type mismatch", span, label, notes, secondary);
}

/** `type mismatch`: `expected T, found U` on a value. */
export function expectedFound(
  span: Span,
  expected: string,
  found: string,
  notes: readonly DiagnosticNote[] = [],
  secondary: readonly Label[] = [],
): Problem {
  return typeMismatch(span, `expected ${expected}, found ${found}`, notes, secondary);
}

/** ``cannot apply `op` to T and U`` on the whole expression. */
export function cannotApply(
  span: Span,
  op: string,
  types: readonly string[],
  notes: readonly DiagnosticNote[] = [],
): Problem {
  return typeMismatch(span, `cannot apply \`${op}\` to ${types.join(" and ")}`, notes);
}

/** `cannot compare T with U` on the whole expression, with the nominal-type notes. */
export function cannotCompare(
  span: Span,
  t: string,
  u: string,
  notes: readonly DiagnosticNote[] = [],
): Problem {
  return typeMismatch(span, `cannot compare ${t} with ${u}`, notes);
}

const DIMENSION_VERBS: Readonly<Record<string, readonly [string, string]>> = {
  "+": ["add", "addition"],
  "-": ["subtract", "subtraction"],
  "%": ["take the remainder of", "remainder"],
};

/** `incompatible dimensions` for `+ - %` (§8.2). */
export function incompatibleDimensions(
  span: Span,
  op: string,
  leftUnits: string,
  rightUnits: string,
  leftDimension: string,
  rightDimension: string,
  extra: readonly DiagnosticNote[] = [],
): Problem {
  const [verb, noun] = DIMENSION_VERBS[op] ?? ["combine", "this operation"];
  return problem(
    "incompatible-dimensions",
    "incompatible dimensions",
    span,
    `cannot ${verb} \`${leftUnits}\` and \`${rightUnits}\``,
    [
      note(`left side has dimension: ${leftDimension}`),
      note(`right side has dimension: ${rightDimension}`),
      ...extra,
      help(`${noun} requires matching dimensions`),
    ],
  );
}

/** `incompatible dimensions in comparison` (§8.2). */
export function incompatibleDimensionsInComparison(
  span: Span,
  leftUnits: string,
  rightUnits: string,
  leftDimension: string,
  rightDimension: string,
  extra: readonly DiagnosticNote[] = [],
): Problem {
  return problem(
    "incompatible-dimensions-in-comparison",
    "incompatible dimensions in comparison",
    span,
    `cannot compare \`${leftUnits}\` and \`${rightUnits}\``,
    [
      note(`left side has dimension: ${leftDimension}`),
      note(`right side has dimension: ${rightDimension}`),
      ...extra,
      help("comparison requires compatible dimensions"),
    ],
  );
}

/** `field not found` (§8.2): reads get a help, assignments a note. */
export function fieldNotFound(
  span: Span,
  name: string,
  fields: readonly string[],
  assignment: boolean,
): Problem {
  const list = fields.join(", ");
  return problem(
    "field-not-found",
    "field not found",
    span,
    `field \`${name}\` does not exist`,
    assignment ? [note(`record has fields: ${list}`)] : [help(`available fields are: ${list}`)],
  );
}

/** `cannot access field on non-record type` (§8.2). */
export function noFields(span: Span, type: string): Problem {
  return problem(
    "no-fields",
    "cannot access field on non-record type",
    span,
    `value of type ${type} has no fields`,
    [note("field access requires a record or struct type")],
  );
}

/** `missing struct field` on the record literal (§8.2). */
export function missingStructField(
  span: Span,
  owner: string,
  field: string,
  fields: readonly string[],
): Problem {
  return problem(
    "missing-struct-field",
    "missing struct field",
    span,
    `missing field \`${field}\``,
    [note(`${owner} requires fields: ${fields.join(", ")}`)],
  );
}

/** `unknown struct field` on the field name (§8.2). */
export function unknownStructField(
  span: Span,
  ownerKind: string,
  ownerName: string,
  field: string,
  fields: readonly string[],
): Problem {
  return problem(
    "unknown-struct-field",
    "unknown struct field",
    span,
    `${ownerKind} \`${ownerName}\` has no field \`${field}\``,
    [note(`${ownerKind} ${ownerName} requires fields: ${fields.join(", ")}`)],
  );
}

/** `type mismatch in struct field` on the value (§8.2). */
export function structFieldType(
  span: Span,
  expected: string,
  found: string,
  field: string,
): Problem {
  return problem(
    "struct-field-type",
    "type mismatch in struct field",
    span,
    `expected ${expected}, found ${found}`,
    [note(`field \`${field}\` requires type ${expected}`)],
  );
}

/** `type mismatch in list` on the first offending element (§8.2). */
export function listElementType(
  span: Span,
  expected: string,
  found: string,
  extra: readonly DiagnosticNote[] = [],
): Problem {
  return problem(
    "list-element-type",
    "type mismatch in list",
    span,
    `expected ${expected}, found ${found}`,
    [
      note("all list elements must have the same type"),
      note(`first element has type ${expected}`),
      ...extra,
    ],
  );
}

/** `pattern match failed` for a tuple pattern of the wrong length (§8.2). */
export function tupleLengthMismatch(
  pattern: Span,
  expected: number,
  value: Span,
  actual: number,
): Problem {
  return problem(
    "pattern-match-failed",
    "pattern match failed",
    pattern,
    `this pattern expects ${plural(expected, "element")}`,
    [note("tuple patterns must match the number of elements")],
    [{ span: value, message: `this tuple has ${plural(actual, "element")}` }],
  );
}

/** `pattern match failed` for a record pattern naming a missing field (§8.2). */
export function recordFieldMissing(
  field: Span,
  name: string,
  value: Span,
  fields: readonly string[],
): Problem {
  return problem(
    "pattern-match-failed",
    "pattern match failed",
    field,
    `field \`${name}\` not found in record`,
    [note("record patterns can only destructure fields that exist")],
    [{ span: value, message: `this record has fields: ${fields.join(", ")}` }],
  );
}

/** `pattern match failed` for a pattern of another shape than the value (§8.2). */
export function patternShapeMismatch(
  pattern: Span,
  expected: string,
  value: Span,
  actual: string,
): Problem {
  return problem(
    "pattern-match-failed",
    "pattern match failed",
    pattern,
    `this pattern expects a ${expected}`,
    [],
    value.start === pattern.start && value.end === pattern.end
      ? []
      : [{ span: value, message: `this value has type ${actual}` }],
  );
}

/** `fallible pattern in let binding` for a list pattern (§8.2). */
export function fallibleListPattern(pattern: Span, patternText: string, rhs: string): Problem {
  return problem(
    "fallible-pattern",
    "fallible pattern in let binding",
    pattern,
    "this pattern can fail to match",
    [
      note("list patterns are fallible because list length is not known at compile time"),
      note("let bindings require infallible patterns to prevent runtime panics"),
      help("use a match expression to handle different list lengths:"),
      help(`  match ${rhs}`),
      help(`    ${patternText} => ...`),
      help("    _ => ..."),
    ],
  );
}

/** `fallible pattern in let binding` for a literal pattern (§8.2). */
export function fallibleLiteralPattern(pattern: Span, literalText: string, rhs: string): Problem {
  return problem(
    "fallible-pattern",
    "fallible pattern in let binding",
    pattern,
    "this pattern can fail to match",
    [
      note("literal patterns only match specific values"),
      note("let bindings require infallible patterns to prevent runtime panics"),
      help(`use an identifier pattern: \`let n = ${rhs}\``),
      help(`then test the value: \`n == ${literalText}\``),
    ],
  );
}

/**
 * A record passed where a field is required that it does not have: reported at the
 * expression that supplies the record, with the place that requires the field.
 */
export function missingField(
  span: Span,
  field: string,
  found: string,
  requiredAt: Span | undefined,
  fields: readonly string[],
): Problem {
  return problem(
    "missing-field",
    "missing field",
    span,
    `this ${found.startsWith("{") ? "record" : `${found}`} has no field \`${field}\``,
    fields.length > 0 ? [note(`it has fields: ${fields.join(", ")}`)] : [note("it has no fields")],
    requiredAt === undefined
      ? []
      : [{ span: requiredAt, message: `field \`${field}\` is required here` }],
  );
}

/** An effect that reaches the top level without a handler. */
export function unhandledEffect(span: Span, effect: string, via: string | undefined): Problem {
  return problem(
    "unhandled-effect",
    "unhandled effect",
    span,
    via === undefined ? `this performs \`${effect}\`` : `\`${via}\` performs \`${effect}\``,
    [
      note("effects must be handled before they reach the top level"),
      help(`wrap the code in \`handle ${effect} { … }\``),
    ],
  );
}

/** A trait predicate without an implementation for the type. */
export function missingImpl(
  span: Span,
  trait: string,
  type: string,
  via: string | undefined,
): Problem {
  return problem(
    "missing-impl",
    "missing trait implementation",
    span,
    `\`${type}\` does not implement \`${trait}\``,
    via === undefined
      ? [help(`add \`impl ${trait} ${type} = { … }\``)]
      : [note(`required by \`${via}\``), help(`add \`impl ${trait} ${type} = { … }\``)],
  );
}

/** ``invalid `F` form`` (§8.2). */
export function invalidForm(span: Span, form: string, shape: string): Problem {
  return problem("invalid-form", `invalid \`${form}\` form`, span, `expected \`${shape}\``);
}

/** The candidate within two edits of `name` (and not all of it), the first of the closest. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = levenshtein(name, candidate);
    if (d <= 2 && d < name.length && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
