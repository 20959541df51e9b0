import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import { renderType, typeCompatible, typeOf } from "../types.js";
import { ERROR, isError } from "../values.js";
import { evalTypeExpr } from "./type.js";

/** `e: T` as an expression: the value of `e`, which must have type T. */
export function* annotationForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  if (args.length !== 2) return interp.fail(catalogue.invalidForm(call.span, ":", "VALUE: TYPE"));
  const _v = interp.evalStep(args[0]!, scope);
  const v = isPending(_v) ? yield _v : _v;
  if (isError(v)) return ERROR;
  const t = evalTypeExpr(interp, args[1]!, scope);
  const actual = typeOf(v);
  if (!typeCompatible(t, actual))
    interp.fail(catalogue.expectedFound(args[0]!.span, renderType(t), renderType(actual)));
  return v;
}
