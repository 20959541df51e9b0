import { SourceFile } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import { doctests, runDoctests } from "../src/index.js";
import { dedent } from "./support/cdz.js";

describe("doctests (§5.10)", () => {
  it("classifies fenced blocks", () => {
    const text =
      "x\n\n```\na\n```\n\n```test\nb\n```\n\n```must_panic\nc\n```\n\n```no_test\nd\n```\n\n```js\ne\n```";
    expect(doctests(text).map((t) => [t.info, t.mode, t.code])).toEqual([
      ["", "run", "a"],
      ["test", "run", "b"],
      ["must_panic", "must-panic", "c"],
      ["no_test", "skip", "d"],
      ["js", "skip", "e"],
    ]);
  });

  it("runs them against the file's definitions", () => {
    const source = SourceFile.fromRaw(
      "lib.cdz",
      dedent(`
        ## Divides two numbers.
        ##
        ## \`\`\`
        ## assert ($item 10 2) == 5
        ## \`\`\`
        ##
        ## \`\`\`must_panic
        ## divide 10 0
        ## \`\`\`
        ##
        ## \`\`\`
        ## assert (divide 1 2) == 1
        ## \`\`\`
        fn divide a b =
            assert b != 0 "division by zero"
            a / b

        ## Makes a point.
        ##
        ## \`\`\`
        ## let p = $module.Point { x = 10, y = 20 }
        ## assert p.x == 10
        ## \`\`\`
        struct Point { x = Integer, y = Integer }
      `),
    );
    const report = runDoctests(source);
    expect(report.diagnostics).toEqual([]);
    expect(report.results.map((r) => [r.item, r.index, r.mode, r.passed])).toEqual([
      ["divide", 0, "run", true],
      ["divide", 1, "must-panic", true],
      ["divide", 2, "run", false],
      ["Point", 0, "run", true],
    ]);
    expect(report.results[2]!.result!.diagnostics[0]!.message).toBe("assertion failed");
  });
});
