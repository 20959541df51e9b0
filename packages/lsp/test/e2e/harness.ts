/**
 * The real language server in a child process, driven over stdio by a JSON-RPC client as an
 * editor drives it. The server is bundled from sources once per test run (`bundle.ts`: the
 * test entry `test/stdio-entry.ts` and the engine), so the tests need no build; its engine
 * runs on worker threads as in production. The client answers the server's requests
 * (configuration, progress creation, registrations, refreshes) and records everything it
 * receives.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import {
  CancellationTokenSource,
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver/node";

/** A notification (or server-to-client request) the client received. */
export interface Received {
  readonly method: string;
  readonly params: unknown;
}

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A published diagnostics notification. */
export interface Published {
  readonly uri: string;
  readonly version?: number;
  readonly diagnostics: {
    message: string;
    code?: string;
    severity?: number;
    range: Range;
    relatedInformation?: { location: { uri: string; range: Range }; message: string }[];
  }[];
}

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** `initialize` capabilities (default: related information, Markdown, progress, configuration). */
  readonly capabilities?: unknown;
  readonly initializationOptions?: unknown;
  readonly workspaceFolders?: { uri: string; name: string }[] | null;
  /** What `workspace/configuration` answers for the `cadenza` section. */
  readonly configuration?: unknown;
  /** Testing faults (`ServerOptions.faults`), passed through the test entry's environment. */
  readonly faults?: readonly string[];
}

/** A running server and its client. */
export interface Server {
  readonly connection: MessageConnection;
  /** Notifications and server requests received, in order. */
  readonly received: Received[];
  readonly process: ChildProcess;
  /** What the server answered to `initialize`. */
  readonly initialized: { capabilities: Record<string, unknown>; serverInfo?: unknown };
  /** Everything the server wrote to stderr. */
  stderr(): string;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
  request<R = unknown>(method: string, params?: unknown): Promise<R>;
  /** A request that can be cancelled with the returned function. */
  cancellable<R = unknown>(method: string, params: unknown): { answer: Promise<R>; cancel(): void };
  notify(method: string, params?: unknown): void;
  /** The first received message (past or future) of `method` matching `test`. */
  waitFor<P = unknown>(method: string, test?: (params: P) => boolean): Promise<P>;
  /** Every diagnostics notification for `uri` so far. */
  published(uri: string): Published[];
  /** Diagnostics of `uri` at `version`. */
  diagnostics(uri: string, version: number): Promise<Published>;
  open(uri: string, text: string, version?: number): void;
  change(uri: string, version: number, changes: readonly unknown[]): void;
  /** `shutdown` and `exit`; resolves with the exit code. */
  shutdown(): Promise<number | null>;
  /** Kills the process if it still runs. */
  kill(): void;
}

/** Spawns the server and initialises it. */
export async function startServer(options: ServerOptions = {}): Promise<Server> {
  const entry = join(inject("lspServer"), "server.js");
  const child = spawn(process.execPath, ["--enable-source-maps", entry, "--stdio"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, CADENZA_LSP_TEST_FAULTS: (options.faults ?? []).join(",") },
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const received: Received[] = [];
  const listeners = new Set<() => void>();
  const record = (method: string, params: unknown): void => {
    received.push({ method, params });
    for (const l of [...listeners]) l();
  };
  connection.onNotification((method, params) => record(method, params));
  // `$/progress` is routed by token; server-created tokens are not claimed, so they land here.
  connection.onUnhandledProgress((params) => record("$/progress", params));
  connection.onRequest("workspace/configuration", (params) => {
    record("workspace/configuration", params);
    return [options.configuration ?? {}];
  });
  for (const method of [
    "window/workDoneProgress/create",
    "client/registerCapability",
    "workspace/inlayHint/refresh",
    "workspace/semanticTokens/refresh",
  ]) {
    connection.onRequest(method, (params) => {
      record(method, params);
      return null;
    });
  }
  connection.onError(() => undefined);
  connection.listen();
  const server: Server = {
    connection,
    initialized: { capabilities: {} },
    received,
    process: child,
    stderr: () => stderr,
    exited,
    request: (method, params) => connection.sendRequest(method, params),
    cancellable: (method, params) => {
      const source = new CancellationTokenSource();
      return {
        answer: connection.sendRequest(method, params, source.token),
        cancel: () => source.cancel(),
      };
    },
    notify: (method, params) => void connection.sendNotification(method, params),
    waitFor: <P>(method: string, test: (params: P) => boolean = () => true) =>
      new Promise<P>((resolve) => {
        const check = (): boolean => {
          const found = received.find((n) => n.method === method && test(n.params as P));
          if (found === undefined) return false;
          resolve(found.params as P);
          return true;
        };
        if (check()) return;
        const listener = (): void => {
          if (check()) listeners.delete(listener);
        };
        listeners.add(listener);
      }),
    published: (uri) =>
      received
        .filter((n) => n.method === "textDocument/publishDiagnostics")
        .map((n) => n.params as Published)
        .filter((p) => p.uri === uri),
    diagnostics: (uri, version) =>
      server.waitFor<Published>(
        "textDocument/publishDiagnostics",
        (p) => p.uri === uri && p.version === version,
      ),
    open: (uri, text, version = 1) =>
      server.notify("textDocument/didOpen", {
        textDocument: { uri, languageId: "cadenza", version, text },
      }),
    change: (uri, version, changes) =>
      server.notify("textDocument/didChange", {
        textDocument: { uri, version },
        contentChanges: changes,
      }),
    shutdown: async () => {
      await connection.sendRequest("shutdown");
      connection.sendNotification("exit");
      const code = await exited;
      connection.dispose();
      return code;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      connection.dispose();
    },
  };
  const result = await connection.sendRequest<Server["initialized"]>("initialize", {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: options.workspaceFolders ?? null,
    initializationOptions: options.initializationOptions,
    capabilities: options.capabilities ?? {
      textDocument: {
        publishDiagnostics: { relatedInformation: true },
        hover: { contentFormat: ["markdown", "plaintext"] },
      },
      window: { workDoneProgress: true },
      workspace: { configuration: true, inlayHint: { refreshSupport: true } },
    },
  });
  server.notify("initialized", {});
  return { ...server, initialized: result };
}

/**
 * A document of the test program: its text and positions found by searching it. Lines are
 * LSP's: `\n`, `\r\n` and a lone `\r` each end one.
 */
export class Doc {
  /** The lines without their line breaks. */
  readonly lines: readonly string[];
  /** The offset at which each line starts. */
  private readonly starts: readonly number[];

  constructor(
    readonly uri: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) starts.push(i + 1);
    }
    this.starts = starts;
    this.lines = starts.map((start, i) => {
      const end = i + 1 < starts.length ? starts[i + 1]! - 1 : text.length;
      const line = text.slice(start, end);
      return line.endsWith("\r") ? line.slice(0, -1) : line;
    });
  }

  /** A fixture file of `test/e2e/fixtures/`. */
  static fixture(name: string, uri = `file:///e2e/${name}`): Doc {
    return new Doc(uri, readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
  }

  /**
   * The position of the `nth` (0-based) occurrence of `needle`, plus `shift` characters. A `|`
   * in the needle marks the position and is not searched for (`"fn sp|eed"`).
   */
  at(needle: string, nth = 0, shift = 0): Position {
    const bar = needle.indexOf("|");
    const plain = needle.replace("|", "");
    let offset = -1;
    for (let i = 0; i <= nth; i++) {
      offset = this.text.indexOf(plain, offset + 1);
      if (offset < 0) throw new Error(`\`${plain}\` occurs fewer than ${nth + 1} times`);
    }
    return this.position(offset + Math.max(bar, 0) + shift);
  }

  /**
   * The range of the `nth` occurrence of `needle`, or of `length` characters from its `|`
   * (`range("let |x = 1", 0, 1)` is the range of `x`).
   */
  range(needle: string, nth = 0, length = needle.replace("|", "").length): Range {
    const start = this.at(needle, nth);
    return { start, end: { line: start.line, character: start.character + length } };
  }

  /** The LSP position of an offset (an offset inside a `\r\n` is at the end of its line). */
  position(offset: number): Position {
    let line = 0;
    while (line + 1 < this.starts.length && this.starts[line + 1]! <= offset) line++;
    return { line, character: Math.min(offset - this.starts[line]!, this.lines[line]!.length) };
  }

  /** The text of a range. */
  slice(range: Range): string {
    return this.text.slice(this.offset(range.start), this.offset(range.end));
  }

  offset(p: Position): number {
    return this.starts[p.line]! + p.character;
  }

  /** `{ textDocument: { uri } }` with more parameters. */
  params<T extends object>(more: T = {} as T): { textDocument: { uri: string } } & T {
    return { textDocument: { uri: this.uri }, ...more };
  }
}

/**
 * A server with `doc` open and checked: the usual start of a feature test. Resolves once the
 * diagnostics of the opened version are published.
 */
export async function serve(doc: Doc, options: ServerOptions = {}): Promise<Server> {
  const server = await startServer(options);
  server.open(doc.uri, doc.text, 1);
  await server.diagnostics(doc.uri, 1);
  return server;
}
