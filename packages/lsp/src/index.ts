/**
 * `@cadenza/lsp`: the Cadenza language server. The main thread owns the connection and the
 * documents; a worker thread owns the compiler and answers with plain data from
 * `@cadenza/ide`, converted to LSP here — the only package that knows LSP types.
 *
 * @packageDocumentation
 */
export { type AnalysisHost, createDriverHost, type DriverHostOptions } from "./compiler.js";
export { Engine, type EngineOptions } from "./engine.js";
export { ErrorCode, FEATURE_METHODS, type FeatureMethod } from "./protocol.js";
export {
  FOCUS_NOTIFICATION,
  type ServerHandle,
  type ServerOptions,
  STATUS_REQUEST,
  startServer,
} from "./server.js";
export { DEFAULT_SETTINGS, parseSettings, type Settings } from "./settings.js";
export { runStdioServer, type StdioOptions } from "./stdio.js";
