import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { isCall, isIdent, type Tree, type TreeApply } from "../tree.js";
import { isError, UNIT, type Value } from "../values.js";
import { membersOf } from "./field.js";
import { viaAssignment } from "./names.js";

/**
 * `use { A, B } = Name` binds the listed variants (or namespace members) as plain names;
 * `use Name` binds all of them. Yields `()` (LANGUAGE.md §5.6).
 */
export function useForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  const selective = viaAssignment(call, args);
  const shape = selective ? "use { NAME, … } = TYPE" : "use TYPE";
  if (args.length !== (selective ? 2 : 1))
    return interp.fail(catalogue.invalidForm(call.span, "use", shape));
  const sourceNode = args[args.length - 1]!;
  const source = interp.eval(sourceNode, scope);
  if (isError(source)) return source;
  const members = membersOf(interp, source);
  if (members === undefined) return interp.fail(catalogue.invalidForm(call.span, "use", shape));
  let wanted: { name: string; node: Tree }[];
  if (selective) {
    const list = args[0]!;
    if (!isCall(list, "__record__") || !list.args.every((a) => isIdent(a))) {
      return interp.fail(catalogue.invalidForm(call.span, "use", shape));
    }
    wanted = list.args.map((a) => ({ name: (a as { name: string }).name, node: a }));
  } else {
    wanted = [...members.keys()].map((name) => ({ name, node: sourceNode }));
  }
  for (const { name, node } of wanted) {
    const value = members.get(name);
    if (value === undefined)
      return interp.fail(catalogue.fieldNotFound(node.span, name, [...members.keys()], false));
    scope.define(name, { value, origin: "definition", span: node.span });
  }
  return UNIT;
}
