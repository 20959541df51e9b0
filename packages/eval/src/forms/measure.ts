import { SI_PREFIXES } from "@cadenza/syntax";
import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { intToBigInt, type Num } from "../numbers.js";
import { type Rational, ratFromDecimal } from "../rational.js";
import { isCall, isIdent, type Tree, type TreeApply } from "../tree.js";
import { baseUnit, derivedUnit, prefixedUnit, type UnitDef, type UnitProduct } from "../units.js";
import { isError, isNum, UNIT, type Value } from "../values.js";
import { definitionName, viaAssignment } from "./names.js";

/**
 * The exact value of a magnitude used in a unit definition; a Float counts as the decimal it
 * prints as (`25.4` is 127/5) and makes the factor inexact (LANGUAGE.md §5.8).
 */
function exactMagnitude(n: Num): { value: Rational; inexact: boolean } | undefined {
  switch (n.kind) {
    case "integer":
      return { value: { num: intToBigInt(n.value), den: 1n }, inexact: false };
    case "rational":
      return { value: n.value, inexact: false };
    case "float": {
      const r = Number.isFinite(n.value) ? ratFromDecimal(String(n.value)) : undefined;
      return r === undefined ? undefined : { value: r, inexact: true };
    }
  }
}

/**
 * `measure NAME` (a base unit, a new dimension) and `measure NAME = Q` (a derived unit with
 * the dimension and factor of the quantity Q, written `25.4 millimeter` or
 * `millimeter 25.4`). `@si p1 p2 …` also defines the prefixed units. Yields `()`.
 */
export function measureForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  const derived = viaAssignment(call, args);
  const shape = derived ? "measure NAME = QUANTITY" : "measure NAME";
  if (args.length !== (derived ? 2 : 1))
    return interp.fail(catalogue.invalidForm(call.span, "measure", shape));
  const name = definitionName(interp, args[0], scope);
  if (name === undefined) return interp.fail(catalogue.invalidForm(call.span, "measure", shape));
  let unit: UnitDef;
  if (!derived) unit = baseUnit(name);
  else {
    const q = interp.eval(args[1]!, scope);
    if (isError(q)) return q;
    let magnitude: Num;
    let units: UnitProduct;
    if (q.kind === "quantity") ({ magnitude, units } = q);
    else if (q.kind === "unit") {
      magnitude = { kind: "integer", value: 1 };
      units = [{ unit: q.unit, exponent: 1 }];
    } else return interp.fail(catalogue.invalidForm(call.span, "measure", shape));
    const exact = isNum(magnitude) ? exactMagnitude(magnitude) : undefined;
    if (exact === undefined) return interp.fail(catalogue.invalidForm(call.span, "measure", shape));
    unit = derivedUnit(name, exact.value, exact.inexact, units);
  }
  const context = interp.itemContexts.get(call);
  const define = (u: UnitDef, doc?: string): void => {
    scope.define(u.name, {
      value: { kind: "unit", unit: u },
      origin: "definition",
      span: args[0]!.span,
      ...(doc === undefined ? {} : { doc }),
    });
  };
  define(unit, context?.doc);
  for (const attribute of context?.attributes ?? []) {
    if (!isCall(attribute, "si")) continue;
    for (const p of attribute.args) {
      const power = isIdent(p) ? SI_PREFIXES.get(p.name) : undefined;
      if (isIdent(p) && power !== undefined) define(prefixedUnit(p.name, power, unit));
      else interp.fail(catalogue.invalidForm(p.span, "@si", "@si kilo milli …"));
    }
  }
  return UNIT;
}
