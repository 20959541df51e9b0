export type { CliCommand, CliContext, GlobalOptions } from "./command.js";
export type { JsonDiagnostic, JsonReport } from "./commands/check.js";
export { commands } from "./commands/index.js";
export { describeFileError, ExitCode, UsageError } from "./errors.js";
export type { CliIO, LineEditor, OutputStream, WatchEvent } from "./io.js";
export { BUG_REPORT_URL, type MainOptions, main } from "./main.js";
export { type MemoryIO, type MemoryIOOptions, memoryIO } from "./memory-io.js";
export { nodeIO, packageVersion } from "./node-io.js";
