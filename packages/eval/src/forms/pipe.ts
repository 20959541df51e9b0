import { lookup, type Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { apply, type Tree, type TreeApply, valueNode } from "../tree.js";
import { ERROR, isError } from "../values.js";

/**
 * `x |> f a b` means `f x a b` (LANGUAGE.md §5.7): the left value becomes the first argument
 * of the right operand's application. A bare right operand, or one headed by a special form
 * (`List.map` is `(. List map)`… but `\y -> …` is `->`), is evaluated and applied to `x`.
 */
export function* pipeForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  if (args.length !== 2)
    return interp.fail(catalogue.invalidForm(call.span, "|>", "VALUE |> FUNCTION"));
  const [left, right] = args as [Tree, Tree];
  const _x = interp.evalStep(left, scope);
  const x = isPending(_x) ? yield _x : _x;
  if (isError(x)) return ERROR;
  const xNode = valueNode(x, left.span);
  if (right.kind === "apply") {
    const head =
      right.callee.kind === "ident" ? lookup(scope.env, right.callee.name)?.value : undefined;
    if (head?.kind !== "form") {
      const r = interp.evalStep(apply(right.callee, [xNode, ...right.args], call.span), scope);
      return isPending(r) ? yield r : r;
    }
  }
  if (right.kind === "ident") {
    const r = interp.evalStep(apply(right, [xNode], call.span), scope);
    return isPending(r) ? yield r : r;
  }
  const _f = interp.evalStep(right, scope);
  const f = isPending(_f) ? yield _f : _f;
  if (isError(f)) return ERROR;
  const r = interp.evalStep(apply(valueNode(f, right.span), [xNode], call.span), scope);
  return isPending(r) ? yield r : r;
}
