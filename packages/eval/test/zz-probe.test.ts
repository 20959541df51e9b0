import { it } from "vitest";
import { readFileSync } from "node:fs";
import { cdz } from "/work/main/packages/eval/test/support/cdz.js";
it("probe", () => {
  const text = readFileSync("/tmp/probe.cdz", "utf8");
  for (const prog of text.split("\n----\n")) {
    console.log("=== " + prog + "\n--- " + "\n" + cdz(prog));
  }
});
