import type { Scope } from "../env.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { renderValue } from "../print.js";
import type { Tree, TreeApply } from "../tree.js";
import { ERROR, isError, type Value } from "../values.js";

/**
 * The text a value contributes to an interpolation (LANGUAGE.md §2): strings and symbols
 * without quotes, every other value as the REPL renders it.
 */
export function interpolationText(v: Value): string {
  if (v.kind === "string") return v.value;
  if (v.kind === "symbol") return v.name;
  return renderValue(v);
}

function* concatenate(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Generator<Step, string | undefined, Value> {
  let text = "";
  for (const part of args) {
    const _v = interp.evalStep(part, scope);
    const v = isPending(_v) ? yield _v : _v;
    if (isError(v)) return undefined;
    text += interpolationText(v);
  }
  interp.allocate(text.length, call.span);
  return text;
}

/** `$"text ${e} text"` (LANGUAGE.md §2): the parts concatenated as text. */
export function* interpolateForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  const text = yield* concatenate(interp, call, args, scope);
  return text === undefined ? ERROR : { kind: "string", value: text };
}

/** `:"mul_by_${n}"`: a symbol whose name is the concatenated parts. */
export function* symbolForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  const text = yield* concatenate(interp, call, args, scope);
  return text === undefined ? ERROR : { kind: "symbol", name: text };
}
