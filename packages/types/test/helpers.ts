import { renderDiagnostic, SourceFile } from "@cadenza/core";
import { type Node, parse } from "@cadenza/syntax";
import { expect } from "vitest";
import { type CheckResult, check } from "../src/index.js";

/** The result of checking a test program. */
export interface Checked extends CheckResult {
  readonly source: SourceFile;
  readonly items: readonly Node[];
  /** Every diagnostic rendered per LANGUAGE.md §8.1, separated by blank lines. */
  readonly rendered: string;
}

/** Parses and checks `text` as `test.cdz`; fails loudly on parse errors. */
export function checkText(text: string): Checked {
  const source = new SourceFile("test.cdz", text);
  const parsed = parse(source);
  if (parsed.diagnostics.length > 0) {
    throw new Error(
      `parse errors:\n${parsed.diagnostics.map((d) => renderDiagnostic(d, source)).join("\n")}`,
    );
  }
  const result = check(source, parsed.items);
  const rendered = result.diagnostics.map((d) => renderDiagnostic(d, source)).join("\n");
  return { ...result, source, items: parsed.items, rendered };
}

/** Asserts the schemes of the named top-level definitions, and that nothing was reported. */
export function checkSchemes(text: string, expected: Readonly<Record<string, string>>): void {
  const r = checkText(text);
  expect(r.rendered, "diagnostics").toBe("");
  const actual: Record<string, string | undefined> = {};
  for (const name of Object.keys(expected)) actual[name] = r.schemes.get(name);
  expect(actual).toEqual(expected);
}

/** Asserts the type of the last item (as LANGUAGE.md §7 prints it), and no diagnostics. */
export function checkType(text: string, expected: string): void {
  const r = checkText(text);
  expect(r.rendered, "diagnostics").toBe("");
  expect(r.types.textOf(r.items[r.items.length - 1]!)).toBe(expected);
}

/** Asserts the rendered diagnostics (LANGUAGE.md §8.1), joined by blank lines; "" for none. */
export function checkErrors(text: string, expected: string): void {
  const r = checkText(text);
  expect(r.rendered.trimEnd()).toBe(expected.trimEnd());
}
