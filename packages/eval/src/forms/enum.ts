import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { isCall, isIdent, type Tree, type TreeApply } from "../tree.js";
import type { EnumDef, VariantDef, VariantPayload } from "../types.js";
import { typeValue, UNIT, type Value } from "../values.js";
import { definitionName } from "./names.js";
import { evalTypeExpr } from "./type.js";

/**
 * `enum Name { A, B T, C { f: T } }` (LANGUAGE.md §5.6): defines a nominal type whose
 * variants are reached as `Name.A`, and yields `()`.
 */
export function enumForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  const shape = "enum NAME { VARIANT, VARIANT TYPE, … }";
  const name = definitionName(interp, args[0], scope);
  const body = args[1];
  if (args.length !== 2 || name === undefined || !isCall(body, "__record__")) {
    return interp.fail(catalogue.invalidForm(call.span, "enum", shape));
  }
  const variants: VariantDef[] = [];
  for (const entry of body.args) {
    if (isIdent(entry)) {
      variants.push({ name: entry.name, payload: { kind: "none" } });
    } else if (entry.kind === "apply" && isIdent(entry.callee) && entry.args.length === 1) {
      const t = evalTypeExpr(interp, entry.args[0]!, scope);
      const payload: VariantPayload =
        t.kind === "record" && isCall(entry.args[0], "__record__")
          ? { kind: "record", fields: t.fields }
          : { kind: "value", type: t };
      variants.push({ name: entry.callee.name, payload });
    } else {
      return interp.fail(catalogue.invalidForm(entry.span, "enum", shape));
    }
  }
  const def: EnumDef = { name, variants };
  const doc = interp.itemContexts.get(call)?.doc;
  scope.define(name, {
    value: typeValue({ kind: "enum", def }),
    origin: "definition",
    span: args[0]!.span,
    ...(doc === undefined ? {} : { doc }),
  });
  return UNIT;
}
