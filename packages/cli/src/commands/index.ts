import type { CliCommand } from "../command.js";
import { checkCommand } from "./check.js";
import { evalCommand } from "./eval.js";
import { lspCommand } from "./lsp.js";
import { parseCommand } from "./parse.js";
import { replCommand } from "./repl.js";
import { runCommand } from "./run.js";

/** Every subcommand of the CLI, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [
  evalCommand,
  runCommand,
  checkCommand,
  replCommand,
  parseCommand,
  lspCommand,
];
