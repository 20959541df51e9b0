import type { Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { isCall, isIdent, type Tree, type TreeApply } from "../tree.js";
import { ERROR, isError, type Value } from "../values.js";
import { fieldsOf } from "./field.js";
import { nameFromUnquote } from "./names.js";
import { evalTypeExpr } from "./type.js";

/**
 * `{ x = 1, y, ...base }` (LANGUAGE.md §5.5): fields in order, shorthand, spreads (a later
 * field overrides an earlier one but keeps its position). `{ f: T }` gives a field holding
 * the type T, so the record can be used as a record type.
 */
export function* recordForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  const fields = new Map<string, Value>();
  let poisoned = false;
  const set = (name: string, v: Value): void => {
    if (isError(v)) poisoned = true;
    fields.set(name, v);
  };
  for (const entry of args) {
    if (isIdent(entry)) {
      const x = interp.evalStep(entry, scope);
      set(entry.name, isPending(x) ? yield x : x);
    } else if (isCall(entry, "=") && entry.args.length === 2) {
      const key = entry.args[0]!;
      const name = isIdent(key)
        ? key.name
        : isCall(key, "__unquote__")
          ? nameFromUnquote(interp, key, scope)
          : undefined;
      if (name === undefined)
        return interp.fail(catalogue.invalidForm(entry.span, "{", "{ NAME = VALUE, … }"));
      const x = interp.evalStep(entry.args[1]!, scope);
      set(name, isPending(x) ? yield x : x);
    } else if (isCall(entry, ":") && entry.args.length === 2 && isIdent(entry.args[0])) {
      set(entry.args[0].name, { kind: "type", type: evalTypeExpr(interp, entry.args[1]!, scope) });
    } else if (isCall(entry, "...") && entry.args.length === 1) {
      const _spread = interp.evalStep(entry.args[0]!, scope);
      const spread = isPending(_spread) ? yield _spread : _spread;
      if (isError(spread)) {
        poisoned = true;
        continue;
      }
      const source = fieldsOf(spread);
      if (source === undefined) {
        return interp.fail(
          catalogue.expectedFound(entry.args[0]!.span, "a record", interp.typeName(spread)),
        );
      }
      for (const [n, v] of source) set(n, v);
    } else {
      return interp.fail(catalogue.invalidForm(entry.span, "{", "{ NAME = VALUE, … }"));
    }
  }
  if (poisoned) return ERROR;
  interp.allocate(fields.size + 1, call.span);
  return { kind: "record", fields };
}
