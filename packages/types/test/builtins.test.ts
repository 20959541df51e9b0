import { SourceFile } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import { checkSource } from "../src/check.js";
import { formatSignatures } from "../src/signatures.js";

describe("output functions", () => {
  it("types println and print as fn(a) -> Unit, so printing programs check cleanly", () => {
    const source = new SourceFile("t.cdz", 'println "hi"\nprint 42\nlet u = println (1, 2)\nu\n');
    const result = checkSource(source);
    expect(result.diagnostics).toEqual([]);
    expect(formatSignatures(result)).toBe("u : Unit\n");
  });
});
