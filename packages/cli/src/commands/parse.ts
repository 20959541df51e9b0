import { type Node, parse, printSExpr, renderLiteral } from "@cadenza/syntax";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode } from "../errors.js";

/** Options of `cadenza parse`. */
interface ParseOptions {
  readonly tree?: boolean;
}

/**
 * Renders a literal per §7, with its line breaks written `\n` (and `\r`), so that an item's
 * S-expression fits on one line; the escape reads back as the same string.
 */
function renderOnOneLine(node: Node): string | undefined {
  if (node.kind !== "literal") return undefined;
  return renderLiteral(node.value).replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

/**
 * An item as one line: the §7 S-expression with a block's children separated by spaces
 * instead of line breaks.
 */
function itemLine(item: Node): string {
  return printSExpr(item, { render: renderOnOneLine }).replace(/\n */g, " ");
}

/**
 * `cadenza parse FILE… [--tree]`: parses files without running them. Prints nothing and exits
 * 0 when no file has a syntax error; otherwise prints every lexical and parse diagnostic
 * (LANGUAGE.md §3.6, §8.2) to stderr, file by file in source order, and exits 1 (also when a
 * file cannot be read). With `--tree`, every top-level item is printed on stdout as the
 * S-expression of the uniform tree (§1, §7), one line per item (`(= (let x) (+ 1 2))`; a
 * block's children are separated by spaces, a line break in a literal prints as `\n`), the
 * files one after another, even when there are errors (error nodes print as `<error>`), so
 * that the parse of a broken file can be inspected too.
 */
export const parseCommand: CliCommand = {
  name: "parse",
  register(program: Command, context: CliContext): void {
    program
      .command("parse")
      .description("parse files and report syntax errors; --tree prints the uniform tree")
      .argument("<files...>", "the Cadenza files to parse (- for standard input)")
      .option("--tree", "print each top-level item as an S-expression on one line of stdout")
      .action(
        context.action(async (files: string[], options: ParseOptions): Promise<number> => {
          let failed = false;
          for (const file of files) {
            const source = await context.readSource(file);
            if (source === undefined) {
              failed = true;
              continue;
            }
            const result = parse(source);
            if (options.tree) {
              context.io.stdout.write(result.items.map((item) => `${itemLine(item)}\n`).join(""));
            }
            if (result.diagnostics.length > 0) {
              context.printDiagnostics(result.diagnostics, source);
              failed = true;
            }
          }
          return failed ? ExitCode.failure : ExitCode.ok;
        }),
      );
  },
};
