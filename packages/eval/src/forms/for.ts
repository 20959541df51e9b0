import { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { bindPattern, fallibleProblem } from "../patterns.js";
import { isCall, isIdent, type Tree, type TreeApply } from "../tree.js";
import { ERROR, isError, UNIT } from "../values.js";

/**
 * `for PATTERN in LIST BODY` (LANGUAGE.md §5.9): runs BODY once per element in a fresh child
 * scope with the pattern bound. Definitions made at the top of BODY are also bound in the
 * enclosing scope. Yields `()`.
 */
export function* forForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  const shape = "for PATTERN in LIST BODY";
  if (args.length !== 4 || !isIdent(args[1], "in"))
    return interp.fail(catalogue.invalidForm(call.span, "for", shape));
  const [pattern, , listNode, body] = args as [Tree, Tree, Tree, Tree];
  const problem = fallibleProblem(pattern, interp.text(listNode.span));
  if (problem) return interp.fail(problem);
  const _items = interp.evalStep(listNode, scope);
  const items = isPending(_items) ? yield _items : _items;
  if (isError(items)) return ERROR;
  if (items.kind !== "list")
    return interp.fail(catalogue.expectedFound(listNode.span, "a list", interp.typeName(items)));
  for (const item of items.items) {
    const iteration = new Scope(scope.env, "for", scope);
    bindPattern(interp, pattern, item, iteration, { valueSpan: listNode.span, origin: "let" });
    if (isCall(body, "__block__")) yield* interp.itemsStep(body.args, iteration);
    else {
      const x = interp.evalStep(body, iteration);
      if (isPending(x)) yield x;
    }
    for (const name of iteration.letNames) interp.blockNames.add(name);
  }
  return UNIT;
}
