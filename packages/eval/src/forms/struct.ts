import type { Span } from "@cadenza/core";
import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import { isCall, isIdent, type Tree, type TreeApply } from "../tree.js";
import {
  type EnumDef,
  renderType,
  type StructDef,
  type Type,
  typeCompatible,
  typeOf,
  type VariantDef,
} from "../types.js";
import { typeValue, UNIT, type Value } from "../values.js";
import { definitionName } from "./names.js";
import { recordTypeFields } from "./type.js";

/**
 * `struct Name { f1 = T1, f2: T2 }` (LANGUAGE.md §5.6): defines a nominal type, which is also
 * its constructor, and yields `()`.
 */
export function structForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value {
  const shape = "struct NAME { FIELD: TYPE, … }";
  const name = definitionName(interp, args[0], scope);
  const body = args[1];
  if (args.length !== 2 || name === undefined || !isCall(body, "__record__")) {
    return interp.fail(catalogue.invalidForm(call.span, "struct", shape));
  }
  const def: StructDef = { name, fields: recordTypeFields(interp, body, scope) };
  const doc = interp.itemContexts.get(call)?.doc;
  scope.define(name, {
    value: typeValue({ kind: "struct", def }),
    origin: "definition",
    span: args[0]!.span,
    ...(doc === undefined ? {} : { doc }),
  });
  return UNIT;
}

/** The spans of a record literal's field names and values, when the argument is one. */
function fieldSpans(node: Tree | undefined): Map<string, { name: Span; value: Span }> {
  const spans = new Map<string, { name: Span; value: Span }>();
  if (!isCall(node, "__record__")) return spans;
  for (const entry of node.args) {
    if (isIdent(entry)) spans.set(entry.name, { name: entry.span, value: entry.span });
    else if (isCall(entry, "=") && entry.args.length === 2 && isIdent(entry.args[0])) {
      spans.set(entry.args[0].name, { name: entry.args[0].span, value: entry.args[1]!.span });
    }
  }
  return spans;
}

/**
 * Checks a record against declared fields (struct construction and record variants):
 * missing fields, then unknown fields, then field types, in declaration order.
 */
function checkFields(
  interp: Interpreter,
  ownerKind: string,
  ownerName: string,
  declared: readonly (readonly [string, Type])[],
  value: Value,
  span: Span,
  node: Tree | undefined,
): Map<string, Value> {
  if (value.kind !== "record") {
    return interp.fail(
      catalogue.expectedFound(span, `a record of ${ownerName} fields`, interp.typeName(value)),
    );
  }
  const names = declared.map(([n]) => n);
  const missing = names.find((n) => !value.fields.has(n));
  if (missing !== undefined)
    return interp.fail(
      catalogue.missingStructField(span, `${ownerKind} ${ownerName}`, missing, names),
    );
  const spans = fieldSpans(node);
  for (const field of value.fields.keys()) {
    if (!names.includes(field)) {
      return interp.fail(
        catalogue.unknownStructField(
          spans.get(field)?.name ?? span,
          ownerKind,
          ownerName,
          field,
          names,
        ),
      );
    }
  }
  const fields = new Map<string, Value>();
  for (const [n, t] of declared) {
    const v = value.fields.get(n)!;
    const actual = typeOf(v);
    if (!typeCompatible(t, actual)) {
      interp.fail(
        catalogue.structFieldType(
          spans.get(n)?.value ?? span,
          renderType(t),
          renderType(actual),
          n,
        ),
      );
    }
    fields.set(n, v);
  }
  return fields;
}

/** `Point { x = 1, y = 2 }`: a struct instance, checked against the definition. */
export function constructStruct(
  interp: Interpreter,
  def: StructDef,
  value: Value,
  span: Span,
  node: Tree | undefined,
): Value {
  const fields = checkFields(interp, "struct", def.name, def.fields, value, span, node);
  interp.allocate(fields.size + 1, span);
  return { kind: "struct", def, fields };
}

/** `Result.Ok 42`, `Shape.Circle { radius = 5.0 }`: a variant with its payload checked. */
export function constructVariant(
  interp: Interpreter,
  def: EnumDef,
  variant: VariantDef,
  value: Value,
  span: Span,
  node: Tree | undefined,
): Value {
  const p = variant.payload;
  let payload: Value = value;
  if (p.kind === "record") {
    payload = {
      kind: "record",
      fields: checkFields(interp, "variant", variant.name, p.fields, value, span, node),
    };
  } else if (p.kind === "value") {
    const actual = typeOf(value);
    if (!typeCompatible(p.type, actual))
      interp.fail(catalogue.expectedFound(span, renderType(p.type), renderType(actual)));
  }
  interp.allocate(2, span);
  return { kind: "variant", def, variant, payload };
}
