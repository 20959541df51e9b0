import type { Span } from "@cadenza/core";
import type { FastFunction } from "./compile.js";
import type { Env, Scope } from "./env.js";
import type { Interpreter, Step } from "./evaluate.js";
import type { FloatValue, IntegerValue, Num, RationalValue } from "./numbers.js";
import type { Tree, TreeApply } from "./tree.js";
import type { EnumDef, StructDef, Type, VariantDef } from "./types.js";
import type { QuantityValue, UnitDef } from "./units.js";

/** The number and quantity values, defined with their arithmetic. */
export type { FloatValue, IntegerValue, Num, QuantityValue, RationalValue };

/** `true` or `false`. */
export interface BoolValue {
  readonly kind: "bool";
  readonly value: boolean;
}

/** A string of Unicode text. */
export interface StringValue {
  readonly kind: "string";
  readonly value: string;
}

/** One Unicode scalar value. */
export interface CharValue {
  readonly kind: "char";
  readonly value: string;
}

/** A symbol such as `:"name"`. */
export interface SymbolValue {
  readonly kind: "symbol";
  readonly name: string;
}

/** A tuple; the empty tuple is the Unit value `()`. */
export interface TupleValue {
  readonly kind: "tuple";
  readonly items: readonly Value[];
}

/** A homogeneous list. The element type is computed on demand and cached. */
export interface ListValue {
  readonly kind: "list";
  readonly items: readonly Value[];
  /** Cache of the element type; filled by `typeOf`. */
  elementType?: Type;
}

/** A structural record; field order is kept for printing only. */
export interface RecordValue {
  readonly kind: "record";
  readonly fields: ReadonlyMap<string, Value>;
}

/** An instance of a nominal struct type. */
export interface StructValue {
  readonly kind: "struct";
  readonly def: StructDef;
  readonly fields: ReadonlyMap<string, Value>;
}

/** An enum value: a variant with an optional payload (a record for record variants). */
export interface VariantValue {
  readonly kind: "variant";
  readonly def: EnumDef;
  readonly variant: VariantDef;
  readonly payload: Value | undefined;
}

/** A unit of measure used as a value (`meter : Measure`); applying it makes a quantity. */
export interface UnitValue {
  readonly kind: "unit";
  readonly unit: UnitDef;
}

/** A type used as a value (`Integer : Type`). */
export interface TypeValue {
  readonly kind: "type";
  readonly type: Type;
}

/** A piece of syntax (`Syntax (+ 1 42)`). */
export interface SyntaxValue {
  readonly kind: "syntax";
  readonly node: Tree;
}

/** A user function or lambda: parameters are patterns; the scope is captured by reference. */
export interface ClosureValue {
  readonly kind: "closure";
  /** The name given by `fn`, undefined for a lambda. */
  readonly name: string | undefined;
  readonly params: readonly Tree[];
  readonly body: Tree;
  readonly env: Env;
  /** The defining node (for locations in stack traces and the module state). */
  readonly node: Tree;
  /** Cache of the inferred type. */
  inferred?: Type;
  /** Cache of the compiled code (`compile.ts`), filled on the first call. */
  fast?: FastFunction | undefined;
  /**
   * The interpreter `fast` was compiled for (compiled code runs with its budgets, stack and
   * diagnostics). A closure of another module is called by each importer's interpreter, which
   * compiles it again for itself.
   */
  fastOwner?: object | undefined;
}

/** What a builtin receives besides its argument values. */
export interface CallInfo {
  readonly interp: Interpreter;
  /** The whole call (for "whole expression" spans). */
  readonly span: Span;
  /** The span of the callee expression. */
  readonly calleeSpan: Span;
  /** The span of each argument expression. */
  readonly argSpans: readonly Span[];
  /** The scope the call happens in. */
  readonly scope: Scope;
}

/** A function implemented by the evaluator. */
export interface BuiltinValue {
  readonly kind: "builtin";
  /** The qualified name printed as `<builtin String.len>`. */
  readonly name: string;
  /** Parameter names used in arity notes; their count is the arity. */
  readonly params: readonly string[];
  /** Additional accepted argument counts (`-` and `*` also take one argument). */
  readonly alsoArity?: readonly number[];
  /** The signature of LANGUAGE.md §5.13, with type variables for `a`, `b`. */
  readonly type: Type;
  readonly impl: (args: readonly Value[], call: CallInfo) => Value;
}

/** An enum variant with data used as a function: `Result.Ok 42`. */
export interface ConstructorValue {
  readonly kind: "constructor";
  readonly def: EnumDef;
  readonly variant: VariantDef;
}

/** A macro: parameters receive syntax; the body runs over the definition scope. */
export interface MacroValue {
  readonly kind: "macro";
  readonly name: string;
  readonly params: readonly string[];
  readonly body: Tree;
  readonly env: Env;
  /** `@unhygienic`: the expansion runs directly in the caller's scope. */
  readonly unhygienic: boolean;
  readonly node: Tree;
}

/** A shared mutable box (LANGUAGE.md §5.11). */
export interface CellValue {
  readonly kind: "cell";
  value: Value;
}

/** A namespace such as `List` or `Record`. */
export interface ModuleValue {
  readonly kind: "module";
  readonly name: string;
  readonly members: ReadonlyMap<string, Value>;
  /**
   * For an imported module (`import m as q`, docs/spec/15-modules.md): the names it defines
   * without exporting them, for the `private name` error of `q.name`.
   */
  readonly hidden?: readonly string[];
}

/**
 * A special form: it receives its arguments as syntax. It returns its value, or (when written
 * as a generator) a step that the interpreter's driver runs on its explicit stack. `call` is the whole application and
 * `args` its arguments (for `=` re-dispatch they are the left side's arguments plus the right).
 */
export type SpecialForm = (
  interp: Interpreter,
  call: TreeApply,
  args: readonly Tree[],
  scope: Scope,
) => Value | Step;

/** A special form bound in the base environment. */
export interface FormValue {
  readonly kind: "form";
  readonly name: string;
  readonly form: SpecialForm;
}

/**
 * The error value (LANGUAGE.md §9): the result of an item whose evaluation failed and of
 * every operation that receives it. It never causes a second diagnostic.
 */
export interface ErrorValue {
  readonly kind: "error";
}

/** Every runtime value. */
export type Value =
  | IntegerValue
  | RationalValue
  | FloatValue
  | BoolValue
  | StringValue
  | CharValue
  | SymbolValue
  | TupleValue
  | ListValue
  | RecordValue
  | StructValue
  | VariantValue
  | QuantityValue
  | UnitValue
  | TypeValue
  | SyntaxValue
  | ClosureValue
  | BuiltinValue
  | ConstructorValue
  | MacroValue
  | CellValue
  | ModuleValue
  | FormValue
  | ErrorValue;

/** The Unit value `()`. */
export const UNIT: TupleValue = { kind: "tuple", items: [] };
/** `true`. */
export const TRUE: BoolValue = { kind: "bool", value: true };
/** `false`. */
export const FALSE: BoolValue = { kind: "bool", value: false };
/** The error value. */
export const ERROR: ErrorValue = { kind: "error" };

/** A Bool value. */
export function bool(value: boolean): BoolValue {
  return value ? TRUE : FALSE;
}

/** A String value. */
export function str(value: string): StringValue {
  return { kind: "string", value };
}

/** A Symbol value. */
export function sym(name: string): SymbolValue {
  return { kind: "symbol", name };
}

/** A list value. */
export function list(items: readonly Value[]): ListValue {
  return { kind: "list", items };
}

/** A tuple value (the Unit value when empty). */
export function tuple(items: readonly Value[]): TupleValue {
  return items.length === 0 ? UNIT : { kind: "tuple", items };
}

/** A record value. */
export function record(fields: ReadonlyMap<string, Value>): RecordValue {
  return { kind: "record", fields };
}

/** A Type value. */
export function typeValue(type: Type): TypeValue {
  return { kind: "type", type };
}

/** A Syntax value. */
export function syntax(node: Tree): SyntaxValue {
  return { kind: "syntax", node };
}

/** Whether a value is the error value. */
export function isError(v: Value): v is ErrorValue {
  return v.kind === "error";
}

/** Whether a value is a number of the tower. */
export function isNum(v: Value): v is Num {
  return v.kind === "integer" || v.kind === "rational" || v.kind === "float";
}
