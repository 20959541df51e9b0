import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { baseDimension, mulDimensions, powDimension, varDimension } from "../src/dimension.js";
import { renderType } from "../src/print.js";
import { copyGeneric, GENERIC } from "../src/scheme.js";
import {
  BOOL,
  fnType,
  freshVar,
  listType,
  numberType,
  quantity,
  recordType,
  STRING,
  type Type,
  type TypeVar,
  tupleType,
  UNKNOWN,
  zonk,
} from "../src/types.js";
import { typesEqual, unify } from "../src/unify.js";

/** Random types over a pool of generic variables (so that each test can take fresh copies). */
function arbType(): fc.Arbitrary<Type> {
  const pool = Array.from({ length: 3 }, () => freshVar("type", GENERIC));
  const rows = Array.from({ length: 2 }, () => freshVar("row", GENERIC));
  const dims = Array.from({ length: 2 }, () => freshVar("dim", GENERIC));
  const effects = freshVar("effect", GENERIC);
  const names = ["x", "y", "z"];
  const { type } = fc.letrec<{ type: Type }>((tie) => ({
    type: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom<Type>(numberType("Integer"), numberType("Float"), STRING, BOOL),
      fc.constantFrom<Type>(...pool),
      fc
        .tuple(
          fc.constantFrom(...dims),
          fc.constantFrom("meter", "second"),
          fc.integer({ min: -2, max: 2 }),
        )
        .map(
          ([d, b, k]) =>
            quantity(
              numberType("Integer").magnitude,
              mulDimensions(varDimension(d), powDimension(baseDimension(b), k)),
              undefined,
            ) as Type,
        ),
      tie("type").map((t) => listType(t)),
      fc.array(tie("type"), { maxLength: 3 }).map((items) => tupleType(items)),
      fc
        .tuple(fc.array(tie("type"), { maxLength: 2 }), tie("type"))
        .map(([ps, r]) => fnType(ps, r, effects)),
      fc
        .tuple(
          fc.subarray(names),
          fc.array(tie("type"), { minLength: 3, maxLength: 3 }),
          fc.option(fc.constantFrom(...rows)),
        )
        .map(([fs, ts, rest]) =>
          recordType(
            fs.map((name, i) => ({ name, type: ts[i]! })),
            rest ?? undefined,
          ),
        ),
    ),
  }));
  return type;
}

function copies(a: Type, b: Type): [Type, Type] {
  const map = new Map<TypeVar, TypeVar>();
  return [copyGeneric(a, map, 0), copyGeneric(b, map, 0)];
}

function show(a: Type, b: Type): string {
  return `${renderType(zonk(a))} ~ ${renderType(zonk(b))}`;
}

describe("unification", () => {
  it("is symmetric up to the names of variables", () => {
    const t = arbType();
    fc.assert(
      fc.property(t, t, (a, b) => {
        const [a1, b1] = copies(a, b);
        const [a2, b2] = copies(a, b);
        const r1 = unify(a1, b1);
        const r2 = unify(b2, a2);
        expect(r1 === undefined).toBe(r2 === undefined);
        if (r1 === undefined) expect(show(a1, b1)).toBe(show(a2, b2));
      }),
      { numRuns: 300 },
    );
  });

  it("makes both sides equal when it succeeds", () => {
    const t = arbType();
    fc.assert(
      fc.property(t, t, (a, b) => {
        const [x, y] = copies(a, b);
        if (unify(x, y) === undefined) expect(typesEqual(x, y)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("undoes every link when it fails", () => {
    const t = arbType();
    fc.assert(
      fc.property(t, t, (a, b) => {
        const [x, y] = copies(a, b);
        const before = show(x, y);
        if (unify(x, y) !== undefined) expect(show(x, y)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it("extends open rows both ways (Rémy)", () => {
    const r1 = freshVar("row", 0);
    const r2 = freshVar("row", 0);
    const a = recordType([{ name: "x", type: numberType("Integer") }], r1);
    const b = recordType([{ name: "y", type: STRING }], r2);
    expect(unify(a, b)).toBeUndefined();
    expect(renderType(zonk(a))).toBe("{ x: Integer, y: String, ... }");
    expect(renderType(zonk(b))).toBe("{ y: String, x: Integer, ... }");
  });

  it("reports the missing field of a closed record", () => {
    const open = recordType([{ name: "x", type: freshVar("type", 0) }], freshVar("row", 0));
    const closed = recordType([{ name: "y", type: STRING }]);
    expect(unify(open, closed)).toMatchObject({ kind: "missing-field", field: "x", inFound: true });
  });

  it("rejects a row that would contain itself with different fields", () => {
    const r = freshVar("row", 0);
    const a = recordType([{ name: "x", type: STRING }], r);
    const b = recordType([{ name: "y", type: STRING }], r);
    expect(unify(a, b)?.kind).toBe("missing-field");
  });

  it("fails the occurs check", () => {
    const a = freshVar("type", 0);
    expect(unify(a, listType(a))?.kind).toBe("occurs");
  });

  it("lets Unknown unify with anything", () => {
    const a = freshVar("type", 0);
    expect(unify(UNKNOWN, fnType([STRING], BOOL))).toBeUndefined();
    expect(unify(a, UNKNOWN)).toBeUndefined();
    expect(unify(a, STRING)).toBeUndefined();
  });

  it("unifies quantities by dimension, not by unit", () => {
    const u = freshVar("dim", 0);
    const a = quantity(numberType("Integer").magnitude, varDimension(u), [
      { unit: "meter", exponent: 1 },
    ]);
    const b = quantity(numberType("Integer").magnitude, baseDimension("meter"), [
      { unit: "meter", exponent: 1 },
    ]);
    expect(unify(a, b)).toBeUndefined();
    expect(
      unify(b, quantity(numberType("Integer").magnitude, baseDimension("second"), undefined))?.kind,
    ).toBe("dimension");
  });
});
