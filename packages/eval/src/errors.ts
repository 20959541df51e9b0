import type { DiagnosticNote, Label, Span } from "@cadenza/core";

/**
 * A diagnostic without its file name: what the catalogue builders below produce. The
 * interpreter adds the file and the Cadenza stack trace when it reports one.
 */
export interface Problem {
  readonly code: string;
  readonly message: string;
  readonly primary: Label;
  readonly secondary?: readonly Label[];
  /** Notes and helps in the order they are printed. */
  readonly notes?: readonly DiagnosticNote[];
}

/**
 * A problem unwinding the evaluator's stacks, with the frames it passes on the way (for the
 * stack-trace notes, and to place problems inside imported functions at the call).
 */
export abstract class Unwinding extends Error {
  readonly problem: Problem;
  /**
   * The tree walker's call stack when the problem was found (for the stack-trace notes).
   * Compiled functions keep no frames while they run: each adds its own to `compiled` while
   * the problem passes through it, with the number of tree-walker frames below it.
   */
  readonly frames: readonly unknown[];
  readonly compiled: { readonly frame: unknown; readonly below: number }[] = [];
  constructor(problem: Problem, frames: readonly unknown[] = []) {
    super(problem.message);
    this.problem = problem;
    this.frames = frames;
  }

  /** Every frame, outermost first: the tree walker's and the compiled ones merged. */
  allFrames(): unknown[] {
    if (this.compiled.length === 0) return [...this.frames];
    const out: unknown[] = [];
    // Compiled frames were added innermost first.
    const compiled = [...this.compiled].reverse();
    let k = 0;
    for (let i = 0; i <= this.frames.length; i++) {
      while (k < compiled.length && compiled[k]!.below <= i) out.push(compiled[k++]!.frame);
      if (i < this.frames.length) out.push(this.frames[i]);
    }
    return out;
  }
}

/**
 * Thrown inside the interpreter to abandon the current item (LANGUAGE.md §9); caught at the
 * item boundary and turned into a diagnostic. Never escapes the package.
 */
export class ItemFailure extends Unwinding {}

/**
 * Thrown to stop the whole evaluation: a budget ran out or the host cancelled. Caught by
 * `evaluate`, which reports it once.
 */
export class Halt extends Unwinding {}

const note = (message: string): DiagnosticNote => ({ kind: "note", message });
const help = (message: string): DiagnosticNote => ({ kind: "help", message });

function problem(
  code: string,
  message: string,
  span: Span,
  label: string,
  notes: readonly DiagnosticNote[] = [],
  secondary: readonly Label[] = [],
): Problem {
  return { code: `eval/${code}`, message, primary: { span, message: label }, secondary, notes };
}

/** Why a name is not found, for the first matching note of `undefined variable`. */
export type UndefinedReason =
  | { readonly kind: "reassignment"; readonly rhs: string }
  | { readonly kind: "macro-internal" }
  | { readonly kind: "block-ended" }
  | { readonly kind: "suggestion"; readonly name: string }
  | { readonly kind: "none" };

/** `` undefined variable: `X` `` with the note or help of the first matching case. */
export function undefinedVariable(name: string, span: Span, reason: UndefinedReason): Problem {
  const notes: DiagnosticNote[] = [];
  switch (reason.kind) {
    case "reassignment":
      notes.push(note("reassignment requires an existing binding"));
      notes.push(help(`use \`let ${name} = ${reason.rhs}\` to create a new binding`));
      break;
    case "macro-internal":
      notes.push(note(`\`${name}\` is a macro-internal variable and not visible here`));
      break;
    case "block-ended":
      notes.push(note(`\`${name}\` is defined inside a block and not visible here`));
      notes.push(help("move the binding outside the block if you need it here"));
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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `arity mismatch` on the callee. `name` is undefined for anonymous functions. */
export function arityMismatch(
  span: Span,
  what: "function" | "macro",
  name: string | undefined,
  params: readonly string[],
  got: number,
): Problem {
  const expected = params.length;
  const subject = name === undefined ? `this ${what}` : `${what} \`${name}\``;
  const paramText =
    expected === 0
      ? "is defined without parameters"
      : `is defined with ${expected === 1 ? "parameter" : "parameters"}: ${params.join(", ")}`;
  return problem(
    "arity-mismatch",
    "arity mismatch",
    span,
    `${what} expects ${plural(expected, "argument")}, got ${got}`,
    [
      note(`${subject} ${paramText}`),
      help(got < expected ? "provide the missing argument(s)" : "remove the extra argument(s)"),
    ],
  );
}

/** `not callable` on the callee. */
export function notCallable(span: Span, type: string): Problem {
  return problem("not-callable", "not callable", span, `value of type ${type} is not a function`, [
    note("only functions can be called with arguments"),
  ]);
}

/** `pattern match failed` for a tuple pattern of the wrong length. */
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

/** `pattern match failed` for a record pattern naming a missing field. */
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

/** `pattern match failed` for a pattern of another shape than the value. */
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
    [{ span: value, message: `this value has type ${actual}` }],
  );
}

/** `fallible pattern in let binding` for a list pattern. */
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

/** `fallible pattern in let binding` for a literal (or other refutable) pattern. */
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

/** `field not found` on the field name; reads get a help, assignments a note. */
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

/** `cannot access field on non-record type` on the receiver. */
export function noFields(span: Span, type: string): Problem {
  return problem(
    "no-fields",
    "cannot access field on non-record type",
    span,
    `value of type ${type} has no fields`,
    [note("field access requires a record or struct type")],
  );
}

/** `type mismatch` with a free-form label and notes. */
export function typeMismatch(span: Span, label: string, notes: readonly string[] = []): Problem {
  return problem("type-mismatch", "type mismatch", span, label, notes.map(note));
}

/** `type mismatch`: `expected T, found U` on a value. */
export function expectedType(span: Span, expected: string, found: string): Problem {
  return typeMismatch(span, `expected ${expected}, found ${found}`);
}

/** `missing struct field` on the record literal. */
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

/** `unknown struct field` on the field name. */
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

/** `type mismatch in struct field` on the field value. */
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

/** `type mismatch in list` on the first offending element. */
export function listElementType(span: Span, expected: string, found: string): Problem {
  return problem(
    "list-element-type",
    "type mismatch in list",
    span,
    `expected ${expected}, found ${found}`,
    [note("all list elements must have the same type"), note(`first element has type ${expected}`)],
  );
}

/** `index out of bounds` on the index expression. */
export function indexOutOfBounds(span: Span, index: string, length: number): Problem {
  const notes =
    length === 0
      ? [note("the list is empty")]
      : [note(`list has length ${length}`), note(`valid indices are 0..${length - 1}`)];
  return problem(
    "index-out-of-bounds",
    "index out of bounds",
    span,
    `index ${index} is out of bounds`,
    notes,
  );
}

/** `negative index` on the index expression. */
export function negativeIndex(span: Span): Problem {
  return problem("negative-index", "negative index", span, "indices must be non-negative", [
    help("use `List.last` to access the last element"),
  ]);
}

const DIMENSION_VERBS = {
  "+": ["add", "addition"],
  "-": ["subtract", "subtraction"],
  "%": ["take the remainder of", "remainder"],
} as const;

/** `incompatible dimensions` for `+ - %` on the whole expression. */
export function incompatibleDimensions(
  span: Span,
  op: "+" | "-" | "%",
  leftUnits: string,
  rightUnits: string,
  leftDimension: string,
  rightDimension: string,
): Problem {
  const [verb, noun] = DIMENSION_VERBS[op];
  return problem(
    "incompatible-dimensions",
    "incompatible dimensions",
    span,
    `cannot ${verb} \`${leftUnits}\` and \`${rightUnits}\``,
    [
      note(`left side has dimension: ${leftDimension}`),
      note(`right side has dimension: ${rightDimension}`),
      help(`${noun} requires matching dimensions`),
    ],
  );
}

/** `incompatible dimensions in comparison` on the whole expression. */
export function incompatibleDimensionsInComparison(
  span: Span,
  leftUnits: string,
  rightUnits: string,
  leftDimension: string,
  rightDimension: string,
): Problem {
  return problem(
    "incompatible-dimensions-in-comparison",
    "incompatible dimensions in comparison",
    span,
    `cannot compare \`${leftUnits}\` and \`${rightUnits}\``,
    [
      note(`left side has dimension: ${leftDimension}`),
      note(`right side has dimension: ${rightDimension}`),
      help("comparison requires compatible dimensions"),
    ],
  );
}

/** `division by zero` on the whole expression. */
export function divisionByZero(span: Span): Problem {
  return problem("division-by-zero", "division by zero", span, "cannot divide by zero", [
    note("division by zero is undefined"),
  ]);
}

/** `integer overflow` on the whole expression. */
export function integerOverflow(span: Span): Problem {
  return problem(
    "integer-overflow",
    "integer overflow",
    span,
    "result does not fit in a 128-bit signed integer",
    [
      note(
        "Integer values range from -170141183460469231731687303715884105728 to 170141183460469231731687303715884105727",
      ),
    ],
  );
}

/** An exact power too large to compute (not in the catalogue: a resource limit). */
export function numberTooLarge(span: Span): Problem {
  return problem(
    "number-too-large",
    "number too large",
    span,
    "this exact result would be too large to compute",
    [
      note("exact powers are limited to about 5 million digits"),
      help("convert to Float first if an approximation is enough"),
    ],
  );
}

/** `assertion failed` (`: MESSAGE`) on the condition. */
export function assertionFailed(span: Span, message: string | undefined): Problem {
  return problem(
    "assertion-failed",
    message === undefined ? "assertion failed" : `assertion failed: ${message}`,
    span,
    "this condition is false",
  );
}

/** `non-exhaustive match` on the scrutinee. */
export function nonExhaustiveMatch(span: Span, value: string): Problem {
  return problem(
    "non-exhaustive-match",
    "non-exhaustive match",
    span,
    "no arm matches this value",
    [note(`value: ${value}`)],
  );
}

/** An import where no host resolves modules (docs/spec/15-modules.md). */
export function modulesUnavailable(span: Span): Problem {
  return problem(
    "modules-unavailable",
    "imports need a module host",
    span,
    "this import cannot be resolved here",
    [
      {
        kind: "help",
        message:
          "`cadenza check`, `run`, `eval` and `repl` resolve imports; `evaluate` without `EvalOptions.imports` sees one file on its own",
      },
    ],
  );
}

/** ``invalid `F` form`` on the whole form, labelled with the expected shape. */
export function invalidForm(span: Span, form: string, shape: string): Problem {
  return problem("invalid-form", `invalid \`${form}\` form`, span, `expected \`${shape}\``);
}

/** `unsupported operator` on the operator. */
export function unsupportedOperator(span: Span, op: string): Problem {
  return problem(
    "unsupported-operator",
    "unsupported operator",
    span,
    `operator \`${op}\` has no meaning`,
  );
}

/** `unquote outside quote` on the unquote. */
export function unquoteOutsideQuote(span: Span): Problem {
  return problem(
    "unquote-outside-quote",
    "unquote outside quote",
    span,
    "only allowed inside quote or in a definition name",
  );
}

/** Calls nested deeper than the limit, or the JavaScript stack ran out (deep recursion). */
export function stackOverflow(span: Span, limit?: number): Problem {
  return problem("stack-overflow", "stack overflow", span, "recursion is too deep here", [
    note(
      limit === undefined
        ? "the evaluator ran out of stack space"
        : `calls may be nested at most ${limit} deep`,
    ),
  ]);
}

/** The step budget given by the host ran out. */
export function stepBudgetExhausted(span: Span, steps: number): Problem {
  return problem(
    "step-budget-exhausted",
    "evaluation step budget exhausted",
    span,
    "evaluation stopped here",
    [note(`the budget allows ${steps} evaluation steps`)],
  );
}

/** The allocation budget given by the host ran out. */
export function allocationBudgetExhausted(span: Span, units: number): Problem {
  return problem(
    "allocation-budget-exhausted",
    "evaluation allocation budget exhausted",
    span,
    "evaluation stopped before this allocation",
    [note(`the budget allows ${units} allocation units`)],
  );
}

/** The host cancelled the evaluation. */
export function cancelled(span: Span): Problem {
  return problem("cancelled", "evaluation cancelled", span, "evaluation stopped here");
}
