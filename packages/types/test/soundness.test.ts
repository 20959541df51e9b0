import { SourceFile } from "@cadenza/core";
import { evaluateSource } from "@cadenza/eval";
import { parse } from "@cadenza/syntax";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { check } from "../src/index.js";
import { generateProgram } from "./generate.js";
import { checkErrors } from "./helpers.js";

/**
 * Soundness (SPEC.md §T1): a program the checker accepts never raises a run-time type error in
 * the evaluator. Run-time errors that are not about types — division by zero, overflow, index
 * out of bounds, a non-exhaustive `match`, assertions — remain possible and are not counted.
 */
const TYPE_ERRORS = new Set([
  "eval/type-mismatch",
  "eval/incompatible-dimensions",
  "eval/incompatible-dimensions-in-comparison",
  "eval/field-not-found",
  "eval/no-fields",
  "eval/not-callable",
  "eval/arity-mismatch",
  "eval/pattern-match-failed",
  "eval/fallible-pattern",
  "eval/missing-struct-field",
  "eval/unknown-struct-field",
  "eval/struct-field-type",
  "eval/list-element-type",
  "eval/undefined-variable",
  "eval/unsupported-operator",
  "eval/invalid-form",
  "eval/internal-error",
]);

/**
 * The documented gap of SPEC.md §T9 (promotion is not conversion): a number that reached a
 * place by promotion (an argument, an accumulator, a reassignment) keeps its run-time
 * magnitude, so where that place is checked exactly (a list element) the evaluator can find
 * `Rational` where the checker said `Float`. Such an error differs from what the checker
 * expected only in magnitudes of the tower; every other type error counts.
 */
function isMagnitudeGap(message: string): boolean {
  const m = /^expected (.*), found (.*)$/.exec(message);
  if (m === null) return false;
  const erase = (t: string): string => t.replace(/\b(Integer|Rational|Float)\b/g, "Number");
  return m[1] !== m[2] && erase(m[1]!) === erase(m[2]!);
}

interface Outcome {
  readonly parsed: boolean;
  readonly accepted: boolean;
  /** The evaluator's type errors, rendered briefly. */
  readonly typeErrors: readonly string[];
  readonly ranToEnd: boolean;
}

function run(text: string): Outcome {
  const source = new SourceFile("test.cdz", text);
  const parsed = parse(source);
  if (parsed.diagnostics.length > 0)
    return { parsed: false, accepted: false, typeErrors: [], ranToEnd: false };
  const checked = check(source, parsed.items);
  const accepted = !checked.diagnostics.some((d) => d.severity === "error");
  if (!accepted) return { parsed: true, accepted, typeErrors: [], ranToEnd: false };
  const evaluated = evaluateSource(source, { budget: { steps: 200_000 } });
  const typeErrors = evaluated.diagnostics
    .filter((d) => TYPE_ERRORS.has(d.code) && !isMagnitudeGap(d.primary.message))
    .map((d) => {
      const at = source.lineColumn(d.primary.span.start);
      return `${d.message} at ${at.line}:${at.column}: ${d.primary.message}`;
    });
  return {
    parsed: true,
    accepted,
    typeErrors,
    ranToEnd: evaluated.status === "completed" && evaluated.diagnostics.length === 0,
  };
}

const stats = { programs: 0, parsed: 0, accepted: 0, ranToEnd: 0 };
const OPTIONS = { items: 8, mistakes: 2 };

describe("soundness", () => {
  it("programs that type-check never raise a run-time type error", () => {
    fc.assert(
      fc.property(fc.gen(), (draw) => {
        const text = generateProgram(draw, OPTIONS);
        const outcome = run(text);
        stats.programs++;
        if (outcome.parsed) stats.parsed++;
        if (outcome.accepted) stats.accepted++;
        if (outcome.ranToEnd) stats.ranToEnd++;
        expect(outcome.parsed, `the generator wrote a parse error:\n${text}`).toBe(true);
        expect(outcome.typeErrors, `accepted by the checker:\n${text}`).toEqual([]);
      }),
      { numRuns: 400, endOnFailure: true },
    );
  }, 120_000);

  it("the generated programs exercise the checker both ways", () => {
    // Guard against a generator that drifts into producing only rejected (or only trivial)
    // programs, which would make the property above vacuous.
    const sample = fc.sample(fc.gen(), { numRuns: 150, seed: 42 });
    let accepted = 0;
    let rejected = 0;
    for (const draw of sample) {
      const outcome = run(generateProgram(draw, OPTIONS));
      if (outcome.accepted) accepted++;
      else if (outcome.parsed) rejected++;
    }
    expect(accepted).toBeGreaterThan(sample.length * 0.25);
    expect(rejected).toBeGreaterThan(sample.length * 0.1);
  }, 60_000);
});

describe("unsoundness the property found, fixed", () => {
  it("only a record can be spread, even from a parameter", () =>
    checkErrors(
      'fn f x = { ...x, b = "s" }\nf "text"\n',
      `error: type mismatch
 --> test.cdz:2:3
  |
1 | fn f x = { ...x, b = "s" }
  |               - expected { ... } because of this
2 | f "text"
  |   ^^^^^^ expected { ... }, found String
  |`,
    ));

  it("a field read from a spread of a parameter is required of the argument", () =>
    checkErrors(
      "fn ext r = { ...r, z = 1 }\n(ext { c = 2 }).a\n",
      `error: field not found
 --> test.cdz:2:17
  |
2 | (ext { c = 2 }).a
  |                 ^ field \`a\` does not exist
  |
  = help: available fields are: z, c`,
    ));
});

describe("the magnitude gap is only about magnitudes", () => {
  it("recognises tower-only differences", () => {
    expect(isMagnitudeGap("expected Quantity Rational meter, found Quantity Float meter")).toBe(
      true,
    );
    expect(isMagnitudeGap("expected (Rational, Bool), found (Float, Bool)")).toBe(true);
    expect(isMagnitudeGap("expected Integer, found String")).toBe(false);
    expect(isMagnitudeGap("expected Quantity Float meter, found Quantity Float second")).toBe(
      false,
    );
    expect(isMagnitudeGap("cannot compare Integer with Float")).toBe(false);
  });
});

afterAll(() => {
  if (process.env.CADENZA_SOUNDNESS_STATS)
    console.log(
      `soundness: ${stats.programs} programs, ${stats.parsed} parsed, ${stats.accepted} accepted by the checker, ${stats.ranToEnd} of those ran without any error`,
    );
});
