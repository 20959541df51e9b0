/**
 * Typing of the operators of LANGUAGE.md §6 and §5.8 and the steps of their deferred
 * predicates. Numbers are quantities (`Integer` is `Quantity Integer 1`): `+ - %` and
 * comparisons require equal dimensions, `*` and `/` multiply and divide them, magnitudes are
 * promoted by joins, and the unit product of the result is tracked exactly as the evaluator
 * computes it (left operand's units for `+`, combined units for `*`), including the magnitude
 * of unit conversions.
 */

import type { Node } from "@cadenza/syntax";
import { type Constraint, type Site, stepJoin } from "./constraints.js";
import { catalogue, note } from "./diagnostics.js";
import {
  divDimensions,
  isDimensionless,
  mulDimensions,
  normalizeDimension,
  powDimension,
  unifyDimensions,
} from "./dimension.js";
import type { Inferencer } from "./infer.js";
import { dimensionPowers, renderType, TypeNamer, unitText } from "./print.js";
import { stepTrait } from "./traits.js";
import {
  BOOL,
  DIMENSIONLESS,
  flattenRecord,
  listType,
  mapPacked,
  num,
  numberType,
  type QuantityType,
  quantity,
  recordType,
  resolve,
  STRING,
  type Type,
  tupleType,
  UNKNOWN,
  type UnitPower,
} from "./types.js";
import { integerLiteral } from "./typexpr.js";
import { unify } from "./unify.js";

/** The unit product of a quantity type when statically known (`[]` for plain numbers). */
export function knownUnits(q: QuantityType): readonly UnitPower[] | undefined {
  if (q.units !== undefined) return q.units;
  return isDimensionless(q.dim) ? [] : undefined;
}

/** The unit text of a quantity type: its units if known, else its dimension. */
export function unitsText(q: QuantityType, namer: TypeNamer = new TypeNamer()): string {
  const u = knownUnits(q);
  if (u !== undefined) return unitText(u);
  return unitText(dimensionPowers(normalizeDimension(q.dim), namer));
}

/** The dimension of a quantity type in base units, in the evaluator's order when known. */
export function dimensionText(
  ix: Inferencer,
  q: QuantityType,
  namer: TypeNamer = new TypeNamer(),
): string {
  const u = knownUnits(q);
  if (u !== undefined) return unitText(ix.units.basePowers(u));
  return unitText(dimensionPowers(normalizeDimension(q.dim), namer));
}

function renderPair(a: Type, b: Type): [string, string] {
  const namer = new TypeNamer();
  return [renderType(a, namer), renderType(b, namer)];
}

/**
 * The magnitude of `a op b` where `b` is first converted with the given factor type, joined
 * with `extra` (`Rational` for `/`): one n-ary join.
 */
function promote(
  ix: Inferencer,
  a: Type,
  b: Type,
  conversion: string,
  site: Site,
  extra: readonly Type[] = [],
): Type {
  const args: Type[] = [a, b, ...extra];
  if (conversion === "Rational" || conversion === "Float") args.push(num(conversion));
  else if (conversion === "unknown") args.push(ix.fresh("num"));
  const c = ix.fresh("num");
  ix.constrain({ kind: "join", args, c, site });
  return c;
}

/** `- * / %` (and `+` once it is known to be numeric) on numbers and quantities. */
export function numericBinary(
  ix: Inferencer,
  op: string,
  left: Type,
  right: Type,
  site: Site,
): Type {
  const l = resolve(left);
  const r = resolve(right);
  if (l.kind === "unknown" || r.kind === "unknown") return UNKNOWN;
  const ql = ix.asQuantity(l);
  const qr = ix.asQuantity(r);
  if (ql === undefined || qr === undefined) {
    ix.report(catalogue.cannotApply(site.span, op, renderPair(l, r), viaNote(site)));
    return UNKNOWN;
  }
  const lu = knownUnits(ql);
  const ru = knownUnits(qr);
  switch (op) {
    case "+":
    case "-":
    case "%": {
      if (!unifyDimensions(ql.dim, qr.dim)) {
        const namer = new TypeNamer();
        ix.report(
          catalogue.incompatibleDimensions(
            site.span,
            op,
            unitsText(ql, namer),
            unitsText(qr, namer),
            dimensionText(ix, ql, namer),
            dimensionText(ix, qr, namer),
            viaNote(site),
          ),
        );
        return UNKNOWN;
      }
      const conversion =
        lu !== undefined && ru !== undefined ? ix.units.conversion(ru, lu) : "none";
      const m = promote(ix, ql.magnitude, qr.magnitude, conversion, site);
      return quantity(m, ql.dim, lu, site.span);
    }
    case "*":
    case "/": {
      const sign = op === "*" ? 1 : -1;
      const combined =
        lu !== undefined && ru !== undefined ? ix.units.combine(lu, ru, sign) : undefined;
      const m = promote(
        ix,
        ql.magnitude,
        qr.magnitude,
        combined?.conversion ?? "none",
        site,
        op === "/" ? [num("Rational")] : [],
      );
      const dim = op === "*" ? mulDimensions(ql.dim, qr.dim) : divDimensions(ql.dim, qr.dim);
      const units = combined?.units ?? (isDimensionless(dim) ? [] : undefined);
      return quantity(m, dim, units, site.span);
    }
    default:
      return UNKNOWN;
  }
}

/** Types a binary operator application `left op right`. */
export function typeArithmetic(
  ix: Inferencer,
  op: string,
  left: Type,
  right: Type,
  site: Site,
): Type {
  switch (op) {
    case "+": {
      const result = ix.fresh();
      ix.constrain({ kind: "add", left, right, result, site });
      return result;
    }
    case "-":
    case "*":
    case "/":
    case "%":
      return numericBinary(ix, op, left, right, site);
    case "==":
    case "!=":
      ix.constrain({ kind: "equal", left, right, site });
      return BOOL;
    case "<":
    case "<=":
    case ">":
    case ">=":
      ix.constrain({ kind: "order", left, right, site });
      return BOOL;
    case "&":
    case "|":
    case "^":
    case "<<":
    case ">>":
    case "..":
    case "..=": {
      const integer = numberType("Integer");
      if (!ix.tryUnify(integer, left) || !ix.tryUnify(integer, right)) {
        if (resolve(left).kind !== "unknown" && resolve(right).kind !== "unknown") {
          ix.report(catalogue.cannotApply(site.span, op, renderPair(left, right)));
        }
        return UNKNOWN;
      }
      return op === ".." || op === "..=" ? listType(integer) : integer;
    }
    default:
      return UNKNOWN;
  }
}

/**
 * `base ** exponent` (§6, §5.8): an Integer exponent keeps the base's magnitude (a negative
 * literal exponent gives Rational for an Integer base), any other exponent gives Float; a
 * quantity's dimension is raised to the exponent, which must then be an Integer literal for
 * the dimension to be known.
 */
export function typePower(
  ix: Inferencer,
  base: Type,
  exponent: Type,
  exponentNode: Node,
  site: Site,
): Type {
  const b = resolve(base);
  const e = resolve(exponent);
  if (b.kind === "unknown" || e.kind === "unknown") return UNKNOWN;
  const qb = ix.asQuantity(b);
  const qe = ix.asQuantity(e);
  if (qb === undefined || qe === undefined || !unifyDimensions(qe.dim, DIMENSIONLESS)) {
    ix.report(catalogue.cannotApply(site.span, "**", renderPair(b, e)));
    return UNKNOWN;
  }
  const k = integerLiteral(exponentNode);
  if (k !== undefined) {
    const units = knownUnits(qb);
    let m = qb.magnitude;
    if (k < 0) {
      const d = ix.fresh("num");
      ix.constrain({ kind: "join", args: [m, num("Rational")], c: d, site });
      m = d;
    }
    return quantity(
      m,
      powDimension(qb.dim, k),
      units === undefined
        ? undefined
        : k === 0
          ? []
          : mapPacked(units, (p) => ({ unit: p.unit, exponent: p.exponent * k })),
      site.span,
    );
  }
  const em = resolve(qe.magnitude);
  const dim = normalizeDimension(qb.dim);
  if (dim.bases.length > 0 && dim.vars.length === 0) {
    if (em.kind === "num" && em.name !== "Integer") {
      ix.report(catalogue.cannotApply(site.span, "**", renderPair(b, e)));
      return UNKNOWN;
    }
    // The dimension of `q ** n` depends on the value of `n`: not known statically.
    return UNKNOWN;
  }
  unifyDimensions(qb.dim, DIMENSIONLESS);
  if (em.kind === "num") return numberType(em.name === "Integer" ? qb.magnitude : num("Float"));
  const m = ix.fresh("num");
  ix.constrain({ kind: "join", args: [qb.magnitude, em], c: m, site });
  return numberType(m);
}

function isCon(t: Type, name: string): boolean {
  return t.kind === "con" && t.name === name;
}

/** One attempt at a deferred predicate; reports when it cannot hold. */
export function stepConstraint(ix: Inferencer, c: Constraint): "done" | "stuck" {
  switch (c.kind) {
    case "join": {
      const r = stepJoin(c.args, c.c);
      if (r.kind === "stuck") return "stuck";
      if (r.kind === "failed") {
        const [e, f] = renderPair(r.expected, r.found);
        ix.report(catalogue.expectedFound(c.site.span, e, f, viaNote(c.site)));
      }
      return "done";
    }
    case "add":
      return stepAdd(ix, c);
    case "order":
      return stepCompare(ix, c, true);
    case "equal":
      return stepCompare(ix, c, false);
    case "trait":
      return stepTrait(ix, c);
  }
}

function viaNote(site: Site): ReturnType<typeof note>[] {
  return site.via === undefined ? [] : [note(`required by \`${site.via}\``)];
}

function stepAdd(ix: Inferencer, c: Extract<Constraint, { kind: "add" }>): "done" | "stuck" {
  const l = resolve(c.left);
  const r = resolve(c.right);
  if (l.kind === "unknown" || r.kind === "unknown") {
    unify(c.result, UNKNOWN);
    return "done";
  }
  if (isCon(l, "String") || isCon(r, "String")) {
    if (!ix.tryUnify(STRING, l) || !ix.tryUnify(STRING, r)) {
      ix.report(catalogue.cannotApply(c.site.span, "+", renderPair(l, r), viaNote(c.site)));
      unify(c.result, UNKNOWN);
      return "done";
    }
    unify(c.result, STRING);
    return "done";
  }
  if (l.kind === "var" && r.kind === "var") return "stuck";
  const t = numericBinary(ix, "+", l, r, c.site);
  if (unify(c.result, t) !== undefined) unify(c.result, UNKNOWN);
  return "done";
}

/**
 * Ordering (`< <= > >=`): numbers and quantities of one dimension (magnitudes may differ),
 * Strings, Chars. Equality (`== !=`): structural; numbers compare across the tower, also
 * inside tuples and records (§6).
 */
function stepCompare(
  ix: Inferencer,
  c: Extract<Constraint, { kind: "order" | "equal" }>,
  ordering: boolean,
): "done" | "stuck" {
  const l = resolve(c.left);
  const r = resolve(c.right);
  if (l.kind === "unknown" || r.kind === "unknown") return "done";
  const mismatch = (): "done" => {
    const [t, u] = renderPair(l, r);
    const notes = [...viaNote(c.site)];
    if (l.kind === "named" && r.kind === "named" && l.decl !== r.decl) {
      notes.push(note(`${t} and ${u} are different nominal types`));
      if (l.decl.kind === "struct" && r.decl.kind === "struct") {
        const names = (fs: readonly { name: string }[]): string =>
          fs
            .map((f) => f.name)
            .sort()
            .join(",");
        if (names(l.decl.fields) === names(r.decl.fields)) {
          notes.push(
            note("even though they have the same fields, nominal typing makes them distinct"),
          );
        }
      }
    }
    ix.report(catalogue.cannotCompare(c.site.span, t, u, notes));
    return "done";
  };
  if (l.kind === "quantity" || r.kind === "quantity") {
    const ql = ix.asQuantity(l);
    const qr = ix.asQuantity(r);
    if (ql === undefined || qr === undefined) return mismatch();
    if (!unifyDimensions(ql.dim, qr.dim)) {
      const namer = new TypeNamer();
      ix.report(
        catalogue.incompatibleDimensionsInComparison(
          c.site.span,
          unitsText(ql, namer),
          unitsText(qr, namer),
          dimensionText(ix, ql, namer),
          dimensionText(ix, qr, namer),
          viaNote(c.site),
        ),
      );
    }
    return "done";
  }
  // Equality holds for any two values of one type; ordering still needs to know the type.
  if (l.kind === "var" && r.kind === "var") return l === r && !ordering ? "done" : "stuck";
  if (ordering) {
    const known = l.kind === "var" ? r : l;
    if (isCon(known, "String") || isCon(known, "Char")) {
      return ix.tryUnify(l, r) ? "done" : mismatch();
    }
    return mismatch();
  }
  // Equality.
  if (l.kind === "var" || r.kind === "var") {
    const [v, known] = l.kind === "var" ? [l, r] : [r, l];
    if (known.kind === "tuple") {
      const items = mapPacked(known.items, () => ix.fresh());
      unify(v, tupleType(items));
    } else if (known.kind === "record" && flattenRecord(known).rest === undefined) {
      const fields = mapPacked(flattenRecord(known).fields, (f) => ({
        name: f.name,
        type: ix.fresh() as Type,
      }));
      unify(v, recordType(fields));
    } else {
      unify(v, known);
      return "done";
    }
    return stepCompare(ix, c, ordering);
  }
  if (l.kind === "tuple" && r.kind === "tuple") {
    if (l.items.length !== r.items.length) return mismatch();
    l.items.forEach((t, i) => {
      ix.constrain({ kind: "equal", left: t, right: r.items[i]!, site: c.site });
    });
    return "done";
  }
  if (l.kind === "record" && r.kind === "record") {
    const fl = flattenRecord(l);
    const fr = flattenRecord(r);
    if (
      fl.rest === undefined &&
      fr.rest === undefined &&
      fl.fields.length === fr.fields.length &&
      fl.fields.every((f) => fr.fields.some((g) => g.name === f.name))
    ) {
      for (const f of fl.fields) {
        ix.constrain({
          kind: "equal",
          left: f.type,
          right: fr.fields.find((g) => g.name === f.name)!.type,
          site: c.site,
        });
      }
      return "done";
    }
    return ix.tryUnify(l, r) ? "done" : mismatch();
  }
  if (l.kind === "fn" && r.kind === "fn") return "done";
  return ix.tryUnify(l, r) ? "done" : mismatch();
}
