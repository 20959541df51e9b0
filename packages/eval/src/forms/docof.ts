import { docToSyntax } from "../docs.js";
import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { isIdent, type Tree, type TreeApply } from "../tree.js";
import { syntax, type Value } from "../values.js";

/**
 * `docof NAME` (LANGUAGE.md §5.10): the documentation of NAME's binding converted to
 * syntax. NAME is not evaluated, so a zero-parameter function is not called.
 */
export function docofForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  const name = args[0];
  if (args.length !== 1 || !isIdent(name))
    return interp.fail(catalogue.invalidForm(call.span, "docof", "docof NAME"));
  const binding = interp.lookupOrFail(name.name, name.span, scope);
  return syntax(docToSyntax(binding.doc, call.span));
}
