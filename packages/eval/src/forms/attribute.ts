import type { Scope } from "../env.js";
import type { Interpreter, Step } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import type { Value } from "../values.js";

/**
 * `@attr item` and `## doc` + item (LANGUAGE.md §3.1): transparent wrappers. The item runs
 * in the current scope as if unwrapped; its definition forms read the attributes
 * (`unhygienic`, `si`) and the documentation from the interpreter's item contexts.
 */
export function wrapperForm(
  interp: Interpreter,
  call: TreeApply,
  _args: readonly Tree[],
  scope: Scope,
): Value | Step {
  return interp.evalStep(interp.unwrapItem(call), scope);
}
