import { inferClosureType } from "./infer.js";
import { numTypeName } from "./numbers.js";
import { type UnitProduct, unitProductsEqual, unitText } from "./units.js";
import type { Value } from "./values.js";

/** The names of the built-in types without parameters. */
export type NamedTypeName =
  | "Integer"
  | "Rational"
  | "Float"
  | "Bool"
  | "String"
  | "Char"
  | "Symbol"
  | "Type"
  | "Syntax"
  | "Unknown"
  | "Measure"
  | "Module"
  | "Form";

/** A nominal struct type made by `struct` (LANGUAGE.md §5.6). */
export interface StructDef {
  readonly name: string;
  readonly fields: readonly (readonly [string, Type])[];
}

/** The payload of an enum variant: none, one value of a type, or a record of fields. */
export type VariantPayload =
  | { readonly kind: "none" }
  | { readonly kind: "value"; readonly type: Type }
  | { readonly kind: "record"; readonly fields: readonly (readonly [string, Type])[] };

/** One variant of an enum. */
export interface VariantDef {
  readonly name: string;
  readonly payload: VariantPayload;
}

/** A nominal enum type made by `enum`. */
export interface EnumDef {
  readonly name: string;
  readonly variants: readonly VariantDef[];
}

/**
 * A Cadenza type (LANGUAGE.md §5.6–§5.7, §7). The empty tuple type is `Unit`. Type variables
 * appear in builtin signatures and inferred function types and print as `a`, `b`, ….
 */
export type Type =
  | { readonly kind: "named"; readonly name: NamedTypeName }
  | { readonly kind: "tuple"; readonly items: readonly Type[] }
  | { readonly kind: "list"; readonly element: Type }
  | { readonly kind: "record"; readonly fields: readonly (readonly [string, Type])[] }
  | { readonly kind: "struct"; readonly def: StructDef }
  | { readonly kind: "enum"; readonly def: EnumDef }
  | { readonly kind: "fn"; readonly params: readonly Type[]; readonly result: Type }
  | { readonly kind: "macro"; readonly arity: number }
  | { readonly kind: "quantity"; readonly magnitude: Type; readonly units: UnitProduct }
  | { readonly kind: "cell"; readonly content: Type }
  | { readonly kind: "var"; readonly id: number };

const namedCache = new Map<NamedTypeName, Type>();

/** The built-in type of the given name. */
export function named(name: NamedTypeName): Type {
  let t = namedCache.get(name);
  if (!t) {
    t = { kind: "named", name };
    namedCache.set(name, t);
  }
  return t;
}

/** `Integer`. */
export const INTEGER: Type = named("Integer");
/** `Rational`. */
export const RATIONAL: Type = named("Rational");
/** `Float`. */
export const FLOAT: Type = named("Float");
/** `Bool`. */
export const BOOL: Type = named("Bool");
/** `String`. */
export const STRING: Type = named("String");
/** `Unknown`: the element type of `[]`, compatible with every type. */
export const UNKNOWN: Type = named("Unknown");
/** `Unit`, the empty tuple type. */
export const UNIT_TYPE: Type = { kind: "tuple", items: [] };

/** A list type. */
export function listType(element: Type): Type {
  return { kind: "list", element };
}

/** A function type. */
export function fnType(params: readonly Type[], result: Type): Type {
  return { kind: "fn", params, result };
}

let nextVar = 0;

/** A fresh type variable. */
export function freshVar(): Type {
  return { kind: "var", id: nextVar++ };
}

/**
 * Structural type equality (LANGUAGE.md §5.7): field order of records is ignored, structs and
 * enums compare by definition, type variables by identity.
 */
export function typeEquals(a: Type, b: Type): boolean {
  return compare(a, b, false);
}

/**
 * Whether a value of type `b` may stand where `a` is expected: like equality, but `Unknown`
 * and type variables on either side match anything (`[]` fits every list type).
 */
export function typeCompatible(a: Type, b: Type): boolean {
  return compare(a, b, true);
}

function isWild(t: Type): boolean {
  return t.kind === "var" || (t.kind === "named" && t.name === "Unknown");
}

function compare(a: Type, b: Type, loose: boolean): boolean {
  if (a === b) return true;
  if (loose && (isWild(a) || isWild(b))) return true;
  switch (a.kind) {
    case "named":
      return b.kind === "named" && a.name === b.name;
    case "tuple":
      return (
        b.kind === "tuple" &&
        a.items.length === b.items.length &&
        a.items.every((t, i) => compare(t, b.items[i]!, loose))
      );
    case "list":
      return b.kind === "list" && compare(a.element, b.element, loose);
    case "record":
      return b.kind === "record" && fieldsEqual(a.fields, b.fields, loose);
    case "struct":
      return b.kind === "struct" && a.def === b.def;
    case "enum":
      return b.kind === "enum" && a.def === b.def;
    case "fn":
      return (
        b.kind === "fn" &&
        a.params.length === b.params.length &&
        a.params.every((t, i) => compare(t, b.params[i]!, loose)) &&
        compare(a.result, b.result, loose)
      );
    case "macro":
      return b.kind === "macro" && a.arity === b.arity;
    case "quantity":
      return (
        b.kind === "quantity" &&
        compare(a.magnitude, b.magnitude, loose) &&
        unitProductsEqual(a.units, b.units)
      );
    case "cell":
      return b.kind === "cell" && compare(a.content, b.content, loose);
    case "var":
      return b.kind === "var" && a.id === b.id;
  }
}

function fieldsEqual(
  a: readonly (readonly [string, Type])[],
  b: readonly (readonly [string, Type])[],
  loose: boolean,
): boolean {
  if (a.length !== b.length) return false;
  return a.every(([name, t]) => {
    const other = b.find(([n]) => n === name);
    return other !== undefined && compare(t, other[1], loose);
  });
}

/**
 * The more informative of two compatible types: `Unknown` is replaced by what the other
 * side knows (`[[], [1]]` is `[[Integer]]`).
 */
export function joinTypes(a: Type, b: Type): Type {
  if (isWild(a)) return b;
  if (isWild(b)) return a;
  if (a.kind === "list" && b.kind === "list") return listType(joinTypes(a.element, b.element));
  if (a.kind === "tuple" && b.kind === "tuple" && a.items.length === b.items.length) {
    return { kind: "tuple", items: a.items.map((t, i) => joinTypes(t, b.items[i]!)) };
  }
  return a;
}

/** The type of a runtime value. */
export function typeOf(v: Value): Type {
  switch (v.kind) {
    case "integer":
    case "rational":
    case "float":
      return named(numTypeName(v));
    case "bool":
      return BOOL;
    case "string":
      return STRING;
    case "char":
      return named("Char");
    case "symbol":
      return named("Symbol");
    case "tuple":
      return v.items.length === 0 ? UNIT_TYPE : { kind: "tuple", items: v.items.map(typeOf) };
    case "list": {
      if (v.elementType === undefined) {
        let element = UNKNOWN;
        for (const item of v.items) element = joinTypes(element, typeOf(item));
        v.elementType = element;
      }
      return listType(v.elementType);
    }
    case "record":
      return { kind: "record", fields: [...v.fields].map(([n, f]) => [n, typeOf(f)] as const) };
    case "struct":
      return { kind: "struct", def: v.def };
    case "variant":
      return { kind: "enum", def: v.def };
    case "quantity":
      return { kind: "quantity", magnitude: named(numTypeName(v.magnitude)), units: v.units };
    case "unit":
      return named("Measure");
    case "type":
      return named("Type");
    case "syntax":
      return named("Syntax");
    case "closure":
      return inferClosureType(v);
    case "builtin":
      return v.type;
    case "constructor": {
      const p = v.variant.payload;
      const param: Type =
        p.kind === "value"
          ? p.type
          : p.kind === "record"
            ? { kind: "record", fields: p.fields }
            : UNIT_TYPE;
      return fnType([param], { kind: "enum", def: v.def });
    }
    case "macro":
      return { kind: "macro", arity: v.params.length };
    case "cell":
      return { kind: "cell", content: typeOf(v.value) };
    case "module":
      return named("Module");
    case "form":
      return named("Form");
    case "error":
      return UNKNOWN;
  }
}

/**
 * A type as the REPL prints it (LANGUAGE.md §7). Type variables are named `a`, `b`, … in order
 * of first appearance within the printed type.
 */
export function renderType(t: Type): string {
  const names = new Map<number, string>();
  return render(t, names);
}

function varName(index: number): string {
  let s = "";
  let n = index;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

function render(t: Type, names: Map<number, string>): string {
  const r = (x: Type): string => render(x, names);
  switch (t.kind) {
    case "named":
      return t.name;
    case "tuple":
      if (t.items.length === 0) return "Unit";
      if (t.items.length === 1) return `(${r(t.items[0]!)},)`;
      return `(${t.items.map(r).join(", ")})`;
    case "list":
      return `[${r(t.element)}]`;
    case "record":
      if (t.fields.length === 0) return "{}";
      return `{ ${t.fields.map(([n, f]) => `${n}: ${r(f)}`).join(", ")} }`;
    case "struct":
      return t.def.name;
    case "enum":
      return t.def.name;
    case "fn":
      return `fn(${t.params.map(r).join(", ")}) -> ${r(t.result)}`;
    case "macro":
      return `macro(${Array.from({ length: t.arity }, () => "Syntax").join(", ")}) -> Syntax`;
    case "quantity":
      return `Quantity ${r(t.magnitude)} ${unitText(t.units)}`;
    case "cell":
      return `Cell ${r(t.content)}`;
    case "var": {
      let name = names.get(t.id);
      if (name === undefined) {
        name = varName(names.size);
        names.set(t.id, name);
      }
      return name;
    }
  }
}

/**
 * The head name used by `Type.variant_of` and `Type.name`: the built-in name, `Record`,
 * `List`, `Tuple`, `Function`, `Quantity`, `Cell`, or the struct or enum name.
 */
export function typeHeadName(t: Type): string {
  switch (t.kind) {
    case "named":
      return t.name;
    case "tuple":
      return t.items.length === 0 ? "Unit" : "Tuple";
    case "list":
      return "List";
    case "record":
      return "Record";
    case "struct":
    case "enum":
      return t.def.name;
    case "fn":
      return "Function";
    case "macro":
      return "Macro";
    case "quantity":
      return "Quantity";
    case "cell":
      return "Cell";
    case "var":
      return "Unknown";
  }
}

/** Whether a type has a name of its own (`Type.name` works on it). */
export function isNamedType(t: Type): boolean {
  return (
    t.kind === "named" ||
    t.kind === "struct" ||
    t.kind === "enum" ||
    (t.kind === "tuple" && t.items.length === 0)
  );
}

/** The fields of a record or struct type, in order; undefined for other types. */
export function typeFields(t: Type): readonly (readonly [string, Type])[] | undefined {
  if (t.kind === "record") return t.fields;
  if (t.kind === "struct") return t.def.fields;
  return undefined;
}
