import { type Diagnostic, renderDiagnostic, SourceFile } from "@cadenza/core";
import { expect } from "vitest";
import { type ParseResult, parse, printSExpr } from "../src/index.js";

/** Parses `text` as `test.cdz`. */
export function parseText(text: string): ParseResult {
  return parse(new SourceFile("test.cdz", text));
}

/** The items of `text` as S-expressions, one per line. */
export function sexprs(text: string): string {
  return parseText(text)
    .items.map((item) => printSExpr(item))
    .join("\n");
}

/** Renders diagnostics the way `cadenza eval` prints them. */
export function render(
  result: ParseResult,
  diagnostics: readonly Diagnostic[] = result.diagnostics,
): string {
  return diagnostics.map((d) => renderDiagnostic(d, result.source)).join("\n");
}

/** Asserts that `input` parses without diagnostics to `expected` (items joined by newlines). */
export function check(input: string, expected: string): void {
  const result = parseText(input);
  expect(render(result), `diagnostics for ${JSON.stringify(input)}`).toBe("");
  expect(result.items.map((item) => printSExpr(item)).join("\n")).toBe(expected);
}

/** Asserts that `input` yields exactly these diagnostic messages, in order. */
export function checkErrors(input: string, messages: readonly string[]): ParseResult {
  const result = parseText(input);
  expect(result.diagnostics.map((d) => d.message)).toEqual(messages);
  return result;
}
