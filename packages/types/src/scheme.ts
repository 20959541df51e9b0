/**
 * Type schemes `forall vs. [C] => T`: level-based generalisation (a variable is generalisable
 * when its level is deeper than the binding's) and instantiation with fresh variables,
 * re-issuing the scheme's constraints at the use site.
 */
import type { Span } from "@cadenza/core";
import {
  type Constraint,
  constraintTypes,
  forEachConstraintVarOccurrence,
  mapConstraint,
} from "./constraints.js";
import { normalizeDimension } from "./dimension.js";
import {
  type Field,
  forEachVarOccurrence,
  freshVar,
  mapPacked,
  num,
  resolve,
  setLevel,
  type Type,
  type TypeVar,
} from "./types.js";
import { unify } from "./unify.js";

/**
 * The level of generalised (quantified) variables: above every let-nesting depth. It is the
 * largest small integer rather than `Infinity`, so that `level` stays an integer field of
 * every variable (a double in one variable changes the shape of all of them, and the
 * optimised code that reads levels is thrown away).
 */
export const GENERIC: number = 2 ** 30 - 1;

/** A polymorphic type: its quantified variables have level {@link GENERIC}. */
export interface Scheme {
  /** The quantified variables, in order of first appearance in `type`. */
  readonly vars: readonly TypeVar[];
  /** Predicates every instantiation must satisfy. */
  readonly constraints: readonly Constraint[];
  readonly type: Type;
}

/** A scheme without quantified variables. */
export function monoScheme(type: Type): Scheme {
  return { vars: [], constraints: [], type };
}

/**
 * A copy of `t` in which variables of level {@link GENERIC} are replaced through `map`.
 * Subterms without such variables are shared, not copied.
 */
export function copyGeneric(t: Type, map: Map<TypeVar, TypeVar>, level: number): Type {
  const r = resolve(t);
  switch (r.kind) {
    case "var": {
      if (r.level !== GENERIC) return r;
      let v = map.get(r);
      if (v === undefined) {
        v = freshVar(r.varKind, level);
        map.set(r, v);
      }
      return v;
    }
    case "num":
    case "unknown":
    case "named":
      return r;
    case "dim": {
      const d = normalizeDimension(r);
      if (d.vars.every(([v]) => v.level !== GENERIC)) return d;
      return normalizeDimension({
        kind: "dim",
        bases: d.bases,
        vars: mapPacked(d.vars, ([v, e]) => [copyGeneric(v, map, level) as TypeVar, e] as const),
      });
    }
    case "quantity": {
      const magnitude = copyGeneric(r.magnitude, map, level);
      const dim = copyGeneric(r.dim, map, level);
      return magnitude === r.magnitude && dim === r.dim ? r : { ...r, magnitude, dim };
    }
    case "con": {
      const args = copyAll(r.args, map, level);
      return args === r.args ? r : { ...r, args };
    }
    case "fn": {
      const params = copyAll(r.params, map, level);
      const result = copyGeneric(r.result, map, level);
      const effects = copyGeneric(r.effects, map, level);
      return params === r.params && result === r.result && effects === r.effects
        ? r
        : { ...r, params, result, effects };
    }
    case "tuple": {
      const items = copyAll(r.items, map, level);
      return items === r.items ? r : { ...r, items };
    }
    case "list": {
      const element = copyGeneric(r.element, map, level);
      return element === r.element ? r : { ...r, element };
    }
    case "record": {
      let fields: Field[] | undefined;
      for (let i = 0; i < r.fields.length; i++) {
        const f = r.fields[i]!;
        const type = copyGeneric(f.type, map, level);
        if (fields === undefined && type !== f.type) fields = r.fields.slice(0, i);
        fields?.push(type === f.type ? f : { name: f.name, type });
      }
      const rest = r.rest === undefined ? undefined : copyGeneric(r.rest, map, level);
      return fields === undefined && rest === r.rest
        ? r
        : { ...r, fields: fields ?? r.fields, rest };
    }
    case "effects": {
      const rest = r.rest === undefined ? undefined : copyGeneric(r.rest, map, level);
      return rest === r.rest ? r : { ...r, rest };
    }
  }
}

/** {@link copyGeneric} of each term; the same array when no term changed. */
function copyAll(ts: readonly Type[], map: Map<TypeVar, TypeVar>, level: number): readonly Type[] {
  let out: Type[] | undefined;
  for (let i = 0; i < ts.length; i++) {
    const c = copyGeneric(ts[i]!, map, level);
    if (out === undefined && c !== ts[i]) out = ts.slice(0, i);
    out?.push(c);
  }
  return out ?? ts;
}

/** The map of an instance of a scheme without variables (shared: it is never written). */
const NO_VARIABLES: ReadonlyMap<TypeVar, TypeVar> = new Map();

/** An instantiated scheme: a fresh type and the constraints it brings along. */
export interface Instance {
  readonly type: Type;
  readonly constraints: readonly Constraint[];
  /** Old quantified variable → its fresh copy. */
  readonly map: ReadonlyMap<TypeVar, TypeVar>;
}

/**
 * Instantiates a scheme at `level`. The scheme's constraints are re-issued with their site
 * moved to `useSite` (when given), naming the function they came through.
 */
export function instantiate(
  scheme: Scheme,
  level: number,
  useSite?: { readonly span: Span; readonly via: string },
): Instance {
  if (scheme.vars.length === 0) return { type: scheme.type, constraints: [], map: NO_VARIABLES };
  const map = new Map<TypeVar, TypeVar>();
  const type = copyGeneric(scheme.type, map, level);
  const constraints = mapPacked(scheme.constraints, (c) =>
    mapConstraint(
      c,
      (t) => copyGeneric(t, map, level),
      useSite === undefined ? c.site : { ...c.site, span: useSite.span, via: useSite.via },
    ),
  );
  return { type, constraints, map };
}

/**
 * The array the visitors below push to. The simplification and generalisation of every
 * binding walk terms with them: module-level visitors instead of a closure per walk, which
 * a cold process (the first check) pays for in allocations and in optimising-compiler time.
 */
let collected: TypeVar[] = [];
const collect = (v: TypeVar): void => {
  collected.push(v);
};

/** The occurrences of unlinked variables in `t`, pushed to `out` (see {@link forEachVarOccurrence}). */
function pushVars(t: Type, out: TypeVar[]): TypeVar[] {
  const saved = collected;
  collected = out;
  forEachVarOccurrence(t, collect);
  collected = saved;
  return out;
}

/** The variables of a constraint, pushed to `out` (a variable may be listed more than once). */
function pushConstraintVars(c: Constraint, out: TypeVar[]): TypeVar[] {
  const saved = collected;
  collected = out;
  forEachConstraintVarOccurrence(c, collect);
  collected = saved;
  return out;
}

/** The result of {@link generalize}. */
export interface Generalized {
  readonly scheme: Scheme;
  /** The constraints that stay with the enclosing scope. */
  readonly remaining: Constraint[];
}

/**
 * Generalises `type` over the variables deeper than `level`. A constraint moves into the
 * scheme when all its variables are generalisable and it is connected to the type; a
 * constraint that also mentions outer variables keeps its variables monomorphic (they are
 * lowered to `level`) and stays pending; a constraint on generalisable variables that the
 * type does not mention is ambiguous and stays pending for defaulting.
 */
export function generalize(type: Type, level: number, pending: readonly Constraint[]): Generalized {
  // The variables of each constraint, once (generalising links nothing, only lowers levels).
  const varsOf: TypeVar[][] = new Array(pending.length);
  for (let i = 0; i < pending.length; i++) varsOf[i] = pushConstraintVars(pending[i]!, []);
  // 1. Constraints mixing outer and inner variables pin their inner variables.
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < varsOf.length; i++) {
      const vars = varsOf[i]!;
      let outer = false;
      let inner = false;
      for (let k = 0; k < vars.length; k++) {
        if (vars[k]!.level <= level) outer = true;
        else inner = true;
      }
      if (!outer || !inner) continue;
      for (let k = 0; k < vars.length; k++) {
        const v = vars[k]!;
        if (v.level > level) {
          setLevel(v, level);
          changed = true;
        }
      }
    }
  }
  // 2. Variables reachable from the type, then from constraints connected to it. `order`
  // lists `reach` in the order the variables were reached (the scheme's order).
  const reach = new Set<TypeVar>();
  const order: TypeVar[] = [];
  const occurrences = pushVars(type, []);
  for (let k = 0; k < occurrences.length; k++) {
    const v = occurrences[k]!;
    if (v.level > level && !reach.has(v)) {
      reach.add(v);
      order.push(v);
    }
  }
  const candidates: number[] = [];
  for (let i = 0; i < varsOf.length; i++) {
    const vars = varsOf[i]!;
    let all = vars.length > 0;
    for (let k = 0; k < vars.length && all; k++) if (vars[k]!.level <= level) all = false;
    if (all) candidates.push(i);
  }
  const inScheme = new Set<Constraint>();
  const constraints: Constraint[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (let n = 0; n < candidates.length; n++) {
      const i = candidates[n]!;
      const c = pending[i]!;
      if (inScheme.has(c)) continue;
      const vars = varsOf[i]!;
      let connected = false;
      for (let k = 0; k < vars.length && !connected; k++) if (reach.has(vars[k]!)) connected = true;
      if (!connected) continue;
      inScheme.add(c);
      constraints.push(c);
      for (let k = 0; k < vars.length; k++) {
        const v = vars[k]!;
        if (!reach.has(v)) {
          reach.add(v);
          order.push(v);
        }
      }
      changed = true;
    }
  }
  // 3. Ambiguous constraints stay pending at this level.
  const remaining: Constraint[] = [];
  for (let i = 0; i < pending.length; i++) {
    const c = pending[i]!;
    if (inScheme.has(c)) continue;
    const vars = varsOf[i]!;
    for (let k = 0; k < vars.length; k++) {
      const v = vars[k]!;
      if (v.level > level) setLevel(v, level);
    }
    remaining.push(c);
  }
  for (let k = 0; k < order.length; k++) setLevel(order[k]!, GENERIC);
  return { scheme: { vars: order, constraints, type }, remaining };
}

/** Lowers every variable of `t` deeper than `level` to `level`: `t` stays monomorphic. */
export function lowerTo(t: Type, level: number): void {
  forEachVarOccurrence(t, (v) => {
    if (v.level > level && v.level !== GENERIC) setLevel(v, level);
  });
}

/** Variables in negative (parameter) positions of a type. */
function negativeVars(t: Type): Set<TypeVar> {
  const out = new Set<TypeVar>();
  const go = (x: Type, negative: boolean): void => {
    const r = resolve(x);
    switch (r.kind) {
      case "var":
        if (negative) out.add(r);
        return;
      case "quantity":
        go(r.magnitude, negative);
        go(r.dim, negative);
        return;
      case "dim":
        for (const [v] of r.vars) go(v, negative);
        return;
      case "con":
        for (const a of r.args) go(a, true);
        return;
      case "fn":
        for (const p of r.params) go(p, !negative);
        go(r.result, negative);
        return;
      case "tuple":
        for (const i of r.items) go(i, negative);
        return;
      case "list":
        // Lists are invariant: count both ways.
        go(r.element, true);
        go(r.element, negative);
        return;
      case "record":
        for (const f of r.fields) go(f.type, negative);
        if (r.rest !== undefined) go(r.rest, negative);
        return;
      default:
        return;
    }
  };
  go(t, false);
  return out;
}

type Join = Extract<Constraint, { kind: "join" }>;

/** Join operands without repetitions and without `Integer` (the bottom of the tower). */
function uniqueArgs(args: readonly Type[]): Type[] {
  const out: Type[] = [];
  for (const a of args) {
    const r = resolve(a);
    if (r.kind === "num" && r.name === "Integer") continue;
    if (
      !out.some(
        (x) =>
          resolve(x) === r ||
          (r.kind === "num" &&
            resolve(x).kind === "num" &&
            (resolve(x) as { name: string }).name === r.name),
      )
    )
      out.push(r);
  }
  return out;
}

/** The key of a join's operands, for finding equal joins. */
function argsKey(args: readonly Type[]): string {
  // The distinct parts without `Integer`, sorted (by insertion: joins have few operands).
  const parts: string[] = [];
  for (const a of args) {
    const r = resolve(a);
    const p = r.kind === "var" ? `v${r.id}` : r.kind === "num" ? r.name : "?";
    if (p === "Integer" || parts.includes(p)) continue;
    let j = parts.length - 1;
    for (; j >= 0 && parts[j]! > p; j--) parts[j + 1] = parts[j]!;
    parts[j + 1] = p;
  }
  return parts.join(",");
}

/**
 * Simplifies the magnitude predicates of a binding before it is generalised, so that schemes
 * stay small and readable however long the call chains are (in the spirit of polarity-based
 * simplification):
 *
 * 1. variables bounded by each other both ways are equal;
 * 2. a variable with only lower bounds that occurs only in result positions takes its least
 *    value (its single lower bound, or `Integer`);
 * 3. a join result used only as an operand of other joins is substituted into them
 *    (`c = a ⊔ b, d = c ⊔ e` becomes `d = a ⊔ b ⊔ e`) and its own predicate dropped;
 * 4. joins of the same operands have the same result.
 *
 * Returns the new list of pending constraints; the caller solves again afterwards.
 */
export function simplifyBounds(
  type: Type,
  level: number,
  given: readonly Constraint[],
): Constraint[] {
  // Nothing to simplify without joins and without a local magnitude in the type (a third of
  // the functions of a typical file): only repeated predicates are dropped.
  if (!hasJoin(given) && !hasLocalMagnitude(type, level)) return dropRepeated(given);
  // Each step is its own function: one large function is one large unit for the optimising
  // compiler, which a cold `cadenza check` waits for.
  const pending: Constraint[] = [...given];
  equateMutualBounds(pending, level);
  const lowered = lowerToLeast(type, level, pending);
  const others: Constraint[] = [];
  const joins = substituteJoins(type, level, lowered, others);
  return [...dropRepeated(others), ...shareEqualJoins(joins)];
}

/** Step 1 of {@link simplifyBounds}: `a ≤ b` and `b ≤ a` make `a = b`. */
function equateMutualBounds(pending: readonly Constraint[], level: number): void {
  for (let changed = true, guard = 0; changed && guard < 100; guard++) {
    changed = false;
    // The pairs `lower ≤ upper`, flattened.
    const les: Type[] = [];
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i]!;
      if (!isLe(c)) continue;
      const j = c as Join;
      const upper = resolve(j.c);
      for (let k = 0; k < j.args.length; k++) {
        const a = resolve(j.args[k]!);
        if (a !== upper) les.push(a, upper);
      }
    }
    for (let i = 0; i < les.length; i += 2) {
      const x = les[i]!;
      const y = les[i + 1]!;
      if (x === y || !isLocalMagnitude(x, level) || !isLocalMagnitude(y, level)) continue;
      for (let k = 0; k < les.length; k += 2) {
        if (les[k] === y && les[k + 1] === x) {
          unify(x, y);
          changed = true;
          break;
        }
      }
    }
  }
}

/**
 * Step 2 of {@link simplifyBounds}: a variable with only lower bounds and only positive
 * occurrences takes its least value. Operands of joins (including the lower side of
 * `x ≤ y`) are monotone uses; results of joins and the variables of other predicates are not
 * touched. Repeated, since lowering one variable of a chain `a ≤ b ≤ c` lets the next one go
 * too. Returns the new list of pending constraints.
 */
function lowerToLeast(type: Type, level: number, given: Constraint[]): Constraint[] {
  let pending = given;
  const negative = negativeVars(type);
  const scratch: TypeVar[] = [];
  for (let changed = true, guard = 0; changed && guard < 1000; guard++) {
    changed = false;
    const fixed = new Set<TypeVar>();
    // The candidates in the order they are met, with their lower bounds.
    const index = new Map<TypeVar, number>();
    const candidates: TypeVar[] = [];
    const lowers: Type[][] = [];
    const boundsOf = (v: TypeVar): Type[] => {
      const at = index.get(v);
      if (at !== undefined) return lowers[at]!;
      const list: Type[] = [];
      index.set(v, candidates.length);
      candidates.push(v);
      lowers.push(list);
      return list;
    };
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i]!;
      if (c.kind !== "join") {
        scratch.length = 0;
        pushConstraintVars(c, scratch);
        for (let k = 0; k < scratch.length; k++) fixed.add(scratch[k]!);
        continue;
      }
      const upper = resolve(c.c);
      if (!isLe(c)) {
        scratch.length = 0;
        pushVars(upper, scratch);
        for (let k = 0; k < scratch.length; k++) fixed.add(scratch[k]!);
        continue;
      }
      if (!isLocalMagnitude(upper, level)) continue;
      const list = boundsOf(upper);
      for (let k = 0; k < c.args.length; k++) {
        const a = resolve(c.args[k]!);
        if (a !== upper) list.push(a);
      }
    }
    // Every local magnitude of the type and of the joins' operands is a candidate (the
    // type's variables as the decisions of the previous pass left them).
    scratch.length = 0;
    pushVars(type, scratch);
    for (let k = 0; k < scratch.length; k++) {
      const v = scratch[k]!;
      if (isLocalMagnitude(v, level)) boundsOf(v);
    }
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i]!;
      if (c.kind !== "join") continue;
      for (let a = 0; a < c.args.length; a++) {
        scratch.length = 0;
        pushVars(c.args[a]!, scratch);
        for (let k = 0; k < scratch.length; k++) {
          const v = scratch[k]!;
          if (isLocalMagnitude(v, level)) boundsOf(v);
        }
      }
    }
    for (let n = 0; n < candidates.length; n++) {
      const v = candidates[n]!;
      if (negative.has(v) || fixed.has(v) || resolve(v) !== v) continue;
      // The distinct lower bounds other than `v`, in order.
      const lower = lowers[n]!;
      const distinct: Type[] = [];
      for (let k = 0; k < lower.length; k++) {
        const r = resolve(lower[k]!);
        if (r !== v && !distinct.includes(r)) distinct.push(r);
      }
      if (distinct.length === 0) unify(v, num("Integer"));
      else if (distinct.length === 1) unify(v, distinct[0]!);
      else {
        // Its least value is the join of its lower bounds: say so, and let step 3 substitute.
        let site: Join["site"] | undefined;
        const rest: Constraint[] = [];
        for (let i = 0; i < pending.length; i++) {
          const c = pending[i]!;
          if (site === undefined && c.kind === "join" && resolve(c.c) === v) site = c.site;
          if (!(isLe(c) && resolve((c as Join).c) === v)) rest.push(c);
        }
        rest.push({ kind: "join", args: distinct, c: v, site: site! });
        pending = rest;
      }
      // Each variable's decision depends only on its own bounds, occurrences and fixedness,
      // which deciding another variable leaves unchanged (up to links): decide them all in
      // one pass, then look again for variables a decision has freed.
      changed = true;
    }
  }
  return pending;
}

/**
 * Step 3 of {@link simplifyBounds}: substitutes join results that are only operands of other
 * joins. Pushes the predicates other than joins onto `others`; returns the joins.
 */
function substituteJoins(
  type: Type,
  level: number,
  pending: readonly Constraint[],
  others: Constraint[],
): Join[] {
  let joins: Join[] = [];
  for (let i = 0; i < pending.length; i++) {
    const c = pending[i]!;
    if (c.kind === "join") joins.push(c as Join);
    else others.push(c);
  }
  const inType = new Set<TypeVar>(pushVars(type, []));
  const elsewhere = new Set<TypeVar>();
  const scratch: TypeVar[] = [];
  for (let i = 0; i < others.length; i++) pushConstraintVars(others[i]!, scratch);
  const definitions = new Map<TypeVar, number>();
  for (let i = 0; i < joins.length; i++) {
    const j = joins[i]!;
    const r = resolve(j.c);
    if (r.kind === "var") definitions.set(r, (definitions.get(r) ?? 0) + 1);
    if (isLe(j)) pushConstraintVars(j, scratch);
  }
  for (let k = 0; k < scratch.length; k++) elsewhere.add(scratch[k]!);
  for (let changed = true, guard = 0; changed && guard < 1000; guard++) {
    changed = false;
    for (let i = 0; i < joins.length; i++) {
      const j = joins[i]!;
      const c = resolve(j.c);
      if (
        !isLocalMagnitude(c, level) ||
        inType.has(c) ||
        elsewhere.has(c) ||
        definitions.get(c) !== 1 ||
        isLe(j)
      )
        continue;
      // The other joins that use `c` as an operand; each gets the operands of `j` instead.
      let used = false;
      const rest: Join[] = [];
      for (let n = 0; n < joins.length; n++) {
        const k = joins[n]!;
        if (k === j) continue;
        let uses = false;
        for (let a = 0; a < k.args.length && !uses; a++) if (resolve(k.args[a]!) === c) uses = true;
        if (!uses) {
          rest.push(k);
          continue;
        }
        used = true;
        const args: Type[] = [];
        for (let a = 0; a < k.args.length; a++) {
          const x = k.args[a]!;
          if (resolve(x) === c) for (let b = 0; b < j.args.length; b++) args.push(j.args[b]!);
          else args.push(x);
        }
        rest.push({ kind: "join", args: uniqueArgs(args), c: k.c, site: k.site });
      }
      if (!used) continue;
      joins = rest;
      // Nothing refers to it any more, but node types inside the body may: keep it generic.
      setLevel(c, GENERIC);
      definitions.delete(c);
      changed = true;
      break;
    }
  }
  return joins;
}

/** Step 4 of {@link simplifyBounds}: equal operands, equal results; repeated joins dropped. */
function shareEqualJoins(joins: readonly Join[]): Join[] {
  const byKey = new Map<string, Join>();
  const kept: Join[] = [];
  for (const j of joins) {
    if (isLe(j)) {
      kept.push(j);
      continue;
    }
    const key = argsKey(j.args);
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, j);
      kept.push(j);
    } else if (unify(seen.c, j.c) !== undefined) kept.push(j);
  }
  return kept;
}

/** A magnitude variable of the binding being generalised at `level` (not quantified yet). */
function isLocalMagnitude(t: Type, level: number): t is TypeVar {
  return t.kind === "var" && t.varKind === "num" && t.level > level && t.level !== GENERIC;
}

/** `others ≤ c`: a join whose result is one of its operands. */
function isLe(c: Constraint): boolean {
  if (c.kind !== "join") return false;
  const rc = resolve(c.c);
  for (let i = 0; i < c.args.length; i++) if (resolve(c.args[i]!) === rc) return true;
  return false;
}

function hasJoin(cs: readonly Constraint[]): boolean {
  for (let i = 0; i < cs.length; i++) if (cs[i]!.kind === "join") return true;
  return false;
}

/** Whether a term has a variable {@link isLocalMagnitude} at `level`. */
function hasLocalMagnitude(t: Type, level: number): boolean {
  const r = resolve(t);
  switch (r.kind) {
    case "var":
      return isLocalMagnitude(r, level);
    case "num":
    case "unknown":
    case "named":
      return false;
    case "dim":
      for (let i = 0; i < r.vars.length; i++)
        if (hasLocalMagnitude(r.vars[i]![0], level)) return true;
      return false;
    case "quantity":
      return hasLocalMagnitude(r.magnitude, level) || hasLocalMagnitude(r.dim, level);
    case "con":
      for (let i = 0; i < r.args.length; i++) if (hasLocalMagnitude(r.args[i]!, level)) return true;
      return false;
    case "fn":
      for (let i = 0; i < r.params.length; i++)
        if (hasLocalMagnitude(r.params[i]!, level)) return true;
      return hasLocalMagnitude(r.result, level) || hasLocalMagnitude(r.effects, level);
    case "tuple":
      for (let i = 0; i < r.items.length; i++)
        if (hasLocalMagnitude(r.items[i]!, level)) return true;
      return false;
    case "list":
      return hasLocalMagnitude(r.element, level);
    case "record":
      for (let i = 0; i < r.fields.length; i++)
        if (hasLocalMagnitude(r.fields[i]!.type, level)) return true;
      return r.rest !== undefined && hasLocalMagnitude(r.rest, level);
    case "effects":
      return r.rest !== undefined && hasLocalMagnitude(r.rest, level);
  }
}

/** The same predicate twice (`Comparable a` from two comparisons) is one predicate. */
function dropRepeated(others: readonly Constraint[]): Constraint[] {
  if (others.length < 2) return others.slice();
  const seenOthers = new Set<string>();
  return others.filter((c) => {
    const key = `${c.kind}:${c.kind === "trait" ? c.trait : ""}:${constraintTypes(c)
      .map((t) => {
        const r = resolve(t);
        return r.kind === "var" ? `v${r.id}` : "?";
      })
      .join(",")}`;
    if (key.includes("?")) return true;
    if (seenOthers.has(key)) return false;
    seenOthers.add(key);
    return true;
  });
}
