/**
 * Type expressions (LANGUAGE.md §5.6) read as types: `Integer`, struct, enum and alias names,
 * `[T]`, `(T1, T2)`, `{ f: T }` / `{ f = T }`, and, as extensions the checker needs for
 * annotations and declarations (SPEC.md), `fn(A, B) -> R`, `Cell T`, `Quantity T meter/second`
 * and lower-case type variables `a`, `b`.
 */
import type { Span } from "@cadenza/core";
import type { Node } from "@cadenza/syntax";
import type { Env } from "./env.js";
import type { UnitRegistry } from "./measures.js";
import { fieldEntry } from "./syntax.js";
import {
  con,
  type Field,
  fnType,
  freshVar,
  listType,
  mapPacked,
  namedType,
  quantity,
  recordType,
  type Type,
  type TypeVar,
  tupleType,
  UNKNOWN,
  type UnitPower,
  type VarKind,
} from "./types.js";

/** What reading a type expression needs. */
export interface TypeScope {
  readonly env: Env;
  readonly units: UnitRegistry;
  /** The level for fresh variables. */
  readonly level: number;
  /**
   * Type variables by name, shared by one annotation or declaration; undefined when
   * lower-case names are not allowed as variables.
   */
  readonly vars?: Map<string, TypeVar>;
  /** Reports a name that is not a type. */
  readonly unknownName: (name: string, span: Span) => void;
  /** Reports an expression that is not a type expression. */
  readonly notAType: (span: Span) => void;
  /** Reports `q.Name` where the module imported as `q` exports no `Name`. */
  readonly missingExport?: (
    span: Span,
    name: string,
    module: string,
    exported: readonly string[],
    hidden: readonly string[],
  ) => void;
}

const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** Splits `meter·second²` into unit powers; undefined when a part is not a unit. */
export function parseUnitIdent(text: string, units: UnitRegistry): UnitPower[] | undefined {
  const out: UnitPower[] = [];
  for (const part of text.split("·")) {
    const m = /^(.*?)(⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?$/u.exec(part);
    if (!m) return undefined;
    const name = m[1]!;
    let exponent = 1;
    if (m[2] !== undefined) {
      const negative = m[2].startsWith("⁻");
      const digits = [...(negative ? m[2].slice(1) : m[2])]
        .map((c) => SUPERSCRIPTS.indexOf(c))
        .join("");
      exponent = Number(digits) * (negative ? -1 : 1);
    }
    if (!units.has(name)) return undefined;
    out.push({ unit: name, exponent });
  }
  return out;
}

function isIdent(n: Node | undefined, name?: string): n is Node & { kind: "ident" } {
  return n !== undefined && n.kind === "ident" && (name === undefined || n.name === name);
}

function isCall(n: Node | undefined, head: string): n is Node & { kind: "apply" } {
  return n !== undefined && n.kind === "apply" && isIdent(n.callee, head);
}

/** Reads a unit expression (`meter`, `meter/second`, `second ** 2`) as unit powers. */
export function readUnits(node: Node, units: UnitRegistry): UnitPower[] | undefined {
  if (node.kind === "ident") return parseUnitIdent(node.name, units);
  if (node.kind === "literal" && node.value.type === "integer" && node.value.value === 1n)
    return [];
  if (node.kind !== "apply" || node.callee.kind !== "ident") return undefined;
  const op = node.callee.name;
  const [a, b] = node.args;
  if ((op === "*" || op === "/") && a !== undefined && b !== undefined && node.args.length === 2) {
    const x = readUnits(a, units);
    const y = readUnits(b, units);
    if (x === undefined || y === undefined) return undefined;
    const sign = op === "*" ? 1 : -1;
    const out = mapPacked(x, (p) => ({ ...p }));
    for (const p of y) {
      const e = out.find((q) => q.unit === p.unit);
      if (e) e.exponent += sign * p.exponent;
      else out.push({ unit: p.unit, exponent: sign * p.exponent });
    }
    return out.filter((p) => p.exponent !== 0);
  }
  if (op === "**" && a !== undefined && b !== undefined) {
    const x = readUnits(a, units);
    const k = integerLiteral(b);
    if (x === undefined || k === undefined) return undefined;
    return k === 0 ? [] : mapPacked(x, (p) => ({ unit: p.unit, exponent: p.exponent * k }));
  }
  return undefined;
}

/** The value of an Integer literal, possibly negated, as a number. */
export function integerLiteral(node: Node): number | undefined {
  if (node.kind === "literal" && node.value.type === "integer") return Number(node.value.value);
  if (isCall(node, "-") && node.args.length === 1) {
    const v = integerLiteral(node.args[0]!);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

function isTypeVariableName(name: string): boolean {
  return /^[a-z][a-z0-9_]*$/.test(name);
}

/** Reads a type expression. Never throws; problems are reported through `scope`. */
export function readType(node: Node, scope: TypeScope): Type {
  const read = (n: Node): Type => readType(n, scope);
  const fresh = (kind: VarKind): TypeVar => freshVar(kind, scope.level);
  switch (node.kind) {
    case "error":
      return UNKNOWN;
    case "literal":
      scope.notAType(node.span);
      return UNKNOWN;
    case "ident": {
      const name = node.name;
      const b = scope.env.lookup(name);
      if (b?.kind === "type") return b.type;
      if (b?.kind === "namespace" && b.type !== undefined) return b.type;
      if (b?.kind === "nominal") return namedType(b.decl);
      if (
        scope.vars !== undefined &&
        isTypeVariableName(name) &&
        (b === undefined || b.kind !== "value")
      ) {
        let v = scope.vars.get(name);
        if (v === undefined) {
          v = fresh("type");
          scope.vars.set(name, v);
        }
        return v;
      }
      if (b === undefined) scope.unknownName(name, node.span);
      else scope.notAType(node.span);
      return UNKNOWN;
    }
    case "apply":
      break;
  }
  const callee = node.callee;
  // `q.Point`: a type another module exports, reached through its alias.
  if (isIdent(callee, ".") && node.args.length === 2) {
    const [q, member] = node.args;
    const owner = isIdent(q) ? scope.env.lookup(q.name) : undefined;
    if (owner?.kind === "namespace" && owner.origin === "module" && isIdent(member)) {
      const b = owner.declared?.get(member.name);
      if (b?.kind === "type") return b.type;
      if (b?.kind === "nominal") return namedType(b.decl);
      const exported = [...owner.members.keys(), ...(owner.declared?.keys() ?? [])];
      if (b !== undefined || owner.members.has(member.name)) scope.notAType(node.span);
      else
        scope.missingExport?.(member.span, member.name, owner.name, exported, owner.hidden ?? []);
      return UNKNOWN;
    }
  }
  if (isIdent(callee, "__list__")) {
    if (node.args.length === 0) return listType(fresh("type"));
    if (node.args.length === 1) return listType(read(node.args[0]!));
    scope.notAType(node.span);
    return UNKNOWN;
  }
  if (isIdent(callee, "__tuple__")) return tupleType(mapPacked(node.args, read));
  if (isIdent(callee, "__record__")) {
    const fields: Field[] = [];
    for (const entry of node.args) {
      const f = fieldEntry(entry);
      if (f !== undefined) fields.push({ name: f.name.name, type: read(f.type) });
      else scope.notAType(entry.span);
    }
    return recordType(fields);
  }
  // fn(A, B) -> R  parses as (-> (fn (__tuple__ A B)) R); fn(A) -> R as (-> (fn A) R).
  if (isIdent(callee, "->") && node.args.length === 2 && isCall(node.args[0], "fn")) {
    const lhs = node.args[0];
    const params =
      lhs.args.length === 1 && isCall(lhs.args[0], "__tuple__")
        ? mapPacked(lhs.args[0].args, read)
        : mapPacked(lhs.args, read);
    return fnType(params, read(node.args[1]!), fresh("effect"));
  }
  if (
    isIdent(callee, "Quantity") &&
    node.args.length === 2 &&
    scope.env.lookup("Quantity")?.kind === "namespace"
  ) {
    const magnitude = read(node.args[0]!);
    const m = magnitudeOf(magnitude);
    const u = readUnits(node.args[1]!, scope.units);
    if (u === undefined) {
      scope.notAType(node.args[1]!.span);
      return UNKNOWN;
    }
    return quantity(m ?? fresh("num"), scope.units.dimensionOf(u), u);
  }
  if (isIdent(callee, "Cell") && node.args.length === 1) return con("Cell", [read(node.args[0]!)]);
  scope.notAType(node.span);
  return UNKNOWN;
}

function magnitudeOf(t: Type): Type | undefined {
  if (t.kind === "quantity") return t.magnitude;
  if (t.kind === "var") return undefined;
  return undefined;
}
