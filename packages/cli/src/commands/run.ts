import { type EvalOptions, evaluate, sourceOrder } from "@cadenza/eval";
import { parse } from "@cadenza/syntax";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode, UsageError } from "../errors.js";

/**
 * Parses `--max-steps N`: a positive integer, or 0 for no limit (the default).
 * Shared by `run`, `eval` and `repl`.
 */
export function parseMaxSteps(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--max-steps expects a whole number of steps, got ${value}`);
  }
  return n;
}

/** The evaluation budget for `--max-steps N` (0 or absent: none). */
export function stepBudget(maxSteps: number | undefined): Pick<EvalOptions, "budget"> {
  return maxSteps === undefined || maxSteps === 0 ? {} : { budget: { steps: maxSteps } };
}

/** The help text of `--max-steps`. */
export const MAX_STEPS_HELP =
  "stop after N evaluation steps with `evaluation step budget exhausted` (0: no limit)";

/**
 * `cadenza run FILE`: runs a program for its effects. What the program prints with `println`
 * and `print` goes to stdout as it is printed; the transcript of values is not shown (that is
 * what `cadenza eval` is for). Diagnostics go to stderr and the exit code is 1. A program
 * that does not parse is not run at all; a program that never ends can be bounded with
 * `--max-steps`.
 */
export const runCommand: CliCommand = {
  name: "run",
  register(program: Command, context: CliContext): void {
    program
      .command("run")
      .description("run a program: prints only what it prints (println, print) and its errors")
      .argument("<file>", "the Cadenza file to run (- for standard input)")
      .option("--max-steps <n>", MAX_STEPS_HELP, parseMaxSteps)
      .action(
        context.action(async (file: string, options: { maxSteps?: number }): Promise<number> => {
          const source = await context.readSource(file);
          if (source === undefined) return ExitCode.failure;
          const parsed = parse(source);
          if (parsed.diagnostics.length > 0) {
            context.printDiagnostics(sourceOrder(parsed.diagnostics), source);
            return ExitCode.failure;
          }
          const result = evaluate(source, parsed.items, {
            ...stepBudget(options.maxSteps),
            output: (text) => context.io.stdout.write(text),
          });
          if (result.diagnostics.length === 0) return ExitCode.ok;
          context.printDiagnostics(result.diagnostics, source);
          return ExitCode.failure;
        }),
      );
  },
};
