import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import { ERROR, isError, UNIT } from "../values.js";

/**
 * `if COND then A else B` (LANGUAGE.md §5.3): a Bool condition chooses the branch; without
 * `else` a false condition yields `()`. The branch not taken is recorded for the checker.
 */
export function* ifForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  if (args.length !== 2 && args.length !== 3) {
    return interp.fail(
      catalogue.invalidForm(call.span, "if", "if CONDITION then VALUE else VALUE"),
    );
  }
  const _condition = interp.evalStep(args[0]!, scope);
  const condition = isPending(_condition) ? yield _condition : _condition;
  if (isError(condition)) return ERROR;
  if (condition.kind !== "bool") {
    return interp.fail(catalogue.expectedFound(args[0]!.span, "Bool", interp.typeName(condition)));
  }
  const [thenBranch, elseBranch] = [args[1]!, args[2]];
  interp.recorder.recordBranch(thenBranch, condition.value);
  if (elseBranch !== undefined) interp.recorder.recordBranch(elseBranch, !condition.value);
  const chosen = condition.value ? thenBranch : elseBranch;
  if (chosen === undefined) return UNIT;
  const x = interp.evalStep(chosen, scope);
  return isPending(x) ? yield x : x;
}
