export type { Cancelled, CancelPolicy, CancelReason } from "./cancelled.js";
export type { QueryContext } from "./context.js";
export {
  type Cycle,
  CycleError,
  type CycleLocation,
  type CycleOutcome,
  type CycleParticipant,
  cycleDiagnostic,
  formatParticipant,
} from "./cycle.js";
export {
  type AnyQuery,
  type CacheInfo,
  createDatabase,
  type Database,
  type DatabaseOptions,
  type RunOptions,
} from "./database.js";
export { structuralEqual } from "./equality.js";
export type {
  Fiber,
  FiberBudget,
  FiberError,
  FiberOutcome,
  FiberPoll,
  FiberYield,
} from "./fiber.js";
export { defineInput, type Input, type InputOptions } from "./input.js";
export { encodeKey, type Key } from "./key.js";
export {
  defineQuery,
  type GeneratorQueryFunction,
  type Query,
  type QueryFunction,
  type QueryOptions,
} from "./query.js";
export type { Ok, QueryResult } from "./result.js";
export type { Revision } from "./revision.js";
export type { QueryStats } from "./stats.js";
