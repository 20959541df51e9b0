import { readdirSync, readFileSync } from "node:fs";
import { SourceFile } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import { parse, printSExpr } from "../src/index.js";
import { render } from "./helpers.js";

// Whole programs: the items as S-expressions, then the rendered diagnostics. The expected
// files are snapshots (`vitest -u` rewrites them); review their diffs like code.
const fixtures = readdirSync(new URL("./fixtures/", import.meta.url)).filter((f) =>
  f.endsWith(".cdz"),
);

describe("fixtures", () => {
  it.each(fixtures)("%s", async (name) => {
    const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
    const result = parse(new SourceFile(name, text));
    const items = result.items.map((item) => printSExpr(item)).join("\n");
    const output = `${items}\n\n--- diagnostics ---\n${render(result)}`;
    await expect(output).toMatchFileSnapshot(`./fixtures/${name.replace(/\.cdz$/, ".expected")}`);
  });
});
