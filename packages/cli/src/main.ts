import {
  type Diagnostic,
  renderDiagnostics,
  SourceFile as Source,
  type SourceFile,
  shouldUseColor,
} from "@cadenza/core";
import { Command, CommanderError, Option } from "commander";
import type { CliCommand, CliContext, GlobalOptions } from "./command.js";
import { commands } from "./commands/index.js";
import { describeFileError, ExitCode, UsageError } from "./errors.js";
import type { CliIO } from "./io.js";

/** Where users report bugs; printed by the internal-error guard. */
export const BUG_REPORT_URL = "https://github.com/cadenza-lang/cadenza/issues";

/** What `main` needs besides the command line. */
export interface MainOptions {
  /** The version printed by `--version`. */
  readonly version: string;
  /** The subcommands to offer; defaults to every command of the CLI. */
  readonly commands?: readonly CliCommand[];
}

/**
 * Runs the `cadenza` command line and resolves to the exit code: 0 on success, 1 when the
 * program or its input has errors, 2 for a usage error. It never throws: internal errors are
 * reported in one line asking for a bug report (with the stack only under `--debug`).
 */
export async function main(
  argv: readonly string[],
  io: CliIO,
  options: MainOptions,
): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command("cadenza");
  const globals = (): GlobalOptions => {
    const o = program.opts<{ color?: string; quiet?: boolean; debug?: boolean }>();
    const color = o.color === "always" || o.color === "never" ? o.color : "auto";
    return { color, quiet: o.quiet === true, debug: o.debug === true };
  };
  const streamOf = (name: "stdout" | "stderr") => (name === "stdout" ? io.stdout : io.stderr);
  const useColor = (stream: "stdout" | "stderr"): boolean =>
    shouldUseColor(globals().color, streamOf(stream).isTTY, io.env);

  const reportInternalError = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(
      `cadenza: internal error: ${message}\n` +
        `This is a bug in Cadenza; please report it at ${BUG_REPORT_URL}` +
        (globals().debug ? "\n" : " (run again with --debug for details).\n"),
    );
    if (globals().debug && error instanceof Error && error.stack) {
      io.stderr.write(`${error.stack}\n`);
    }
  };

  const context: CliContext = {
    io,
    globals,
    useColor,
    async readSource(path: string): Promise<SourceFile | undefined> {
      try {
        const text = path === "-" ? await io.readStdin() : await io.readFile(path);
        return Source.fromRaw(path === "-" ? "<stdin>" : path, text);
      } catch (error) {
        io.stderr.write(`error: ${describeFileError(path, error)}\n`);
        return undefined;
      }
    },
    printDiagnostics(diagnostics: readonly Diagnostic[], source: SourceFile): void {
      if (diagnostics.length === 0) return;
      io.stderr.write(renderDiagnostics(diagnostics, () => source, { color: useColor("stderr") }));
    },
    info(message: string): void {
      if (!globals().quiet) io.stderr.write(`${message}\n`);
    },
    action<A extends unknown[]>(handler: (...args: A) => number | Promise<number>) {
      return async (...args: A): Promise<void> => {
        exitCode = await handler(...args);
      };
    },
  };

  program
    .description("Cadenza: exact numbers, units of measure, records, enums and macros.")
    .version(options.version, "-V, --version", "print the version and exit")
    .helpOption("-h, --help", "show help for a command")
    .addOption(
      new Option("--color <when>", "colour diagnostics: auto, always or never")
        .choices(["auto", "always", "never"])
        .default("auto"),
    )
    .option("-q, --quiet", "print no progress or informational messages")
    .option("--debug", "print full stack traces for internal errors")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s),
    });
  program.addHelpText(
    "after",
    "\nExit codes: 0 success, 1 the program or its input has errors, 2 usage error.\n" +
      "Run `cadenza help <command>` for the options of a command.",
  );

  for (const command of options.commands ?? commands) command.register(program, context);
  for (const sub of program.commands) sub.exitOverride().showSuggestionAfterError(true);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error, io);
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n(run \`cadenza --help\` for usage)\n`);
      return ExitCode.usage;
    }
    reportInternalError(error);
    return ExitCode.failure;
  }
}

/** Maps commander's outcome to our exit codes; help and version are successes. */
function commanderExit(error: CommanderError, io: CliIO): number {
  switch (error.code) {
    case "commander.helpDisplayed":
    case "commander.version":
      return ExitCode.ok;
    case "commander.help":
      // Help shown because no command was given: a usage error, not a success.
      return ExitCode.usage;
    case "commander.executeSubCommandAsync":
      return error.exitCode;
    default:
      io.stderr.write("(run `cadenza --help` for usage)\n");
      return ExitCode.usage;
  }
}
