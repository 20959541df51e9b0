/**
 * The diagnostics of a file from every phase, in one list (ARCHITECTURE.md principle 4):
 * parse diagnostics by position and evaluation ones in the order they occurred (LANGUAGE.md
 * §9, as `cadenza eval` reports them), then type diagnostics in source order, without the
 * ones the evaluator already reported (the checker gives a type error the evaluator raises the
 * same message and span).
 */
import type { Diagnostic } from "@cadenza/core";
import { sourceOrder } from "@cadenza/eval";

/** Which pass a diagnostic comes from, by its code. */
export type Pass = "parse" | "eval" | "types";

/** The pass of a diagnostic: `syntax/…` is the parser's, `eval/…` the evaluator's. */
export function passOf(d: Diagnostic): Pass {
  if (d.code.startsWith("syntax/")) return "parse";
  if (d.code.startsWith("eval/")) return "eval";
  return "types";
}

function key(d: Diagnostic): string {
  return `${d.severity}\u0000${d.message}\u0000${d.primary.span.start}:${d.primary.span.end}`;
}

/** Parse, evaluation and type diagnostics merged as described above. */
export function orderDiagnostics(
  parse: readonly Diagnostic[],
  evaluation: readonly Diagnostic[],
  types: readonly Diagnostic[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (d: Diagnostic): void => {
    const k = key(d);
    if (seen.has(k)) return;
    seen.add(k);
    out.push(d);
  };
  for (const d of sourceOrder(parse)) add(d);
  for (const d of evaluation) add(d);
  for (const d of types) add(d);
  return out;
}
