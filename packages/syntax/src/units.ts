/**
 * Units as the language names and writes them (LANGUAGE.md §5.8): the SI prefixes `@si`
 * understands, and the unit text of a unit product. The evaluator prints quantities and the
 * checker prints quantity types with this same text.
 */

/** The SI prefixes `@si` understands, with their powers of ten. */
export const SI_PREFIXES: ReadonlyMap<string, number> = new Map([
  ["nano", -9],
  ["micro", -6],
  ["milli", -3],
  ["centi", -2],
  ["deci", -1],
  ["kilo", 3],
  ["mega", 6],
  ["giga", 9],
]);

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

function superscript(n: number): string {
  const digits = String(Math.abs(n))
    .split("")
    .map((d) => SUPERSCRIPT[Number(d)])
    .join("");
  return n < 0 ? `⁻${digits}` : digits;
}

/**
 * The unit text of LANGUAGE.md §5.8: the units with positive exponents joined by `·`, then
 * `/` and the negative ones with their absolute exponents (`kilogram·meter/second²`); with no
 * positive unit, the negative ones keep a superscript minus (`second⁻¹`). Exponents other
 * than 1 are superscript digits. Units with exponent 0 are left out, and a product without
 * any other is the empty string: what to write for it (`dimensionless`, nothing) is the
 * caller's choice. `name` gives a unit's name.
 */
export function unitProductText<T extends { readonly exponent: number }>(
  units: readonly T[],
  name: (unit: T) => string,
): string {
  const power = (p: T, exponent: number): string =>
    exponent === 1 ? name(p) : name(p) + superscript(exponent);
  const positive = units.filter((p) => p.exponent > 0);
  const negative = units.filter((p) => p.exponent < 0);
  if (positive.length === 0) return negative.map((p) => power(p, p.exponent)).join("·");
  const top = positive.map((p) => power(p, p.exponent)).join("·");
  if (negative.length === 0) return top;
  return `${top}/${negative.map((p) => power(p, -p.exponent)).join("·")}`;
}
