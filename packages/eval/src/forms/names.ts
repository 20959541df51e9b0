import type { Scope } from "../env.js";
import { catalogue, unquoteOutsideQuote } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { isCall, type Tree } from "../tree.js";

/**
 * The name written by `${e}` in a name position (LANGUAGE.md §5.9): `e` must yield a Symbol
 * or a String, whose text is the name.
 */
export function nameFromUnquote(interp: Interpreter, node: Tree, scope: Scope): string {
  if (!isCall(node, "__unquote__") || node.args.length !== 1)
    return interp.fail(unquoteOutsideQuote(node.span));
  const v = interp.eval(node.args[0]!, scope);
  if (v.kind === "symbol") return v.name;
  if (v.kind === "string") return v.value;
  return interp.fail(catalogue.expectedFound(node.args[0]!.span, "Symbol", interp.typeName(v)));
}

/**
 * The name of a definition: an identifier, or `${e}` evaluated to a Symbol or String.
 * Undefined for any other shape.
 */
export function definitionName(
  interp: Interpreter,
  node: Tree | undefined,
  scope: Scope,
): string | undefined {
  if (node === undefined) return undefined;
  if (node.kind === "ident") return node.name;
  if (isCall(node, "__unquote__")) return nameFromUnquote(interp, node, scope);
  return undefined;
}

/** Whether `args` came from `=` re-dispatch (`let x = 1`) rather than a bare `let x`. */
export function viaAssignment(
  call: { readonly args: readonly Tree[] },
  args: readonly Tree[],
): boolean {
  return args !== call.args;
}
