/**
 * Structural equality for plain data, the default `equals` of inputs and queries.
 *
 * Primitives compare with `Object.is` (so `NaN` equals itself and `0` differs from `-0`).
 * Arrays, plain objects, `Map`s, `Set`s and `Date`s compare by content; any other object
 * (class instances, functions) compares by identity, because the engine cannot know what
 * equality means for it. Shared and cyclic structures are handled.
 *
 * A false "equal" would be a correctness bug (early cut-off would keep a stale result), so
 * anything this function cannot see into is treated as different unless it is the same
 * object.
 */
export function structuralEqual(a: unknown, b: unknown): boolean {
  return equalValues(a, b, undefined);
}

type Seen = Map<object, Set<object>>;

function equalValues(a: unknown, b: unknown, seen: Seen | undefined): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const proto = Object.getPrototypeOf(a);
  const protoB = Object.getPrototypeOf(b);
  // Objects with and without Object.prototype are both plain data (as for keys).
  if (proto !== protoB && !(isPlainProto(proto) && isPlainProto(protoB))) return false;
  // Pairs already being compared are assumed equal: this is the coinductive reading of
  // equality on cyclic data, and it terminates.
  let pairs = seen?.get(a);
  if (pairs?.has(b)) return true;
  const nextSeen: Seen = seen ?? new Map();
  if (pairs === undefined) nextSeen.set(a, (pairs = new Set()));
  pairs.add(b);
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    if (a.length !== bs.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalValues(a[i], bs[i], nextSeen)) return false;
    return true;
  }
  if (isPlainProto(proto)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const ka = Object.keys(ra);
    if (ka.length !== Object.keys(rb).length) return false;
    for (const k of ka) {
      if (!Object.hasOwn(rb, k) || !equalValues(ra[k], rb[k], nextSeen)) return false;
    }
    return true;
  }
  if (a instanceof Map) {
    const mb = b as Map<unknown, unknown>;
    if (a.size !== mb.size) return false;
    for (const [k, v] of a) {
      if (!mb.has(k) || !equalValues(v, mb.get(k), nextSeen)) return false;
    }
    return true;
  }
  if (a instanceof Set) {
    const sb = b as Set<unknown>;
    if (a.size !== sb.size) return false;
    for (const v of a) if (!sb.has(v)) return false;
    return true;
  }
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
  return false;
}

function isPlainProto(proto: unknown): boolean {
  return proto === Object.prototype || proto === null;
}
