import { describe, expect, it } from "vitest";
import { cdz, dedent, evalText } from "./support/cdz.js";

describe("budgets and cancellation", () => {
  const runaway = "fn spin n = spin (n + 1)\n1 + 1\nspin 0\n2 + 2\n";

  it("stops a runaway program at the step budget with one diagnostic", () => {
    const r = evalText("let xs = (0..100000)\nList.fold xs 0 \\acc x -> acc + x\n3\n", {
      budget: { steps: 10_000 },
    });
    expect(r.status).toBe("budget-exhausted");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["eval/step-budget-exhausted"]);
    expect(r.entries.map((e) => e.text)).toEqual(["() : Unit"]);
  });

  it("checks the allocation budget before allocating", () => {
    const r = evalText("let big = (0..100000000)\n", { budget: { allocations: 1000 } });
    expect(r.status).toBe("budget-exhausted");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["eval/allocation-budget-exhausted"]);
  });

  it("can be cancelled through a signal", () => {
    let polls = 0;
    const signal = {
      get aborted(): boolean {
        polls++;
        return polls > 3;
      },
    };
    const r = evalText("fn loop n = if n == 0 then 0 else loop (n - 1)\nloop 100000\n", { signal });
    expect(r.status).toBe("cancelled");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["eval/cancelled"]);
  });

  it("reports unbounded recursion as a stack overflow, never a crash", () => {
    const r = evalText(runaway);
    expect(r.status).toBe("completed");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["eval/stack-overflow"]);
    expect(r.entries.map((e) => e.ok)).toEqual([true, true, false, true]);
  });

  it("runs deep recursion on its own stack, up to maxCallDepth", () => {
    const program =
      "fn count n =\n    match n\n        0 => 0\n        n => 1 + count (n - 1)\ncount 50000\n";
    expect(evalText(program, { maxCallDepth: 60_000 }).transcript).toBe(
      "() : Unit\n50000 : Integer\n",
    );
    const limited = evalText(program);
    expect(limited.diagnostics.map((d) => d.message)).toEqual(["stack overflow"]);
    expect(limited.diagnostics[0]!.notes.map((n) => n.message)).toContain(
      "in function `count`, called at test.cdz:4:18 (9999 times)",
    );
  });

  it("stops a program that loops forever at its step budget, with a clear error", () => {
    // 2^100 calls, never deeper than 100: no stack overflow, only the budget ends it.
    const forever = dedent(`
      fn spin n = if n == 0 then 0 else (spin (n - 1)) + (spin (n - 1))
      spin 100
    `);
    expect(cdz(forever, { budget: { steps: 1_000_000 } })).toMatchInlineSnapshot(`
      "error: evaluation step budget exhausted
       --> test.cdz:1:13
        |
      1 | fn spin n = if n == 0 then 0 else (spin (n - 1)) + (spin (n - 1))
        |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ evaluation stopped here
        |
        = note: the budget allows 1000000 evaluation steps
      "
    `);
    const loop = dedent(`
      fn count_up =
          let n = 0
          for i in (0..1000000000000000)
              n += 1
          n
      count_up
    `);
    const r = evalText(loop, { budget: { steps: 100_000 } });
    expect(r.status).toBe("budget-exhausted");
    expect(r.diagnostics.map((d) => d.message)).toEqual(["evaluation step budget exhausted"]);
    // (The tree walker builds the range as a list first, so there only an allocation budget
    // stops this one.)
    expect(
      evalText(loop, { budget: { steps: 100_000, allocations: 1_000_000 }, compile: false })
        .diagnostics[0]?.code,
    ).toBe("eval/allocation-budget-exhausted");
  });

  it("leaves programs within budget alone", () => {
    const r = evalText("1 + 2\n", { budget: { steps: 100, allocations: 100 } });
    expect(r.status).toBe("completed");
    expect(r.transcript).toBe("3 : Integer\n");
  });
});
