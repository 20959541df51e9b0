import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { baseDimension, mulDimensions, varDimension } from "../src/dimension.js";
import { renderScheme, renderType } from "../src/print.js";
import { GENERIC, generalize, instantiate } from "../src/scheme.js";
import {
  BOOL,
  fnType,
  forEachVar,
  freshVar,
  listType,
  num,
  numberType,
  quantity,
  recordType,
  STRING,
  type Type,
  tupleType,
} from "../src/types.js";
import { unify } from "../src/unify.js";

/** Random types whose variables live at level 1 (inside a binding being generalised). */
function arbInner(): fc.Arbitrary<Type> {
  const pool = Array.from({ length: 3 }, () => freshVar("type", 1));
  const dims = Array.from({ length: 2 }, () => freshVar("dim", 1));
  const row = freshVar("row", 1);
  const { type } = fc.letrec<{ type: Type }>((tie) => ({
    type: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom<Type>(numberType("Integer"), STRING, BOOL, ...pool),
      fc
        .constantFrom(...dims)
        .map(
          (d) =>
            quantity(
              freshVar("num", 1),
              mulDimensions(varDimension(d), baseDimension("meter")),
              undefined,
            ) as Type,
        ),
      tie("type").map((t) => listType(t)),
      fc.array(tie("type"), { maxLength: 3 }).map((items) => tupleType(items)),
      fc
        .tuple(fc.array(tie("type"), { maxLength: 2 }), tie("type"))
        .map(([ps, r]) => fnType(ps, r)),
      tie("type").map((t) => recordType([{ name: "x", type: t }], row)),
    ),
  }));
  return type;
}

describe("generalisation and instantiation", () => {
  it("round-trip: an instance of a generalised type is the type up to renaming", () => {
    fc.assert(
      fc.property(arbInner(), (t) => {
        const before = renderType(t);
        const { scheme } = generalize(t, 0, []);
        const inst = instantiate(scheme, 1);
        expect(renderType(inst.type)).toBe(before);
        forEachVar(inst.type, (v) => {
          expect(v.level).toBe(1);
          expect(scheme.vars).not.toContain(v);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("gives independent instances", () => {
    const a = freshVar("type", 1);
    const { scheme } = generalize(fnType([a], a), 0, []);
    const one = instantiate(scheme, 1).type;
    const two = instantiate(scheme, 1).type;
    expect(unify(one, fnType([STRING], STRING))).toBeUndefined();
    expect(unify(two, fnType([BOOL], BOOL))).toBeUndefined();
    expect(renderScheme(scheme)).toBe("forall a. fn(a) -> a");
  });

  it("does not generalise variables of the enclosing level", () => {
    const outer = freshVar("type", 0);
    const inner = freshVar("type", 1);
    const { scheme } = generalize(fnType([outer], inner), 0, []);
    expect(scheme.vars).toEqual([inner]);
    expect(outer.level).toBe(0);
    expect(inner.level).toBe(GENERIC);
  });

  it("moves connected constraints into the scheme and keeps mixed ones pending", () => {
    const a = freshVar("num", 1);
    const b = freshVar("num", 1);
    const c = freshVar("num", 1);
    const outer = freshVar("num", 0);
    const site = { span: { start: 0, end: 0 }, operator: "+" };
    const { scheme, remaining } = generalize(
      fnType([numberType(a), numberType(b)], numberType(c)),
      0,
      [
        { kind: "join", args: [a, b], c, site },
        { kind: "join", args: [outer, num("Rational")], c: freshVar("num", 1), site },
      ],
    );
    expect(scheme.constraints).toHaveLength(1);
    expect(remaining).toHaveLength(1);
    expect(renderScheme(scheme)).toBe("forall a b. [Numeric a, Numeric b] => fn(a, b) -> a ⊔ b");
  });
});

describe("scheme size", () => {
  it("does not grow along call chains", async () => {
    const { checkText } = await import("./helpers.js");
    let text = "";
    for (let i = 0; i < 60; i++) {
      text += `fn f${i} x y = if x > y then x * ${i} + y else f${Math.max(0, i - 1)} y x\n`;
    }
    const r = checkText(text);
    expect(r.schemeTerms.get("f59")!.constraints.length).toBe(
      r.schemeTerms.get("f1")!.constraints.length,
    );
    expect(r.schemes.get("f59")).toBe(
      "forall a b u. [Numeric a, Numeric b] => fn(Quantity a u, Quantity b u) -> Quantity (a ⊔ b) u",
    );
  });
});
