import { lookup, type Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { apply, isIdent, type Tree, type TreeApply } from "../tree.js";
import { typeOf } from "../types.js";
import { ERROR, isError, typeValue } from "../values.js";

/**
 * `typeof e` (LANGUAGE.md §5.7): the type of the value of `e` as a Type value. Inside a
 * macro body, an identifier bound to a macro parameter gives the type of the argument
 * expression, evaluated in the caller's scope.
 */
export function* typeofForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  if (args.length === 0)
    return interp.fail(catalogue.invalidForm(call.span, "typeof", "typeof EXPRESSION"));
  const operand = args.length === 1 ? args[0]! : apply(args[0]!, args.slice(1), call.span);
  const argument = isIdent(operand) ? lookup(scope.env, operand.name)?.macroArgument : undefined;
  const x =
    argument !== undefined
      ? interp.evalStep(argument.node, argument.scope)
      : interp.evalStep(operand, scope);
  const v = isPending(x) ? yield x : x;
  if (isError(v)) return ERROR;
  return typeValue(typeOf(v));
}
