import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { PoisonedQuote, quoteTree } from "../macros.js";
import { apply, ident, type Tree, type TreeApply } from "../tree.js";
import { ERROR, syntax, type Value } from "../values.js";
import { viaAssignment } from "./names.js";

/**
 * `quote E` yields the Syntax of E with its unquotes filled in (LANGUAGE.md §5.9).
 * `quote x = e` arrives through `=` re-dispatch and quotes the whole assignment; `quote f x`
 * quotes the application.
 */
export function quoteForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  if (args.length === 0)
    return interp.fail(catalogue.invalidForm(call.span, "quote", "quote EXPRESSION"));
  let target: Tree;
  if (viaAssignment(call, args)) {
    const rhs = args[args.length - 1]!;
    const lhsParts = args.slice(0, -1);
    const lhs =
      lhsParts.length === 1 ? lhsParts[0]! : apply(lhsParts[0]!, lhsParts.slice(1), call.span);
    target = apply(ident("=", call.callee.span), [lhs, rhs], call.span);
  } else {
    target = args.length === 1 ? args[0]! : apply(args[0]!, args.slice(1), call.span);
  }
  try {
    return syntax(quoteTree(interp, target, scope));
  } catch (e) {
    if (e instanceof PoisonedQuote) return ERROR;
    throw e;
  }
}
