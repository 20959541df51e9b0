/**
 * A JSON-RPC client driving the real server in this process over in-memory streams, as an
 * editor would over stdio: it answers the server's requests (configuration, progress
 * creation, registrations) and records every notification it receives.
 */
import { PassThrough } from "node:stream";
import {
  createConnection,
  createMessageConnection,
  type MessageConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver/node";
import { sanitizeMessages } from "../src/framing.ts";
import { type ServerHandle, type ServerOptions, startServer } from "../src/index.ts";

/** A notification the client received. */
export interface Received {
  readonly method: string;
  readonly params: unknown;
}

/** A published diagnostics notification. */
export interface Published {
  readonly uri: string;
  readonly version?: number;
  readonly diagnostics: {
    message: string;
    code?: string;
    range: unknown;
    relatedInformation?: unknown[];
  }[];
}

/** The client side of a test session. */
export interface TestClient {
  readonly connection: MessageConnection;
  readonly notifications: Received[];
  /** Lines the server logged. */
  readonly log: string[];
  /** Raw bytes written to the server's input, bypassing JSON-RPC framing. */
  writeRaw(text: string): void;
  request<R = unknown>(method: string, params?: unknown): Promise<R>;
  notify(method: string, params?: unknown): void;
  /** Resolves with the first received notification (past or future) matching `test`. */
  waitFor(method: string, test?: (params: never) => boolean): Promise<unknown>;
  /** Every diagnostics notification for `uri` so far. */
  published(uri: string): Published[];
  open(uri: string, text: string, version?: number): void;
  change(uri: string, version: number, changes: unknown[]): void;
  close(): Promise<void>;
}

/** Options of a test session. */
export interface SessionOptions extends ServerOptions {
  /** `initialize` capabilities (default: related information, Markdown, work-done progress). */
  readonly capabilities?: unknown;
  readonly initializationOptions?: unknown;
  readonly workspaceFolders?: { uri: string; name: string }[] | null;
  /** What `workspace/configuration` answers for the `cadenza` section. */
  readonly configuration?: unknown;
}

/** Starts a server and an initialised client connected to it. */
export async function session(options: SessionOptions = {}): Promise<TestClient> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const log: string[] = [];
  const server = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(toServer.pipe(sanitizeMessages((line) => log.push(line)))),
    new StreamMessageWriter(toClient),
  );
  const handle: ServerHandle = startServer(server, {
    scanWorkspace: false,
    worker: false,
    ...options,
    log: (line) => log.push(line),
  });
  server.listen();
  const connection = createMessageConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  const notifications: Received[] = [];
  const listeners: (() => void)[] = [];
  connection.onNotification((method, params) => {
    notifications.push({ method, params });
    for (const l of [...listeners]) l();
  });
  // `$/progress` is routed by token; unclaimed tokens (server-created progress) land here.
  connection.onUnhandledProgress((params) => {
    notifications.push({ method: "$/progress", params });
    for (const l of [...listeners]) l();
  });
  connection.onRequest("workspace/configuration", () => [options.configuration ?? {}]);
  connection.onRequest("window/workDoneProgress/create", () => null);
  connection.onRequest("client/registerCapability", () => null);
  connection.onRequest("workspace/inlayHint/refresh", () => null);
  connection.listen();
  await connection.sendRequest("initialize", {
    processId: null,
    rootUri: null,
    workspaceFolders: options.workspaceFolders ?? null,
    initializationOptions: options.initializationOptions,
    capabilities: options.capabilities ?? {
      textDocument: {
        publishDiagnostics: { relatedInformation: true },
        hover: { contentFormat: ["markdown", "plaintext"] },
      },
      window: { workDoneProgress: true },
      workspace: { configuration: true },
    },
  });
  connection.sendNotification("initialized", {});
  const client: TestClient = {
    connection,
    notifications,
    log,
    writeRaw: (text) => void toServer.write(text),
    request: (method, params) => connection.sendRequest(method, params),
    notify: (method, params) => void connection.sendNotification(method, params),
    waitFor: (method, test = () => true) =>
      new Promise((resolve) => {
        const check = (): boolean => {
          const found = notifications.find((n) => n.method === method && test(n.params as never));
          if (found === undefined) return false;
          resolve(found.params);
          return true;
        };
        if (check()) return;
        const listener = (): void => {
          if (check()) listeners.splice(listeners.indexOf(listener), 1);
        };
        listeners.push(listener);
      }),
    published: (uri) =>
      notifications
        .filter((n) => n.method === "textDocument/publishDiagnostics")
        .map((n) => n.params as Published)
        .filter((p) => p.uri === uri),
    open: (uri, text, version = 1) =>
      void connection.sendNotification("textDocument/didOpen", {
        textDocument: { uri, languageId: "cadenza", version, text },
      }),
    change: (uri, version, changes) =>
      void connection.sendNotification("textDocument/didChange", {
        textDocument: { uri, version },
        contentChanges: changes,
      }),
    close: async () => {
      connection.dispose();
      server.dispose();
      await handle.dispose();
    },
  };
  return client;
}

/** Waits for diagnostics of `uri` at `version`. */
export function diagnosticsAt(
  client: TestClient,
  uri: string,
  version: number,
): Promise<Published> {
  return client.waitFor(
    "textDocument/publishDiagnostics",
    (p: Published) => p.uri === uri && p.version === version,
  ) as Promise<Published>;
}
