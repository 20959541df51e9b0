/**
 * The diagnostic catalogue of LANGUAGE.md §8.2, for the entries more than one phase reports.
 *
 * The evaluator finds a problem when a program runs; the type checker finds many of the same
 * problems without running it. Both must say it in the same words (§9: a driver reports a
 * problem found both statically and at run time once), so the code name, message, labels,
 * notes and helps of such an entry are written here once, and each phase only chooses the
 * prefix of the code (`eval/…`, `types/…`) with {@link catalogueFor}. Entries that only one
 * phase can report stay in that phase, built with {@link Catalogue.problem}.
 */
import type { DiagnosticNote, Label } from "./diagnostic.js";
import type { Span } from "./span.js";

/**
 * A diagnostic without its file name: what a phase's checks produce. The phase adds the file
 * (and whatever else it knows, such as the evaluator's stack trace) when it reports one.
 */
export interface Problem {
  /** A stable identifier, `phase/kebab-name`. */
  readonly code: string;
  readonly message: string;
  readonly primary: Label;
  readonly secondary?: readonly Label[];
  /** Notes and helps in the order they are printed. */
  readonly notes?: readonly DiagnosticNote[];
}

/** A `= note:` line. */
export function note(message: string): DiagnosticNote {
  return { kind: "note", message };
}

/** A `= help:` line. */
export function help(message: string): DiagnosticNote {
  return { kind: "help", message };
}

/** Notes and helps, in the order they are printed. */
type Notes = readonly DiagnosticNote[];

/** The operands of a dimension error as messages show them, then notes to add. */
type DimensionOperands = [
  leftUnits: string,
  rightUnits: string,
  leftDimension: string,
  rightDimension: string,
  extra?: Notes,
];

/** Why a name is not found: selects the note or help of `undefined variable`. */
export type UndefinedReason =
  /** An assignment `x = rhs` to a name never bound. */
  | { readonly kind: "reassignment"; readonly rhs: string }
  /** A name a hygienic macro bound for itself. */
  | { readonly kind: "macro-internal" }
  /** A name bound inside a block that has ended. */
  | { readonly kind: "block-ended" }
  /** A visible name close enough to be what was meant. */
  | { readonly kind: "suggestion"; readonly name: string }
  | { readonly kind: "none" };

/**
 * The catalogue entries both the evaluator and the type checker report, with the codes of one
 * phase. Every builder is a plain function that does not read `this`, so it can be passed
 * around or re-exported on its own.
 */
export interface Catalogue {
  /** The prefix of every code this catalogue builds (`eval`, `types`). */
  readonly phase: string;
  /**
   * A problem of the phase's own (an entry only it reports): code `phase/name`, the primary
   * label at `span`, then `notes` and `secondary` labels (none by default).
   */
  problem(
    name: string,
    message: string,
    span: Span,
    label: string,
    notes?: Notes,
    secondary?: readonly Label[],
  ): Problem;
  /** ``undefined variable: `X` `` at the name, with the note or help `reason` selects. */
  undefinedVariable(name: string, span: Span, reason: UndefinedReason): Problem;
  /**
   * `arity mismatch` on the callee: the callee `what` (named `name`, or anonymous when
   * undefined) expects `expected` arguments and got `got`. The note listing its parameters is
   * left out when `params` is undefined (the checker does not always know their names).
   */
  arityMismatch(
    span: Span,
    what: "function" | "macro",
    name: string | undefined,
    params: readonly string[] | undefined,
    expected: number,
    got: number,
  ): Problem;
  /** `not callable` on the callee, a value of the rendered `type`. */
  notCallable(span: Span, type: string): Problem;
  /** `type mismatch` with a free-form label, then `notes` and `secondary` labels. */
  typeMismatch(span: Span, label: string, notes?: Notes, secondary?: readonly Label[]): Problem;
  /** `type mismatch` labelled `expected T, found U` on a value; the rest as `typeMismatch`. */
  expectedFound(
    span: Span,
    expected: string,
    found: string,
    notes?: Notes,
    secondary?: readonly Label[],
  ): Problem;
  /** `type mismatch` labelled ``cannot apply `op` to T and U`` (one type for a prefix `op`). */
  cannotApply(span: Span, op: string, types: readonly string[], notes?: Notes): Problem;
  /** `type mismatch` labelled `cannot compare T with U`, with the nominal-type notes. */
  cannotCompare(span: Span, t: string, u: string, notes?: Notes): Problem;
  /**
   * `incompatible dimensions` for `+`, `-` or `%` on the whole expression; `extra` notes come
   * after the two dimensions, before the help.
   */
  incompatibleDimensions(span: Span, op: string, ...operands: DimensionOperands): Problem;
  /** `incompatible dimensions in comparison` on the whole expression; `extra` as above. */
  incompatibleDimensionsInComparison(span: Span, ...operands: DimensionOperands): Problem;
  /** `field not found` on the field name: reads get a help, assignments a note. */
  fieldNotFound(span: Span, name: string, fields: readonly string[], assignment: boolean): Problem;
  /** `cannot access field on non-record type` on the receiver. */
  noFields(span: Span, type: string): Problem;
  /** `missing struct field` on the record literal given for `owner`. */
  missingStructField(span: Span, owner: string, field: string, fields: readonly string[]): Problem;
  /** `unknown struct field` on the field name of a `ownerKind` named `ownerName`. */
  unknownStructField(
    span: Span,
    ownerKind: string,
    ownerName: string,
    field: string,
    fields: readonly string[],
  ): Problem;
  /** `type mismatch in struct field` on the field's value. */
  structFieldType(span: Span, expected: string, found: string, field: string): Problem;
  /** `type mismatch in list` on the first offending element; `extra` notes come last. */
  listElementType(span: Span, expected: string, found: string, extra?: Notes): Problem;
  /** `pattern match failed` for a tuple pattern of the wrong length. */
  tupleLengthMismatch(pattern: Span, expected: number, value: Span, actual: number): Problem;
  /** `pattern match failed` for a record pattern naming a field the record lacks. */
  recordFieldMissing(field: Span, name: string, value: Span, fields: readonly string[]): Problem;
  /** `pattern match failed` for a pattern of another shape than the value. */
  patternShapeMismatch(pattern: Span, expected: string, value: Span, actual: string): Problem;
  /** `fallible pattern in let binding` for a list pattern, with the `match` to write instead. */
  fallibleListPattern(pattern: Span, patternText: string, rhs: string): Problem;
  /** `fallible pattern in let binding` for a literal (or other refutable) pattern. */
  fallibleLiteralPattern(pattern: Span, literalText: string, rhs: string): Problem;
  /** ``invalid `F` form`` on the whole form, labelled with the expected shape. */
  invalidForm(span: Span, form: string, shape: string): Problem;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

const DIMENSION_VERBS: Readonly<Record<string, readonly [string, string]>> = {
  "+": ["add", "addition"],
  "-": ["subtract", "subtraction"],
  "%": ["take the remainder of", "remainder"],
};

/**
 * The shared catalogue entries with codes `phase/…`. A phase makes its catalogue once, at
 * load time, and builds its own entries with the catalogue's `problem`.
 */
export function catalogueFor(phase: string): Catalogue {
  const make: Catalogue["problem"] = (name, message, span, label, notes = [], secondary = []) => ({
    code: `${phase}/${name}`,
    message,
    primary: { span, message: label },
    secondary,
    notes,
  });

  const typeMismatch: Catalogue["typeMismatch"] = (span, label, notes, secondary) =>
    make("type-mismatch", "type mismatch", span, label, notes, secondary);

  const dimensionNotes = (
    leftDimension: string,
    rightDimension: string,
    extra: Notes,
    advice: string,
  ): Notes => [
    note(`left side has dimension: ${leftDimension}`),
    note(`right side has dimension: ${rightDimension}`),
    ...extra,
    help(advice),
  ];

  const fallible = (pattern: Span, notes: Notes): Problem =>
    make(
      "fallible-pattern",
      "fallible pattern in let binding",
      pattern,
      "this pattern can fail to match",
      notes,
    );

  return {
    phase,
    problem: make,

    undefinedVariable(name, span, reason) {
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
      return make(
        "undefined-variable",
        `undefined variable: \`${name}\``,
        span,
        "not found in this scope",
        notes,
      );
    },

    arityMismatch(span, what, name, params, expected, got) {
      const notes: DiagnosticNote[] = [];
      if (params !== undefined) {
        const subject = name === undefined ? `this ${what}` : `${what} \`${name}\``;
        const text =
          params.length === 0
            ? "is defined without parameters"
            : `is defined with ${params.length === 1 ? "parameter" : "parameters"}: ${params.join(", ")}`;
        notes.push(note(`${subject} ${text}`));
      }
      notes.push(
        help(got < expected ? "provide the missing argument(s)" : "remove the extra argument(s)"),
      );
      return make(
        "arity-mismatch",
        "arity mismatch",
        span,
        `${what} expects ${plural(expected, "argument")}, got ${got}`,
        notes,
      );
    },

    notCallable: (span, type) =>
      make("not-callable", "not callable", span, `value of type ${type} is not a function`, [
        note("only functions can be called with arguments"),
      ]),

    typeMismatch,

    expectedFound: (span, expected, found, notes, secondary) =>
      typeMismatch(span, `expected ${expected}, found ${found}`, notes, secondary),

    cannotApply: (span, op, types, notes) =>
      typeMismatch(span, `cannot apply \`${op}\` to ${types.join(" and ")}`, notes),

    cannotCompare: (span, t, u, notes) =>
      typeMismatch(span, `cannot compare ${t} with ${u}`, notes),

    incompatibleDimensions(span, op, leftUnits, rightUnits, leftDimension, rightDimension, extra) {
      const [verb, noun] = DIMENSION_VERBS[op] ?? ["combine", "this operation"];
      return make(
        "incompatible-dimensions",
        "incompatible dimensions",
        span,
        `cannot ${verb} \`${leftUnits}\` and \`${rightUnits}\``,
        dimensionNotes(
          leftDimension,
          rightDimension,
          extra ?? [],
          `${noun} requires matching dimensions`,
        ),
      );
    },

    incompatibleDimensionsInComparison: (
      span,
      leftUnits,
      rightUnits,
      leftDimension,
      rightDimension,
      extra,
    ) =>
      make(
        "incompatible-dimensions-in-comparison",
        "incompatible dimensions in comparison",
        span,
        `cannot compare \`${leftUnits}\` and \`${rightUnits}\``,
        dimensionNotes(
          leftDimension,
          rightDimension,
          extra ?? [],
          "comparison requires compatible dimensions",
        ),
      ),

    fieldNotFound(span, name, fields, assignment) {
      const list = fields.join(", ");
      return make(
        "field-not-found",
        "field not found",
        span,
        `field \`${name}\` does not exist`,
        assignment ? [note(`record has fields: ${list}`)] : [help(`available fields are: ${list}`)],
      );
    },

    noFields: (span, type) =>
      make(
        "no-fields",
        "cannot access field on non-record type",
        span,
        `value of type ${type} has no fields`,
        [note("field access requires a record or struct type")],
      ),

    missingStructField: (span, owner, field, fields) =>
      make("missing-struct-field", "missing struct field", span, `missing field \`${field}\``, [
        note(`${owner} requires fields: ${fields.join(", ")}`),
      ]),

    unknownStructField: (span, ownerKind, ownerName, field, fields) =>
      make(
        "unknown-struct-field",
        "unknown struct field",
        span,
        `${ownerKind} \`${ownerName}\` has no field \`${field}\``,
        [note(`${ownerKind} ${ownerName} requires fields: ${fields.join(", ")}`)],
      ),

    structFieldType: (span, expected, found, field) =>
      make(
        "struct-field-type",
        "type mismatch in struct field",
        span,
        `expected ${expected}, found ${found}`,
        [note(`field \`${field}\` requires type ${expected}`)],
      ),

    listElementType: (span, expected, found, extra = []) =>
      make(
        "list-element-type",
        "type mismatch in list",
        span,
        `expected ${expected}, found ${found}`,
        [
          note("all list elements must have the same type"),
          note(`first element has type ${expected}`),
          ...extra,
        ],
      ),

    tupleLengthMismatch: (pattern, expected, value, actual) =>
      make(
        "pattern-match-failed",
        "pattern match failed",
        pattern,
        `this pattern expects ${plural(expected, "element")}`,
        [note("tuple patterns must match the number of elements")],
        [{ span: value, message: `this tuple has ${plural(actual, "element")}` }],
      ),

    recordFieldMissing: (field, name, value, fields) =>
      make(
        "pattern-match-failed",
        "pattern match failed",
        field,
        `field \`${name}\` not found in record`,
        [note("record patterns can only destructure fields that exist")],
        [{ span: value, message: `this record has fields: ${fields.join(", ")}` }],
      ),

    patternShapeMismatch: (pattern, expected, value, actual) =>
      make(
        "pattern-match-failed",
        "pattern match failed",
        pattern,
        `this pattern expects a ${expected}`,
        [],
        [{ span: value, message: `this value has type ${actual}` }],
      ),

    fallibleListPattern: (pattern, patternText, rhs) =>
      fallible(pattern, [
        note("list patterns are fallible because list length is not known at compile time"),
        note("let bindings require infallible patterns to prevent runtime panics"),
        help("use a match expression to handle different list lengths:"),
        help(`  match ${rhs}`),
        help(`    ${patternText} => ...`),
        help("    _ => ..."),
      ]),

    fallibleLiteralPattern: (pattern, literalText, rhs) =>
      fallible(pattern, [
        note("literal patterns only match specific values"),
        note("let bindings require infallible patterns to prevent runtime panics"),
        help(`use an identifier pattern: \`let n = ${rhs}\``),
        help(`then test the value: \`n == ${literalText}\``),
      ]),

    invalidForm: (span, form, shape) =>
      make("invalid-form", `invalid \`${form}\` form`, span, `expected \`${shape}\``),
  };
}
