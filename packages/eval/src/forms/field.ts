import type { Span } from "@cadenza/core";
import { macroThroughAlias, missingExport } from "@cadenza/modules";
import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { isCall, type Tree, type TreeApply } from "../tree.js";
import { ERROR, isError, type Value } from "../values.js";
import { nameFromUnquote } from "./names.js";

/**
 * The members reachable with `.` on a value that is not a record: the variants of an enum
 * type, the functions of a namespace or of a type that is also one (`Float.sqrt`).
 */
export function membersOf(interp: Interpreter, v: Value): ReadonlyMap<string, Value> | undefined {
  if (v.kind === "module") return v.members;
  if (v.kind !== "type") return undefined;
  const t = v.type;
  if (t.kind === "enum") {
    const out = new Map<string, Value>();
    for (const variant of t.def.variants) {
      out.set(
        variant.name,
        variant.payload.kind === "none"
          ? { kind: "variant", def: t.def, variant, payload: undefined }
          : { kind: "constructor", def: t.def, variant },
      );
    }
    return out;
  }
  if (t.kind === "named") return interp.lib.typeNamespaces.get(t.name)?.members;
  return undefined;
}

/** The fields of a value that has them (records, structs, record variants). */
export function fieldsOf(v: Value): ReadonlyMap<string, Value> | undefined {
  if (v.kind === "record" || v.kind === "struct") return v.fields;
  if (v.kind === "variant" && v.payload?.kind === "record") return v.payload.fields;
  return undefined;
}

/** Reads `receiver.name` (LANGUAGE.md §5.5), with the catalogue's errors. */
export function readField(
  interp: Interpreter,
  receiver: Value,
  name: string,
  receiverSpan: Span,
  nameSpan: Span,
): Value {
  if (isError(receiver)) return ERROR;
  const fields = fieldsOf(receiver) ?? membersOf(interp, receiver);
  if (fields === undefined)
    return interp.fail(catalogue.noFields(receiverSpan, interp.typeName(receiver)));
  const v = fields.get(name);
  if (v?.kind === "macro" && receiver.kind === "module" && receiver.hidden !== undefined)
    return interp.fail(macroThroughAlias(interp.source.name, nameSpan, name, receiver.name));
  if (v !== undefined) return v;
  if (receiver.kind === "module" && receiver.hidden !== undefined)
    return interp.fail(
      missingExport(
        interp.source.name,
        nameSpan,
        name,
        receiver.name,
        fields.keys(),
        receiver.hidden,
      ),
    );
  return interp.fail(catalogue.fieldNotFound(nameSpan, name, [...fields.keys()], false));
}

/** The name on the right of `.`: an identifier or `${e}`. */
export function fieldName(
  interp: Interpreter,
  call: TreeApply,
  node: Tree | undefined,
  scope: Scope,
): string {
  if (node?.kind === "ident") return node.name;
  if (node !== undefined && isCall(node, "__unquote__"))
    return nameFromUnquote(interp, node, scope);
  return interp.fail(catalogue.invalidForm(call.span, ".", "VALUE.NAME"));
}

/** `receiver.name`: field access, enum variants and namespace members. */
export function* fieldForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  if (args.length !== 2) return interp.fail(catalogue.invalidForm(call.span, ".", "VALUE.NAME"));
  const _receiver = interp.evalStep(args[0]!, scope);
  const receiver = isPending(_receiver) ? yield _receiver : _receiver;
  if (isError(receiver)) return ERROR;
  const name = fieldName(interp, call, args[1], scope);
  return readField(interp, receiver, name, args[0]!.span, args[1]!.span);
}
