/**
 * The checker's messages. Where LANGUAGE.md §8.2 has a message for the problem, the text is
 * exactly the catalogue's (and the evaluator's), so a driver can report a problem found both
 * statically and at run time once (§9). Problems the evaluator cannot see (a missing field
 * of a row, an unhandled effect, a missing trait implementation) get messages in the same
 * voice. Types in messages are rendered by `print.ts`: never an internal variable.
 */
import {
  type Catalogue,
  catalogueFor,
  help,
  levenshtein,
  note,
  type Problem,
  type Span,
} from "@cadenza/core";

export { help, note, type Problem } from "@cadenza/core";

/**
 * The catalogue entries the evaluator reports too, with `types/` codes: their words live in
 * `@cadenza/core`, so a problem found statically reads exactly as the run-time one (§9).
 */
export const catalogue: Catalogue = catalogueFor("types");

/**
 * `arity mismatch` on the callee (§8.2). The checker only calls functions; it lists their
 * parameters when it knows their names (`params`).
 */
export function arityMismatch(
  span: Span,
  name: string | undefined,
  params: readonly string[] | undefined,
  expected: number,
  got: number,
): Problem {
  return catalogue.arityMismatch(span, "function", name, params, expected, got);
}

const problem = catalogue.problem;

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
