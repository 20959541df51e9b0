/**
 * The main thread of the language server: it owns the connection and the open documents,
 * decides when to check what, and publishes results; the engine (`engine.ts`, on a worker
 * thread) owns the compiler and does the analysis.
 *
 * - Incremental text sync; documents are kept here with their versions.
 * - Checks are debounced and coalesced per document: an edit (re)starts the document's timer
 *   (`cadenza.diagnostics.debounceMs`); when it fires, only the latest text goes to the
 *   engine. A request on a document sends its pending text at once.
 * - Diagnostics carry the version they were computed for and are published only if the
 *   document is still at that version.
 * - Requests go to the engine with the version they were made on; `$/cancelRequest` is
 *   forwarded and answered with −32800 at the engine's next yield point, and a request whose
 *   document changed before the answer gets −32801.
 * - The engine is restarted if it dies; documents are sent again.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  DidChangeConfigurationNotification,
  type DidChangeTextDocumentParams,
  type DidChangeWatchedFilesParams,
  type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams,
  ErrorCodes,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  LSPErrorCodes,
  ResponseError,
  type ServerCapabilities,
  TextDocumentSyncKind,
  type WorkDoneProgressServerReporter,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  defaultWorkerPath,
  type EngineChannel,
  inProcessChannel,
  workerChannel,
} from "./channel.js";
import { Engine } from "./engine.js";
import { type ClientFeatures, SEMANTIC_LEGEND } from "./features.js";
import { INVALID_REQUEST_METHOD } from "./framing.js";
import { guardNotification, guardRequest, type Log, stderrLog } from "./guard.js";
import type { FeatureMethod, FromEngine, ToEngine } from "./protocol.js";
import { DEFAULT_SETTINGS, parseSettings, type Settings } from "./settings.js";

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** Run the engine on a worker thread (default true); false runs it in this thread. */
  readonly worker?: boolean;
  /** The engine's script (default: `worker.js` beside this module). */
  readonly workerPath?: string;
  /** Where log lines go (default: stderr). */
  readonly log?: Log;
  /** Look for `.cdz` files in the workspace folders and check them too (default true). */
  readonly scanWorkspace?: boolean;
  /** The server's version, reported in `initialize`. */
  readonly version?: string;
  /**
   * Testing hooks: engine methods whose handler throws (`textDocument/hover`), `exit-on:METHOD`
   * to kill the worker on a request, and `main:METHOD` to throw in the main thread's handler.
   */
  readonly faults?: readonly string[];
}

/** A running server. */
export interface ServerHandle {
  /** Whether the client sent `shutdown`. */
  readonly shutdownRequested: boolean;
  /** Stops the engine (the connection is the caller's). */
  dispose(): Promise<void>;
}

/** The custom notification the Cadenza extension sends when the active editor changes. */
export const FOCUS_NOTIFICATION = "cadenza/didFocus";

const MAX_WORKSPACE_FILES = 5000;
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", "dist", "out", "build", ".turbo"]);

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether `value` is `{ uri: string }`-like, as every document request's `textDocument` is. */
function uriOf(params: unknown): string {
  const uri = (params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
  if (typeof uri !== "string")
    throw new ResponseError(ErrorCodes.InvalidParams, "expected textDocument.uri");
  return uri;
}

/** Serves the Cadenza language on `connection` (which the caller then `listen()`s to). */
export function startServer(connection: Connection, options: ServerOptions = {}): ServerHandle {
  const log = options.log ?? stderrLog;
  const faults = options.faults ?? [];
  const documents = new Map<string, TextDocument>();
  /** Files of the workspace that are not open: their text and the version we gave them. */
  const diskFiles = new Map<string, { version: number; text: string }>();
  /** The version of each document last sent to the engine. */
  const sent = new Map<string, number>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let settings: Settings = DEFAULT_SETTINGS;
  let capabilities: ClientCapabilities = {};
  let client: ClientFeatures = { relatedInformation: false, markdown: false };
  let diskVersion = 0;
  let nextRequestId = 1;
  let disposed = false;
  let workspaceFolders: string[] = [];
  const responses = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: ResponseError<void>) => void }
  >();
  let progress: Promise<WorkDoneProgressServerReporter | undefined> | undefined;

  // ---- the engine -------------------------------------------------------------------------

  const onMessage = (message: FromEngine): void => {
    try {
      handleEngineMessage(message);
    } catch (error) {
      log(`engine message ${message.kind} failed: ${describe(error)}`);
    }
  };

  /** Connected at `initialize`, when the client's capabilities are known. */
  let channel: EngineChannel | undefined;
  /** When the worker died recently; too many deaths and the engine moves to this thread. */
  const deaths: number[] = [];
  let inThread = options.worker === false;
  const connect = (): EngineChannel => {
    const events = { onMessage, onExit: restart };
    if (inThread) {
      return inProcessChannel((post) => new Engine({ post, faults, client }), events);
    }
    return workerChannel(options.workerPath ?? defaultWorkerPath(), events, { faults, client });
  };

  /** Sends every file the engine should know (after a start or a restart). */
  const resendAll = (): void => {
    const batch: ToEngine[] = [{ kind: "configure", settings }];
    for (const [uri, f] of diskFiles)
      batch.push({ kind: "update", uri, version: f.version, text: f.text, open: false });
    send({ kind: "batch", messages: batch });
    sent.clear();
    for (const doc of documents.values()) sendDocument(doc);
  };

  function restart(reason: string): void {
    if (disposed) return;
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && deaths[0]! < now - 60_000) deaths.shift();
    if (deaths.length > 5 && !inThread) {
      inThread = true;
      log(`${reason}; the engine keeps failing on a worker thread, running it on the main thread`);
    } else log(`${reason}; restarting the analysis engine`);
    for (const [, r] of responses)
      r.reject(new ResponseError(ErrorCodes.InternalError, "the analysis engine restarted"));
    responses.clear();
    channel = connect();
    resendAll();
  }

  const send = (message: ToEngine): void => channel?.send(message);

  const sendDocument = (doc: TextDocument): void => {
    if (sent.get(doc.uri) === doc.version) return;
    sent.set(doc.uri, doc.version);
    send({ kind: "update", uri: doc.uri, version: doc.version, text: doc.getText(), open: true });
  };

  /** Sends a document's pending edits now (its debounce timer is cancelled). */
  const flush = (uri: string): void => {
    const timer = timers.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(uri);
    const doc = documents.get(uri);
    if (doc !== undefined) sendDocument(doc);
  };

  const handleEngineMessage = (message: FromEngine): void => {
    switch (message.kind) {
      case "diagnostics": {
        const doc = documents.get(message.uri);
        if (doc !== undefined) {
          // Stale versions are never published.
          if (doc.version !== message.version) return;
          void connection.sendDiagnostics({
            uri: message.uri,
            version: message.version,
            diagnostics: message.diagnostics as never[],
          });
          return;
        }
        const disk = diskFiles.get(message.uri);
        if (disk === undefined || disk.version !== message.version) return;
        if (!settings.workspaceDiagnostics) return;
        void connection.sendDiagnostics({
          uri: message.uri,
          diagnostics: message.diagnostics as never[],
        });
        return;
      }
      case "response": {
        const r = responses.get(message.id);
        if (r === undefined) return;
        responses.delete(message.id);
        if ("error" in message)
          r.reject(new ResponseError(message.error.code, message.error.message));
        else r.resolve(message.result);
        return;
      }
      case "progress":
        reportProgress(message);
        return;
      case "log":
        log(message.message);
        return;
    }
  };

  const reportProgress = (message: Extract<FromEngine, { kind: "progress" }>): void => {
    if (capabilities.window?.workDoneProgress !== true) return;
    if (message.state === "begin") {
      progress = connection.window
        .createWorkDoneProgress()
        .then((reporter) => {
          reporter.begin("Cadenza", 0, message.message, false);
          return reporter;
        })
        .catch(() => undefined);
      return;
    }
    const current = progress;
    if (current === undefined) return;
    if (message.state === "end") progress = undefined;
    void current.then((reporter) => {
      if (reporter === undefined) return;
      if (message.state === "end") reporter.done();
      else reporter.report(message.percentage ?? 0, message.message);
    });
  };

  /** Forwards a feature request to the engine and waits for its answer. */
  const forward = async (
    method: FeatureMethod,
    uri: string | undefined,
    params: unknown,
    token: CancellationToken,
  ): Promise<unknown> => {
    if (faults.includes(`main:${method}`)) throw new Error(`injected fault in ${method}`);
    let version: number | undefined;
    if (uri !== undefined) {
      const doc = documents.get(uri);
      if (doc !== undefined) {
        flush(uri);
        version = doc.version;
        send({ kind: "focus", uri });
      } else if (!diskFiles.has(uri)) return null;
    }
    const id = nextRequestId++;
    const answer = new Promise<unknown>((resolve, reject) =>
      responses.set(id, { resolve, reject }),
    );
    const cancel = token.onCancellationRequested(() => send({ kind: "cancel", id }));
    send({ kind: "request", id, method, uri, version, params });
    // A token cancelled before the handler ran never fires its event.
    if (token.isCancellationRequested) send({ kind: "cancel", id });
    try {
      const result = await answer;
      if (uri !== undefined && version !== undefined && documents.get(uri)?.version !== version)
        throw new ResponseError(LSPErrorCodes.ContentModified, "the document changed");
      return result;
    } finally {
      cancel.dispose();
    }
  };

  // ---- lifecycle ----------------------------------------------------------------------------

  connection.onInitialize(
    guardRequest("initialize", log, (params: InitializeParams): InitializeResult => {
      capabilities = params.capabilities ?? {};
      client = {
        relatedInformation:
          capabilities.textDocument?.publishDiagnostics?.relatedInformation === true,
        markdown: capabilities.textDocument?.hover?.contentFormat?.includes("markdown") === true,
      };
      const init = params.initializationOptions as { settings?: unknown } | undefined;
      if (init?.settings !== undefined) settings = parseSettings(init.settings);
      workspaceFolders = (params.workspaceFolders ?? [])
        .map((f) => f.uri)
        .concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : []);
      if (channel === undefined) {
        channel = connect();
        resendAll();
      }
      const result: ServerCapabilities = {
        positionEncoding: "utf-16",
        textDocumentSync: {
          openClose: true,
          change: TextDocumentSyncKind.Incremental,
        },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        completionProvider: { triggerCharacters: ["."], resolveProvider: false },
        signatureHelpProvider: { triggerCharacters: [" "], retriggerCharacters: [" "] },
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true, range: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: ["quickfix"] },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        // No formatter exists yet, so formatting is not advertised.
      };
      return {
        capabilities: result,
        serverInfo: { name: "cadenza-lsp", version: options.version ?? "0.1.0" },
      };
    }) as never,
  );

  connection.onInitialized(
    guardNotification("initialized", log, async () => {
      if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true) {
        await connection.client.register(DidChangeConfigurationNotification.type, {
          section: "cadenza",
        });
      }
      await pullSettings();
      if (options.scanWorkspace !== false) await scanWorkspace();
    }),
  );

  const pullSettings = async (): Promise<void> => {
    if (capabilities.workspace?.configuration !== true) return;
    const section: unknown = await connection.workspace.getConfiguration("cadenza");
    applySettings(parseSettings(section, settings));
  };

  const applySettings = (next: Settings): void => {
    const hintsChanged = JSON.stringify(next.inlayHints) !== JSON.stringify(settings.inlayHints);
    settings = next;
    send({ kind: "configure", settings });
    if (hintsChanged && capabilities.workspace?.inlayHint?.refreshSupport === true)
      void connection.languages.inlayHint.refresh().catch(() => undefined);
  };

  connection.onDidChangeConfiguration(
    guardNotification("didChangeConfiguration", log, async (params: { settings?: unknown }) => {
      const pushed = (params?.settings as { cadenza?: unknown } | undefined)?.cadenza;
      if (pushed !== undefined) applySettings(parseSettings(pushed, settings));
      else await pullSettings();
    }),
  );

  // ---- documents ----------------------------------------------------------------------------

  connection.onDidOpenTextDocument(
    guardNotification("didOpen", log, (params: DidOpenTextDocumentParams) => {
      const { uri, languageId, version, text } = params.textDocument;
      const doc = TextDocument.create(uri, languageId, version, text);
      documents.set(uri, doc);
      sendDocument(doc);
      send({ kind: "focus", uri });
    }),
  );

  connection.onDidChangeTextDocument(
    guardNotification("didChange", log, (params: DidChangeTextDocumentParams) => {
      const { uri, version } = params.textDocument;
      const doc = documents.get(uri);
      if (doc === undefined) return;
      documents.set(uri, TextDocument.update(doc, params.contentChanges, version));
      // Coalesce: the timer restarts on every edit; only the latest text is sent.
      const timer = timers.get(uri);
      if (timer !== undefined) clearTimeout(timer);
      timers.set(
        uri,
        setTimeout(
          () =>
            guardNotification("check", log, () => {
              timers.delete(uri);
              const latest = documents.get(uri);
              if (latest !== undefined) {
                sendDocument(latest);
                send({ kind: "focus", uri });
              }
            })(undefined),
          settings.debounceMs,
        ),
      );
    }),
  );

  connection.onDidCloseTextDocument(
    guardNotification("didClose", log, async (params: DidCloseTextDocumentParams) => {
      const uri = params.textDocument.uri;
      const timer = timers.get(uri);
      if (timer !== undefined) clearTimeout(timer);
      timers.delete(uri);
      documents.delete(uri);
      sent.delete(uri);
      const text = await readDisk(uri);
      if (text !== undefined && !documents.has(uri)) {
        const version = ++diskVersion;
        diskFiles.set(uri, { version, text });
        send({ kind: "update", uri, version, text, open: false });
        if (!settings.workspaceDiagnostics)
          void connection.sendDiagnostics({ uri, diagnostics: [] });
      } else if (!documents.has(uri)) {
        send({ kind: "remove", uri });
        void connection.sendDiagnostics({ uri, diagnostics: [] });
      }
    }),
  );

  connection.onNotification(
    FOCUS_NOTIFICATION,
    guardNotification(FOCUS_NOTIFICATION, log, (params: { uri?: unknown }) => {
      if (typeof params?.uri === "string") send({ kind: "focus", uri: params.uri });
    }),
  );

  connection.onDidChangeWatchedFiles(
    guardNotification("didChangeWatchedFiles", log, async (params: DidChangeWatchedFilesParams) => {
      for (const change of params.changes ?? []) {
        if (!change.uri.endsWith(".cdz") || documents.has(change.uri)) continue;
        if (change.type === FileChangeType.Deleted) {
          diskFiles.delete(change.uri);
          send({ kind: "remove", uri: change.uri });
          void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
          continue;
        }
        const text = await readDisk(change.uri);
        if (text === undefined || documents.has(change.uri)) continue;
        const version = ++diskVersion;
        diskFiles.set(change.uri, { version, text });
        send({ kind: "update", uri: change.uri, version, text, open: false });
      }
    }),
  );

  const readDisk = async (uri: string): Promise<string | undefined> => {
    if (!uri.startsWith("file:")) return undefined;
    try {
      return await readFile(fileURLToPath(uri), "utf8");
    } catch {
      return undefined;
    }
  };

  const scanWorkspace = async (): Promise<void> => {
    const found: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (found.length >= MAX_WORKSPACE_FILES || depth > 20) return;
      let entries: import("node:fs").Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name.startsWith(".") || SKIPPED_DIRECTORIES.has(e.name)) continue;
        const path = join(dir, e.name);
        if (e.isDirectory()) await walk(path, depth + 1);
        else if (e.isFile() && e.name.endsWith(".cdz") && found.length < MAX_WORKSPACE_FILES)
          found.push(path);
      }
    };
    for (const folder of workspaceFolders) {
      if (folder.startsWith("file:")) await walk(fileURLToPath(folder), 0);
    }
    // Read everything first and send one batch, so the engine sees the whole workspace
    // before it starts (and reports progress over all of it).
    const batch: ToEngine[] = [];
    for (const path of found) {
      const uri = pathToFileURL(path).href;
      if (documents.has(uri) || diskFiles.has(uri)) continue;
      const text = await readDisk(uri);
      if (text === undefined || documents.has(uri)) continue;
      const version = ++diskVersion;
      diskFiles.set(uri, { version, text });
      batch.push({ kind: "update", uri, version, text, open: false });
    }
    if (batch.length > 0) send({ kind: "batch", messages: batch });
  };

  // ---- features -----------------------------------------------------------------------------

  const documentMethods: readonly FeatureMethod[] = [
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/documentHighlight",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/completion",
    "textDocument/signatureHelp",
    "textDocument/semanticTokens/full",
    "textDocument/semanticTokens/range",
    "textDocument/documentSymbol",
    "textDocument/inlayHint",
    "textDocument/codeAction",
    "textDocument/foldingRange",
    "textDocument/selectionRange",
  ];
  for (const method of documentMethods) {
    connection.onRequest(
      method,
      guardRequest(method, log, (params: unknown, token) =>
        forward(method, uriOf(params), params, token),
      ),
    );
  }
  connection.onRequest(
    "workspace/symbol",
    guardRequest("workspace/symbol", log, (params: unknown, token) =>
      forward("workspace/symbol", undefined, params, token),
    ),
  );

  connection.onRequest(INVALID_REQUEST_METHOD, () => {
    throw new ResponseError(ErrorCodes.InvalidRequest, "Invalid Request");
  });

  let shutdownRequested = false;
  connection.onShutdown(() => {
    shutdownRequested = true;
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  });

  return {
    get shutdownRequested() {
      return shutdownRequested;
    },
    async dispose() {
      disposed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await channel?.dispose();
    },
  };
}
