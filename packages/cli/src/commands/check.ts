import type { Diagnostic } from "@cadenza/core";
import { checkSource } from "@cadenza/types";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode } from "../errors.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * `cadenza check FILE…`: parses and type-checks each file without running it. Diagnostics of
 * every file go to stderr, rendered per LANGUAGE.md §8.1 (parse diagnostics first, then type
 * diagnostics in source order); a one-line summary follows unless `--quiet`. Exits 1 when any
 * file has an error (or cannot be read), 0 otherwise; warnings do not fail the check.
 */
export const checkCommand: CliCommand = {
  name: "check",
  register(program: Command, context: CliContext): void {
    program
      .command("check")
      .description("type-check files without running them (units, records, traits, effects)")
      .argument("<files...>", "the Cadenza files to check (- for standard input)")
      .action(
        context.action(async (files: string[]): Promise<number> => {
          let errors = 0;
          let warnings = 0;
          let unreadable = 0;
          for (const file of files) {
            const source = await context.readSource(file);
            if (source === undefined) {
              unreadable++;
              continue;
            }
            const result = checkSource(source);
            const diagnostics: readonly Diagnostic[] = result.diagnostics;
            context.printDiagnostics(diagnostics, source);
            for (const d of diagnostics) {
              if (d.severity === "error") errors++;
              else if (d.severity === "warning") warnings++;
            }
          }
          const checked = files.length - unreadable;
          const found =
            errors === 0 && warnings === 0
              ? "no errors"
              : [
                  errors > 0 ? plural(errors, "error") : undefined,
                  warnings > 0 ? plural(warnings, "warning") : undefined,
                ]
                  .filter((s) => s !== undefined)
                  .join(", ");
          context.info(`checked ${plural(checked, "file")}: ${found}`);
          return errors > 0 || unreadable > 0 ? ExitCode.failure : ExitCode.ok;
        }),
      );
  },
};
