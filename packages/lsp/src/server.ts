/**
 * The main thread of the language server: it owns the connection and the open documents,
 * decides when to check what, and publishes results; the engine (`engine.ts`, on a worker
 * thread) owns the compiler and does the analysis.
 *
 * - Incremental text sync; documents are kept here with their versions.
 * - Every edit sends the document's text to the engine at once, which starts checking it
 *   (and drops the check of the older text at its next yield point).
 * - Diagnostics carry the version they were computed for and are published only if the
 *   document is still at that version, and once it has been quiet for
 *   `cadenza.diagnostics.debounceMs`, so that they do not flicker while the user types.
 * - Requests go to the engine with the version they were made on; `$/cancelRequest` is
 *   forwarded and answered with −32800 at the engine's next yield point, and a request whose
 *   document changed before the answer gets −32801.
 * - Hover goes to the replica engine, when there is one, while the primary is checking (see
 *   `engine.ts`); the engines report when they are idle.
 * - An engine is restarted if it dies; documents are sent again.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MANIFEST_NAME } from "@cadenza/modules";
import {
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  DidChangeConfigurationNotification,
  type DidChangeTextDocumentParams,
  DidChangeWatchedFilesNotification,
  type DidChangeWatchedFilesParams,
  type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams,
  type DidSaveTextDocumentParams,
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
import {
  ErrorCode,
  type FeatureMethod,
  type FromEngine,
  STALE_METHODS,
  type ToEngine,
} from "./protocol.js";
import { DEFAULT_SETTINGS, parseSettings, type Settings } from "./settings.js";

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** Run the engine on a worker thread (default true); false runs it in this thread. */
  readonly worker?: boolean;
  /**
   * With workers, start a replica engine, which answers hover while the primary one is
   * checking, once a check takes over 100 ms (default true; false never starts one).
   */
  readonly replica?: boolean;
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

/**
 * `cadenza/serverStatus` (`{ collectGarbage?: boolean }`): the heap in use of each thread
 * (after a collection when asked and the process runs with `--expose-gc`) and what the engines
 * hold; for diagnosing the server and for the benchmark.
 */
export const STATUS_REQUEST = "cadenza/serverStatus";

const MAX_WORKSPACE_FILES = 5000;
/** A check of an open document that takes this long (ms) starts the replica engine. */
const REPLICA_AFTER_MS = 100;
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
  /** The version of each document last sent to the engines. */
  const sent = new Map<string, number>();
  /** When each open document was last edited (`performance.now()`). */
  const lastEdit = new Map<string, number>();
  /** When any document was last edited: importers checked again wait for it to be quiet. */
  let lastAnyEdit = Number.NEGATIVE_INFINITY;
  /** Diagnostics waiting for their document's quiet time (`debounceMs`) to pass. */
  const held = new Map<string, ReturnType<typeof setTimeout>>();
  let settings: Settings = DEFAULT_SETTINGS;
  let capabilities: ClientCapabilities = {};
  let client: ClientFeatures = { relatedInformation: false, markdown: false };
  let diskVersion = 0;
  let nextRequestId = 1;
  let disposed = false;
  let workspaceFolders: string[] = [];
  const responses = new Map<
    number,
    {
      readonly link: Link;
      resolve: (value: unknown) => void;
      reject: (error: ResponseError<void>) => void;
    }
  >();
  let progress: Promise<WorkDoneProgressServerReporter | undefined> | undefined;

  // ---- the engines ------------------------------------------------------------------------

  /**
   * An engine as this thread sees it. It is idle when it reported having nothing to do after
   * every message sent to it that could give it work (`idle` messages carry how many it had
   * received: every message but `status` for the primary, `sync` for the replica).
   */
  interface Link {
    readonly role: "primary" | "replica";
    channel: EngineChannel;
    sent: number;
    idleAt: number;
    /** When it died recently. */
    readonly deaths: number[];
  }

  const isIdle = (link: Link | undefined): boolean =>
    link !== undefined && link.idleAt === link.sent;

  /** Connected at `initialize`, when the client's capabilities are known. */
  let primary: Link | undefined;
  /**
   * The replica engine (worker threads only): asked for hover while the primary is busy. It
   * gets the open documents' texts and checks them only when told to (`sync`), which happens
   * when both are idle and the replica is behind.
   */
  let replica: Link | undefined;
  let replicaBehind = false;
  /** The replica died too often: the server goes on without one. */
  let replicaGone = false;
  let inThread = options.worker === false;
  let lastFocus: string | undefined;

  const connect = (role: Link["role"], onExit: (reason: string) => void): EngineChannel => {
    const events = {
      onMessage: (message: FromEngine) => {
        const link = role === "primary" ? primary : replica;
        if (link === undefined) return;
        try {
          handleEngineMessage(message, link);
        } catch (error) {
          log(`engine message ${message.kind} failed: ${describe(error)}`);
        }
      },
      onExit,
    };
    return inThread && role === "primary"
      ? inProcessChannel((post) => new Engine({ post, faults, client }), events)
      : workerChannel(options.workerPath ?? defaultWorkerPath(), events, {
          faults,
          client,
          replica: role === "replica",
        });
  };

  const makeLink = (role: Link["role"], channel: EngineChannel, deaths: number[]): Link => ({
    role,
    channel,
    sent: 0,
    idleAt: -1,
    deaths,
  });

  const startEngines = (): void => {
    primary = makeLink("primary", connect("primary", restartPrimary), []);
    resendAll();
  };

  /**
   * Starts the replica when a check took long enough for a hover waiting on it to be
   * noticed: small programs never need one.
   */
  const startReplicaAfter = (millis: number | undefined): void => {
    if (replica !== undefined || replicaGone || inThread || options.replica === false) return;
    if (millis === undefined || millis < REPLICA_AFTER_MS) return;
    replica = makeLink("replica", connect("replica", restartReplica), []);
    resendReplica();
  };

  /** Sends every file the primary engine should know (after a start or a restart). */
  const resendAll = (): void => {
    const batch: ToEngine[] = [
      { kind: "configure", settings },
      { kind: "workspace", folders: workspaceFolders },
    ];
    for (const [uri, f] of diskFiles)
      batch.push({ kind: "update", uri, version: f.version, text: f.text, open: false });
    send({ kind: "batch", messages: batch });
    sent.clear();
    lastFocus = undefined;
    for (const doc of documents.values()) sendDocument(doc);
  };

  /** Sends the open documents to the replica (after a start or a restart). */
  const resendReplica = (): void => {
    const batch: ToEngine[] = [
      { kind: "configure", settings },
      { kind: "workspace", folders: workspaceFolders },
    ];
    for (const doc of documents.values())
      batch.push({
        kind: "update",
        uri: doc.uri,
        version: doc.version,
        text: doc.getText(),
        open: true,
      });
    toReplica({ kind: "batch", messages: batch });
    replicaBehind = true;
  };

  /** Records a death; true when the engine died too often in the last minute. */
  const tooManyDeaths = (link: Link): boolean => {
    const now = Date.now();
    link.deaths.push(now);
    while (link.deaths.length > 0 && link.deaths[0]! < now - 60_000) link.deaths.shift();
    return link.deaths.length > 5;
  };

  /** Fails the requests waiting for `link` (a replica's are asked of the primary again). */
  const failPending = (link: Link): void => {
    for (const [id, r] of responses) {
      if (r.link !== link) continue;
      responses.delete(id);
      r.reject(
        link.role === "replica"
          ? new ResponseError(ErrorCode.replicaMiss, "the replica engine restarted")
          : new ResponseError(ErrorCodes.InternalError, "the analysis engine restarted"),
      );
    }
  };

  function restartPrimary(reason: string): void {
    if (disposed || primary === undefined) return;
    if (tooManyDeaths(primary) && !inThread) {
      inThread = true;
      log(`${reason}; the engine keeps failing on a worker thread, running it on the main thread`);
    } else log(`${reason}; restarting the analysis engine`);
    failPending(primary);
    primary.channel = connect("primary", restartPrimary);
    primary.sent = 0;
    primary.idleAt = -1;
    resendAll();
  }

  function restartReplica(reason: string): void {
    if (disposed || replica === undefined) return;
    failPending(replica);
    if (tooManyDeaths(replica)) {
      log(`${reason}; the replica engine keeps failing, continuing without it`);
      replica = undefined;
      replicaGone = true;
      return;
    }
    log(`${reason}; restarting the replica engine`);
    replica.channel = connect("replica", restartReplica);
    replica.sent = 0;
    replica.idleAt = -1;
    resendReplica();
  }

  /** Sends a message to the primary engine (`status` never gives it work: not counted). */
  const send = (message: ToEngine): void => {
    if (primary === undefined) return;
    if (message.kind !== "status") primary.sent++;
    primary.channel.send(message);
  };

  /** Sends a message to the replica; only `sync` can make it busy, so only those count. */
  const toReplica = (message: ToEngine): void => {
    if (replica === undefined) return;
    if (message.kind === "sync") replica.sent++;
    replica.channel.send(message);
  };

  const focus = (uri: string): void => {
    if (uri === lastFocus) return;
    lastFocus = uri;
    send({ kind: "focus", uri });
  };

  const sendDocument = (doc: TextDocument): void => {
    if (sent.get(doc.uri) === doc.version) return;
    sent.set(doc.uri, doc.version);
    const message: ToEngine = {
      kind: "update",
      uri: doc.uri,
      version: doc.version,
      text: doc.getText(),
      open: true,
    };
    send(message);
    toReplica(message);
    replicaBehind = true;
  };

  /** Lets the replica catch up when neither engine has anything else to do. */
  const maybeSync = (): void => {
    if (!replicaBehind || !isIdle(primary) || !isIdle(replica)) return;
    replicaBehind = false;
    toReplica({ kind: "sync" });
  };

  const publish = (uri: string, version: number, diagnostics: readonly unknown[]): void =>
    void connection.sendDiagnostics({ uri, version, diagnostics: diagnostics as never[] });

  const handleEngineMessage = (message: FromEngine, link: Link): void => {
    switch (message.kind) {
      case "diagnostics": {
        const doc = documents.get(message.uri);
        if (doc !== undefined) {
          startReplicaAfter(message.millis);
          // Stale versions are never published.
          if (doc.version !== message.version) return;
          // Checking starts at once; publishing waits until the document was quiet for
          // `debounceMs`, so that diagnostics do not flicker while the user types — and for
          // a document checked again because a module it imports changed, until the edited
          // documents were quiet.
          const edited = Math.max(
            lastEdit.get(message.uri) ?? Number.NEGATIVE_INFINITY,
            message.dependency === true ? lastAnyEdit : Number.NEGATIVE_INFINITY,
          );
          const wait = edited + settings.debounceMs - performance.now();
          clearTimeout(held.get(message.uri));
          held.delete(message.uri);
          if (wait <= 0) {
            publish(message.uri, message.version, message.diagnostics);
            return;
          }
          held.set(
            message.uri,
            setTimeout(() => {
              held.delete(message.uri);
              if (documents.get(message.uri)?.version === message.version)
                publish(message.uri, message.version, message.diagnostics);
            }, wait),
          );
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
      case "response":
      case "status": {
        const r = responses.get(message.id);
        if (r === undefined) return;
        responses.delete(message.id);
        if (message.kind === "status") r.resolve(message.status);
        else if ("error" in message)
          r.reject(new ResponseError(message.error.code, message.error.message));
        else r.resolve(message.result);
        return;
      }
      case "progress":
        reportProgress(message);
        return;
      case "log":
        log(link.role === "replica" ? `replica: ${message.message}` : message.message);
        return;
      case "idle":
        link.idleAt = message.received;
        maybeSync();
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

  /** Sends a request to an engine and waits for its answer. */
  const ask = (
    link: Link,
    method: FeatureMethod,
    uri: string | undefined,
    version: number | undefined,
    params: unknown,
    token: CancellationToken,
  ): Promise<unknown> => {
    const id = nextRequestId++;
    const answer = new Promise<unknown>((resolve, reject) =>
      responses.set(id, { link, resolve, reject }),
    );
    const post = (message: ToEngine): void => {
      if (link === primary) send(message);
      else toReplica(message);
    };
    const cancel = token.onCancellationRequested(() => post({ kind: "cancel", id }));
    post({ kind: "request", id, method, uri, version, params });
    // A token cancelled before the handler ran never fires its event.
    if (token.isCancellationRequested) post({ kind: "cancel", id });
    return answer.finally(() => cancel.dispose());
  };

  /** Forwards a feature request to an engine and waits for its answer. */
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
        sendDocument(doc);
        version = doc.version;
      } else if (!diskFiles.has(uri)) return null;
    }
    // Hover while the primary engine is checking: the idle replica answers from its analysis
    // (of this text or an earlier one) when it can; otherwise the primary does.
    const byReplica =
      uri !== undefined &&
      version !== undefined &&
      STALE_METHODS.has(method) &&
      !isIdle(primary) &&
      isIdle(replica);
    if (uri !== undefined && !byReplica) focus(uri);
    let result: unknown;
    try {
      result = await ask(byReplica ? replica! : primary!, method, uri, version, params, token);
    } catch (error) {
      if (!(byReplica && error instanceof ResponseError && error.code === ErrorCode.replicaMiss))
        throw error;
      if (uri !== undefined) focus(uri);
      result = await ask(primary!, method, uri, version, params, token);
    }
    if (uri !== undefined && version !== undefined && documents.get(uri)?.version !== version)
      throw new ResponseError(LSPErrorCodes.ContentModified, "the document changed");
    return result;
  };

  /** `cadenza/serverStatus`: each thread's heap and what the engines hold. */
  const status = async (params: unknown): Promise<unknown> => {
    const gc = (params as { collectGarbage?: unknown } | undefined)?.collectGarbage === true;
    const engines: unknown[] = [];
    for (const link of [primary, replica]) {
      if (link === undefined) continue;
      const id = nextRequestId++;
      const answer = new Promise<unknown>((resolve, reject) =>
        responses.set(id, { link, resolve, reject }),
      );
      if (link === primary) send({ kind: "status", id, gc });
      else toReplica({ kind: "status", id, gc });
      engines.push(await answer);
    }
    const collect = (globalThis as { gc?: () => void }).gc;
    if (gc && collect !== undefined) collect();
    return {
      main: { heapUsed: process.memoryUsage().heapUsed, documents: documents.size },
      engines,
      // Nothing left to do: every engine is idle and the replica has caught up.
      idle: isIdle(primary) && (replica === undefined || (isIdle(replica) && !replicaBehind)),
      inThread,
    };
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
      if (primary === undefined) startEngines();
      const result: ServerCapabilities = {
        positionEncoding: "utf-16",
        textDocumentSync: {
          openClose: true,
          change: TextDocumentSyncKind.Incremental,
          save: { includeText: false },
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
      // Files that change on disk (another editor, git, a build) change what importers see.
      if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: "**/*.cdz" }, { globPattern: `**/${MANIFEST_NAME}` }],
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
    const budgetChanged = next.evaluationSteps !== settings.evaluationSteps;
    settings = next;
    send({ kind: "configure", settings });
    toReplica({ kind: "configure", settings });
    // Under a new budget the replica checks its documents again (once the primary is idle).
    if (budgetChanged && replica !== undefined) replicaBehind = true;
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
      lastEdit.delete(uri);
      sendDocument(doc);
      focus(uri);
    }),
  );

  connection.onDidChangeTextDocument(
    guardNotification("didChange", log, (params: DidChangeTextDocumentParams) => {
      const { uri, version } = params.textDocument;
      const doc = documents.get(uri);
      if (doc === undefined) return;
      const updated = TextDocument.update(doc, params.contentChanges, version);
      documents.set(uri, updated);
      // Checking starts at once (an engine drops the check of an older text at its next
      // yield point); the diagnostics are held until the document has been quiet for
      // `debounceMs` (see handleEngineMessage).
      lastEdit.set(uri, performance.now());
      lastAnyEdit = performance.now();
      clearTimeout(held.get(uri));
      held.delete(uri);
      sendDocument(updated);
      focus(uri);
    }),
  );

  connection.onDidCloseTextDocument(
    guardNotification("didClose", log, async (params: DidCloseTextDocumentParams) => {
      const uri = params.textDocument.uri;
      clearTimeout(held.get(uri));
      held.delete(uri);
      lastEdit.delete(uri);
      documents.delete(uri);
      sent.delete(uri);
      toReplica({ kind: "remove", uri });
      const text = await readDisk(uri);
      if (text !== undefined && !documents.has(uri)) {
        const version = ++diskVersion;
        diskFiles.set(uri, { version, text });
        const update: ToEngine = { kind: "update", uri, version, text, open: false };
        send(update);
        // The replica forgot the editor's text: importers see the disk's now.
        toReplica(update);
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
      if (typeof params?.uri === "string") focus(params.uri);
    }),
  );

  connection.onDidChangeWatchedFiles(
    guardNotification("didChangeWatchedFiles", log, async (params: DidChangeWatchedFilesParams) => {
      for (const change of params.changes ?? []) {
        if (change.uri.endsWith(`/${MANIFEST_NAME}`)) {
          // The source root may have moved.
          const message: ToEngine = { kind: "workspace", folders: workspaceFolders };
          send(message);
          toReplica(message);
          continue;
        }
        if (!change.uri.endsWith(".cdz") || documents.has(change.uri)) continue;
        if (change.type === FileChangeType.Deleted) {
          diskFiles.delete(change.uri);
          send({ kind: "remove", uri: change.uri });
          toReplica({ kind: "remove", uri: change.uri });
          void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
          continue;
        }
        const text = await readDisk(change.uri);
        if (text === undefined || documents.has(change.uri)) continue;
        // The same change reported twice (a client's own watcher and ours): nothing new.
        if (diskFiles.get(change.uri)?.text === text) continue;
        const version = ++diskVersion;
        diskFiles.set(change.uri, { version, text });
        const update: ToEngine = { kind: "update", uri: change.uri, version, text, open: false };
        send(update);
        // The replica's compiler may have read it as a module.
        toReplica(update);
      }
    }),
  );

  // A saved document's text is the one the engines have already (it is open); a document
  // saved that we do not have open is read from the disk, like a watched change.
  connection.onDidSaveTextDocument(
    guardNotification("didSave", log, async (params: DidSaveTextDocumentParams) => {
      const uri = params.textDocument?.uri;
      if (typeof uri !== "string" || !uri.endsWith(".cdz") || documents.has(uri)) return;
      const text = await readDisk(uri);
      if (text === undefined || documents.has(uri)) return;
      const version = ++diskVersion;
      diskFiles.set(uri, { version, text });
      send({ kind: "update", uri, version, text, open: false });
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

  connection.onRequest(STATUS_REQUEST, guardRequest(STATUS_REQUEST, log, status));

  connection.onRequest(INVALID_REQUEST_METHOD, () => {
    throw new ResponseError(ErrorCodes.InvalidRequest, "Invalid Request");
  });

  let shutdownRequested = false;
  connection.onShutdown(() => {
    shutdownRequested = true;
    for (const timer of held.values()) clearTimeout(timer);
    held.clear();
  });

  return {
    get shutdownRequested() {
      return shutdownRequested;
    },
    async dispose() {
      disposed = true;
      for (const timer of held.values()) clearTimeout(timer);
      await Promise.all([primary?.channel.dispose(), replica?.channel.dispose()]);
    },
  };
}
