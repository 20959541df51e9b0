import type { Diagnostic, SourceFile } from "@cadenza/core";
import type { Command } from "commander";
import type { CliIO } from "./io.js";

/** The options every subcommand accepts. */
export interface GlobalOptions {
  /** `--color auto|always|never`. */
  readonly color: "auto" | "always" | "never";
  /** `--quiet`: no progress or informational messages on stderr. */
  readonly quiet: boolean;
  /** `--debug`: full stack traces for internal errors. */
  readonly debug: boolean;
}

/** What a command handler gets besides its own arguments. */
export interface CliContext {
  readonly io: CliIO;
  /** The global options as parsed for this invocation. */
  globals(): GlobalOptions;
  /** Whether to colour what is written to the given stream. */
  useColor(stream: "stdout" | "stderr"): boolean;
  /**
   * Reads a source file (or standard input for `-`), normalised per LANGUAGE.md §2, named as
   * the user wrote the path. On failure it prints one line to stderr and returns undefined.
   */
  readSource(path: string): Promise<SourceFile | undefined>;
  /** Renders diagnostics to stderr (§8.1 format, separated by blank lines). */
  printDiagnostics(diagnostics: readonly Diagnostic[], source: SourceFile): void;
  /** Prints an informational message on stderr unless `--quiet` was given. */
  info(message: string): void;
  /**
   * Wraps a command handler for commander: the number it returns (or resolves to) becomes the
   * process exit code; exceptions go through the internal-error guard.
   */
  action<A extends unknown[]>(
    handler: (...args: A) => number | Promise<number>,
  ): (...args: A) => Promise<void>;
}

/**
 * A subcommand module. Each file in `src/commands/` exports one, and `commands/index.ts`
 * lists them; there are no placeholder commands.
 */
export interface CliCommand {
  /** The subcommand's name, as typed after `cadenza`. */
  readonly name: string;
  /** Declares the subcommand on `program` (description, arguments, options, action). */
  register(program: Command, context: CliContext): void;
}
