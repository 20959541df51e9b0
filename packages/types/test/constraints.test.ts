import { describe, expect, it } from "vitest";
import { type Constraint, defaultJoins, stepJoin } from "../src/constraints.js";
import { freshVar, type NumName, num, resolve, type Type } from "../src/types.js";

const site = { span: { start: 0, end: 0 }, operator: "+" };

function name(t: Type): string {
  const r = resolve(t);
  return r.kind === "num" ? r.name : "?";
}

describe("joins on the numeric tower", () => {
  const towers: [NumName, NumName, NumName][] = [
    ["Integer", "Integer", "Integer"],
    ["Integer", "Rational", "Rational"],
    ["Rational", "Integer", "Rational"],
    ["Integer", "Float", "Float"],
    ["Rational", "Float", "Float"],
    ["Float", "Float", "Float"],
  ];
  for (const [a, b, c] of towers) {
    it(`${a} ⊔ ${b} = ${c}`, () => {
      const v = freshVar("num", 0);
      expect(stepJoin([num(a), num(b)], v).kind).toBe("done");
      expect(name(v)).toBe(c);
    });
  }

  it("Integer is the bottom: Integer ⊔ b = b", () => {
    const b = freshVar("num", 0);
    const c = freshVar("num", 0);
    expect(stepJoin([num("Integer"), b], c).kind).toBe("done");
    expect(resolve(c)).toBe(b);
  });

  it("Float is the top: a ⊔ Float = Float", () => {
    const c = freshVar("num", 0);
    expect(stepJoin([freshVar("num", 0), num("Float")], c).kind).toBe("done");
    expect(name(c)).toBe("Float");
  });

  it("a result of Integer forces both operands", () => {
    const a = freshVar("num", 0);
    const b = freshVar("num", 0);
    expect(stepJoin([a, b], num("Integer")).kind).toBe("done");
    expect([name(a), name(b)]).toEqual(["Integer", "Integer"]);
  });

  it("stays a predicate while undetermined", () => {
    expect(stepJoin([freshVar("num", 0), freshVar("num", 0)], freshVar("num", 0)).kind).toBe(
      "stuck",
    );
    expect(stepJoin([num("Rational"), freshVar("num", 0)], num("Rational")).kind).toBe("stuck");
  });

  it("fails when the result is below an operand", () => {
    expect(stepJoin([num("Float"), freshVar("num", 0)], num("Rational")).kind).toBe("failed");
  });
});

describe("defaulting", () => {
  it("takes the least solution", () => {
    const m = freshVar("num", 0);
    const x = freshVar("num", 0);
    const joins: Extract<Constraint, { kind: "join" }>[] = [
      // m ≥ Rational (a reassigned variable), x unconstrained.
      { kind: "join", args: [num("Rational"), m], c: m, site },
      { kind: "join", args: [x, x], c: x, site },
    ];
    expect(defaultJoins(joins)).toEqual([]);
    expect([name(m), name(x)]).toEqual(["Rational", "Integer"]);
  });

  it("propagates through chains", () => {
    const a = freshVar("num", 0);
    const b = freshVar("num", 0);
    const c = freshVar("num", 0);
    defaultJoins([
      { kind: "join", args: [num("Float"), a], c: b, site },
      { kind: "join", args: [b, a], c, site },
    ]);
    expect([name(a), name(b), name(c)]).toEqual(["Integer", "Float", "Float"]);
  });
});
