import { Scope } from "../env.js";
import { catalogue, nonExhaustiveMatch } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { matchPattern } from "../patterns.js";
import { renderValue } from "../print.js";
import { isCall, type Tree, type TreeApply } from "../tree.js";
import { ERROR, isError } from "../values.js";

/** The arms of a `match`: its arguments, or the items of a block argument. */
function armsOf(args: readonly Tree[]): readonly Tree[] {
  const rest = args.slice(1);
  if (rest.length === 1 && isCall(rest[0], "__block__")) return rest[0].args;
  return rest;
}

/**
 * `match SCRUTINEE ARM…` (LANGUAGE.md §5.3): arms `PATTERN => BODY` are tried in order; the
 * first that matches binds its names in a new scope and yields its body.
 */
export function* matchForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  const shape = "match VALUE PATTERN => BODY …";
  if (args.length < 1) return interp.fail(catalogue.invalidForm(call.span, "match", shape));
  const arms = armsOf(args);
  for (const arm of arms) {
    if (!isCall(arm, "=>") || arm.args.length !== 2)
      return interp.fail(catalogue.invalidForm(arm.span, "match", shape));
  }
  const _value = interp.evalStep(args[0]!, scope);
  const value = isPending(_value) ? yield _value : _value;
  if (isError(value)) return ERROR;
  for (let i = 0; i < arms.length; i++) {
    const arm = arms[i] as TreeApply;
    const bindings = matchPattern(interp, arm.args[0]!, value, scope);
    if (bindings === undefined) continue;
    for (let j = 0; j < arms.length; j++) interp.recorder.recordBranch(arms[j]!, j === i);
    const armScope = new Scope(scope.env, "arm");
    for (const [name, v, span] of bindings)
      armScope.bind(name, { value: v, origin: "param", span });
    const x = interp.evalStep(arm.args[1]!, armScope);
    return isPending(x) ? yield x : x;
  }
  for (const arm of arms) interp.recorder.recordBranch(arm, false);
  return interp.fail(nonExhaustiveMatch(args[0]!.span, renderValue(value)));
}
