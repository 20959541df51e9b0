import { type Catalogue, catalogueFor, help, note, type Problem, type Span } from "@cadenza/core";

/**
 * The catalogue entries the type checker reports too (LANGUAGE.md §8.2), with `eval/` codes;
 * their words live in `@cadenza/core` so that both phases say the same thing.
 */
export const catalogue: Catalogue = catalogueFor("eval");

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

const problem = catalogue.problem;

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
