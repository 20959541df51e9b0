import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { check } from "./check.ts";
import { tokenize } from "./textmate.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const example = /```cadenza\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";

it("highlights the README example fully and without invalid tokens", async () => {
  expect(example).toContain("measure meter");
  const { tokens } = await tokenize(example);
  expect(tokens.filter((t) => t.text.trim() !== "" && t.scopes.length < 2)).toEqual([]);
  expect(tokens.filter((t) => t.scopes.some((s) => s.includes("invalid")))).toEqual([]);
  await check(example, [
    ["## Converts a length; see ", "comment.block.documentation"],
    ["kilo", "support.constant.si-prefix"],
    ["meter", "entity.name.type.unit"],
    ["area", "entity.name.function"],
    ["meter", "keyword.other.unit"],
    ["${", "meta.interpolation"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Cadenza source, not a template.
    ['"${x}"', "string.quoted.double.cadenza", "!interpolation"],
    ["mul_", "constant.other.symbol"],
    ["match", "keyword.control.match"],
    ["'c'", "string.quoted.single.char"],
    ["typeof", "keyword.control.typeof"],
    ["map", "support.function.builtin"],
    ["\\", "keyword.operator.lambda"],
  ]);
});
