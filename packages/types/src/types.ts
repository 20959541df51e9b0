import type { Span } from "@cadenza/core";
import { normalizeDimension } from "./dimension.js";

/**
 * The kind of a type variable: ordinary types, magnitudes of the numeric tower, dimensions,
 * record rows and effect rows never unify with each other.
 */
export type VarKind = "type" | "num" | "dim" | "row" | "effect";

/**
 * A unification variable. It is the one mutable object of the type language: inference links
 * it to a term (`link`) and lowers its `level` (Rémy's levels, which make generalisation a
 * comparison instead of a search through the environment). Everything else is immutable.
 */
export interface TypeVar {
  readonly kind: "var";
  /** Unique per process; only used for ordering and debugging, never shown to users. */
  readonly id: number;
  readonly varKind: VarKind;
  /** The let-nesting depth at which the variable was created (lowered by unification). */
  level: number;
  /** The term this variable stands for, once known. */
  link: Type | undefined;
}

/** The magnitude types of the numeric tower (LANGUAGE.md §6), in promotion order. */
export type NumName = "Integer" | "Rational" | "Float";

/** A concrete magnitude: `Integer`, `Rational` or `Float`. Only appears inside a quantity. */
export interface NumType {
  readonly kind: "num";
  readonly name: NumName;
}

/**
 * A dimension: a product of base units and dimension variables with non-zero integer
 * exponents. Terms are kept normalised (sorted keys, no zero exponents) by `dimension.ts`;
 * variables may still be linked and are expanded by `normalizeDimension`.
 */
export interface Dimension {
  readonly kind: "dim";
  /** Base unit name → exponent, sorted by name. */
  readonly bases: readonly (readonly [string, number])[];
  /** Dimension variable → exponent, sorted by variable id. */
  readonly vars: readonly (readonly [TypeVar, number])[];
}

/** One named unit raised to a non-zero integer power. */
export interface UnitPower {
  readonly unit: string;
  readonly exponent: number;
}

/**
 * `Quantity M D`: a number of magnitude type `M` (a {@link NumType} or a `num` variable) with
 * dimension `D`. A dimensionless quantity *is* the plain number (LANGUAGE.md D5), so `Integer`
 * is `Quantity Integer 1`. `units` remembers the unit product the value carries at run time
 * when it is statically known; it is used for rendering and for the magnitude of conversions,
 * never for unification, which works on dimensions only.
 */
export interface QuantityType {
  readonly kind: "quantity";
  readonly magnitude: Type;
  readonly dim: Type;
  readonly units: readonly UnitPower[] | undefined;
  readonly origin?: Span;
}

/** A built-in type constructor: `Bool`, `String`, `Char`, `Symbol`, `Type`, `Cell a`, …. */
export interface ConType {
  readonly kind: "con";
  readonly name: string;
  readonly args: readonly Type[];
  readonly origin?: Span;
}

/** `fn(A, B) -> R`, with the row of effects the function may perform. */
export interface FnType {
  readonly kind: "fn";
  readonly params: readonly Type[];
  readonly result: Type;
  /** An effect row: an {@link EffectRow} or an `effect` variable. */
  readonly effects: Type;
  readonly origin?: Span;
}

/** `(A, B)`; the empty tuple is `Unit`. */
export interface TupleType {
  readonly kind: "tuple";
  readonly items: readonly Type[];
  readonly origin?: Span;
}

/** `[A]`. */
export interface ListType {
  readonly kind: "list";
  readonly element: Type;
  readonly origin?: Span;
}

/** One field of a record type. */
export interface Field {
  readonly name: string;
  readonly type: Type;
}

/**
 * A record type `{ f: A, g: B | r }`. `rest` is undefined for a closed record, or a `row`
 * variable (possibly linked to another record type that supplies more fields) for an open
 * one: the Rémy/Leijen encoding of row polymorphism. Fields keep their source order for
 * rendering; unification ignores the order.
 */
export interface RecordType {
  readonly kind: "record";
  readonly fields: readonly Field[];
  readonly rest: Type | undefined;
  readonly origin?: Span;
}

/** A field of a struct or a record payload of an enum variant, with its declared type. */
export interface DeclaredField {
  readonly name: string;
  readonly type: Type;
}

/** The payload of an enum variant. */
export type VariantPayload =
  | { readonly kind: "none" }
  | { readonly kind: "value"; readonly type: Type }
  | { readonly kind: "record"; readonly fields: readonly DeclaredField[] };

/** One variant of an enum. */
export interface VariantDecl {
  readonly name: string;
  readonly payload: VariantPayload;
}

/**
 * The declaration behind a nominal type. Declarations are compared by identity: two structs
 * with the same fields are still different types (LANGUAGE.md §5.6).
 */
export type NominalDecl =
  | {
      readonly kind: "struct";
      readonly name: string;
      readonly fields: readonly DeclaredField[];
      readonly span?: Span;
    }
  | {
      readonly kind: "enum";
      readonly name: string;
      readonly variants: readonly VariantDecl[];
      readonly span?: Span;
    };

/** A struct or enum type. */
export interface NamedType {
  readonly kind: "named";
  readonly decl: NominalDecl;
  readonly origin?: Span;
}

/**
 * A row of effects: labels (effect names) and an optional `effect` variable for the rest.
 * An empty closed row is a pure function.
 */
export interface EffectRow {
  readonly kind: "effects";
  readonly labels: readonly string[];
  readonly rest: Type | undefined;
}

/**
 * The type of error nodes and of values the checker cannot know (a macro call it cannot
 * expand). It unifies with everything without binding anything, so one mistake gives one
 * diagnostic.
 */
export interface UnknownType {
  readonly kind: "unknown";
}

/** A Cadenza type term. */
export type Type =
  | TypeVar
  | NumType
  | Dimension
  | QuantityType
  | ConType
  | FnType
  | TupleType
  | ListType
  | RecordType
  | NamedType
  | EffectRow
  | UnknownType;

/**
 * `xs.map(f)`, always as a packed array. `Array.prototype.map` makes a packed array in
 * unoptimised code but a holey one once its caller is optimised, so term arrays (parameters,
 * arguments, fields, join operands) came in two shapes, and the optimised readers of terms
 * (unification, zonking, generalisation) were thrown away and compiled again when the other
 * shape first reached them ("wrong map"). Arrays built with `push` are packed in both.
 */
export function mapPacked<T, U>(xs: readonly T[], f: (x: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i]!, i));
  return out;
}

let nextId = 0;

/** A fresh unlinked variable of the given kind at the given level. */
export function freshVar(varKind: VarKind, level: number): TypeVar {
  return { kind: "var", id: nextId++, varKind, level, link: undefined };
}

/** One undoable change of a variable: its previous link and level. */
interface TrailEntry {
  readonly v: TypeVar;
  readonly link: Type | undefined;
  readonly level: number;
}

/** The changes made since the outermost running speculation began (see {@link speculate}). */
const trail: TrailEntry[] = [];
/** How many speculations are running; changes are recorded only while one is. */
let speculating = 0;

/**
 * Variables that deferred constraints wait on (`Inferencer.defer`), and those of them linked
 * since the inferencer last asked: waking only the constraints of linked variables keeps a
 * long file linear instead of retrying every deferred constraint after every group.
 */
const watchedIds = new Set<number>();
let linkedWatched: TypeVar[] = [];

/** Asks {@link takeLinkedWatched} to report `v` once it is linked. */
export function watchLinks(v: TypeVar): void {
  watchedIds.add(v.id);
}

/** Stops watching `v`. */
export function unwatchLinks(v: TypeVar): void {
  watchedIds.delete(v.id);
}

/** The watched variables linked since the last call (possibly unlinked again by an undo). */
export function takeLinkedWatched(): TypeVar[] {
  const out = linkedWatched;
  linkedWatched = [];
  return out;
}

/** Links `v` to `t`, recording the change when a {@link speculate} is running. */
export function setLink(v: TypeVar, t: Type): void {
  if (speculating > 0) trail.push({ v, link: v.link, level: v.level });
  v.link = t;
  if (watchedIds.size > 0 && watchedIds.has(v.id)) linkedWatched.push(v);
}

/** Lowers the level of `v`, recording the change when a {@link speculate} is running. */
export function setLevel(v: TypeVar, level: number): void {
  if (v.level === level) return;
  if (speculating > 0) trail.push({ v, link: v.link, level: v.level });
  v.level = level;
}

/**
 * Runs `attempt` and undoes every link and level change it made when it returns false:
 * unification either succeeds completely or leaves no trace.
 */
export function speculate(attempt: () => boolean): boolean {
  const mark = beginSpeculation();
  let ok = false;
  try {
    ok = attempt();
  } finally {
    endSpeculation(mark, ok);
  }
  return ok;
}

/**
 * Starts recording changes (the allocation-free form of {@link speculate}): returns a mark to
 * pass to {@link endSpeculation}.
 */
export function beginSpeculation(): number {
  speculating++;
  return trail.length;
}

/** Ends a speculation begun at `mark`: keeps its changes, or undoes them all. */
export function endSpeculation(mark: number, keep: boolean): void {
  speculating--;
  if (!keep) {
    for (let i = trail.length - 1; i >= mark; i--) {
      const e = trail[i]!;
      e.v.link = e.link;
      e.v.level = e.level;
    }
  }
  // Kept changes stay recorded for an enclosing speculation, which may still undo them.
  if (!keep || speculating === 0) trail.length = mark;
}

/**
 * Follows variable links until a term or an unlinked variable. There is no path compression:
 * it would have to be undone by {@link speculate}, and link chains stay short in practice.
 */
export function resolve(t: Type): Type {
  let r = t;
  while (r.kind === "var" && r.link !== undefined) r = r.link;
  return r;
}

/** The `Unknown` type. */
export const UNKNOWN: UnknownType = { kind: "unknown" };

const nums: Record<NumName, NumType> = {
  Integer: { kind: "num", name: "Integer" },
  Rational: { kind: "num", name: "Rational" },
  Float: { kind: "num", name: "Float" },
};

/** The magnitude type of the given name. */
export function num(name: NumName): NumType {
  return nums[name];
}

/** The dimension `1` (dimensionless). */
export const DIMENSIONLESS: Dimension = { kind: "dim", bases: [], vars: [] };

// The factories below give every term of a kind the same properties in the same order, `origin`
// included when it is undefined: one object shape per kind keeps the property reads of
// unification, zonking and copying monomorphic, so the optimised code a first check waits for
// is not thrown away when a term of the same kind but another shape comes by ("wrong map").
// Terms are built with them, or copied with a spread, never with a literal elsewhere.

/** A quantity type; `units` is the statically known unit product, if any. */
export function quantity(
  magnitude: Type,
  dim: Type,
  units?: readonly UnitPower[],
  origin?: Span,
): QuantityType {
  return { kind: "quantity", magnitude, dim, units, origin };
}

/** A plain number of the tower: `Quantity M 1` with no units, printed `Integer`, `Float`, …. */
export function numberType(magnitude: Type | NumName, origin?: Span): QuantityType {
  return quantity(
    typeof magnitude === "string" ? num(magnitude) : magnitude,
    DIMENSIONLESS,
    [],
    origin,
  );
}

/** A built-in constructor type. */
export function con(name: string, args: readonly Type[] = [], origin?: Span): ConType {
  return { kind: "con", name, args, origin };
}

/** `Bool`. */
export const BOOL: ConType = con("Bool");
/** `String`. */
export const STRING: ConType = con("String");
/** `Char`. */
export const CHAR: ConType = con("Char");
/** `Symbol`. */
export const SYMBOL: ConType = con("Symbol");
/** `Type`, the type of type values. */
export const TYPE: ConType = con("Type");
/** `Syntax`, the type of quoted code. */
export const SYNTAX: ConType = con("Syntax");
/** `Measure`, the type of a unit of measure used as a value. */
export const MEASURE: ConType = con("Measure");
/** `Module`, the type of a namespace such as `List`. */
export const MODULE: ConType = con("Module");
/** `Unit`, the empty tuple. */
export const UNIT: TupleType = tupleType([]);
/** The empty closed effect row: no effects. */
export const PURE: EffectRow = { kind: "effects", labels: [], rest: undefined };

/** A function type. */
export function fnType(
  params: readonly Type[],
  result: Type,
  effects: Type = PURE,
  origin?: Span,
): FnType {
  return { kind: "fn", params, result, effects, origin };
}

/** A tuple type. */
export function tupleType(items: readonly Type[], origin?: Span): TupleType {
  return { kind: "tuple", items, origin };
}

/** A list type. */
export function listType(element: Type, origin?: Span): ListType {
  return { kind: "list", element, origin };
}

/** A record type; `rest` undefined makes it closed. */
export function recordType(fields: readonly Field[], rest?: Type, origin?: Span): RecordType {
  return { kind: "record", fields, rest, origin };
}

/** The nominal type of a struct or enum declaration. */
export function namedType(decl: NominalDecl, origin?: Span): NamedType {
  return { kind: "named", decl, origin };
}

/** An effect row. */
export function effectRow(labels: readonly string[], rest?: Type): EffectRow {
  return { kind: "effects", labels, rest };
}

/** The same type with a different origin (only for terms that carry one). */
export function withOrigin(t: Type, origin: Span | undefined): Type {
  const r = resolve(t);
  if (origin === undefined) return r;
  switch (r.kind) {
    case "quantity":
    case "con":
    case "fn":
    case "tuple":
    case "list":
    case "record":
    case "named":
      return { ...r, origin };
    default:
      return r;
  }
}

/**
 * Calls `visit` on every unlinked variable of a term, following links, records' rests,
 * dimensions and effect rows. Each variable is visited once.
 */
export function forEachVar(t: Type, visit: (v: TypeVar) => void): void {
  const r = resolve(t);
  // Most terms met are closed or a single variable: no collection needed.
  if (r.kind === "num" || r.kind === "unknown" || r.kind === "named") return;
  if (r.kind === "var") {
    visit(r);
    return;
  }
  const seen: TypeVar[] = [];
  collectVars(r, seen);
  for (const v of seen) visit(v);
}

/**
 * Calls `visit` on every occurrence of an unlinked variable in a term, in the order in which
 * {@link forEachVar} first meets them, but once per occurrence: for visitors that do the same
 * thing when called again (adding to a set, lowering a level), it is `forEachVar` without
 * allocating.
 */
export function forEachVarOccurrence(t: Type, visit: (v: TypeVar) => void): void {
  const r = resolve(t);
  switch (r.kind) {
    case "var":
      visit(r);
      return;
    case "num":
    case "unknown":
    case "named":
      return;
    case "dim":
      for (let i = 0; i < r.vars.length; i++) forEachVarOccurrence(r.vars[i]![0], visit);
      return;
    case "quantity":
      forEachVarOccurrence(r.magnitude, visit);
      forEachVarOccurrence(r.dim, visit);
      return;
    case "con":
      for (let i = 0; i < r.args.length; i++) forEachVarOccurrence(r.args[i]!, visit);
      return;
    case "fn":
      for (let i = 0; i < r.params.length; i++) forEachVarOccurrence(r.params[i]!, visit);
      forEachVarOccurrence(r.result, visit);
      forEachVarOccurrence(r.effects, visit);
      return;
    case "tuple":
      for (let i = 0; i < r.items.length; i++) forEachVarOccurrence(r.items[i]!, visit);
      return;
    case "list":
      forEachVarOccurrence(r.element, visit);
      return;
    case "record":
      for (let i = 0; i < r.fields.length; i++) forEachVarOccurrence(r.fields[i]!.type, visit);
      if (r.rest !== undefined) forEachVarOccurrence(r.rest, visit);
      return;
    case "effects":
      if (r.rest !== undefined) forEachVarOccurrence(r.rest, visit);
      return;
  }
}

/**
 * Appends the unlinked variables of `x` not yet in `out` (a linear search: variable sets are
 * small, and this allocates no closure or set per call, which matters on long files).
 */
function collectVars(x: Type, out: TypeVar[]): void {
  const r = resolve(x);
  switch (r.kind) {
    case "var":
      if (!out.includes(r)) out.push(r);
      return;
    case "num":
    case "unknown":
    case "named":
      return;
    case "dim":
      for (const [v] of r.vars) collectVars(v, out);
      return;
    case "quantity":
      collectVars(r.magnitude, out);
      collectVars(r.dim, out);
      return;
    case "con":
      for (const a of r.args) collectVars(a, out);
      return;
    case "fn":
      for (const p of r.params) collectVars(p, out);
      collectVars(r.result, out);
      collectVars(r.effects, out);
      return;
    case "tuple":
      for (const i of r.items) collectVars(i, out);
      return;
    case "list":
      collectVars(r.element, out);
      return;
    case "record":
      for (const f of r.fields) collectVars(f.type, out);
      if (r.rest !== undefined) collectVars(r.rest, out);
      return;
    case "effects":
      if (r.rest !== undefined) collectVars(r.rest, out);
      return;
  }
}

/**
 * Rebuilds a term with every linked variable replaced by what it stands for, so the result
 * no longer changes when inference continues. Unlinked variables stay as they are. Dimensions
 * are normalised, open records whose rest is known are flattened.
 */
export function zonk(t: Type): Type {
  const r = resolve(t);
  switch (r.kind) {
    case "var":
    case "num":
    case "unknown":
    case "named":
      return r;
    case "dim":
      return normalizeDimension(r);
    case "quantity": {
      // Unchanged subterms are shared: most types of a file have no linked variable left.
      const magnitude = zonk(r.magnitude);
      const dim = zonk(r.dim);
      return magnitude === r.magnitude && dim === r.dim ? r : { ...r, magnitude, dim };
    }
    case "con": {
      const args = zonkAll(r.args);
      return args === r.args ? r : { ...r, args };
    }
    case "fn": {
      const params = zonkAll(r.params);
      const result = zonk(r.result);
      const effects = zonk(r.effects);
      return params === r.params && result === r.result && effects === r.effects
        ? r
        : { ...r, params, result, effects };
    }
    case "tuple": {
      const items = zonkAll(r.items);
      return items === r.items ? r : { ...r, items };
    }
    case "list": {
      const element = zonk(r.element);
      return element === r.element ? r : { ...r, element };
    }
    case "record": {
      if (r.rest === undefined) {
        let changed = false;
        const fields = mapPacked(r.fields, (f) => {
          const type = zonk(f.type);
          if (type !== f.type) changed = true;
          return type === f.type ? f : { name: f.name, type };
        });
        return changed ? { ...r, fields } : r;
      }
      const { fields, rest } = flattenRecord(r);
      return {
        ...r,
        fields: mapPacked(fields, (f) => ({ name: f.name, type: zonk(f.type) })),
        rest,
      };
    }
    case "effects": {
      if (r.rest === undefined) return r;
      const { labels, rest } = flattenEffects(r);
      return { kind: "effects", labels, rest };
    }
  }
}

/** {@link zonk} of each term; the same array when no term changed. */
function zonkAll(ts: readonly Type[]): readonly Type[] {
  let out: Type[] | undefined;
  for (let i = 0; i < ts.length; i++) {
    const z = zonk(ts[i]!);
    if (out === undefined && z !== ts[i]) out = ts.slice(0, i);
    out?.push(z);
  }
  return out ?? ts;
}

/**
 * All fields of a record type including those supplied by linked rest variables, and the
 * final rest (an unlinked row variable, `Unknown`, or undefined when closed).
 */
export function flattenRecord(r: RecordType): { fields: Field[]; rest: Type | undefined } {
  const fields: Field[] = [...r.fields];
  let rest = r.rest === undefined ? undefined : resolve(r.rest);
  for (let guard = 0; rest !== undefined && rest.kind === "record" && guard < 10_000; guard++) {
    for (const f of rest.fields) if (!fields.some((g) => g.name === f.name)) fields.push(f);
    rest = rest.rest === undefined ? undefined : resolve(rest.rest);
  }
  return { fields, rest };
}

/** All labels of an effect row including linked rests, and the final rest. */
export function flattenEffects(r: EffectRow): { labels: string[]; rest: Type | undefined } {
  const labels: string[] = [...r.labels];
  let rest = r.rest === undefined ? undefined : resolve(r.rest);
  for (let guard = 0; rest !== undefined && rest.kind === "effects" && guard < 10_000; guard++) {
    for (const l of rest.labels) if (!labels.includes(l)) labels.push(l);
    rest = rest.rest === undefined ? undefined : resolve(rest.rest);
  }
  return { labels, rest };
}
