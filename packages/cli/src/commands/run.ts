import { evaluateSource } from "@cadenza/eval";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode } from "../errors.js";

/**
 * `cadenza run FILE`: evaluates a program for its effects. Cadenza has no output function
 * yet (LANGUAGE.md §5.13 has no `print`), so a successful run prints nothing and exits 0;
 * the transcript is what `cadenza eval` is for. Diagnostics go to stderr, exit 1.
 */
export const runCommand: CliCommand = {
  name: "run",
  register(program: Command, context: CliContext): void {
    program
      .command("run")
      .description("run a program; prints only its diagnostics (there is no output function yet)")
      .argument("<file>", "the Cadenza file to run (- for standard input)")
      .action(
        context.action(async (file: string): Promise<number> => {
          const source = await context.readSource(file);
          if (source === undefined) return ExitCode.failure;
          const result = evaluateSource(source);
          const diagnostics = result.allDiagnostics;
          if (diagnostics.length === 0) return ExitCode.ok;
          context.printDiagnostics(diagnostics, source);
          return ExitCode.failure;
        }),
      );
  },
};
