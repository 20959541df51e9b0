import { lookup, type Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { patternNames } from "../module.js";
import { bindPattern, fallibleProblem } from "../patterns.js";
import type { Tree, TreeApply } from "../tree.js";
import { isError, UNIT } from "../values.js";
import { viaAssignment } from "./names.js";

/**
 * `let PATTERN = EXPR` (LANGUAGE.md §5.1): checks that the pattern is infallible before the
 * right side runs (D9), evaluates it, binds new cells and yields `()` (D4).
 */
export function* letForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  if (!viaAssignment(call, args) || args.length !== 2) {
    return interp.fail(catalogue.invalidForm(call.span, "let", "let PATTERN = VALUE"));
  }
  const [pattern, rhs] = args as [Tree, Tree];
  const problem = fallibleProblem(pattern, interp.text(rhs.span));
  if (problem) return interp.fail(problem);
  const _value = interp.evalStep(rhs, scope);
  const value = isPending(_value) ? yield _value : _value;
  bindPattern(interp, pattern, value, scope, {
    valueSpan: rhs.span,
    valueNode: rhs,
    origin: "let",
  });
  const doc = interp.itemContexts.get(call)?.doc;
  if (doc !== undefined) {
    for (const name of patternNames(pattern)) {
      const b = lookup(scope.env, name);
      if (b) b.doc = doc;
    }
  }
  return isError(value) ? value : UNIT;
}
