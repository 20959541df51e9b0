export {
  type Budget,
  type CancelSignal,
  type EvalOptions,
  type EvalResult,
  type EvalStatus,
  evaluate,
  Interpreter,
  type ItemContext,
  type TranscriptEntry,
} from "./evaluate.js";
