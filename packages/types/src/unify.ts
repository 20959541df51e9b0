/**
 * First-order unification of type terms with levels, row-polymorphic records (Rémy's rows in
 * Leijen's "extensible records with scoped labels" style, without duplicate labels), effect
 * rows, and dimensions solved as an abelian group (see `dimension.ts`).
 *
 * Unification is all-or-nothing: on failure every link made while trying is undone, so the
 * caller can report the conflict and carry on with the types as they were.
 */
import { normalizeDimension, unifyDimensions } from "./dimension.js";
import {
  beginSpeculation,
  type EffectRow,
  endSpeculation,
  type Field,
  flattenEffects,
  flattenRecord,
  freshVar,
  type NamedType,
  type RecordType,
  recordType,
  resolve,
  setLevel,
  setLink,
  type Type,
  type TypeVar,
} from "./types.js";

/** Why two types do not unify. `expected` is always the first argument's side. */
export type UnifyFailure =
  | {
      readonly kind: "mismatch";
      /** The innermost conflicting terms. */
      readonly expected: Type;
      readonly found: Type;
    }
  | {
      readonly kind: "dimension";
      readonly expected: Type;
      readonly found: Type;
    }
  | {
      readonly kind: "missing-field";
      readonly field: string;
      /** The record (or struct) that lacks the field. */
      readonly lacking: Type;
      /** The record that requires it. */
      readonly requiring: Type;
      /** Whether the lacking side is the `found` one (the second argument). */
      readonly inFound: boolean;
    }
  | {
      readonly kind: "occurs";
      readonly variable: TypeVar;
      readonly type: Type;
    }
  | {
      readonly kind: "missing-effect";
      readonly label: string;
    };

class Failure extends Error {
  readonly failure: UnifyFailure;
  constructor(failure: UnifyFailure) {
    super(failure.kind);
    this.failure = failure;
  }
}

/**
 * Unifies `expected` with `found`. Returns undefined on success, otherwise the first
 * conflict found, having undone every partial link.
 */
export function unify(expected: Type, found: Type): UnifyFailure | undefined {
  if (resolve(expected) === resolve(found)) return undefined;
  const mark = beginSpeculation();
  try {
    go(expected, found);
    endSpeculation(mark, true);
    return undefined;
  } catch (e) {
    endSpeculation(mark, false);
    if (e instanceof Failure) return e.failure;
    throw e;
  }
}

/** Whether `v` occurs in `t` (after following links); lowers levels of `t`'s variables to `v`'s. */
function occursAndAdjust(v: TypeVar, t: Type): boolean {
  const r = resolve(t);
  switch (r.kind) {
    case "var":
      if (r === v) return true;
      if (r.level > v.level) setLevel(r, v.level);
      return false;
    case "num":
    case "unknown":
    case "named":
      return false;
    case "dim": {
      let found = false;
      for (let i = 0; i < r.vars.length; i++) if (occursAndAdjust(v, r.vars[i]![0])) found = true;
      return found;
    }
    case "quantity": {
      const a = occursAndAdjust(v, r.magnitude);
      return occursAndAdjust(v, r.dim) || a;
    }
    case "con":
      return occursInAll(v, r.args);
    case "fn": {
      const a = occursInAll(v, r.params);
      const b = occursAndAdjust(v, r.result);
      return occursAndAdjust(v, r.effects) || a || b;
    }
    case "tuple":
      return occursInAll(v, r.items);
    case "list":
      return occursAndAdjust(v, r.element);
    case "record": {
      let found = false;
      for (let i = 0; i < r.fields.length; i++)
        if (occursAndAdjust(v, r.fields[i]!.type)) found = true;
      if (r.rest !== undefined && occursAndAdjust(v, r.rest)) found = true;
      return found;
    }
    case "effects":
      return r.rest !== undefined && occursAndAdjust(v, r.rest);
  }
}

/** {@link occursAndAdjust} over every term (all of them are visited, for the levels). */
function occursInAll(v: TypeVar, ts: readonly Type[]): boolean {
  let found = false;
  for (let i = 0; i < ts.length; i++) if (occursAndAdjust(v, ts[i]!)) found = true;
  return found;
}

function bindVar(v: TypeVar, t: Type): void {
  if (t.kind === "unknown") {
    // Unknown swallows the variable so that later uses raise nothing either; dimension,
    // row and effect variables simply stay free.
    if (v.varKind === "type" || v.varKind === "num") setLink(v, t);
    return;
  }
  if (occursAndAdjust(v, t)) throw new Failure({ kind: "occurs", variable: v, type: t });
  setLink(v, t);
}

function mismatchOf(x: Type, y: Type): never {
  throw new Failure({ kind: "mismatch", expected: x, found: y });
}

function go(a: Type, b: Type): void {
  const x = resolve(a);
  const y = resolve(b);
  if (x === y) return;
  if (x.kind === "unknown" || y.kind === "unknown") {
    if (x.kind === "var") bindVar(x, y);
    else if (y.kind === "var") bindVar(y, x);
    return;
  }
  if (x.kind === "var" && y.kind === "var" && x.varKind === "dim" && y.varKind === "dim") {
    if (!unifyDimensions(x, y)) throw new Failure({ kind: "dimension", expected: x, found: y });
    return;
  }
  if (x.kind === "var" && x.varKind !== "dim") {
    bindVar(x, y);
    return;
  }
  if (y.kind === "var" && y.varKind !== "dim") {
    bindVar(y, x);
    return;
  }
  if (x.kind === "dim" || y.kind === "dim" || x.kind === "var" || y.kind === "var") {
    if (!unifyDimensions(x, y)) throw new Failure({ kind: "dimension", expected: x, found: y });
    return;
  }
  switch (x.kind) {
    case "num":
      if (y.kind !== "num" || y.name !== x.name) mismatchOf(x, y);
      return;
    case "quantity":
      if (y.kind !== "quantity") {
        mismatchOf(x, y);
        return;
      }
      try {
        go(x.magnitude, y.magnitude);
      } catch (e) {
        // Report the whole quantity types rather than the bare magnitudes.
        if (e instanceof Failure && e.failure.kind === "mismatch") mismatchOf(x, y);
        throw e;
      }
      if (!unifyDimensions(x.dim, y.dim)) {
        throw new Failure({ kind: "dimension", expected: x, found: y });
      }
      return;
    case "con":
      if (y.kind !== "con" || y.name !== x.name || y.args.length !== x.args.length)
        mismatchOf(x, y);
      if (y.kind === "con") for (let i = 0; i < x.args.length; i++) go(x.args[i]!, y.args[i]!);
      return;
    case "fn":
      if (y.kind !== "fn" || y.params.length !== x.params.length) {
        mismatchOf(x, y);
        return;
      }
      for (let i = 0; i < x.params.length; i++) go(x.params[i]!, y.params[i]!);
      go(x.result, y.result);
      go(x.effects, y.effects);
      return;
    case "tuple":
      if (y.kind !== "tuple" || y.items.length !== x.items.length) {
        mismatchOf(x, y);
        return;
      }
      for (let i = 0; i < x.items.length; i++) go(x.items[i]!, y.items[i]!);
      return;
    case "list":
      if (y.kind !== "list") {
        mismatchOf(x, y);
        return;
      }
      go(x.element, y.element);
      return;
    case "record":
      if (y.kind === "record") {
        unifyRecords(x, y);
        return;
      }
      if (y.kind === "named") {
        unifyRecordWithStruct(x, y, true);
        return;
      }
      {
        mismatchOf(x, y);
        return;
      }
    case "named":
      if (y.kind === "named" && y.decl === x.decl) return;
      if (y.kind === "record") {
        unifyRecordWithStruct(y, x, false);
        return;
      }
      {
        mismatchOf(x, y);
        return;
      }
    case "effects":
      if (y.kind !== "effects") {
        mismatchOf(x, y);
        return;
      }
      {
        unifyEffects(x, y);
        return;
      }
  }
}

function fieldMap(fields: readonly Field[]): Map<string, Type> {
  return new Map(fields.map((f) => [f.name, f.type]));
}

function minLevel(a: TypeVar, b: TypeVar): number {
  return Math.min(a.level, b.level);
}

/** The field of that name in a short list, if any. */
function findField(fields: readonly Field[], name: string): Field | undefined {
  for (let i = 0; i < fields.length; i++) if (fields[i]!.name === name) return fields[i];
  return undefined;
}

/** Whether a short list of fields has no name twice. */
function distinctNames(fields: readonly Field[]): boolean {
  for (let i = 1; i < fields.length; i++)
    for (let j = 0; j < i; j++) if (fields[i]!.name === fields[j]!.name) return false;
  return true;
}

function unifyRecords(x: RecordType, y: RecordType): void {
  const fx = flattenRecord(x);
  const fy = flattenRecord(y);
  let onlyX: Field[];
  let onlyY: Field[];
  if (
    fx.fields.length <= 8 &&
    fy.fields.length <= 8 &&
    distinctNames(fx.fields) &&
    distinctNames(fy.fields)
  ) {
    // A few fields, each name once: linear searches meet the same pairs in the same order as
    // the maps below, without building them.
    for (const f of fx.fields) {
      const g = findField(fy.fields, f.name);
      if (g !== undefined) go(f.type, g.type);
    }
    onlyX = fx.fields.filter((f) => findField(fy.fields, f.name) === undefined);
    onlyY = fy.fields.filter((f) => findField(fx.fields, f.name) === undefined);
  } else {
    const mx = fieldMap(fx.fields);
    const my = fieldMap(fy.fields);
    for (const [name, t] of mx) {
      const u = my.get(name);
      if (u !== undefined) go(t, u);
    }
    onlyX = fx.fields.filter((f) => !my.has(f.name));
    onlyY = fy.fields.filter((f) => !mx.has(f.name));
  }
  const restX = fx.rest === undefined ? undefined : resolve(fx.rest);
  const restY = fy.rest === undefined ? undefined : resolve(fy.rest);
  if (restX?.kind === "unknown" || restY?.kind === "unknown") return;
  const rx = restX?.kind === "var" ? restX : undefined;
  const ry = restY?.kind === "var" ? restY : undefined;
  // A closed side cannot take the other side's extra fields.
  if (rx === undefined && onlyY.length > 0) {
    throw new Failure({
      kind: "missing-field",
      field: onlyY[0]!.name,
      lacking: x,
      requiring: y,
      inFound: false,
    });
  }
  if (ry === undefined && onlyX.length > 0) {
    throw new Failure({
      kind: "missing-field",
      field: onlyX[0]!.name,
      lacking: y,
      requiring: x,
      inFound: true,
    });
  }
  if (rx === undefined && ry === undefined) return;
  if (rx !== undefined && ry === undefined) {
    bindVar(rx, recordType(onlyY));
    return;
  }
  if (rx === undefined && ry !== undefined) {
    bindVar(ry, recordType(onlyX));
    return;
  }
  if (rx === ry) {
    if (onlyX.length > 0 || onlyY.length > 0) {
      const f = onlyX[0] ?? onlyY[0]!;
      throw new Failure({
        kind: "missing-field",
        field: f.name,
        lacking: onlyX.length > 0 ? y : x,
        requiring: onlyX.length > 0 ? x : y,
        inFound: onlyX.length > 0,
      });
    }
    return;
  }
  const tail = freshVar("row", minLevel(rx!, ry!));
  bindVar(rx!, recordType(onlyY, tail));
  bindVar(ry!, recordType(onlyX, tail));
}

/**
 * An open record `{ f: A | r }` against a struct: every listed field must exist in the struct
 * with a unifiable type. This is what lets `fn get_x p = p.x` accept a `Point` as well as a
 * record (field access works on both at run time); the rest variable stays free.
 */
function unifyRecordWithStruct(r: RecordType, s: NamedType, recordIsExpected: boolean): void {
  const flat = flattenRecord(r);
  const rest = flat.rest === undefined ? undefined : resolve(flat.rest);
  const mismatch = (): never => {
    throw new Failure({
      kind: "mismatch",
      expected: recordIsExpected ? r : s,
      found: recordIsExpected ? s : r,
    });
  };
  if (s.decl.kind !== "struct" || rest === undefined) {
    mismatch();
    return;
  }
  const declared = new Map(s.decl.fields.map((f) => [f.name, f.type]));
  for (const f of flat.fields) {
    const t = declared.get(f.name);
    if (t === undefined) {
      throw new Failure({
        kind: "missing-field",
        field: f.name,
        lacking: s,
        requiring: r,
        inFound: recordIsExpected,
      });
    }
    if (recordIsExpected) go(f.type, t);
    else go(t, f.type);
  }
}

function unifyEffects(x: EffectRow, y: EffectRow): void {
  const fx = flattenEffects(x);
  const fy = flattenEffects(y);
  const onlyX = fx.labels.filter((l) => !fy.labels.includes(l));
  const onlyY = fy.labels.filter((l) => !fx.labels.includes(l));
  const restX = fx.rest === undefined ? undefined : resolve(fx.rest);
  const restY = fy.rest === undefined ? undefined : resolve(fy.rest);
  const rx = restX?.kind === "var" ? restX : undefined;
  const ry = restY?.kind === "var" ? restY : undefined;
  if (rx === undefined && onlyY.length > 0) {
    throw new Failure({ kind: "missing-effect", label: onlyY[0]! });
  }
  if (ry === undefined && onlyX.length > 0) {
    throw new Failure({ kind: "missing-effect", label: onlyX[0]! });
  }
  if (rx === undefined && ry === undefined) return;
  if (rx !== undefined && ry === undefined) {
    bindVar(rx, { kind: "effects", labels: onlyY, rest: undefined });
    return;
  }
  if (rx === undefined && ry !== undefined) {
    bindVar(ry, { kind: "effects", labels: onlyX, rest: undefined });
    return;
  }
  if (rx === ry) {
    if (onlyX.length > 0 || onlyY.length > 0) {
      throw new Failure({ kind: "missing-effect", label: onlyX[0] ?? onlyY[0]! });
    }
    return;
  }
  const tail = freshVar("effect", minLevel(rx!, ry!));
  bindVar(rx!, { kind: "effects", labels: onlyY, rest: tail });
  bindVar(ry!, { kind: "effects", labels: onlyX, rest: tail });
}

/** Whether two types are equal right now (no linking): structural, dimensions normalised. */
export function typesEqual(a: Type, b: Type): boolean {
  const x = resolve(a);
  const y = resolve(b);
  if (x === y) return true;
  switch (x.kind) {
    case "var":
      return false;
    case "unknown":
      return y.kind === "unknown";
    case "num":
      return y.kind === "num" && y.name === x.name;
    case "dim":
    case "quantity": {
      if (x.kind === "quantity") {
        return (
          y.kind === "quantity" && typesEqual(x.magnitude, y.magnitude) && typesEqual(x.dim, y.dim)
        );
      }
      if (y.kind !== "dim" && !(y.kind === "var" && y.varKind === "dim")) return false;
      const d = normalizeDimension(x);
      const e = normalizeDimension(y);
      return (
        d.bases.length === e.bases.length &&
        d.vars.length === e.vars.length &&
        d.bases.every(([n, k], i) => e.bases[i]![0] === n && e.bases[i]![1] === k) &&
        d.vars.every(([v, k], i) => e.vars[i]![0] === v && e.vars[i]![1] === k)
      );
    }
    case "con":
      return (
        y.kind === "con" &&
        y.name === x.name &&
        y.args.length === x.args.length &&
        x.args.every((t, i) => typesEqual(t, y.args[i]!))
      );
    case "fn":
      return (
        y.kind === "fn" &&
        y.params.length === x.params.length &&
        x.params.every((t, i) => typesEqual(t, y.params[i]!)) &&
        typesEqual(x.result, y.result) &&
        typesEqual(x.effects, y.effects)
      );
    case "tuple":
      return (
        y.kind === "tuple" &&
        y.items.length === x.items.length &&
        x.items.every((t, i) => typesEqual(t, y.items[i]!))
      );
    case "list":
      return y.kind === "list" && typesEqual(x.element, y.element);
    case "record": {
      if (y.kind !== "record") return false;
      const fx = flattenRecord(x);
      const fy = flattenRecord(y);
      if (fx.fields.length !== fy.fields.length) return false;
      const my = fieldMap(fy.fields);
      const restEqual =
        fx.rest === undefined
          ? fy.rest === undefined
          : fy.rest !== undefined && typesEqual(fx.rest, fy.rest);
      return (
        restEqual && fx.fields.every((f) => my.has(f.name) && typesEqual(f.type, my.get(f.name)!))
      );
    }
    case "named":
      return y.kind === "named" && y.decl === x.decl;
    case "effects": {
      if (y.kind !== "effects") return false;
      const fx = flattenEffects(x);
      const fy = flattenEffects(y);
      const restEqual =
        fx.rest === undefined
          ? fy.rest === undefined
          : fy.rest !== undefined && typesEqual(fx.rest, fy.rest);
      return (
        restEqual &&
        fx.labels.length === fy.labels.length &&
        fx.labels.every((l) => fy.labels.includes(l))
      );
    }
  }
}
