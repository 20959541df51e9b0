import type { Span } from "@cadenza/core";
import { lookup, type Scope } from "../env.js";
import { catalogue } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { arithmetic, bitwise } from "../operators.js";
import { isCall, isIdent, type Tree, type TreeApply } from "../tree.js";
import { renderType, type Type, typeCompatible, typeOf } from "../types.js";
import { ERROR, isError, type SpecialForm, UNIT, type Value } from "../values.js";
import { fieldName } from "./field.js";
import { checkIndex } from "./index-access.js";

/** The forms `=` hands its arguments to when they head the left side (LANGUAGE.md §1). */
const DEFINITION_FORMS: ReadonlySet<string> = new Set([
  "let",
  "fn",
  "macro",
  "measure",
  "type",
  "use",
  "quote",
]);

type PathStep =
  | {
      readonly kind: "field";
      readonly name: string;
      readonly nameSpan: Span;
      readonly receiverSpan: Span;
    }
  | {
      readonly kind: "index";
      readonly index: Value;
      readonly indexSpan: Span;
      readonly receiverSpan: Span;
    };

/** A computation of the new value from the old one (plain assignment ignores the old one). */
type Update = (old: Value) => Value;

/**
 * `=`: re-dispatches to a definition form heading its left side (`let x = 1`), otherwise
 * reassigns a variable, a field path or a list element and yields `()` (D4).
 */
export function assignForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Value | Step {
  if (args.length !== 2) return interp.fail(catalogue.invalidForm(call.span, "=", "NAME = VALUE"));
  const [lhs, rhs] = args as [Tree, Tree];
  if (lhs.kind === "apply" && lhs.callee.kind === "ident") {
    const head = lookup(scope.env, lhs.callee.name)?.value;
    if (head?.kind === "form" && DEFINITION_FORMS.has(head.name)) {
      return head.form(interp, call, [...lhs.args, rhs], scope);
    }
  }
  return assign(interp, call, lhs, rhs, scope, undefined);
}

const COMPOUND: Readonly<Record<string, string>> = {
  "+=": "+",
  "-=": "-",
  "*=": "*",
  "/=": "/",
  "%=": "%",
  "&=": "&",
  "|=": "|",
  "^=": "^",
  "<<=": "<<",
  ">>=": ">>",
};

/** The compound assignment forms: `x op= v` means `x = x op v` (LANGUAGE.md §5.1). */
export function compoundForm(op: string): SpecialForm {
  const base = COMPOUND[op]!;
  return (interp, call, args, scope) => {
    if (args.length !== 2)
      return interp.fail(catalogue.invalidForm(call.span, op, `NAME ${op} VALUE`));
    const [lhs, rhs] = args as [Tree, Tree];
    return assign(interp, call, lhs, rhs, scope, base);
  };
}

/** `old op v` for a compound assignment. */
function combine(interp: Interpreter, op: string, old: Value, v: Value, span: Span): Value {
  if (op === "&" || op === "|" || op === "^" || op === "<<" || op === ">>")
    return bitwise(interp, op, old, v, span);
  return arithmetic(interp, op as "+" | "-" | "*" | "/" | "%", old, v, span);
}

/** The compound operator names. */
export const COMPOUND_OPERATORS: readonly string[] = Object.keys(COMPOUND);

function* assign(
  interp: Interpreter,
  call: TreeApply,
  lhs: Tree,
  rhs: Tree,
  scope: Scope,
  op: string | undefined,
): Step {
  const steps: PathStep[] = [];
  let root: Tree = lhs;
  const collect = (t: Tree): void => {
    if (isCall(t, ".") && t.args.length === 2) {
      collect(t.args[0]!);
      steps.push({
        kind: "field",
        name: fieldName(interp, t, t.args[1], scope),
        nameSpan: t.args[1]!.span,
        receiverSpan: t.args[0]!.span,
      });
    } else if (isCall(t, "__index__") && t.args.length === 2) {
      collect(t.args[0]!);
      steps.push({
        kind: "index",
        index: interp.eval(t.args[1]!, scope),
        indexSpan: t.args[1]!.span,
        receiverSpan: t.args[0]!.span,
      });
    } else root = t;
  };
  collect(lhs);
  if (!isIdent(root)) return interp.fail(catalogue.invalidForm(call.span, "=", "NAME = VALUE"));
  const binding = lookup(scope.env, root.name);
  if (binding === undefined || binding.value === undefined) {
    return interp.fail(interp.undefinedProblem(root.name, root.span, scope, interp.text(rhs.span)));
  }
  if (steps.some((s) => s.kind === "index" && isError(s.index))) return ERROR;
  const current = binding.value;
  if (isError(current)) return ERROR;
  // The target must exist before the right side runs (as for plain variables above).
  const old = readPath(interp, current, steps);
  const r = interp.evalStep(rhs, scope);
  const v = isPending(r) ? yield r : r;
  if (isError(v) || isError(old)) return ERROR;
  const next = op === undefined ? v : combine(interp, op, old, v, call.span);
  const updated = update(interp, current, steps, () => next, rhs.span);
  binding.value = updated;
  return isError(updated) ? ERROR : UNIT;
}

/** A copy of `value` with the element at the end of `steps` replaced (values are immutable). */
/** The value at the end of `steps`, failing as an update would on a missing field or index. */
function readPath(interp: Interpreter, value: Value, steps: readonly PathStep[]): Value {
  let v = value;
  for (const step of steps) {
    if (isError(v)) return v;
    if (step.kind === "field") {
      if (v.kind !== "record" && v.kind !== "struct")
        return interp.fail(catalogue.noFields(step.receiverSpan, interp.typeName(v)));
      const next = v.fields.get(step.name);
      if (next === undefined)
        return interp.fail(
          catalogue.fieldNotFound(step.nameSpan, step.name, [...v.fields.keys()], true),
        );
      v = next;
    } else {
      if (v.kind !== "list") {
        return interp.fail(
          catalogue.typeMismatch(
            step.receiverSpan,
            `cannot index a value of type ${interp.typeName(v)}`,
          ),
        );
      }
      v = v.items[checkIndex(interp, step.index, v.items.length, step.indexSpan)]!;
    }
  }
  return v;
}

function update(
  interp: Interpreter,
  value: Value,
  steps: readonly PathStep[],
  compute: Update,
  rhsSpan: Span,
): Value {
  const [step, ...rest] = steps;
  if (step === undefined) return compute(value);
  if (step.kind === "field") {
    if (value.kind !== "record" && value.kind !== "struct") {
      return interp.fail(catalogue.noFields(step.receiverSpan, interp.typeName(value)));
    }
    const old = value.fields.get(step.name);
    if (old === undefined)
      return interp.fail(
        catalogue.fieldNotFound(step.nameSpan, step.name, [...value.fields.keys()], true),
      );
    const next = update(interp, old, rest, compute, rhsSpan);
    if (isError(next)) return ERROR;
    if (rest.length === 0) {
      const declared: Type =
        value.kind === "struct"
          ? (value.def.fields.find(([n]) => n === step.name)?.[1] ?? typeOf(old))
          : typeOf(old);
      checkType(interp, declared, next, rhsSpan);
    }
    interp.allocate(value.fields.size, rhsSpan);
    const fields = new Map(value.fields);
    fields.set(step.name, next);
    return value.kind === "struct"
      ? { kind: "struct", def: value.def, fields }
      : { kind: "record", fields };
  }
  if (value.kind !== "list") {
    return interp.fail(
      catalogue.typeMismatch(
        step.receiverSpan,
        `cannot index a value of type ${interp.typeName(value)}`,
      ),
    );
  }
  const i = checkIndex(interp, step.index, value.items.length, step.indexSpan);
  const next = update(interp, value.items[i]!, rest, compute, rhsSpan);
  if (isError(next)) return ERROR;
  if (rest.length === 0) {
    const t = typeOf(value);
    if (t.kind === "list") checkType(interp, t.element, next, rhsSpan);
  }
  interp.allocate(value.items.length, rhsSpan);
  const items = [...value.items];
  items[i] = next;
  return { kind: "list", items };
}

function checkType(interp: Interpreter, expected: Type, v: Value, span: Span): void {
  const actual = typeOf(v);
  if (!typeCompatible(expected, actual))
    interp.fail(catalogue.expectedFound(span, renderType(expected), renderType(actual)));
}
