import { runStdioServer } from "@cadenza/lsp";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { packageVersion } from "../node-io.js";

/** Options of `cadenza lsp`. */
interface LspOptions {
  readonly stdio?: boolean;
}

/**
 * `cadenza lsp [--stdio]`: runs the language server on standard input and output until the
 * client sends `exit` (exit code 0 after `shutdown`, 1 otherwise) or closes the input.
 * Standard output carries the protocol, so nothing else is ever written there; log lines go
 * to standard error. `--stdio` is what editors pass and is also the default (it is the only
 * transport). Unlike the other commands this one does not go through `CliIO`: the protocol
 * needs the process's raw byte streams, which `@cadenza/lsp` (allowed to do IO) takes itself.
 */
export const lspCommand: CliCommand = {
  name: "lsp",
  register(program: Command, context: CliContext): void {
    program
      .command("lsp")
      .description("run the language server on stdin/stdout (for editors)")
      .option("--stdio", "communicate over standard input and output (the default)")
      .action(
        context.action(async (_options: LspOptions): Promise<number> => {
          return runStdioServer({ version: packageVersion() });
        }),
      );
  },
};
