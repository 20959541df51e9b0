import type { Scope } from "../env.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import { ERROR, isError, tuple, type Value } from "../values.js";

/** `(a, b)`, `(a,)` and `()` (LANGUAGE.md §5.4): a tuple; the empty one is Unit. */
export function* tupleForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  const items: Value[] = [];
  for (const arg of args) {
    const _v = interp.evalStep(arg, scope);
    const v = isPending(_v) ? yield _v : _v;
    if (isError(v)) return ERROR;
    items.push(v);
  }
  if (items.length > 0) interp.allocate(items.length + 1, call.span);
  return tuple(items);
}
