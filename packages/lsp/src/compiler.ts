/**
 * What the engine needs from the compiler: files in, analyses out, computed as fibers that
 * yield at natural points so that edits and requests pre-empt them. {@link createPhaseHost}
 * implements it on the phase functions, with memoisation per file text (a fiber restarted on
 * the same text resumes after the phases it completed) and incremental reparsing.
 */
import { SourceFile, type TextEdit } from "@cadenza/core";
import { type CancelSignal, type EvalResult, evaluate } from "@cadenza/eval";
import { type FileAnalysis, mergeDiagnostics } from "@cadenza/ide";
import { type ParseResult, parse, reparse } from "@cadenza/syntax";
import { type CheckResult, check } from "@cadenza/types";

/** One step of an analysis: more to do, or the finished analysis. */
export type AnalysisStep =
  | { readonly done: false; readonly phase: string }
  | { readonly done: true; readonly analysis: FileAnalysis };

/** A resumable analysis of one file's current text. */
export interface AnalysisFiber {
  /** Runs until the next yield point. */
  step(): AnalysisStep;
}

/** Options of one analysis. */
export interface AnalysisOptions {
  /** The evaluation step budget. */
  readonly steps: number;
  /** Polled by long phases (evaluation); stops them early when it reports aborted. */
  readonly signal?: CancelSignal;
}

/** The compiler as the engine uses it. */
export interface AnalysisHost {
  /** Sets (or replaces) the text of a file. */
  setFile(path: string, text: string): void;
  removeFile(path: string): void;
  /** The files the host knows. */
  files(): readonly string[];
  /** The text of a file, if known. */
  text(path: string): string | undefined;
  /** Starts (or resumes) the analysis of a file's current text. */
  analyze(path: string, options: AnalysisOptions): AnalysisFiber;
  /** A cheap analysis without evaluation or types (for workspace symbols of unchecked files). */
  outline(path: string): FileAnalysis | undefined;
}

interface Memo {
  readonly text: string;
  source?: SourceFile;
  parse?: ParseResult;
  evaluation?: EvalResult;
  types?: CheckResult;
  analysis?: FileAnalysis;
}

/** The single edit that turns `before` into `after` (common prefix and suffix kept). */
export function diffEdit(before: string, after: string): TextEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (
    endBefore > start &&
    endAfter > start &&
    before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)
  ) {
    endBefore--;
    endAfter--;
  }
  return { span: { start, end: endBefore }, newText: after.slice(start, endAfter) };
}

/**
 * The analysis host on the phase functions: parse (incrementally from the file's previous
 * parse), evaluate within the step budget, type-check, merge the diagnostics.
 */
export function createPhaseHost(): AnalysisHost {
  const memos = new Map<string, Memo>();
  /** The last complete parse of each file, the base of the next incremental reparse. */
  const lastParse = new Map<string, ParseResult>();
  const sourceOf = (path: string, memo: Memo): SourceFile =>
    (memo.source ??= SourceFile.fromRaw(path, memo.text));

  return {
    setFile(path, text) {
      if (memos.get(path)?.text === text) return;
      memos.set(path, { text });
    },
    removeFile(path) {
      memos.delete(path);
      lastParse.delete(path);
    },
    files: () => [...memos.keys()],
    text: (path) => memos.get(path)?.text,
    analyze(path, options) {
      const memo = memos.get(path);
      return {
        step(): AnalysisStep {
          if (memo === undefined || memos.get(path) !== memo) {
            // The file was replaced or removed: analyse what is there now.
            const now = memos.get(path);
            if (now === undefined) throw new Error(`unknown file ${path}`);
            return { done: false, phase: "restart" };
          }
          const source = sourceOf(path, memo);
          if (memo.parse === undefined) {
            const previous = lastParse.get(path);
            memo.parse =
              previous === undefined
                ? parse(source)
                : reparse(previous, source, [diffEdit(previous.source.text, source.text)]);
            lastParse.set(path, memo.parse);
            return { done: false, phase: "parse" };
          }
          if (memo.evaluation === undefined) {
            const evaluation = evaluate(source, memo.parse.items, {
              budget: { steps: options.steps },
              ...(options.signal === undefined ? {} : { signal: options.signal }),
            });
            // A cancelled evaluation is not kept: the next attempt runs it again.
            if (evaluation.status === "cancelled") return { done: false, phase: "evaluate" };
            memo.evaluation = evaluation;
            return { done: false, phase: "evaluate" };
          }
          if (memo.types === undefined) {
            memo.types = check(source, memo.parse.items);
            return { done: false, phase: "check" };
          }
          memo.analysis ??= {
            source,
            parse: memo.parse,
            module: memo.evaluation.module,
            types: memo.types,
            diagnostics: mergeDiagnostics(
              memo.parse.diagnostics,
              memo.evaluation.diagnostics,
              memo.types.diagnostics,
            ),
          };
          return { done: true, analysis: memo.analysis };
        },
      };
    },
    outline(path) {
      const memo = memos.get(path);
      if (memo === undefined) return undefined;
      if (memo.analysis !== undefined) return memo.analysis;
      const source = sourceOf(path, memo);
      memo.parse ??= parse(source);
      return { source, parse: memo.parse, diagnostics: memo.parse.diagnostics };
    },
  };
}
