import type { Scope } from "../env.js";
import { expectedType, invalidForm } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import { ERROR, isError, type Value } from "../values.js";

/** `&&` and `||` (LANGUAGE.md §5.2): short-circuit, Bool operands only. */
export function logicForm(op: "&&" | "||") {
  return (interp: Interpreter, call: TreeApply, args: readonly Tree[], scope: Scope): Value => {
    if (args.length !== 2) return interp.fail(invalidForm(call.span, op, `VALUE ${op} VALUE`));
    const left = interp.eval(args[0]!, scope);
    if (isError(left)) return ERROR;
    if (left.kind !== "bool")
      return interp.fail(expectedType(args[0]!.span, "Bool", interp.typeName(left)));
    if (left.value === (op === "||")) return left;
    const right = interp.eval(args[1]!, scope);
    if (isError(right)) return ERROR;
    if (right.kind !== "bool")
      return interp.fail(expectedType(args[1]!.span, "Bool", interp.typeName(right)));
    return right;
  };
}
