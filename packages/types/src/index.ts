/**
 * `@cadenza/types`: the Cadenza type checker.
 *
 * @packageDocumentation
 */
export {
  type CheckOptions,
  type CheckResult,
  type CheckSourceResult,
  check,
  checkSource,
  type TypeAtResult,
  type TypeTable,
} from "./check.js";
export { renderScheme, renderType, TypeNamer, unitText } from "./print.js";
