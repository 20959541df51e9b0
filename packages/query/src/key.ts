/**
 * A structured query key: strings, numbers, booleans, bigints, `null`, `undefined`, and
 * arrays (tuples) or plain objects made of them. Keys are identified by value, through
 * {@link encodeKey}, never by object identity.
 */
export type Key =
  | string
  | number
  | boolean
  | bigint
  | null
  | undefined
  | readonly Key[]
  | { readonly [field: string]: Key };

/**
 * Encodes a structured key as a stable string: equal keys give equal strings and different
 * keys different strings, independently of object identity or property order.
 *
 * Strings are JSON-quoted so that `"1"` and `1` stay distinct; `-0`, `NaN` and the
 * infinities are spelled out because JSON would fold them; object fields are sorted.
 *
 * @throws TypeError for functions, symbols, class instances and other non-plain values;
 * give such a query its own `keyOf`.
 */
export function encodeKey(key: unknown): string {
  switch (typeof key) {
    case "string":
      return JSON.stringify(key);
    case "number":
      return Object.is(key, -0) ? "-0" : String(key);
    case "boolean":
      return key ? "true" : "false";
    case "bigint":
      return `${key}n`;
    case "undefined":
      return "undefined";
    case "object": {
      if (key === null) return "null";
      if (Array.isArray(key)) {
        let out = "[";
        for (let i = 0; i < key.length; i++) {
          if (i > 0) out += ",";
          out += encodeKey(key[i]);
        }
        return out + "]";
      }
      const proto = Object.getPrototypeOf(key);
      if (proto === Object.prototype || proto === null) {
        const record = key as Record<string, unknown>;
        const fields = Object.keys(record).sort();
        let out = "{";
        for (let i = 0; i < fields.length; i++) {
          const field = fields[i]!;
          if (i > 0) out += ",";
          out += JSON.stringify(field) + ":" + encodeKey(record[field]);
        }
        return out + "}";
      }
      break;
    }
  }
  throw new TypeError(
    `query keys must be strings, numbers, booleans, bigints, null, undefined, arrays or plain objects of them (got ${describe(key)}); pass a keyOf function for other keys`,
  );
}

function describe(value: unknown): string {
  if (typeof value === "object" && value !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    return name ? `an instance of ${name}` : "an object";
  }
  return `a ${typeof value}`;
}
