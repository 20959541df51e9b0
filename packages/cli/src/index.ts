export type { CliCommand, CliContext, GlobalOptions } from "./command.js";
export { commands } from "./commands/index.js";
export { describeFileError, ExitCode, UsageError } from "./errors.js";
export type { CliIO, OutputStream, WatchEvent } from "./io.js";
export { BUG_REPORT_URL, type MainOptions, main } from "./main.js";
export { nodeIO, packageVersion } from "./node-io.js";
