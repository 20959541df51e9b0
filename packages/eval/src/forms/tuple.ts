import type { Scope } from "../env.js";
import type { Interpreter } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import { ERROR, isError, tuple, type Value } from "../values.js";

/** `(a, b)`, `(a,)` and `()` (LANGUAGE.md §5.4): a tuple; the empty one is Unit. */
export function tupleForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  const items: Value[] = [];
  for (const arg of args) {
    const v = interp.eval(arg, scope);
    if (isError(v)) return ERROR;
    items.push(v);
  }
  if (items.length > 0) interp.allocate(items.length + 1, call.span);
  return tuple(items);
}
