import type { Span } from "@cadenza/core";
import type { Scope } from "../env.js";
import { catalogue, indexOutOfBounds, negativeIndex } from "../errors.js";
import { type Interpreter, isPending, type Step } from "../evaluate.js";
import { intToBigInt } from "../numbers.js";
import type { Tree, TreeApply } from "../tree.js";
import { ERROR, isError, type Value } from "../values.js";

/**
 * Checks an index against a list or tuple of `length` elements and returns it as a number
 * (LANGUAGE.md §5.4): `negative index`, `index out of bounds`.
 */
export function checkIndex(interp: Interpreter, index: Value, length: number, span: Span): number {
  if (index.kind !== "integer") {
    return interp.fail(
      catalogue.typeMismatch(span, `expected Integer, found ${interp.typeName(index)}`),
    );
  }
  const i = intToBigInt(index.value);
  if (i < 0n) return interp.fail(negativeIndex(span));
  if (i >= BigInt(length)) return interp.fail(indexOutOfBounds(span, i.toString(), length));
  return Number(i);
}

/** The elements of an indexable value (lists and tuples). */
export function indexable(v: Value): readonly Value[] | undefined {
  return v.kind === "list" || v.kind === "tuple" ? v.items : undefined;
}

/** `xs[i]`: zero-based indexing of a list (or tuple) with an Integer. */
export function* indexForm(
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
): Step {
  if (args.length !== 2) return interp.fail(catalogue.invalidForm(call.span, "[]", "VALUE[INDEX]"));
  const _target = interp.evalStep(args[0]!, scope);
  const target = isPending(_target) ? yield _target : _target;
  if (isError(target)) return ERROR;
  const _index = interp.evalStep(args[1]!, scope);
  const index = isPending(_index) ? yield _index : _index;
  if (isError(index)) return ERROR;
  const items = indexable(target);
  if (items === undefined) {
    return interp.fail(
      catalogue.typeMismatch(
        args[0]!.span,
        `cannot index a value of type ${interp.typeName(target)}`,
      ),
    );
  }
  return items[checkIndex(interp, index, items.length, args[1]!.span)]!;
}
