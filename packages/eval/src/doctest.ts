import type { Diagnostic, SourceFile } from "@cadenza/core";
import { parse } from "@cadenza/syntax";
import { type DoctestMode, doctests, substitutePlaceholders } from "./docs.js";
import type { EvalOptions } from "./evaluate.js";
import type { ModuleState } from "./module.js";
import { createSession, type EntryResult } from "./session.js";

/** The outcome of one doctest. */
export interface DoctestResult {
  /** The documented definition. */
  readonly item: string;
  /** The position of the fenced block among the item's doctests (from 0). */
  readonly index: number;
  readonly mode: DoctestMode;
  /** The code that ran, placeholders substituted. */
  readonly code: string;
  /** `run`: no diagnostic; `must-panic`: at least one; `skip`: always. */
  readonly passed: boolean;
  /** The entry's result (diagnostics, transcript); undefined for skipped doctests. */
  readonly result: EntryResult | undefined;
}

/** What {@link runDoctests} returns. */
export interface DoctestReport {
  /** The diagnostics of the file itself; doctests run only when there are none. */
  readonly diagnostics: readonly Diagnostic[];
  readonly module: ModuleState;
  readonly results: readonly DoctestResult[];
}

/**
 * Runs the doctests of a file (LANGUAGE.md §5.10) the way the optional `cadenza test` does:
 * the file is evaluated first; then each fenced block of each documented definition runs in a
 * child scope of the file's, with `$item` standing for the definition and `$module.` /
 * `$pkg.` qualifiers removed. Blocks without info string or marked `test` must succeed,
 * `must_panic` blocks must fail, others are skipped.
 */
export function runDoctests(source: SourceFile, options: EvalOptions = {}): DoctestReport {
  const session = createSession({ ...options, fileName: source.name });
  const parsed = parse(source);
  const file = session.evalItems(source, parsed.items, parsed.diagnostics);
  const module = session.module();
  if (file.diagnostics.length > 0) return { diagnostics: file.diagnostics, module, results: [] };
  const results: DoctestResult[] = [];
  for (const definition of module.definitions.values()) {
    if (definition.doc === undefined) continue;
    doctests(definition.doc).forEach((test, index) => {
      const code = substitutePlaceholders(test.code, definition.name);
      if (test.mode === "skip") {
        results.push({
          item: definition.name,
          index,
          mode: test.mode,
          code,
          passed: true,
          result: undefined,
        });
        return;
      }
      const result = session.evalEntry(code, { isolated: true });
      const failed = result.diagnostics.length > 0;
      const passed = test.mode === "must-panic" ? failed : !failed;
      results.push({ item: definition.name, index, mode: test.mode, code, passed, result });
    });
  }
  return { diagnostics: [], module, results };
}
