/**
 * Type rendering exactly as LANGUAGE.md §7 prints types (`Integer`, `fn(Integer) -> Integer`,
 * `{ x: Integer }`, `[Integer]`, `(Integer, String)`, `Quantity Integer meter/second`), with
 * unit text per §5.8. Variables left over get the names `a`, `b`, … (dimensions `u`, `v`, …)
 * in order of first appearance; internal identifiers never reach a message.
 */
import { unitProductText } from "@cadenza/syntax";
import { type Constraint, constraintTypes } from "./constraints.js";
import { normalizeDimension } from "./dimension.js";
import type { Scheme } from "./scheme.js";
import {
  type Dimension,
  flattenEffects,
  flattenRecord,
  forEachVar,
  type NumName,
  resolve,
  type Type,
  type TypeVar,
  type UnitPower,
} from "./types.js";

/**
 * The unit text of LANGUAGE.md §5.8 (`meter/second²`, `second⁻¹`); the empty product is
 * `dimensionless`.
 */
export function unitText(units: readonly UnitPower[]): string {
  return unitProductText(units, (p) => p.unit) || "dimensionless";
}

/**
 * A unit product written as a factor: like {@link unitText}, but a product with only negative
 * exponents is written `1/second` (used by "missing factor" notes, where `second⁻¹` reads
 * badly).
 */
export function factorText(units: readonly UnitPower[]): string {
  const positive = units.filter((p) => p.exponent > 0);
  const negative = units.filter((p) => p.exponent < 0);
  if (positive.length === 0 && negative.length > 0) {
    const inverse = negative.map((p) => ({ unit: p.unit, exponent: -p.exponent }));
    return `1/${unitProductText(inverse, (p) => p.unit)}`;
  }
  return unitText(units);
}

function varName(index: number, alphabet: string): string {
  const letter = alphabet[index % alphabet.length]!;
  const round = Math.floor(index / alphabet.length);
  return round === 0 ? letter : `${letter}${round}`;
}

/**
 * Gives variables their printed names, in order of first appearance. One namer is shared by
 * all types of one message so that the same variable has the same name everywhere in it.
 */
export class TypeNamer {
  private readonly names = new Map<TypeVar, string>();
  private typeCount = 0;
  private dimCount = 0;
  /**
   * Magnitude variables to print as the join of other magnitudes (`a ⊔ b`), because a scheme
   * defines them that way (see `scheme.ts`).
   */
  readonly joins: Map<TypeVar, readonly Type[]> = new Map();

  /** The printed name of a variable. */
  name(v: TypeVar): string {
    let n = this.names.get(v);
    if (n === undefined) {
      n =
        v.varKind === "dim"
          ? varName(this.dimCount++, "uvwxyz")
          : varName(this.typeCount++, "abcdefghijklmnopqrst");
      this.names.set(v, n);
    }
    return n;
  }

  /** Whether the variable already has a name. */
  has(v: TypeVar): boolean {
    return this.names.has(v);
  }

  /** The named variables, in naming order. */
  named(): TypeVar[] {
    return [...this.names.keys()];
  }
}

/** Renders a type per LANGUAGE.md §7. Pass a shared `namer` to render several related types. */
export function renderType(t: Type, namer: TypeNamer = new TypeNamer()): string {
  return render(t, namer, false);
}

/** Renders a magnitude that may be a join: `a ⊔ b ⊔ Rational`. */
function renderMagnitude(t: Type, namer: TypeNamer, nested: boolean): string {
  const parts = joinParts(t, namer);
  if (parts.length <= 1) return render(t, namer, nested);
  const text = parts.join(" ⊔ ");
  return nested ? `(${text})` : text;
}

const RANK: Record<NumName, number> = { Integer: 0, Rational: 1, Float: 2 };

function joinParts(t: Type, namer: TypeNamer): string[] {
  const out: string[] = [];
  let concrete: NumName | undefined;
  const visit = (x: Type, depth: number): void => {
    const r = resolve(x);
    if (r.kind === "var" && depth < 50) {
      const parts = namer.joins.get(r);
      if (parts !== undefined) {
        for (const p of parts) visit(p, depth + 1);
        return;
      }
      const name = namer.name(r);
      if (!out.includes(name)) out.push(name);
      return;
    }
    if (r.kind === "num") {
      if (concrete === undefined || RANK[r.name] > RANK[concrete]) concrete = r.name;
      return;
    }
    out.push(render(r, namer, true));
  };
  visit(t, 0);
  if (concrete !== undefined && (concrete !== "Integer" || out.length === 0)) out.push(concrete);
  return out;
}

/** The text of a dimension: named units, base units and dimension variables. */
export function renderDimension(t: Type, namer: TypeNamer = new TypeNamer()): string {
  return unitText(dimensionPowers(normalizeDimension(t), namer));
}

/** A normalised dimension as unit powers, variables named by `namer`. */
export function dimensionPowers(d: Dimension, namer: TypeNamer): UnitPower[] {
  return [
    ...d.bases.map(([unit, exponent]) => ({ unit, exponent })),
    ...d.vars.map(([v, exponent]) => ({ unit: namer.name(v), exponent })),
  ];
}

function renderEffects(t: Type): string {
  const r = resolve(t);
  if (r.kind !== "effects") return "";
  const { labels } = flattenEffects(r);
  return labels.length === 0 ? "" : ` ! ${labels.join(", ")}`;
}

function render(t: Type, namer: TypeNamer, nested: boolean): string {
  const r = resolve(t);
  const wrap = (s: string): string => (nested ? `(${s})` : s);
  switch (r.kind) {
    case "var":
      if (namer.joins.has(r)) return renderMagnitude(r, namer, nested);
      return namer.name(r);
    case "num":
      return r.name;
    case "unknown":
      return "Unknown";
    case "dim":
      return renderDimension(r, namer);
    case "quantity": {
      const d = normalizeDimension(r.dim);
      if (d.bases.length === 0 && d.vars.length === 0) {
        return renderMagnitude(r.magnitude, namer, nested);
      }
      const magnitude = renderMagnitude(r.magnitude, namer, true);
      const units =
        r.units !== undefined && r.units.length > 0 && d.vars.length === 0
          ? unitText(r.units)
          : unitText(dimensionPowers(d, namer));
      return wrap(`Quantity ${magnitude} ${units}`);
    }
    case "con":
      if (r.args.length === 0) return r.name;
      return wrap(`${r.name} ${r.args.map((a) => render(a, namer, true)).join(" ")}`);
    case "fn": {
      const params = r.params.map((p) => render(p, namer, false)).join(", ");
      return wrap(`fn(${params}) -> ${render(r.result, namer, false)}${renderEffects(r.effects)}`);
    }
    case "tuple":
      if (r.items.length === 0) return "Unit";
      if (r.items.length === 1) return `(${render(r.items[0]!, namer, false)},)`;
      return `(${r.items.map((x) => render(x, namer, false)).join(", ")})`;
    case "list":
      return `[${render(r.element, namer, false)}]`;
    case "record": {
      const { fields, rest } = flattenRecord(r);
      const open = rest !== undefined && resolve(rest).kind !== "unknown";
      const parts = fields.map((f) => `${f.name}: ${render(f.type, namer, false)}`);
      if (open) parts.push("...");
      return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
    }
    case "named":
      return r.decl.name;
    case "effects": {
      const { labels } = flattenEffects(r);
      return labels.length === 0 ? "{}" : labels.join(", ");
    }
  }
}

/**
 * Renders a scheme: `fn(a) -> a`, or with predicates `forall a b c. [Add a b c] => fn(a, b) -> c`.
 * A magnitude that the scheme defines as the join of others is written inline
 * (`Quantity (a ⊔ b ⊔ Rational) u/v`); `b = a ⊔ b` is written `a ≤ b`.
 */
export function renderScheme(scheme: Scheme): string {
  const namer = new TypeNamer();
  const resultCount = new Map<TypeVar, number>();
  for (const c of scheme.constraints) {
    if (c.kind !== "join") continue;
    const r = resolve(c.c);
    if (r.kind === "var") resultCount.set(r, (resultCount.get(r) ?? 0) + 1);
  }
  const shown: Constraint[] = [];
  for (const c of scheme.constraints) {
    if (c.kind === "join") {
      const r = resolve(c.c);
      if (r.kind === "var" && resultCount.get(r) === 1 && !c.args.some((a) => resolve(a) === r)) {
        namer.joins.set(r, c.args);
        continue;
      }
    }
    shown.push(c);
  }
  const body = renderType(scheme.type, namer);
  const predicates = shown.map((c) => renderConstraint(c, namer));
  // Magnitude variables no predicate mentions are said to be numeric, so that `fn(a) -> a`
  // over numbers does not read like the identity.
  const mentioned = new Set<TypeVar>();
  for (const c of shown) for (const t of constraintTypes(c)) forEachVar(t, (v) => mentioned.add(v));
  const numeric = namer
    .named()
    .filter((v) => v.varKind === "num" && scheme.vars.includes(v) && !mentioned.has(v));
  predicates.unshift(...numeric.map((v) => `Numeric ${namer.name(v)}`));
  const named = namer.named().filter((v) => scheme.vars.includes(v));
  const quantified = [
    ...named.filter((v) => v.varKind !== "dim"),
    ...named.filter((v) => v.varKind === "dim"),
  ];
  if (quantified.length === 0 && predicates.length === 0) return body;
  const names = quantified.map((v) => namer.name(v));
  const forall = names.length > 0 ? `forall ${names.join(" ")}. ` : "";
  const context = predicates.length > 0 ? `[${predicates.join(", ")}] => ` : "";
  return `${forall}${context}${body}`;
}

/** Renders one predicate with a shared namer. */
export function renderConstraint(c: Constraint, namer: TypeNamer = new TypeNamer()): string {
  const r = (t: Type): string => render(t, namer, true);
  switch (c.kind) {
    case "join": {
      const res = resolve(c.c);
      const others = c.args.filter((a) => resolve(a) !== res);
      const joined = others.map(r).join(" ⊔ ");
      return others.length < c.args.length ? `${joined} ≤ ${r(res)}` : `${r(res)} = ${joined}`;
    }
    case "add":
      return `Add ${r(c.left)} ${r(c.right)} ${r(c.result)}`;
    case "order":
      return resolve(c.left) === resolve(c.right)
        ? `Comparable ${r(c.left)}`
        : `Comparable ${r(c.left)} ${r(c.right)}`;
    case "equal":
      return resolve(c.left) === resolve(c.right)
        ? `Equatable ${r(c.left)}`
        : `Equatable ${r(c.left)} ${r(c.right)}`;
    case "trait":
      return `${c.trait} ${r(c.type)}`;
  }
}

/**
 * Definition name → rendered scheme, rendering each scheme the first time it is asked for:
 * a check that nobody reads the schemes of (`cadenza check` without `--signatures`) renders
 * none of them, which is a tenth of checking a long file.
 */
export class RenderedSchemes implements ReadonlyMap<string, string> {
  private readonly terms: ReadonlyMap<string, Scheme>;
  private readonly texts = new Map<string, string>();

  constructor(terms: ReadonlyMap<string, Scheme>) {
    this.terms = terms;
  }

  get size(): number {
    return this.terms.size;
  }

  get(name: string): string | undefined {
    let text = this.texts.get(name);
    if (text === undefined) {
      const scheme = this.terms.get(name);
      if (scheme === undefined) return undefined;
      text = renderScheme(scheme);
      this.texts.set(name, text);
    }
    return text;
  }

  has(name: string): boolean {
    return this.terms.has(name);
  }

  *entries(): MapIterator<[string, string]> {
    for (const name of this.terms.keys()) yield [name, this.get(name)!];
  }

  keys(): MapIterator<string> {
    return this.terms.keys();
  }

  *values(): MapIterator<string> {
    for (const name of this.terms.keys()) yield this.get(name)!;
  }

  forEach(f: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [name, text] of this.entries()) f(text, name, this);
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }
}
