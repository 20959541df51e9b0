export {
  type BaselineComparison,
  baselineFor,
  compareWithBaseline,
  parseBaseline,
} from "./baseline.js";
export { normalizeOutput, outputsMatch, shortDiff } from "./compare.js";
export { type RunnerIO, runConformance } from "./conformance.js";
export { formatReport, formatTable, type Tally, tally } from "./report.js";
export { type CaseResult, type CliCommandLine, runCase, runCases } from "./runner.js";
