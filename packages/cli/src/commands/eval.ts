import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode } from "../errors.js";
import { openProgram, runDiagnostics, runOrder } from "../program.js";
import { MAX_STEPS_HELP, parseMaxSteps, stepBudget } from "./run.js";

/**
 * `cadenza eval FILE|DIR` (LANGUAGE.md §9): parses and evaluates every item; with no diagnostic
 * it prints the transcript (`value : Type` per item) on stdout and exits 0, otherwise it
 * prints nothing on stdout, every diagnostic on stderr (parse diagnostics in source order,
 * then evaluation diagnostics in order) and exits 1. The file name after `-->` is the path as
 * given. What the program prints (`println`, `print`) goes to stderr, and only when there is
 * no diagnostic, so that stdout stays exactly the transcript and, on failure, stderr exactly
 * the diagnostics (`cadenza run` shows a program's output on stdout).
 *
 * With imports, the imported modules are evaluated first, each once (as `run` does); the
 * transcript is the entry's, and the diagnostics are those of every module evaluated, module
 * by module in that order. A folder with a `cadenza.json` evaluates the project's entry.
 */
export const evalCommand: CliCommand = {
  name: "eval",
  register(program: Command, context: CliContext): void {
    program
      .command("eval")
      .description("evaluate a file and print one `value : Type` line per top-level item")
      .argument(
        "<target>",
        "the Cadenza file to evaluate (- for standard input), or a project folder (its entry)",
      )
      .option("--max-steps <n>", MAX_STEPS_HELP, parseMaxSteps)
      .action(
        context.action(async (target: string, options: { maxSteps?: number }): Promise<number> => {
          let printed = "";
          const opened = await openProgram(context, target, {
            ...stepBudget(options.maxSteps),
            output: (text) => void (printed += text),
          });
          if (typeof opened === "number") return opened;
          const { compiler, entry } = opened;
          const order = runOrder(opened);
          for (const m of order) compiler.evaluation(m);
          const diagnostics = order.flatMap((m) => runDiagnostics(compiler, m));
          if (diagnostics.length > 0) {
            opened.print(diagnostics);
            return ExitCode.failure;
          }
          context.io.stderr.write(printed);
          const transcript = compiler.evaluation(entry).entries.map((e) => `${e.text}\n`);
          context.io.stdout.write(transcript.join(""));
          return ExitCode.ok;
        }),
      );
  },
};
