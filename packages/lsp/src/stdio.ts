/**
 * The server over standard input and output, as editors start it (`cadenza lsp --stdio`).
 * Standard output is the protocol; everything else goes to standard error.
 */
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver/node";
import { sanitizeMessages } from "./framing.js";
import { stderrLog } from "./guard.js";
import { startServer } from "./server.js";

/** Options of {@link runStdioServer}. */
export interface StdioOptions {
  /** The version reported to the client. */
  readonly version?: string;
  /**
   * Testing hooks, as `ServerOptions.faults` of `startServer`. Only a test's own entry point passes them:
   * nothing a user can set (no setting, no environment variable) reaches this option.
   */
  readonly faults?: readonly string[];
}

/**
 * Serves on stdin/stdout until the client sends `exit` (the process then exits with 0 after a
 * `shutdown`, 1 otherwise) or closes the input (exit code 1 unless shut down). Errors in
 * handlers never stop the server; uncaught errors anywhere are logged and survived; malformed
 * input is dropped (see `framing.ts`).
 */
export function runStdioServer(options: StdioOptions = {}): Promise<number> {
  process.on("uncaughtException", (error) =>
    stderrLog(`uncaught: ${error.stack ?? error.message}`),
  );
  process.on("unhandledRejection", (reason) => stderrLog(`unhandled rejection: ${String(reason)}`));
  // `console.log` would corrupt the protocol on stdout.
  console.log = (...args: unknown[]) => stderrLog(args.map(String).join(" "));
  const input = process.stdin.pipe(sanitizeMessages(stderrLog));
  const connection = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(input),
    new StreamMessageWriter(process.stdout),
  );
  const server = startServer(connection, {
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
  });
  return new Promise((resolve) => {
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      connection.dispose();
      void server.dispose().finally(() => resolve(server.shutdownRequested ? 0 : 1));
    };
    // `exit` ends the process through the library; a closed input ends it here.
    process.stdin.on("end", end);
    process.stdin.on("close", end);
    connection.listen();
  });
}
