/**
 * The analysis engine: owns the compiler and the analyses, schedules checks, answers feature
 * requests. It normally runs on a worker thread (`worker.ts`) and talks to the main thread by
 * messages (`protocol.ts`); it can also run in the main thread's event loop.
 *
 * Scheduling is cooperative: each tick runs one step of the most urgent analysis and then
 * yields to the event loop, so that incoming edits, cancellations and requests are handled
 * between steps. Urgency: analyses a request waits for, then the focused document, then the
 * other open documents, then the rest of the workspace. An edit drops the analysis of the old
 * text (the host keeps what it completed for texts it still has), and the analysis of another
 * file resumes after it where it stopped.
 *
 * While a document is being checked, hover is answered from the document's previous analysis
 * when the position and the answer lie outside the text that changed (`stale.ts`), instead of
 * waiting for the check.
 *
 * A *replica* (`replica: true`) is a second engine for the main thread to ask while the
 * primary one is busy: it publishes nothing, keeps the texts it is sent without checking them,
 * and checks the open documents only when told to (`sync`, when the primary is idle), so that
 * it is idle with a recent analysis whenever the primary is checking.
 */

import { SourceFile } from "@cadenza/core";
import { type FileAnalysis, resolveNames } from "@cadenza/ide";
import { type AnalysisFiber, type AnalysisHost, createDriverHost } from "./compiler.js";
import {
  answer,
  answerWorkspaceSymbols,
  type ClientFeatures,
  diagnosticsOf,
  hoverAt,
  InvalidParams,
  offsetAt,
  type Project,
  RenameRefused,
  range,
} from "./features.js";
import { pathToUri, uriToPath } from "./paths.js";
import {
  ErrorCode,
  type FeatureMethod,
  type FromEngine,
  STALE_METHODS,
  type ToEngine,
} from "./protocol.js";
import { DEFAULT_SETTINGS, type Settings } from "./settings.js";
import { changeBetween, type TextChange, toNewSpan, toOldOffset } from "./stale.js";

/** How the engine reaches the outside world. */
export interface EngineOptions {
  /** Sends a message to the main thread. */
  readonly post: (message: FromEngine) => void;
  /** The compiler (default: `@cadenza/driver`). */
  readonly host?: AnalysisHost;
  /**
   * Testing hooks: a method name makes its handler throw; `hold:METHOD` makes its requests wait
   * at their yield point until they are cancelled or their document changes.
   */
  readonly faults?: readonly string[];
  /** What the client supports (diagnostic related information, Markdown). */
  readonly client?: ClientFeatures;
  /** Run as a replica: check only on `sync`, publish nothing (see the module comment). */
  readonly replica?: boolean;
}

interface FileState {
  readonly version: number;
  readonly open: boolean;
  /** The latest text (for a replica, possibly newer than what its compiler has). */
  readonly text: string;
}

/** The analysis of an older text, and how the current text differs from it. */
interface StaleView {
  readonly analysis: FileAnalysis;
  readonly version: number;
  readonly change: TextChange;
  /** The current text, for converting positions. */
  readonly source: SourceFile;
}

interface Job {
  readonly uri: string;
  readonly version: number;
  readonly fiber: AnalysisFiber;
  readonly started: number;
  /** Requests waiting for this analysis: it runs first. */
  waiters: number;
}

interface PendingRequest {
  cancelled: boolean;
  /** Testing hook: wait until cancelled or the document changes. */
  readonly hold: boolean;
  /** Wakes the request if it is waiting for an analysis. */
  wake: (() => void) | undefined;
}

/** A request error with its JSON-RPC code. */
class Failure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const LONG_CHECK_MS = 500;

/** The engine. Feed it messages with {@link Engine.receive}. */
export class Engine {
  private readonly host: AnalysisHost;
  private readonly post: (message: FromEngine) => void;
  private readonly files = new Map<string, FileState>();
  private readonly analyses = new Map<string, { version: number; analysis: FileAnalysis }>();
  private readonly published = new Map<string, number>();
  /** Versions whose analysis threw: not retried until the text changes. */
  private readonly failed = new Map<string, number>();
  private readonly jobs = new Map<string, Job>();
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly pending = new Map<number, PendingRequest>();
  private readonly faults: ReadonlySet<string>;
  private settings: Settings = DEFAULT_SETTINGS;
  private client: ClientFeatures;
  private focused: string | undefined;
  private ticking = false;
  private progress: { total: number; done: number } | undefined;
  private readonly replica: boolean;
  /** Replica: the version of each file its compiler has (set by `sync`). */
  private readonly synced = new Map<string, number>();
  /** The last stale view per file (computing one reads both texts). */
  private readonly staleViews = new Map<string, { key: string; view: StaleView | undefined }>();
  private received = 0;
  private answered = 0;
  /** Files whose latest analysis has not had its names resolved yet (see `tick`). */
  private readonly cold = new Set<string>();
  /** The URI each compiler path was given with (`paths.ts`). */
  private readonly uris = new Map<string, string>();
  /** Files checked again because a file they import changed (see `invalidateImporters`). */
  private readonly rechecks = new Set<string>();
  /**
   * Files whose analysis is of their current text but not of what they import now: hover
   * may still answer from it (the text is the same), other requests wait for the new one.
   */
  private readonly outdated = new Set<string>();
  /** The files of the project, for the features that cross files. */
  private readonly project: Project;

  constructor(options: EngineOptions) {
    this.post = options.post;
    this.host = options.host ?? createDriverHost();
    this.faults = new Set(options.faults ?? []);
    this.client = options.client ?? { relatedInformation: true, markdown: true };
    this.replica = options.replica === true;
    this.project = {
      uriOf: (path) => this.uris.get(path) ?? pathToUri(path),
      source: (path) => this.host.source(path),
      filesFor: (symbol) => this.filesFor(symbol),
      exports: (path) => {
        try {
          return this.host.exportCandidates(path);
        } catch (error) {
          // Completion and quick fixes go on without the other modules' names.
          this.log(`engine: the project's exports failed: ${describe(error)}`);
          return [];
        }
      },
    };
  }

  /** The compiler's path of a URI, remembering the URI for results about the path. */
  private pathOf(uri: string): string {
    const path = uriToPath(uri);
    if (!this.uris.has(path)) this.uris.set(path, uri);
    return path;
  }

  /**
   * A file changed (or came, or went): the files checked so far that import it, directly or
   * through other modules, are checked again (their diagnostics may change with what they
   * import) — with `created`, also those with an import that resolved to nothing. Their
   * analyses are outdated: requests but hover wait for the new ones.
   */
  private invalidateImporters(changedUri: string, path: string, created: boolean): void {
    for (const uri of this.files.keys()) {
      if (uri === changedUri) continue;
      const checked = this.published.has(uri) || this.analyses.has(uri) || this.jobs.has(uri);
      if (!checked) continue;
      let depends = false;
      try {
        depends = this.host.dependsOn(this.pathOf(uri), path, created);
      } catch (error) {
        this.log(`engine: the imports of ${uri} failed: ${describe(error)}`);
      }
      if (!depends) continue;
      this.published.delete(uri);
      if (this.analyses.has(uri)) this.outdated.add(uri);
      this.failed.delete(uri);
      this.dropJob(uri);
      if (!this.replica) this.rechecks.add(uri);
      this.wakeWaiters(uri);
    }
  }

  /** Whether another URI of the same path is an open document. */
  private openElsewhere(uri: string, path: string): boolean {
    for (const [u, f] of this.files) if (u !== uri && f.open && uriToPath(u) === path) return true;
    return false;
  }

  /** Sets a file's text in the compiler, checking its importers again when it changed. */
  private setText(uri: string, text: string): void {
    const path = this.pathOf(uri);
    const before = this.host.text(path);
    if (before === text) return;
    this.invalidateImporters(
      uri,
      path,
      before === undefined && this.host.source(path) === undefined,
    );
    this.host.setFile(path, text);
  }

  /**
   * The analyses of the files that may refer to a symbol: its own file and every file the
   * compiler has that imports it (directly or through re-exports). Open documents' latest
   * analyses are used when current; the others are analysed now.
   */
  private filesFor(symbol: { readonly file: string }): FileAnalysis[] {
    const out: FileAnalysis[] = [];
    const paths = new Set<string>(this.host.files());
    for (const uri of this.files.keys()) paths.add(this.pathOf(uri));
    for (const path of paths) {
      if (path !== symbol.file && !this.host.dependsOn(path, symbol.file, false)) continue;
      const uri = this.uris.get(path);
      const done = uri === undefined ? undefined : this.analyses.get(uri);
      const current =
        done !== undefined &&
        done.version === this.files.get(uri!)?.version &&
        !this.outdated.has(uri!);
      out.push(current ? done.analysis : this.host.analysis(path));
    }
    return out;
  }

  /** Handles one message from the main thread. Never throws. */
  receive(message: ToEngine): void {
    // The messages that can give work, which the main thread counts too: everything but
    // `status` for the primary, only `sync` for a replica.
    if (this.replica ? message.kind === "sync" : message.kind !== "status") this.received++;
    this.handle(message);
    if (!this.ticking) this.post({ kind: "idle", received: this.received });
  }

  private handle(message: ToEngine): void {
    try {
      this.dispatch(message);
    } catch (error) {
      this.log(`engine: ${message.kind} failed: ${describe(error)}`);
    }
  }

  /** Sets what the client supports (the main thread learns it at initialisation). */
  setClient(client: ClientFeatures): void {
    this.client = client;
  }

  private dispatch(message: ToEngine): void {
    switch (message.kind) {
      case "update": {
        const old = this.files.get(message.uri);
        if (old !== undefined && old.version > message.version && old.open === message.open) return;
        const text = lspLines(message.text);
        this.files.set(message.uri, { version: message.version, open: message.open, text });
        if (old !== undefined && old.open !== message.open) {
          // Editor and disk versions are separate counters: forget what the other one said.
          this.analyses.delete(message.uri);
          this.outdated.delete(message.uri);
          this.published.delete(message.uri);
          this.failed.delete(message.uri);
          this.synced.delete(message.uri);
        }
        const path = this.pathOf(message.uri);
        // Results about the path name the editor's document.
        if (message.open) this.uris.set(path, message.uri);
        // The disk's text of a file open under another URI (spelt differently) must not
        // replace the editor's in the compiler.
        const shadowed = !message.open && this.openElsewhere(message.uri, path);
        // A replica keeps checking the text it synced; the new one waits for the next sync.
        // Files from the disk are modules its compiler may have read: those are set now.
        if (this.replica) {
          if (!message.open && !shadowed) this.setText(message.uri, text);
          return;
        }
        this.rechecks.delete(message.uri);
        if (!shadowed) this.setText(message.uri, text);
        if (message.open && (old === undefined || !old.open)) this.focused ??= message.uri;
        this.dropJob(message.uri);
        this.wakeWaiters(message.uri);
        this.schedule();
        return;
      }
      case "remove":
        this.files.delete(message.uri);
        this.cold.delete(message.uri);
        this.analyses.delete(message.uri);
        this.outdated.delete(message.uri);
        this.published.delete(message.uri);
        this.synced.delete(message.uri);
        this.staleViews.delete(message.uri);
        this.rechecks.delete(message.uri);
        {
          const path = this.pathOf(message.uri);
          if (!this.openElsewhere(message.uri, path)) {
            this.invalidateImporters(message.uri, path, false);
            this.host.removeFile(path);
          }
        }
        this.dropJob(message.uri);
        this.wakeWaiters(message.uri);
        if (this.focused === message.uri) this.focused = undefined;
        return;
      case "focus":
        this.focused = message.uri;
        this.schedule();
        return;
      case "workspace":
        if (!this.host.setWorkspace(message.folders.map((f) => uriToPath(f)))) return;
        // A new source root may resolve imports differently: everything is checked again.
        this.published.clear();
        this.failed.clear();
        this.synced.clear();
        for (const uri of this.analyses.keys()) this.outdated.add(uri);
        if (!this.replica) this.schedule();
        return;
      case "configure": {
        const budgetChanged = message.settings.evaluationSteps !== this.settings.evaluationSteps;
        this.settings = message.settings;
        this.host.setEvaluationSteps(message.settings.evaluationSteps);
        if (budgetChanged) {
          // Everything is checked again under the new budget (the old analyses still answer
          // requests meanwhile).
          this.published.clear();
          this.failed.clear();
          this.synced.clear();
        }
        if (!this.replica) this.schedule();
        return;
      }
      case "sync":
        if (!this.replica) return;
        for (const [uri, file] of this.files) {
          if (!file.open || this.synced.get(uri) === file.version) continue;
          this.setText(uri, file.text);
          this.synced.set(uri, file.version);
          this.dropJob(uri);
        }
        this.schedule();
        return;
      case "status": {
        const gc = (globalThis as { gc?: () => void }).gc;
        if (message.gc && gc !== undefined) gc();
        this.post({
          kind: "status",
          id: message.id,
          status: {
            role: this.replica ? "replica" : "primary",
            heapUsed: process.memoryUsage().heapUsed,
            files: this.files.size,
            analysed: this.analyses.size,
            answered: this.answered,
            busy: this.ticking,
          },
        });
        return;
      }
      case "request":
        void this.request(message.id, message.method, message.uri, message.version, message.params);
        return;
      case "batch":
        for (const m of message.messages) this.handle(m);
        return;
      case "cancel": {
        const p = this.pending.get(message.id);
        if (p !== undefined) {
          p.cancelled = true;
          p.wake?.();
        }
        return;
      }
    }
  }

  // ---- scheduling ---------------------------------------------------------------------------

  private schedule(): void {
    if (this.ticking) return;
    this.ticking = true;
    setImmediate(() => this.tick());
  }

  /** The version of `uri` this engine checks: the latest one, or for a replica the synced one. */
  private target(uri: string): number | undefined {
    return this.replica ? this.synced.get(uri) : this.files.get(uri)?.version;
  }

  /** How urgent checking `uri` is (lower first), or undefined when it needs no check. */
  private urgency(uri: string): number | undefined {
    const file = this.files.get(uri);
    if (file === undefined) return undefined;
    if (this.replica) {
      const version = this.synced.get(uri);
      const done =
        (this.analyses.get(uri)?.version === version && !this.outdated.has(uri)) ||
        this.failed.get(uri) === version;
      return version === undefined || done ? undefined : 2;
    }
    const job = this.jobs.get(uri);
    if (job !== undefined && job.waiters > 0) return 0;
    const needsCheck =
      this.published.get(uri) !== file.version &&
      (file.open || this.settings.workspaceDiagnostics || (job?.waiters ?? 0) > 0);
    if (!needsCheck) return undefined;
    if (uri === this.focused) return 1;
    return file.open ? 2 : 3;
  }

  private tick(): void {
    try {
      let best: string | undefined;
      let bestUrgency = Number.POSITIVE_INFINITY;
      for (const uri of this.files.keys()) {
        const u = this.urgency(uri);
        if (u !== undefined && u < bestUrgency) {
          best = uri;
          bestUrgency = u;
        }
      }
      if (best === undefined) {
        // Nothing to check: prepare a new analysis now rather than in the first request
        // after the check (on a 10,000-line file, up to a few hundred milliseconds): resolve
        // its names, which every feature reads (memoised per analysis), and build its type
        // table (the driver builds its node → type maps on first use).
        const [uri] = this.cold;
        if (uri !== undefined) {
          this.cold.delete(uri);
          const done = this.analyses.get(uri);
          if (done !== undefined) {
            resolveNames(done.analysis);
            const first = done.analysis.parse.items[0];
            if (first !== undefined) done.analysis.types?.types.typeOf(first);
          }
          setImmediate(() => this.tick());
          return;
        }
        this.ticking = false;
        this.endProgress();
        this.post({ kind: "idle", received: this.received });
        return;
      }
      this.step(best);
    } catch (error) {
      this.log(`engine: scheduling failed: ${describe(error)}`);
    }
    setImmediate(() => this.tick());
  }

  private step(uri: string): void {
    const file = this.files.get(uri)!;
    const version = this.target(uri) ?? file.version;
    let job = this.jobs.get(uri);
    if (job === undefined || job.version !== version) {
      const waiters = job?.waiters ?? 0;
      job = {
        uri,
        version,
        fiber: this.host.analyze(this.pathOf(uri)),
        started: Date.now(),
        waiters,
      };
      this.jobs.set(uri, job);
    }
    if (!this.replica) this.reportProgress(uri, job);
    let result: ReturnType<AnalysisFiber["step"]>;
    try {
      result = job.fiber.step();
    } catch (error) {
      // A phase crashed on this text: publish what we can say and do not retry this version.
      this.log(`engine: analysis of ${uri} failed: ${describe(error)}`);
      this.jobs.delete(uri);
      this.published.set(uri, version);
      this.failed.set(uri, version);
      this.wakeWaiters(uri);
      if (this.replica) return;
      // Replace the previous version's diagnostics, which no longer apply, with the failure.
      this.post({
        kind: "diagnostics",
        uri,
        version,
        diagnostics: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            severity: 2,
            source: "cadenza",
            message: `internal error while checking this file: ${describe(error)} (the other features keep working; see the server's output)`,
          },
        ],
      });
      return;
    }
    if (!result.done) return;
    this.jobs.delete(uri);
    this.analyses.set(uri, { version: job.version, analysis: result.analysis });
    this.outdated.delete(uri);
    this.published.set(uri, job.version);
    this.cold.add(uri);
    if (this.replica) {
      this.wakeWaiters(uri);
      return;
    }
    const dependency = this.rechecks.delete(uri);
    if (file.open || this.settings.workspaceDiagnostics) {
      this.post({
        kind: "diagnostics",
        uri,
        version: job.version,
        diagnostics: diagnosticsOf(result.analysis, uri, this.client),
        millis: Date.now() - job.started,
        ...(dependency ? { dependency } : {}),
      });
    }
    if (this.progress !== undefined && !file.open) this.progress.done++;
    this.wakeWaiters(uri);
  }

  private dropJob(uri: string): void {
    this.jobs.delete(uri);
  }

  private wakeWaiters(uri: string): void {
    const set = this.waiting.get(uri);
    if (set === undefined) return;
    this.waiting.delete(uri);
    for (const wake of set) wake();
  }

  // ---- progress ---------------------------------------------------------------------------

  private reportProgress(uri: string, job: Job): void {
    // Files checked again because a module they import changed are quick (the compiler
    // keeps what did not change): they do not make a check of the workspace.
    const background = [...this.files].filter(
      ([u, f]) => !f.open && this.published.get(u) !== f.version && !this.rechecks.has(u),
    ).length;
    if (this.progress === undefined) {
      const long = Date.now() - job.started > LONG_CHECK_MS;
      if (background < 2 && !long) return;
      this.progress = { total: background, done: 0 };
      this.post({ kind: "progress", state: "begin", message: "Checking Cadenza files" });
      return;
    }
    const total = Math.max(this.progress.total, this.progress.done + background);
    this.progress.total = total;
    this.post({
      kind: "progress",
      state: "report",
      message: `${this.progress.done}/${total} files (${uri.slice(uri.lastIndexOf("/") + 1)})`,
      percentage: total === 0 ? 100 : Math.floor((this.progress.done / total) * 100),
    });
  }

  private endProgress(): void {
    if (this.progress === undefined) return;
    this.progress = undefined;
    this.post({ kind: "progress", state: "end", message: "Checked" });
  }

  // ---- requests ---------------------------------------------------------------------------

  private async request(
    id: number,
    method: FeatureMethod,
    uri: string | undefined,
    version: number | undefined,
    params: unknown,
  ): Promise<void> {
    const state: PendingRequest = {
      cancelled: false,
      hold: this.faults.has(`hold:${method}`),
      wake: undefined,
    };
    this.pending.set(id, state);
    try {
      if (this.faults.has(method)) throw new Error(`injected fault in ${method}`);
      const result = await this.answer(method, uri, version, params, state);
      if (state.cancelled) throw new Failure(ErrorCode.requestCancelled, "request cancelled");
      this.answered++;
      this.post({ kind: "response", id, result: result === undefined ? null : result });
    } catch (error) {
      let code: number = ErrorCode.internalError;
      if (error instanceof Failure) code = error.code;
      else if (error instanceof InvalidParams) code = ErrorCode.invalidParams;
      else if (error instanceof RenameRefused) code = ErrorCode.invalidParams;
      else this.log(`${method} failed: ${describe(error)}`);
      this.post({ kind: "response", id, error: { code, message: describe(error) } });
    } finally {
      this.pending.delete(id);
    }
  }

  private async answer(
    method: FeatureMethod,
    uri: string | undefined,
    version: number | undefined,
    params: unknown,
    state: PendingRequest,
  ): Promise<unknown> {
    if (method === "workspace/symbol") {
      const all: { uri: string; analysis: FileAnalysis }[] = [];
      for (const u of this.files.keys()) {
        const done = this.analyses.get(u);
        const analysis =
          done !== undefined && done.version === this.files.get(u)?.version
            ? done.analysis
            : this.host.outline(this.pathOf(u));
        if (analysis !== undefined) all.push({ uri: u, analysis });
      }
      return answerWorkspaceSymbols(all, params);
    }
    if (uri === undefined) throw new InvalidParams("expected textDocument.uri");
    if (STALE_METHODS.has(method) && !state.hold) {
      const early = this.answerStale(uri, version, params);
      if (early !== undefined) return early.result;
      if (this.replica) throw new Failure(ErrorCode.replicaMiss, "the replica cannot answer");
    } else if (this.replica) {
      throw new Failure(ErrorCode.replicaMiss, "the replica answers hover only");
    }
    const analysis = await this.analysisFor(uri, version, state);
    if (analysis === undefined) return null;
    return answer(method, analysis, uri, params, this.settings, this.client, this.project);
  }

  /**
   * Hover from an analysis that is not of the current text (the current one is not ready),
   * when the position and the answer lie outside what changed; undefined when that is not
   * possible, so that the caller waits for the current analysis. With the current analysis
   * ready, that one answers.
   */
  private answerStale(
    uri: string,
    version: number | undefined,
    params: unknown,
  ): { result: unknown } | undefined {
    const file = this.files.get(uri);
    if (file === undefined || (version !== undefined && version !== file.version)) return undefined;
    const done = this.analyses.get(uri);
    if (done === undefined) return undefined;
    if (done.version === file.version && (!this.replica || this.synced.get(uri) === file.version))
      return {
        result: answer(
          "textDocument/hover",
          done.analysis,
          uri,
          params,
          this.settings,
          this.client,
        ),
      };
    const view = this.staleView(uri, file, done);
    if (view === undefined) return undefined;
    const position = (params as { position?: unknown } | null)?.position;
    const offset = toOldOffset(view.change, offsetAt(view.source, position));
    if (offset === undefined) return undefined;
    const h = hoverAt(view.analysis, offset, this.client);
    if (h === undefined) return { result: null };
    const span = toNewSpan(view.change, h.span);
    if (span === undefined) return undefined;
    return { result: { contents: h.contents, range: range(view.source, span) } };
  }

  private staleView(
    uri: string,
    file: FileState,
    done: { version: number; analysis: FileAnalysis },
  ): StaleView | undefined {
    const key = `${done.version}>${file.version}`;
    const cached = this.staleViews.get(uri);
    if (cached?.key === key && cached.view?.analysis === done.analysis) return cached.view;
    const old = done.analysis.source.text;
    const view: StaleView = {
      analysis: done.analysis,
      version: done.version,
      change: changeBetween(old, file.text),
      source: new SourceFile(done.analysis.source.name, file.text),
    };
    this.staleViews.set(uri, { key, view });
    return view;
  }

  /**
   * The analysis of `uri` at `version`, computed first if needed. Checks for cancellation and
   * for a newer version at each yield point.
   */
  private async analysisFor(
    uri: string,
    version: number | undefined,
    state: PendingRequest,
  ): Promise<FileAnalysis | undefined> {
    for (;;) {
      if (state.cancelled) throw new Failure(ErrorCode.requestCancelled, "request cancelled");
      const file = this.files.get(uri);
      if (file === undefined) return undefined;
      if (version !== undefined && file.version !== version)
        throw new Failure(ErrorCode.contentModified, "the document changed");
      if (state.hold) {
        await this.wait(uri, state);
        continue;
      }
      const done = this.analyses.get(uri);
      if (done !== undefined && done.version === file.version && !this.outdated.has(uri))
        return done.analysis;
      if (this.failed.get(uri) === file.version)
        throw new Failure(ErrorCode.internalError, "the analysis of this document failed");
      // Wait for the analysis, marking it urgent.
      let job = this.jobs.get(uri);
      if (job === undefined) {
        this.step(uri);
        job = this.jobs.get(uri);
        if (job === undefined) continue;
      }
      job.waiters++;
      this.schedule();
      await this.wait(uri, state);
      job.waiters = Math.max(0, job.waiters - 1);
    }
  }

  /** Waits until the analysis of `uri` finishes or is dropped, or the request is cancelled. */
  private wait(uri: string, state: PendingRequest): Promise<void> {
    return new Promise<void>((resolve) => {
      let set = this.waiting.get(uri);
      if (set === undefined) this.waiting.set(uri, (set = new Set()));
      const wake = (): void => {
        set!.delete(wake);
        state.wake = undefined;
        resolve();
      };
      set.add(wake);
      state.wake = wake;
    });
  }

  private log(message: string): void {
    this.post({ kind: "log", message });
  }
}

/**
 * The text with each lone `\r` made a `\n`: LSP counts it as a line break (so positions
 * from the client count it too) and so does Cadenza (LANGUAGE.md §2), but the line index of a
 * source file counts only `\n`. The length, and so every offset, stays the same; a `\r`
 * before a `\n` is kept, as whitespace at the end of its line.
 */
export function lspLines(text: string): string {
  return text.includes("\r") ? text.replace(/\r(?!\n)/g, "\n") : text;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
