import type { Binding, Scope } from "../env.js";
import { catalogue, unsupportedOperator } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { fallibleProblem } from "../patterns.js";
import { isCall, isIdent, type Tree, type TreeApply } from "../tree.js";
import type { ClosureValue, Value } from "../values.js";
import { UNIT } from "../values.js";
import { definitionName, viaAssignment } from "./names.js";

function checkParams(interp: Interpreter, params: readonly Tree[]): void {
  for (const p of params) {
    const problem = fallibleProblem(p, isIdent(p) ? p.name : interp.text(p.span));
    if (problem) interp.fail(problem);
  }
}

/**
 * `fn NAME P1 … Pn = BODY` (LANGUAGE.md §5.2): defines a closure over the current scope and
 * yields `()`. A function hoisted by its block fills the hoisted cell; any other is bound
 * like a definition (and exported from expansions and `for` bodies).
 */
export function fnForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  if (!viaAssignment(call, args) || args.length < 2) {
    return interp.fail(catalogue.invalidForm(call.span, "fn", "fn NAME PARAMETERS = BODY"));
  }
  const name = definitionName(interp, args[0], scope);
  if (name === undefined)
    return interp.fail(catalogue.invalidForm(call.span, "fn", "fn NAME PARAMETERS = BODY"));
  const params = args.slice(1, -1);
  const body = args[args.length - 1]!;
  checkParams(interp, params);
  interp.allocate(1, call.span);
  const doc = interp.itemContexts.get(call)?.doc;
  const hoisted = isIdent(args[0]) ? scope.hoisted?.get(name) : undefined;
  let binding: Binding;
  if (hoisted) {
    binding = hoisted;
    for (let s = scope.exportTo; s !== undefined; s = s.exportTo) s.bind(name, binding);
  } else {
    binding = { value: undefined, origin: "fn", span: args[0]!.span };
    scope.define(name, binding);
  }
  const closure: ClosureValue = {
    kind: "closure",
    name,
    params,
    body,
    env: scope.env,
    node: call,
    fast: undefined,
  };
  binding.value = closure;
  if (doc !== undefined) binding.doc = doc;
  return UNIT;
}

/**
 * `->`: with a `(\ P1 … Pn)` left side it is an anonymous function (a closure too);
 * any other `->` is an unsupported operator.
 */
export function arrowForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  const lambda = args[0];
  if (args.length !== 2 || !(isCall(lambda, "\\") || isIdent(lambda, "\\"))) {
    return interp.fail(unsupportedOperator(call.callee.span, "->"));
  }
  const params = lambda.kind === "apply" ? lambda.args : [];
  checkParams(interp, params);
  interp.allocate(1, call.span);
  return {
    kind: "closure",
    name: undefined,
    params,
    body: args[1]!,
    env: scope.env,
    node: call,
    fast: undefined,
  };
}
