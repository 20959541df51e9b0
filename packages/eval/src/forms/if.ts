import type { Scope } from "../env.js";
import { expectedType, invalidForm } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import { ERROR, isError, UNIT, type Value } from "../values.js";

/**
 * `if COND then A else B` (LANGUAGE.md §5.3): a Bool condition chooses the branch; without
 * `else` a false condition yields `()`. The branch not taken is recorded for the checker.
 */
export function ifForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  if (args.length !== 2 && args.length !== 3) {
    return interp.fail(invalidForm(call.span, "if", "if CONDITION then VALUE else VALUE"));
  }
  const condition = interp.eval(args[0]!, scope);
  if (isError(condition)) return ERROR;
  if (condition.kind !== "bool") {
    return interp.fail(expectedType(args[0]!.span, "Bool", interp.typeName(condition)));
  }
  const [thenBranch, elseBranch] = [args[1]!, args[2]];
  interp.recorder.recordBranch(thenBranch, condition.value);
  if (elseBranch !== undefined) interp.recorder.recordBranch(elseBranch, !condition.value);
  if (condition.value) return interp.eval(thenBranch, scope);
  return elseBranch === undefined ? UNIT : interp.eval(elseBranch, scope);
}
