/**
 * A guard in front of the JSON-RPC reader. `vscode-jsonrpc` reports a frame without
 * `Content-Length` or with a body that is not JSON as an error and carries on, but the
 * bytes that arrived in the same chunk after such a frame wait for the next chunk — which may
 * never come if the client is waiting for an answer. This transform frames the input itself
 * and passes on only well-formed messages:
 *
 * - a header without a usable `Content-Length`, or a body that is not JSON, is dropped (and
 *   logged): JSON-RPC answers a parse error with `id: null`, which no client can match to a
 *   request, so dropping loses nothing;
 * - a JSON value that is not a message is dropped, except an object with a request `id`,
 *   which is rewritten into a request for {@link INVALID_REQUEST_METHOD} so that the server
 *   answers it with `-32600 Invalid Request` on the normal path.
 */
import { Transform, type TransformCallback } from "node:stream";

/** The method an invalid request with an id is rewritten to; the server answers it with −32600. */
export const INVALID_REQUEST_METHOD = "$/cadenza/invalidRequest";

const HEADER_END = Buffer.from("\r\n\r\n", "ascii");
/** A header larger than this is garbage (the protocol's headers are a few dozen bytes). */
const MAX_HEADER = 8 * 1024;
/** Bodies larger than this are refused (256 MiB): a runaway length would buffer forever. */
const MAX_BODY = 256 * 1024 * 1024;

function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
}

function isId(value: unknown): value is string | number {
  return typeof value === "string" || typeof value === "number";
}

/** Whether `value` is a JSON-RPC request, notification or response. */
function isMessage(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const m = value as Record<string, unknown>;
  if (typeof m.method === "string") return m.id === undefined || isId(m.id);
  return isId(m.id) && ("result" in m || "error" in m);
}

/** Frames and filters a byte stream of LSP messages (see the module comment). */
export function sanitizeMessages(log: (line: string) => void): Transform {
  let buffer: Buffer = Buffer.alloc(0);
  let bodyLength = -1;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (bodyLength < 0) {
          const end = buffer.indexOf(HEADER_END);
          if (end < 0) {
            if (buffer.length > MAX_HEADER) {
              log("dropped input without a message header");
              buffer = Buffer.alloc(0);
            }
            break;
          }
          const header = buffer.subarray(0, end).toString("ascii");
          buffer = buffer.subarray(end + HEADER_END.length);
          const match = /^content-length:\s*(\d+)\s*$/im.exec(header);
          const length = match === null ? Number.NaN : Number(match[1]);
          if (!Number.isSafeInteger(length) || length > MAX_BODY) {
            log("dropped a message without a valid Content-Length");
            continue;
          }
          bodyLength = length;
        }
        if (buffer.length < bodyLength) break;
        const body = buffer.subarray(0, bodyLength);
        buffer = buffer.subarray(bodyLength);
        bodyLength = -1;
        let value: unknown;
        try {
          value = JSON.parse(body.toString("utf8"));
        } catch {
          log("dropped a message that is not JSON");
          continue;
        }
        if (isMessage(value)) this.push(frame(value));
        else if (
          typeof value === "object" &&
          value !== null &&
          isId((value as { id?: unknown }).id) &&
          !("result" in value || "error" in value)
        ) {
          this.push(
            frame({
              jsonrpc: "2.0",
              id: (value as { id: unknown }).id,
              method: INVALID_REQUEST_METHOD,
            }),
          );
        } else log("dropped a JSON value that is not a JSON-RPC message");
      }
      done();
    },
  });
}
