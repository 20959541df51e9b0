import { type EvalOptions, sourceOrder } from "@cadenza/eval";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode, UsageError } from "../errors.js";
import { openProgram, runDiagnostics, runOrder } from "../program.js";

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
 * `cadenza run FILE|DIR`: runs a program for its effects. What the program prints with
 * `println` and `print` goes to stdout as it is printed; the transcript of values is not shown
 * (that is what `cadenza eval` is for). A folder with a `cadenza.json` runs the project's entry.
 * The modules the entry imports run first, each once, in the order of
 * `Compiler.moduleOrder` (so that a module's output comes before its importers'). Diagnostics of
 * every module run go to stderr afterwards, and the exit code is 1 when one is an error. A
 * program with a module that does not parse is not run at all; a program that never ends can
 * be bounded with `--max-steps` (a budget per module).
 */
export const runCommand: CliCommand = {
  name: "run",
  register(program: Command, context: CliContext): void {
    program
      .command("run")
      .description("run a program: prints only what it prints (println, print) and its errors")
      .argument(
        "<target>",
        "the Cadenza file to run (- for standard input), or a project folder (its entry)",
      )
      .option("--max-steps <n>", MAX_STEPS_HELP, parseMaxSteps)
      .action(
        context.action(async (target: string, options: { maxSteps?: number }): Promise<number> => {
          const opened = await openProgram(context, target, {
            ...stepBudget(options.maxSteps),
            output: (text) => context.io.stdout.write(text),
          });
          if (typeof opened === "number") return opened;
          const { compiler } = opened;
          const order = runOrder(opened);
          const unparsed = order.flatMap((m) => sourceOrder(compiler.parse(m).diagnostics));
          if (unparsed.length > 0) {
            opened.print(unparsed);
            return ExitCode.failure;
          }
          for (const m of order) compiler.evaluation(m);
          const diagnostics = order.flatMap((m) => runDiagnostics(compiler, m));
          opened.print(diagnostics);
          return diagnostics.some((d) => d.severity === "error") ? ExitCode.failure : ExitCode.ok;
        }),
      );
  },
};
