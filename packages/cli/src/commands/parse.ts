import { parse, printSExpr } from "@cadenza/syntax";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode } from "../errors.js";

/** Options of `cadenza parse`. */
interface ParseOptions {
  readonly tree?: boolean;
}

/**
 * `cadenza parse FILE [--tree]`: parses a file without running it. Lexical and parse
 * diagnostics (LANGUAGE.md §3.6, §8.2) go to stderr in source order and make the exit code 1.
 * With `--tree`, every top-level item is printed on stdout as the S-expression of the uniform
 * tree (§1, §7 printing rules: `(= (let x) (+ 1 2))`, `__block__` children on their own
 * lines), even when there are errors (error nodes print as `<error>`), so that the parse of a
 * broken file can be inspected too.
 */
export const parseCommand: CliCommand = {
  name: "parse",
  register(program: Command, context: CliContext): void {
    program
      .command("parse")
      .description("parse a file and report syntax errors; --tree prints the uniform tree")
      .argument("<file>", "the Cadenza file to parse (- for standard input)")
      .option("--tree", "print each top-level item as an S-expression on stdout")
      .action(
        context.action(async (file: string, options: ParseOptions): Promise<number> => {
          const source = await context.readSource(file);
          if (source === undefined) return ExitCode.failure;
          const result = parse(source);
          if (options.tree) {
            const out = result.items.map((item) => `${printSExpr(item)}\n`).join("");
            context.io.stdout.write(out);
          }
          if (result.diagnostics.length > 0) {
            context.printDiagnostics(result.diagnostics, source);
            return ExitCode.failure;
          }
          const count = result.items.length;
          context.info(`${file}: ${count} item${count === 1 ? "" : "s"}, no syntax errors`);
          return ExitCode.ok;
        }),
      );
  },
};
