import type { Scope } from "../env.js";
import { unquoteOutsideQuote, unsupportedOperator } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import type { Value } from "../values.js";

/** Operators that parse but have no meaning when evaluated (LANGUAGE.md §5.12). */
export const UNSUPPORTED_OPERATORS: readonly string[] = [
  "?",
  "|?",
  "::",
  "<-",
  "$",
  "=>",
  "...",
  "\\",
];

/** An operator that parses but is `unsupported operator` when evaluated. */
export function unsupportedForm(op: string) {
  return (interp: Interpreter, call: TreeApply, _args: readonly Tree[], _scope: Scope): Value =>
    interp.fail(unsupportedOperator(call.callee.span, op));
}

/** `${e}` outside `quote` and name positions (LANGUAGE.md §5.9). */
export function unquoteForm(
  interp: Interpreter,
  call: TreeApply,
  _args: readonly Tree[],
  _scope: Scope,
): Value {
  return interp.fail(unquoteOutsideQuote(call.span));
}
