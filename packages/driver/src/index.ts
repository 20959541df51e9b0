/**
 * `@cadenza/driver`: the Cadenza compiler driver. Every phase runs as queries of one
 * incremental database, at the granularity of top-level definitions and binding groups, and
 * a compilation is a cancellable stream of events.
 *
 * @packageDocumentation
 */
export {
  type Compiler,
  type CompilerOptions,
  type CompilerStats,
  createCompiler,
  type DefinitionInfo,
  QUERY_NAMES,
} from "./compiler.js";
export type { DefinitionKind } from "./definitions.js";
export { passOf } from "./diagnostics.js";
export {
  type CancelledEvent,
  type CompileEvent,
  type CompileFiber,
  type CompileResult,
  type DepsEvent,
  type DiagEvent,
  type DoneEvent,
  type ErrorEvent,
  type NeedModuleEvent,
  type Pass,
  type PollBudget,
  type PollResult,
  type ProgressEvent,
  poll,
  type StartOptions,
} from "./events.js";
