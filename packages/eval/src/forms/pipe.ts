import { lookup, type Scope } from "../env.js";
import { invalidForm } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { apply, type Tree, type TreeApply, valueNode } from "../tree.js";
import { ERROR, isError, type Value } from "../values.js";

/**
 * `x |> f a b` means `f x a b` (LANGUAGE.md §5.7): the left value becomes the first argument
 * of the right operand's application. A bare right operand, or one headed by a special form
 * (`List.map` is `(. List map)`… but `\y -> …` is `->`), is evaluated and applied to `x`.
 */
export function pipeForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  if (args.length !== 2) return interp.fail(invalidForm(call.span, "|>", "VALUE |> FUNCTION"));
  const [left, right] = args as [Tree, Tree];
  const x = interp.eval(left, scope);
  if (isError(x)) return ERROR;
  const xNode = valueNode(x, left.span);
  if (right.kind === "apply") {
    const head =
      right.callee.kind === "ident" ? lookup(scope.env, right.callee.name)?.value : undefined;
    if (head?.kind !== "form") {
      return interp.eval(apply(right.callee, [xNode, ...right.args], call.span), scope);
    }
  }
  if (right.kind === "ident") return interp.eval(apply(right, [xNode], call.span), scope);
  const f = interp.eval(right, scope);
  if (isError(f)) return ERROR;
  return interp.apply(f, [x], apply(right, [xNode], call.span), scope);
}
