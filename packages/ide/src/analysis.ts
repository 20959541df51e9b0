/**
 * What the editor features read: one file's parse, its evaluation's module state, its type
 * side tables and the diagnostics of every phase. The language server builds it from the
 * compiler driver; {@link analyzeSource} builds it from the phase functions directly.
 */
import type { Diagnostic, SourceFile, Span } from "@cadenza/core";
import { type CancelSignal, type EvalResult, evaluate, type ModuleState } from "@cadenza/eval";
import { type ParseResult, parse } from "@cadenza/syntax";
import { type CheckResult, check } from "@cadenza/types";
import type { BindingKind } from "./resolve.js";

/** One analysed file: plain data, no editor or protocol types. */
export interface FileAnalysis {
  readonly source: SourceFile;
  /** The parse: Lezer tree (folding, selection, tokens) and uniform items (everything else). */
  readonly parse: ParseResult;
  /** The evaluator's module state (docs, macro expansions), when the file was evaluated. */
  readonly module?: ModuleState | undefined;
  /** The type checker's side tables, when the file was checked. */
  readonly types?: CheckResult | undefined;
  /** Diagnostics of every phase, in the order they should be shown. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * What the file's imports refer to in other files, from a host that has them (the
   * language server, through the compiler driver); without it imported names are bound but
   * nothing is known about them.
   */
  readonly imports?: ImportTable | undefined;
}

/** A definition another file exports, as an importer sees it: plain data. */
export interface ImportedSymbol {
  /** The file that defines it (a host path). */
  readonly file: string;
  /** Its name there (names are never renamed by an import). */
  readonly name: string;
  /**
   * The module the importer imports it from, as messages name modules (`geometry`; the
   * re-exporting module for a name that reaches the importer through a re-export).
   */
  readonly module: string;
  /** The module that defines it, when that is another one (a re-export). */
  readonly definedIn?: string | undefined;
  /** What it is in its file. */
  readonly kind: BindingKind;
  /** Its exported type (the generalised scheme), when it has one. */
  readonly type: string | undefined;
  /** Its declaration in Cadenza syntax (`fn area w h`, `struct Point { x: Float, y: Float }`). */
  readonly declaration: string;
  /** Its `##` documentation. */
  readonly doc: string | undefined;
  /** Where its name is written in its file, and the whole definition (UTF-16 offsets). */
  readonly span: Span;
  readonly definitionSpan: Span;
  /** Parameter names of a function or macro (for signature help). */
  readonly params?: readonly string[] | undefined;
}

/** A module one import of the file resolved to. */
export interface ImportedModule {
  /** The module's file (a host path). */
  readonly file: string;
  /** The module's name as messages write it (`shapes.circle`). */
  readonly module: string;
  /** What it exports, by name (after re-exports). */
  readonly exports: ReadonlyMap<string, ImportedSymbol>;
  /**
   * Its top-level definitions that it does not export, by name: where each definition starts
   * (after its `##` and attributes), for the quick fix that exports one.
   */
  readonly privates?: ReadonlyMap<string, number> | undefined;
}

/** What a file's imports refer to, filled by a host that knows the other files. */
export interface ImportTable {
  /**
   * One entry per import of the file, in the order `readImports` of `@cadenza/modules` gives
   * them: the module it resolved to, or undefined when there is none (an unknown module).
   */
  readonly modules: readonly (ImportedModule | undefined)[];
  /**
   * What each name bound by the file's imports refers to (through re-exports). A name an
   * import lists but cannot bind (private, unknown) is absent.
   */
  readonly names: ReadonlyMap<string, ImportedSymbol>;
}

/** Options of {@link analyzeSource}. */
export interface AnalyzeOptions {
  /** Whether to run the evaluator (default true): it supplies docs and macro expansions. */
  readonly evaluate?: boolean;
  /** Evaluation step budget (default 1,000,000): top-level code runs at compile time. */
  readonly steps?: number;
  /** Stops evaluation early (the rest of the analysis still runs). */
  readonly signal?: CancelSignal;
}

/**
 * Parses, evaluates (within a budget) and type-checks one file, and merges the diagnostics of
 * the three phases: parse diagnostics first, then evaluation and type diagnostics, where a type
 * diagnostic that repeats an evaluation one (same code name, same span) is dropped.
 */
export function analyzeSource(source: SourceFile, options: AnalyzeOptions = {}): FileAnalysis {
  const parsed = parse(source);
  let evaluation: EvalResult | undefined;
  if (options.evaluate !== false) {
    evaluation = evaluate(source, parsed.items, {
      budget: { steps: options.steps ?? 1_000_000 },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }
  const types = check(source, parsed.items);
  return {
    source,
    parse: parsed,
    module: evaluation?.module,
    types,
    diagnostics: mergeDiagnostics(
      parsed.diagnostics,
      evaluation?.diagnostics ?? [],
      types.diagnostics,
    ),
  };
}

/**
 * Merges diagnostics of the three front-end phases for an editor. Evaluation halting on its
 * budget is a warning (the rest of the analysis is still shown) and cancellation is not a
 * diagnostic at all; duplicates across phases (same `code` name after the phase prefix, same
 * primary span) are reported once, the first keeping the other's secondary labels and fixes
 * when it has none.
 */
export function mergeDiagnostics(
  parse: readonly Diagnostic[],
  evaluation: readonly Diagnostic[],
  types: readonly Diagnostic[],
): Diagnostic[] {
  const out: Diagnostic[] = [...parse];
  const seen = new Map<string, number>();
  const key = (d: Diagnostic): string =>
    `${d.code.slice(d.code.indexOf("/") + 1)}@${d.primary.span.start}:${d.primary.span.end}`;
  for (const [i, d] of parse.entries()) seen.set(key(d), i);
  const add = (d: Diagnostic): void => {
    const k = key(d);
    const at = seen.get(k);
    if (at === undefined) {
      seen.set(k, out.length);
      out.push(d);
      return;
    }
    // The same problem found twice: keep the first, with the labels and fixes of the second
    // when the first has none (the checker points at the reason for an expected type).
    const kept = out[at]!;
    if (kept.secondary.length === 0 && d.secondary.length > 0)
      out[at] = { ...kept, secondary: d.secondary };
    if (kept.fixes.length === 0 && d.fixes.length > 0) out[at] = { ...out[at]!, fixes: d.fixes };
  };
  for (const d of evaluation) {
    if (d.code === "eval/cancelled") continue;
    add(d.code.endsWith("budget-exhausted") ? { ...d, severity: "warning" } : d);
  }
  for (const d of types) add(d);
  return out;
}
