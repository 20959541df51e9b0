import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  baseDimension,
  dimensionsEqual,
  divDimensions,
  invDimension,
  isDimensionless,
  mulDimensions,
  normalizeDimension,
  powDimension,
  unifyDimensions,
} from "../src/dimension.js";
import { renderDimension } from "../src/print.js";
import { DIMENSIONLESS, type Dimension, freshVar, type TypeVar } from "../src/types.js";

const BASES = ["meter", "second", "kilogram"] as const;

/** A random dimension over three base units and the given variables. */
function arbDimension(vars: readonly TypeVar[]): fc.Arbitrary<Dimension> {
  const atom = fc.tuple(
    fc.oneof(
      fc.constantFrom(...BASES).map((b) => baseDimension(b) as Dimension),
      ...(vars.length > 0 ? [fc.constantFrom(...vars).map((v) => normalizeDimension(v))] : []),
    ),
    fc.integer({ min: -4, max: 4 }),
  );
  return fc
    .array(atom, { maxLength: 5 })
    .map((atoms) =>
      atoms.reduce<Dimension>((d, [a, k]) => mulDimensions(d, powDimension(a, k)), DIMENSIONLESS),
    );
}

function key(d: Dimension): string {
  const n = normalizeDimension(d);
  return JSON.stringify([n.bases, n.vars.map(([v, e]) => [v.id, e])]);
}

describe("dimension normalisation is an abelian group", () => {
  const vars = [freshVar("dim", 0), freshVar("dim", 0)];
  const d = arbDimension(vars);
  it("is associative", () => {
    fc.assert(
      fc.property(d, d, d, (a, b, c) => {
        expect(key(mulDimensions(a, mulDimensions(b, c)))).toBe(
          key(mulDimensions(mulDimensions(a, b), c)),
        );
      }),
    );
  });
  it("is commutative", () => {
    fc.assert(fc.property(d, d, (a, b) => key(mulDimensions(a, b)) === key(mulDimensions(b, a))));
  });
  it("has 1 as identity", () => {
    fc.assert(fc.property(d, (a) => key(mulDimensions(a, DIMENSIONLESS)) === key(a)));
  });
  it("has inverses", () => {
    fc.assert(fc.property(d, (a) => isDimensionless(mulDimensions(a, invDimension(a)))));
  });
  it("distributes powers", () => {
    fc.assert(
      fc.property(d, d, fc.integer({ min: -3, max: 3 }), (a, b, k) => {
        return (
          key(powDimension(mulDimensions(a, b), k)) ===
          key(mulDimensions(powDimension(a, k), powDimension(b, k)))
        );
      }),
    );
  });
});

describe("dimension unification (Kennedy)", () => {
  it("is sound: after success both sides are equal", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.nat(), (count, seed) => {
        const vars = Array.from({ length: count }, () => freshVar("dim", 0));
        const [a, b] = fc.sample(fc.tuple(arbDimension(vars), arbDimension(vars)), {
          seed,
          numRuns: 1,
        })[0]!;
        if (unifyDimensions(a, b)) expect(dimensionsEqual(a, b)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("is complete for solvable equations: d = D always succeeds for a fresh d", () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const vars = [freshVar("dim", 0), freshVar("dim", 0)];
        const target = fc.sample(arbDimension(vars), { seed, numRuns: 1 })[0]!;
        const d = freshVar("dim", 0);
        expect(unifyDimensions(d, target)).toBe(true);
        expect(dimensionsEqual(d, target)).toBe(true);
      }),
    );
  });

  it("leaves no trace when it fails", () => {
    const u = freshVar("dim", 0);
    const before = key(normalizeDimension(u));
    expect(unifyDimensions(powDimension(u, 2), powDimension(baseDimension("meter"), 3))).toBe(
      false,
    );
    expect(key(normalizeDimension(u))).toBe(before);
  });

  const cases: [string, () => boolean][] = [
    [
      "u² = meter² gives u = meter",
      () => {
        const u = freshVar("dim", 0);
        return (
          unifyDimensions(powDimension(u, 2), powDimension(baseDimension("meter"), 2)) &&
          renderDimension(u) === "meter"
        );
      },
    ],
    ["meter ≠ second", () => !unifyDimensions(baseDimension("meter"), baseDimension("second"))],
    [
      "u² = meter³ has no solution",
      () =>
        !unifyDimensions(
          powDimension(freshVar("dim", 0), 2),
          powDimension(baseDimension("meter"), 3),
        ),
    ],
    [
      "u²·v³ = meter solves by Euclid's algorithm",
      () => {
        const u = freshVar("dim", 0);
        const v = freshVar("dim", 0);
        const lhs = mulDimensions(powDimension(u, 2), powDimension(v, 3));
        return (
          unifyDimensions(lhs, baseDimension("meter")) &&
          dimensionsEqual(lhs, baseDimension("meter"))
        );
      },
    ],
    [
      "u / v = meter / second keeps one degree of freedom",
      () => {
        const u = freshVar("dim", 0);
        const v = freshVar("dim", 0);
        const ok = unifyDimensions(
          divDimensions(u, v),
          divDimensions(baseDimension("meter"), baseDimension("second")),
        );
        return ok && normalizeDimension(u).vars.length === 1;
      },
    ],
  ];
  for (const [name, run] of cases) it(name, () => expect(run()).toBe(true));
});
