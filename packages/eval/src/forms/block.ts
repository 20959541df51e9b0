import { Scope } from "../env.js";
import type { Interpreter } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import type { Value } from "../values.js";

/**
 * A block (LANGUAGE.md §5.3): its items run in a new scope (after hoisting) and it yields
 * the last item's value; its `let` bindings disappear when it ends.
 */
export function blockForm(
  interp: Interpreter,
  _call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  const inner = new Scope(scope.env, "block");
  const value = interp.runItems(args, inner);
  for (const name of inner.letNames) interp.blockNames.add(name);
  return value;
}
