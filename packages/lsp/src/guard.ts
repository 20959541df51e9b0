/**
 * Every handler of the server runs behind a guard: a failure in one feature answers that one
 * request with an error and writes one line to the log (stderr), and the server keeps serving.
 */
import { type CancellationToken, ErrorCodes, ResponseError } from "vscode-languageserver";

/** Where the server writes its log lines (stderr by default). */
export type Log = (line: string) => void;

/** The default log: one line on stderr (stdout is the protocol). */
export const stderrLog: Log = (line) => {
  try {
    process.stderr.write(`cadenza-lsp: ${line}\n`);
  } catch {
    // Nowhere left to report to.
  }
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Wraps a request handler: a `ResponseError` it throws is the answer as is; anything else is
 * logged and answered with an internal error naming the feature.
 */
export function guardRequest<P, R>(
  name: string,
  log: Log,
  handler: (params: P, token: CancellationToken) => Promise<R> | R,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (error) {
      if (error instanceof ResponseError) return error as ResponseError<void>;
      log(`${name} failed: ${describe(error)}`);
      return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${describe(error)}`);
    }
  };
}

/** Wraps a notification handler: failures are logged and otherwise ignored. */
export function guardNotification<P>(
  name: string,
  log: Log,
  handler: (params: P) => Promise<void> | void,
): (params: P) => void {
  return (params) => {
    try {
      const result = handler(params);
      if (result instanceof Promise)
        result.catch((error: unknown) => log(`${name} failed: ${describe(error)}`));
    } catch (error) {
      log(`${name} failed: ${describe(error)}`);
    }
  };
}
