import { type DiagnosticNote, note, type Problem, type Span } from "@cadenza/core";
import { catalogue, divisionByZero, integerOverflow, numberTooLarge } from "./errors.js";
import type { Interpreter } from "./evaluate.js";
import {
  type ArithOp,
  arith,
  int,
  intBitwise,
  intNot,
  intToBigInt,
  isNumError,
  type Num,
  type NumError,
  numCompare,
  numEquals,
  numNeg,
} from "./numbers.js";
import { renderSyntax } from "./print.js";
import type { Tree } from "./tree.js";
import { typeCompatible, typeEquals, typeOf } from "./types.js";
import {
  dimensionOf,
  dimensionText,
  type QuantityResult,
  type QuantityValue,
  quantityAddLike,
  quantityCompare,
  quantityMulDiv,
  quantityNeg,
  quantityPow,
  unitText,
} from "./units.js";
import { bool, isNum, list, type Value } from "./values.js";

/** The diagnostic for an arithmetic failure, on the whole expression. */
export function numericProblem(r: NumError, span: Span): Problem {
  switch (r) {
    case "overflow":
      return integerOverflow(span);
    case "division-by-zero":
      return divisionByZero(span);
    case "too-large":
      return numberTooLarge(span);
  }
}

type Measured = Num | QuantityValue;

function isMeasured(v: Value): v is Measured {
  return isNum(v) || v.kind === "quantity";
}

function unitsOf(v: Measured): string {
  return v.kind === "quantity" ? unitText(v.units) : "dimensionless";
}

function dimensionOfValue(v: Measured): string {
  return v.kind === "quantity" ? dimensionText(dimensionOf(v.units)) : "dimensionless";
}

function cannotApply(interp: Interpreter, op: string, span: Span, a: Value, b?: Value): never {
  const types = b === undefined ? [interp.typeName(a)] : [interp.typeName(a), interp.typeName(b)];
  return interp.fail(catalogue.cannotApply(span, op, types));
}

/**
 * `+ - * / % **` (LANGUAGE.md §6, §5.8): the numeric tower, quantities with dimension
 * checks and conversions, and `+` on Strings.
 */
export function arithmetic(
  interp: Interpreter,
  op: ArithOp,
  a: Value,
  b: Value,
  span: Span,
): Value {
  if (isNum(a) && isNum(b)) {
    const r = arith(op, a, b);
    return isNumError(r) ? interp.fail(numericProblem(r, span)) : r;
  }
  if (op === "+" && a.kind === "string" && b.kind === "string") {
    interp.allocate(a.value.length + b.value.length, span);
    return { kind: "string", value: a.value + b.value };
  }
  if (isMeasured(a) && isMeasured(b)) {
    let r: QuantityResult;
    switch (op) {
      case "+":
      case "-":
      case "%":
        r = quantityAddLike(op, a, b);
        if (r === "dimension") {
          interp.fail(
            catalogue.incompatibleDimensions(
              span,
              op,
              unitsOf(a),
              unitsOf(b),
              dimensionOfValue(a),
              dimensionOfValue(b),
            ),
          );
        }
        break;
      case "*":
      case "/":
        r = quantityMulDiv(op, a, b);
        break;
      case "**":
        if (a.kind !== "quantity" || b.kind !== "integer")
          return cannotApply(interp, op, span, a, b);
        r = quantityPow(a, b);
        break;
    }
    if (typeof r === "string") return interp.fail(numericProblem(r as NumError, span));
    return r;
  }
  return cannotApply(interp, op, span, a, b);
}

/** Unary `-`: negation of a number or quantity. */
export function negate(interp: Interpreter, a: Value, span: Span): Value {
  if (isNum(a)) {
    const r = numNeg(a);
    return isNumError(r) ? interp.fail(numericProblem(r, span)) : r;
  }
  if (a.kind === "quantity") {
    const r = quantityNeg(a);
    return typeof r === "string" ? interp.fail(numericProblem(r as NumError, span)) : r;
  }
  return cannotApply(interp, "-", span, a);
}

/** `& | ^ << >>` on Integers. */
export function bitwise(
  interp: Interpreter,
  op: "&" | "|" | "^" | "<<" | ">>",
  a: Value,
  b: Value,
  span: Span,
): Value {
  if (a.kind !== "integer" || b.kind !== "integer") return cannotApply(interp, op, span, a, b);
  const r = intBitwise(op, a.value, b.value);
  return r === "overflow" ? interp.fail(integerOverflow(span)) : r;
}

/** `~` on an Integer. */
export function bitNot(interp: Interpreter, a: Value, span: Span): Value {
  if (a.kind !== "integer") return cannotApply(interp, "~", span, a);
  return intNot(a.value);
}

/** `!` on a Bool. */
export function not(interp: Interpreter, a: Value, span: Span): Value {
  if (a.kind !== "bool") return cannotApply(interp, "!", span, a);
  return bool(!a.value);
}

/** `a..b` and `a..=b` on Integers: the list of Integers from `a` up to `b`. */
export function range(
  interp: Interpreter,
  inclusive: boolean,
  a: Value,
  b: Value,
  span: Span,
): Value {
  if (a.kind !== "integer" || b.kind !== "integer") {
    return cannotApply(interp, inclusive ? "..=" : "..", span, a, b);
  }
  const from = intToBigInt(a.value);
  const to = intToBigInt(b.value) + (inclusive ? 1n : 0n);
  const count = to > from ? to - from : 0n;
  interp.allocate(Number(count) + 1, span);
  const items: Value[] = [];
  for (let i = from; i < to; i++) items.push(int(i));
  return list(items);
}

function codePointCompare(a: string, b: string): -1 | 0 | 1 {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = x[i]!.codePointAt(0)!;
    const d = y[i]!.codePointAt(0)!;
    if (c !== d) return c < d ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

function compareMismatch(interp: Interpreter, a: Value, b: Value, span: Span): never {
  const t = interp.typeName(a);
  const u = interp.typeName(b);
  // The notes of §8.2 for two structs. The checker writes the same notes from declarations
  // (and the first one for any two named types), so only their words are shared.
  const notes: DiagnosticNote[] = [];
  if (a.kind === "struct" && b.kind === "struct" && a.def !== b.def) {
    notes.push(note(`${t} and ${u} are different nominal types`));
    const names = (fs: readonly (readonly [string, unknown])[]) =>
      fs
        .map(([n]) => n)
        .sort()
        .join(",");
    if (names(a.def.fields) === names(b.def.fields)) {
      notes.push(note("even though they have the same fields, nominal typing makes them distinct"));
    }
  }
  return interp.fail(catalogue.cannotCompare(span, t, u, notes));
}

/** `< <= > >=` on numbers, quantities, strings and chars (code-point order). */
export function ordering(
  interp: Interpreter,
  op: "<" | "<=" | ">" | ">=",
  a: Value,
  b: Value,
  span: Span,
): Value {
  let c: -1 | 0 | 1 | undefined;
  if (isNum(a) && isNum(b)) c = numCompare(a, b);
  else if (isMeasured(a) && isMeasured(b)) c = measuredCompare(interp, a, b, span);
  else if (
    (a.kind === "string" && b.kind === "string") ||
    (a.kind === "char" && b.kind === "char")
  ) {
    c = codePointCompare(a.value, b.value);
  } else return compareMismatch(interp, a, b, span);
  if (c === undefined) return bool(false);
  switch (op) {
    case "<":
      return bool(c < 0);
    case "<=":
      return bool(c <= 0);
    case ">":
      return bool(c > 0);
    case ">=":
      return bool(c >= 0);
  }
}

function measuredCompare(
  interp: Interpreter,
  a: Measured,
  b: Measured,
  span: Span,
): -1 | 0 | 1 | undefined {
  const r = quantityCompare(a, b);
  if (r === "dimension") {
    return interp.fail(
      catalogue.incompatibleDimensionsInComparison(
        span,
        unitsOf(a),
        unitsOf(b),
        dimensionOfValue(a),
        dimensionOfValue(b),
      ),
    );
  }
  if (typeof r === "string") return interp.fail(numericProblem(r, span));
  return r;
}

/** `==` and `!=`: structural equality; operands of different types are a `type mismatch`. */
export function equality(
  interp: Interpreter,
  negated: boolean,
  a: Value,
  b: Value,
  span: Span,
): Value {
  const r = structuralEquals(a, b);
  if (r === "mismatch") return compareMismatch(interp, a, b, span);
  if (r === "dimension") {
    const x = a as Measured;
    const y = b as Measured;
    return interp.fail(
      catalogue.incompatibleDimensionsInComparison(
        span,
        unitsOf(x),
        unitsOf(y),
        dimensionOfValue(x),
        dimensionOfValue(y),
      ),
    );
  }
  return bool(negated ? !r : r);
}

/**
 * Structural equality of LANGUAGE.md §6: numbers across the tower by value, quantities after
 * conversion, compound values element- or field-wise (field order ignored), enum values by
 * variant and payload, syntax by tree, types per §5.7, everything else by identity.
 * `"mismatch"` when the operands have different types; `"dimension"` for quantities of
 * different dimensions.
 */
export function structuralEquals(a: Value, b: Value): boolean | "mismatch" | "dimension" {
  if (isNum(a) && isNum(b)) return numEquals(a, b);
  if (a.kind === "quantity" || b.kind === "quantity") {
    if (!isMeasured(a) || !isMeasured(b)) return "mismatch";
    const r = quantityCompare(a, b);
    if (r === "dimension") return "dimension";
    return r === 0;
  }
  switch (a.kind) {
    case "bool":
    case "string":
    case "char":
      return b.kind === a.kind ? a.value === b.value : "mismatch";
    case "symbol":
      return b.kind === "symbol" ? a.name === b.name : "mismatch";
    case "tuple": {
      if (b.kind !== "tuple" || a.items.length !== b.items.length) return "mismatch";
      return allEqual(a.items, b.items);
    }
    case "list": {
      if (b.kind !== "list") return "mismatch";
      if (!typeCompatible(typeOf(a), typeOf(b))) return "mismatch";
      if (a.items.length !== b.items.length) return false;
      return allEqual(a.items, b.items);
    }
    case "record":
    case "struct": {
      if (b.kind !== a.kind) return "mismatch";
      if (a.kind === "struct" && b.kind === "struct" && a.def !== b.def) return "mismatch";
      if (a.fields.size !== b.fields.size) return "mismatch";
      let equal = true;
      for (const [name, v] of a.fields) {
        const w = b.fields.get(name);
        if (w === undefined) return "mismatch";
        const r = structuralEquals(v, w);
        if (r !== true) {
          if (r !== false) return r;
          equal = false;
        }
      }
      return equal;
    }
    case "variant": {
      if (b.kind !== "variant" || a.def !== b.def) return "mismatch";
      if (a.variant !== b.variant) return false;
      if (a.payload === undefined || b.payload === undefined) return a.payload === b.payload;
      return structuralEquals(a.payload, b.payload);
    }
    case "syntax":
      return b.kind === "syntax" ? treeEquals(a.node, b.node) : "mismatch";
    case "type":
      return b.kind === "type" ? typeEquals(a.type, b.type) : "mismatch";
    case "unit":
      return b.kind === "unit" ? a.unit === b.unit : "mismatch";
    case "closure":
    case "builtin":
    case "constructor":
    case "macro":
      if (
        b.kind !== "closure" &&
        b.kind !== "builtin" &&
        b.kind !== "constructor" &&
        b.kind !== "macro"
      ) {
        return "mismatch";
      }
      return a === b;
    default:
      if (a.kind !== b.kind) return "mismatch";
      return a === b;
  }
}

function allEqual(xs: readonly Value[], ys: readonly Value[]): boolean | "mismatch" | "dimension" {
  let equal = true;
  for (let i = 0; i < xs.length; i++) {
    const r = structuralEquals(xs[i]!, ys[i]!);
    if (r !== true) {
      if (r !== false) return r;
      equal = false;
    }
  }
  return equal;
}

/** Equality of syntax trees, ignoring spans. Value nodes compare structurally. */
export function treeEquals(a: Tree, b: Tree): boolean {
  if (a.kind === "value" || b.kind === "value") {
    if (a.kind === "value" && b.kind === "value")
      return structuralEquals(a.value, b.value) === true;
    return renderSyntax(a) === renderSyntax(b);
  }
  switch (a.kind) {
    case "ident":
      return b.kind === "ident" && a.name === b.name;
    case "literal":
      return (
        b.kind === "literal" && a.value.type === b.value.type && a.value.value === b.value.value
      );
    case "error":
      return b.kind === "error";
    case "apply":
      return (
        b.kind === "apply" &&
        a.args.length === b.args.length &&
        treeEquals(a.callee, b.callee) &&
        a.args.every((x, i) => treeEquals(x, b.args[i]!))
      );
  }
}
