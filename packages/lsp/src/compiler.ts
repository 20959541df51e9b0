/**
 * What the engine needs from the compiler: files in, analyses out, computed as fibers that
 * yield at natural points so that edits and requests pre-empt them. {@link createDriverHost}
 * implements it on `@cadenza/driver`: one incremental query database for every file, whose
 * compilations yield per definition and binding group and keep everything they completed
 * when an edit stops them.
 */
import { type CompileFiber, type Compiler, createCompiler, poll } from "@cadenza/driver";
import type { FileAnalysis } from "@cadenza/ide";

/** One step of an analysis: more to do, or the finished analysis. */
export type AnalysisStep =
  | { readonly done: false; readonly phase: string }
  | { readonly done: true; readonly analysis: FileAnalysis };

/** A resumable analysis of one file's current text. */
export interface AnalysisFiber {
  /** Runs until the next yield point. */
  step(): AnalysisStep;
}

/** The compiler as the engine uses it. */
export interface AnalysisHost {
  /** Sets (or replaces) the text of a file. */
  setFile(path: string, text: string): void;
  removeFile(path: string): void;
  /** The step budget of compile-time evaluation, for the analyses that start from now on. */
  setEvaluationSteps(steps: number): void;
  /** Starts (or resumes) the analysis of a file's current text. */
  analyze(path: string): AnalysisFiber;
  /** A cheap analysis without evaluation or types (for workspace symbols of unchecked files). */
  outline(path: string): FileAnalysis | undefined;
}

/** Options of {@link createDriverHost}. */
export interface DriverHostOptions {
  /** The evaluation step budget (default 1,000,000). */
  readonly steps?: number;
  /** How long one step of an analysis may run before yielding, in milliseconds (default 10). */
  readonly sliceMillis?: number;
}

/** The analysis host on the compiler driver. */
export function createDriverHost(options: DriverHostOptions = {}): AnalysisHost {
  const texts = new Map<string, string>();
  const slice = options.sliceMillis ?? 10;
  let steps = options.steps ?? 1_000_000;
  const make = (): Compiler => {
    const c = createCompiler({ evaluation: { budget: { steps } } });
    for (const [path, text] of texts) c.setFile(path, text);
    return c;
  };
  let compiler = make();
  const analysisOf = (path: string): FileAnalysis => ({
    source: compiler.source(path),
    parse: compiler.parse(path),
    module: compiler.evaluation(path).module,
    types: compiler.typecheck(path),
    diagnostics: compiler.diagnostics(path),
  });
  return {
    setFile(path, text) {
      texts.set(path, text);
      compiler.setFile(path, text);
    },
    removeFile(path) {
      texts.delete(path);
      compiler.removeFile(path);
    },
    setEvaluationSteps(next) {
      if (next === steps) return;
      steps = next;
      // The budget is part of how evaluation is defined: results under the old one go.
      compiler = make();
    },
    analyze(path) {
      let owner = compiler;
      let fiber: CompileFiber = owner.start(path);
      return {
        step(): AnalysisStep {
          if (owner !== compiler) {
            owner = compiler;
            fiber = owner.start(path);
          }
          const r = poll(fiber, { millis: slice });
          if (r.error !== undefined) throw r.error;
          if (r.cancelled) {
            // Another file changed under it: start again; the database keeps what is done.
            fiber = owner.start(path);
            return { done: false, phase: "restart" };
          }
          if (!r.done) {
            const progress = r.events.findLast((e) => e.kind === "progress");
            return { done: false, phase: progress?.kind === "progress" ? progress.phase : "" };
          }
          return { done: true, analysis: analysisOf(path) };
        },
      };
    },
    outline(path) {
      if (!texts.has(path)) return undefined;
      const parse = compiler.parse(path);
      return { source: compiler.source(path), parse, diagnostics: parse.diagnostics };
    },
  };
}
