import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import { ERROR, isError, type SpecialForm } from "../values.js";

/** `&&` and `||` (LANGUAGE.md §5.2): short-circuit, Bool operands only. */
export function logicForm(op: "&&" | "||"): SpecialForm {
  return function* (
    interp: Interpreter,
    call: TreeApply,
    args: readonly Tree[],
    scope: Scope,
  ): Step {
    if (args.length !== 2)
      return interp.fail(catalogue.invalidForm(call.span, op, `VALUE ${op} VALUE`));
    const _left = interp.evalStep(args[0]!, scope);
    const left = isPending(_left) ? yield _left : _left;
    if (isError(left)) return ERROR;
    if (left.kind !== "bool")
      return interp.fail(catalogue.expectedFound(args[0]!.span, "Bool", interp.typeName(left)));
    if (left.value === (op === "||")) return left;
    const _right = interp.evalStep(args[1]!, scope);
    const right = isPending(_right) ? yield _right : _right;
    if (isError(right)) return ERROR;
    if (right.kind !== "bool")
      return interp.fail(catalogue.expectedFound(args[1]!.span, "Bool", interp.typeName(right)));
    return right;
  };
}
