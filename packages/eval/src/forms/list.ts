import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { isCall, type Tree, type TreeApply } from "../tree.js";
import { joinTypes, renderType, type Type, typeCompatible, typeOf, UNKNOWN } from "../types.js";
import { ERROR, isError, type Value } from "../values.js";

/**
 * `[a, b, ...xs]` (LANGUAGE.md §5.4): a homogeneous list; every element's type must be
 * compatible with the first element's type (`type mismatch in list`).
 */
export function* listForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  const items: Value[] = [];
  let first: Type | undefined;
  let element: Type = UNKNOWN;
  let poisoned = false;
  const add = (v: Value, span: TreeApply["span"]): void => {
    const t = typeOf(v);
    if (first === undefined) first = t;
    else if (!typeCompatible(first, t))
      interp.fail(catalogue.listElementType(span, renderType(first), renderType(t)));
    element = joinTypes(element, t);
    items.push(v);
  };
  for (const arg of args) {
    if (isCall(arg, "...") && arg.args.length === 1) {
      const _spread = interp.evalStep(arg.args[0]!, scope);
      const spread = isPending(_spread) ? yield _spread : _spread;
      if (isError(spread)) {
        poisoned = true;
        continue;
      }
      if (spread.kind !== "list")
        return interp.fail(
          catalogue.expectedFound(arg.args[0]!.span, "a list", interp.typeName(spread)),
        );
      interp.allocate(spread.items.length, arg.span);
      for (const v of spread.items) add(v, arg.span);
    } else {
      const _v = interp.evalStep(arg, scope);
      const v = isPending(_v) ? yield _v : _v;
      if (isError(v)) {
        poisoned = true;
        continue;
      }
      add(v, arg.span);
    }
  }
  if (poisoned) return ERROR;
  interp.allocate(items.length + 1, call.span);
  return { kind: "list", items, elementType: element };
}
