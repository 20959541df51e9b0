import { readdirSync, readFileSync } from "node:fs";
import { SourceFile } from "@cadenza/core";
import { fileTests } from "@lezer/generator/test";
import { describe, expect, it } from "vitest";
import { type Node, parse, parser, printSExpr, renderLiteral } from "../src/index.js";

// Grammar tests in Lezer's file format (`# name`, the input, `==>`, the expected tree), run
// with `fileTests` from @lezer/generator: every node of the Lezer tree, zero-length layout and
// recovery tokens included, must match. Without `⚠` in the expected tree the parser runs in
// strict mode, so a case also fails if Lezer's own error recovery had to step in.
//
//   modules.txt      docs/spec/15-modules.md, the import forms (the `*` wildcard)
//   tree-table.txt   LANGUAGE.md §1, every cell of the table of trees
//   application.txt  §4.2, every row of D1's table and each token that starts an argument
//   minus.txt        §4.3, every cell of D2's table
//   layout.txt       §3.1–§3.6, each layout rule, the delimiter guard, `if`, recovery
//
// Each name ends with `⇒` and the uniform tree of the items (separated by ` ; `, blocks on
// one line, the empty tuple as `(__tuple__)`), then `⚑ message` for each diagnostic: this
// runner checks those too, so a case pins both the Lezer tree and what it lowers to.
const dir = new URL("./grammar/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".txt"));

/** The items of `text` in the notation of the test names. */
function uniform(text: string): { tree: string; diagnostics: string[] } {
  const result = parse(new SourceFile("test.cdz", text));
  const render = (node: Node): string | undefined => {
    if (node.kind === "literal") return renderLiteral(node.value).replace(/\n/g, "\\n");
    if (
      node.kind === "apply" &&
      node.callee.kind === "ident" &&
      node.callee.name === "__tuple__" &&
      node.args.length === 0
    )
      return "(__tuple__)";
    return undefined;
  };
  return {
    tree: result.items
      .map((item) => printSExpr(item, { render }).replace(/\n\s*/g, " "))
      .join(" ; "),
    diagnostics: result.diagnostics.map((d) => d.message),
  };
}

describe("grammar files", () => {
  it("are all there", () => {
    expect(files.sort()).toEqual([
      "application.txt",
      "layout.txt",
      "minus.txt",
      "modules.txt",
      "tree-table.txt",
    ]);
  });
});

for (const file of files) {
  describe(file, () => {
    const cases = fileTests(readFileSync(new URL(file, dir), "utf8"), file);
    for (const { name, text, run } of cases) {
      it(name, () => {
        run(parser);
        const [, expected = ""] = name.split(" ⇒ ");
        const [tree, ...diagnostics] = expected.split(" ⚑ ");
        expect(uniform(text)).toEqual({ tree, diagnostics });
      });
    }
  });
}
