import type { Diagnostic, SourceFile } from "@cadenza/core";
import { parse } from "@cadenza/syntax";
import { type EvalOptions, type EvalResult, evaluate } from "./evaluate.js";
import { sourceOrder } from "./session.js";

/** The result of {@link evaluateSource}: parse and evaluation together. */
export interface SourceResult extends EvalResult {
  /** The parser's diagnostics, in source order. */
  readonly parseDiagnostics: readonly Diagnostic[];
  /** Every diagnostic in the order of LANGUAGE.md §9: parse ones by position, then evaluation ones. */
  readonly allDiagnostics: readonly Diagnostic[];
  /**
   * What `cadenza eval` prints on stdout when there is no diagnostic: one `value : Type` line
   * (or several, for multi-line renderings) per item, each ending in a newline.
   */
  readonly transcript: string;
}

/**
 * Parses and evaluates a whole file (LANGUAGE.md §9 steps 2–3). Never throws on user input.
 * Error nodes left by the parser evaluate silently to the error value, so each mistake is
 * reported once.
 */
export function evaluateSource(source: SourceFile, options: EvalOptions = {}): SourceResult {
  const parsed = parse(source);
  const result = evaluate(source, parsed.items, options);
  const parseDiagnostics = sourceOrder(parsed.diagnostics);
  return {
    ...result,
    parseDiagnostics,
    allDiagnostics: [...parseDiagnostics, ...result.diagnostics],
    transcript: result.entries.map((e) => `${e.text}\n`).join(""),
  };
}
