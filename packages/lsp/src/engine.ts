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
 */
import type { FileAnalysis } from "@cadenza/ide";
import { type AnalysisFiber, type AnalysisHost, createDriverHost } from "./compiler.js";
import {
  answer,
  answerWorkspaceSymbols,
  type ClientFeatures,
  diagnosticsOf,
  InvalidParams,
  RenameRefused,
} from "./features.js";
import { ErrorCode, type FeatureMethod, type FromEngine, type ToEngine } from "./protocol.js";
import { DEFAULT_SETTINGS, type Settings } from "./settings.js";

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
}

interface FileState {
  readonly version: number;
  readonly open: boolean;
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

  constructor(options: EngineOptions) {
    this.post = options.post;
    this.host = options.host ?? createDriverHost();
    this.faults = new Set(options.faults ?? []);
    this.client = options.client ?? { relatedInformation: true, markdown: true };
  }

  /** Handles one message from the main thread. Never throws. */
  receive(message: ToEngine): void {
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
        this.files.set(message.uri, { version: message.version, open: message.open });
        this.host.setFile(message.uri, message.text);
        if (old !== undefined && old.open !== message.open) {
          // Editor and disk versions are separate counters: forget what the other one said.
          this.analyses.delete(message.uri);
          this.published.delete(message.uri);
          this.failed.delete(message.uri);
        }
        if (message.open && (old === undefined || !old.open)) this.focused ??= message.uri;
        this.dropJob(message.uri);
        this.wakeWaiters(message.uri);
        this.schedule();
        return;
      }
      case "remove":
        this.files.delete(message.uri);
        this.analyses.delete(message.uri);
        this.published.delete(message.uri);
        this.host.removeFile(message.uri);
        this.dropJob(message.uri);
        this.wakeWaiters(message.uri);
        if (this.focused === message.uri) this.focused = undefined;
        return;
      case "focus":
        this.focused = message.uri;
        this.schedule();
        return;
      case "configure":
        this.settings = message.settings;
        this.host.setEvaluationSteps(message.settings.evaluationSteps);
        this.schedule();
        return;
      case "request":
        void this.request(message.id, message.method, message.uri, message.version, message.params);
        return;
      case "batch":
        for (const m of message.messages) this.receive(m);
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

  /** How urgent checking `uri` is (lower first), or undefined when it needs no check. */
  private urgency(uri: string): number | undefined {
    const file = this.files.get(uri);
    if (file === undefined) return undefined;
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
        this.ticking = false;
        this.endProgress();
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
    let job = this.jobs.get(uri);
    if (job === undefined || job.version !== file.version) {
      const waiters = job?.waiters ?? 0;
      job = {
        uri,
        version: file.version,
        fiber: this.host.analyze(uri),
        started: Date.now(),
        waiters,
      };
      this.jobs.set(uri, job);
    }
    this.reportProgress(uri, job);
    let result: ReturnType<AnalysisFiber["step"]>;
    try {
      result = job.fiber.step();
    } catch (error) {
      // A phase crashed on this text: publish what we can say and do not retry this version.
      this.log(`engine: analysis of ${uri} failed: ${describe(error)}`);
      this.jobs.delete(uri);
      this.published.set(uri, file.version);
      this.failed.set(uri, file.version);
      // Replace the previous version's diagnostics, which no longer apply, with the failure.
      this.post({
        kind: "diagnostics",
        uri,
        version: file.version,
        diagnostics: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            severity: 2,
            source: "cadenza",
            message: `internal error while checking this file: ${describe(error)} (the other features keep working; see the server's output)`,
          },
        ],
      });
      this.wakeWaiters(uri);
      return;
    }
    if (!result.done) return;
    this.jobs.delete(uri);
    this.analyses.set(uri, { version: job.version, analysis: result.analysis });
    this.published.set(uri, job.version);
    if (file.open || this.settings.workspaceDiagnostics) {
      this.post({
        kind: "diagnostics",
        uri,
        version: job.version,
        diagnostics: diagnosticsOf(result.analysis, uri, this.client),
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
    const background = [...this.files].filter(
      ([u, f]) => !f.open && this.published.get(u) !== f.version,
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
            : this.host.outline(u);
        if (analysis !== undefined) all.push({ uri: u, analysis });
      }
      return answerWorkspaceSymbols(all, params);
    }
    if (uri === undefined) throw new InvalidParams("expected textDocument.uri");
    const analysis = await this.analysisFor(uri, version, state);
    if (analysis === undefined) return null;
    return answer(method, analysis, uri, params, this.settings, this.client);
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
      if (done !== undefined && done.version === file.version) return done.analysis;
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
