/**
 * What `cadenza check --signatures FILE` prints: one `name : Type` line per top-level value
 * definition, in the type syntax of LANGUAGE.md §7 extended by SPEC.md §T2 (`forall a. fn(a)
 * -> a`, `[Numeric a] => …`, `Quantity Float meter/second`, dimension variables `u`, `v`, …).
 */
import type { CheckResult } from "./check.js";

/**
 * The signatures of a checked file: `name : Type` for every top-level value definition (`fn`,
 * and every name a top-level `let` binds), one per line, each line ending in a newline; the
 * empty string when the file defines no value.
 *
 * Lines come in definition order. A name defined twice at the top level appears once, at its
 * first definition, with the type of its last one (what the rest of the file and importers
 * see). Declarations that are not values — `struct`, `enum`, `type`, `measure`, `trait`,
 * `effect`, `macro`, `use` — are not listed: their "type" would be `Type`, `Module` or
 * `Measure`, which says nothing; their shape is what their source says.
 */
export function formatSignatures(result: Pick<CheckResult, "schemes">): string {
  let out = "";
  for (const [name, type] of result.schemes) out += `${name} : ${type}\n`;
  return out;
}
