import type { Binding, Scope } from "../env.js";
import { catalogue } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { isIdent, type Tree, type TreeApply } from "../tree.js";
import { UNIT, type Value } from "../values.js";
import { definitionName, viaAssignment } from "./names.js";

/**
 * `macro NAME P1 … Pn = BODY` (LANGUAGE.md §5.9): defines a macro over the current scope and
 * yields `()`. `@unhygienic` before the item makes its expansions run in the caller's scope.
 */
export function macroForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  const shape = "macro NAME PARAMETERS = BODY";
  if (!viaAssignment(call, args) || args.length < 2)
    return interp.fail(catalogue.invalidForm(call.span, "macro", shape));
  const name = definitionName(interp, args[0], scope);
  const params = args.slice(1, -1);
  if (name === undefined || !params.every((p) => isIdent(p))) {
    return interp.fail(catalogue.invalidForm(call.span, "macro", shape));
  }
  const context = interp.itemContexts.get(call);
  const unhygienic = context?.attributes.some((a) => isIdent(a, "unhygienic")) ?? false;
  const binding: Binding = { value: undefined, origin: "definition", span: args[0]!.span };
  if (context?.doc !== undefined) binding.doc = context.doc;
  scope.define(name, binding);
  // Bound before the value is made so that the macro can refer to itself.
  binding.value = {
    kind: "macro",
    name,
    params: params.map((p) => (p.kind === "ident" ? p.name : "_")),
    body: args[args.length - 1]!,
    env: scope.env,
    unhygienic,
    node: call,
  };
  return UNIT;
}
