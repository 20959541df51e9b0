import type { Scope } from "../env.js";
import { assertionFailed, catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { renderValue } from "../print.js";
import type { Tree, TreeApply } from "../tree.js";
import { ERROR, isError, UNIT } from "../values.js";

/**
 * `assert COND` / `assert COND MESSAGE` (LANGUAGE.md §5.7): `()` when COND is true, else
 * `assertion failed` (with `: MESSAGE`, evaluated only then).
 */
export function* assertForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  if (args.length !== 1 && args.length !== 2) {
    return interp.fail(catalogue.invalidForm(call.span, "assert", "assert CONDITION MESSAGE"));
  }
  const _condition = interp.evalStep(args[0]!, scope);
  const condition = isPending(_condition) ? yield _condition : _condition;
  if (isError(condition)) return ERROR;
  if (condition.kind !== "bool") {
    return interp.fail(catalogue.expectedFound(args[0]!.span, "Bool", interp.typeName(condition)));
  }
  if (condition.value) return UNIT;
  let message: string | undefined;
  if (args[1] !== undefined) {
    const _m = interp.evalStep(args[1], scope);
    const m = isPending(_m) ? yield _m : _m;
    if (isError(m)) return ERROR;
    message = m.kind === "string" ? m.value : m.kind === "symbol" ? m.name : renderValue(m);
  }
  return interp.fail(assertionFailed(args[0]!.span, message));
}
