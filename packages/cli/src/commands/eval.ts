import { evaluateSource } from "@cadenza/eval";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode } from "../errors.js";

/**
 * `cadenza eval FILE` (LANGUAGE.md §9): parses and evaluates every item; with no diagnostic
 * it prints the transcript (`value : Type` per item) on stdout and exits 0, otherwise it
 * prints nothing on stdout, every diagnostic on stderr (parse diagnostics in source order,
 * then evaluation diagnostics in order) and exits 1. The file name after `-->` is the path as
 * given.
 */
export const evalCommand: CliCommand = {
  name: "eval",
  register(program: Command, context: CliContext): void {
    program
      .command("eval")
      .description("evaluate a file and print one `value : Type` line per top-level item")
      .argument("<file>", "the Cadenza file to evaluate (- for standard input)")
      .action(
        context.action(async (file: string): Promise<number> => {
          const source = await context.readSource(file);
          if (source === undefined) return ExitCode.failure;
          const result = evaluateSource(source);
          const diagnostics = result.allDiagnostics;
          if (diagnostics.length > 0) {
            context.printDiagnostics(diagnostics, source);
            return ExitCode.failure;
          }
          context.io.stdout.write(result.transcript);
          return ExitCode.ok;
        }),
      );
  },
};
