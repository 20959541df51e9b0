import { Scope } from "../env.js";
import type { Interpreter, Step } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";

/**
 * A block (LANGUAGE.md §5.3): its items run in a new scope (after hoisting) and it yields
 * the last item's value; its `let` bindings disappear when it ends.
 */
export function* blockForm(
  interp: Interpreter,
  _call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  const inner = new Scope(scope.env, "block");
  const value = yield* interp.itemsStep(args, inner);
  for (const name of inner.letNames) interp.blockNames.add(name);
  return value;
}
