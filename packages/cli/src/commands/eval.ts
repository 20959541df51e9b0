import { evaluateSource } from "@cadenza/eval";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode } from "../errors.js";
import { MAX_STEPS_HELP, parseMaxSteps, stepBudget } from "./run.js";

/**
 * `cadenza eval FILE` (LANGUAGE.md §9): parses and evaluates every item; with no diagnostic
 * it prints the transcript (`value : Type` per item) on stdout and exits 0, otherwise it
 * prints nothing on stdout, every diagnostic on stderr (parse diagnostics in source order,
 * then evaluation diagnostics in order) and exits 1. The file name after `-->` is the path as
 * given. What the program prints (`println`, `print`) goes to stderr, and only when there is
 * no diagnostic, so that stdout stays exactly the transcript and, on failure, stderr exactly
 * the diagnostics (`cadenza run` shows a program's output on stdout).
 */
export const evalCommand: CliCommand = {
  name: "eval",
  register(program: Command, context: CliContext): void {
    program
      .command("eval")
      .description("evaluate a file and print one `value : Type` line per top-level item")
      .argument("<file>", "the Cadenza file to evaluate (- for standard input)")
      .option("--max-steps <n>", MAX_STEPS_HELP, parseMaxSteps)
      .action(
        context.action(async (file: string, options: { maxSteps?: number }): Promise<number> => {
          const source = await context.readSource(file);
          if (source === undefined) return ExitCode.failure;
          let printed = "";
          const result = evaluateSource(source, {
            ...stepBudget(options.maxSteps),
            output: (text) => void (printed += text),
          });
          const diagnostics = result.allDiagnostics;
          if (diagnostics.length > 0) {
            context.printDiagnostics(diagnostics, source);
            return ExitCode.failure;
          }
          context.io.stderr.write(printed);
          context.io.stdout.write(result.transcript);
          return ExitCode.ok;
        }),
      );
  },
};
