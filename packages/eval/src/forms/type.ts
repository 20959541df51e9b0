import type { Span } from "@cadenza/core";
import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { isCall, isIdent, type Tree, type TreeApply } from "../tree.js";
import { listType, type Type, UNIT_TYPE, UNKNOWN } from "../types.js";
import { isError, typeValue, UNIT, type Value } from "../values.js";
import { definitionName, viaAssignment } from "./names.js";

/**
 * Evaluates a type expression (LANGUAGE.md §5.6): `[T]`, `(T1, T2)`, `{ f: T }` and
 * `{ f = T }` are read structurally; anything else is evaluated and must yield a Type.
 */
export function evalTypeExpr(interp: Interpreter, node: Tree, scope: Scope): Type {
  if (isCall(node, "__list__")) {
    if (node.args.length === 0) return listType(UNKNOWN);
    if (node.args.length === 1) return listType(evalTypeExpr(interp, node.args[0]!, scope));
  }
  if (isCall(node, "__tuple__")) {
    if (node.args.length === 0) return UNIT_TYPE;
    return { kind: "tuple", items: node.args.map((a) => evalTypeExpr(interp, a, scope)) };
  }
  if (isCall(node, "__record__"))
    return { kind: "record", fields: recordTypeFields(interp, node, scope) };
  const v = interp.eval(node, scope);
  return valueToType(interp, v, node.span);
}

/** The fields of `{ f: T, g = U }` as a type, in order. */
export function recordTypeFields(
  interp: Interpreter,
  node: TreeApply,
  scope: Scope,
): [string, Type][] {
  const fields: [string, Type][] = [];
  for (const entry of node.args) {
    if (
      (isCall(entry, "=") || isCall(entry, ":")) &&
      entry.args.length === 2 &&
      isIdent(entry.args[0])
    ) {
      fields.push([entry.args[0].name, evalTypeExpr(interp, entry.args[1]!, scope)]);
    } else {
      interp.fail(catalogue.invalidForm(entry.span, "{", "{ FIELD: TYPE, … }"));
    }
  }
  return fields;
}

/** The type a value denotes when used as a type: a Type, or a list/tuple/record of types. */
export function valueToType(interp: Interpreter, v: Value, span: Span): Type {
  if (isError(v)) return UNKNOWN;
  if (v.kind === "type") return v.type;
  if (v.kind === "list" && v.items.length <= 1) {
    return listType(v.items.length === 0 ? UNKNOWN : valueToType(interp, v.items[0]!, span));
  }
  if (v.kind === "tuple")
    return { kind: "tuple", items: v.items.map((x) => valueToType(interp, x, span)) };
  if (v.kind === "record") {
    return {
      kind: "record",
      fields: [...v.fields].map(([n, x]) => [n, valueToType(interp, x, span)] as const),
    };
  }
  return interp.fail(catalogue.expectedFound(span, "Type", interp.typeName(v)));
}

/** `type NAME = TYPE` binds a transparent alias and yields `()`. */
export function typeForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  if (!viaAssignment(call, args) || args.length !== 2) {
    return interp.fail(catalogue.invalidForm(call.span, "type", "type NAME = TYPE"));
  }
  const name = definitionName(interp, args[0], scope);
  if (name === undefined)
    return interp.fail(catalogue.invalidForm(call.span, "type", "type NAME = TYPE"));
  const t = evalTypeExpr(interp, args[1]!, scope);
  const doc = interp.itemContexts.get(call)?.doc;
  scope.define(name, {
    value: typeValue(t),
    origin: "definition",
    span: args[0]!.span,
    ...(doc === undefined ? {} : { doc }),
  });
  return UNIT;
}
