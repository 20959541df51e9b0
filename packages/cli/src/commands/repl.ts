import { type Diagnostic, renderDiagnostic } from "@cadenza/core";
import { createSession, EntryReader, type EntryResult } from "@cadenza/eval";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode } from "../errors.js";

/**
 * `cadenza repl` (LANGUAGE.md §9, last paragraph): reads entries from standard input and
 * evaluates each in one session, so bindings persist. Lines join the current entry while a
 * delimiter or string is open, after a line ending in an infix operator and while they are
 * indented; an empty line ends the entry. Each item prints its `value : Type` line; a
 * diagnostic (file `repl`, lines counted within the entry) is printed on stderr and does not
 * end the session. On a terminal, a complete one-line entry is evaluated at once, and the
 * prompts are written to stderr. Exits 0 at the end of input.
 */
export const replCommand: CliCommand = {
  name: "repl",
  register(program: Command, context: CliContext): void {
    program
      .command("repl")
      .description("evaluate entries interactively; bindings persist between entries")
      .action(
        context.action(async (): Promise<number> => {
          const io = context.io;
          const interactive = io.stdinIsTTY;
          const session = createSession();
          const reader = new EntryReader();
          const prompt = (): void => {
            if (interactive) io.stderr.write(reader.pending === "" ? "> " : ". ");
          };
          const show = (text: string): void => {
            const result: EntryResult = session.evalEntry(text);
            const color = context.useColor("stderr");
            const report = (ds: readonly Diagnostic[]): void => {
              for (const d of ds)
                io.stderr.write(`${renderDiagnostic(d, result.sourceOf(d), { color })}\n`);
            };
            report(result.parseDiagnostics);
            for (const item of result.items) {
              if (item.diagnostics.length > 0) report(item.diagnostics);
              else if (item.entry.ok) io.stdout.write(`${item.entry.text}\n`);
            }
            report(result.haltDiagnostics);
          };
          prompt();
          for await (const line of io.readLines()) {
            for (const entry of reader.push(line)) show(entry);
            if (interactive && reader.readyInteractively())
              for (const entry of reader.flush()) show(entry);
            prompt();
          }
          for (const entry of reader.end()) show(entry);
          if (interactive) io.stderr.write("\n");
          return ExitCode.ok;
        }),
      );
  },
};
