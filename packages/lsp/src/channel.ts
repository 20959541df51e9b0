/**
 * How the main thread reaches the engine: a worker thread (the default), or the same thread
 * (for hosts without workers). Either way messages are asynchronous and structured-clone data.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ClientFeatures } from "./features.js";
import type { FromEngine, ToEngine } from "./protocol.js";

/** A connection to an engine. */
export interface EngineChannel {
  send(message: ToEngine): void;
  /** Stops the engine. */
  dispose(): Promise<void>;
}

/** What a channel reports back. */
export interface ChannelEvents {
  readonly onMessage: (message: FromEngine) => void;
  /** The engine died (never called after `dispose`). */
  readonly onExit: (reason: string) => void;
}

/** Options of an engine channel. */
export interface ChannelOptions {
  readonly faults?: readonly string[];
  readonly client?: ClientFeatures;
  /** Run the engine as a replica (see `engine.ts`). */
  readonly replica?: boolean;
}

/** Options about the main script, which make a worker fail to start (`node -e …`). */
function isScriptOption(arg: string): boolean {
  return (
    arg.startsWith("--input-type") ||
    arg.startsWith("--eval") ||
    arg.startsWith("--print") ||
    arg === "-e" ||
    arg === "-p"
  );
}

/**
 * The `execArgv` of a worker: the process's (the default) unless they hold options about the
 * main script; then the others, or (when some of those are V8 options, which workers take only
 * from the process and refuse in `execArgv`) only the options that say how modules load.
 */
function workerExecArgv(attempt: number): string[] | undefined {
  const args = process.execArgv;
  if (!args.some(isScriptOption)) return undefined;
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-e" || a === "--eval" || a === "-p" || a === "--print") i++;
    else if (!isScriptOption(a)) kept.push(a);
  }
  if (attempt === 0) return kept;
  return kept.filter((a) =>
    /^--(conditions|import|require|loader|experimental-loader)\b|^-[rC]$/.test(a),
  );
}

/** The engine's script next to this module: `worker.js` when built, `worker.ts` from sources. */
export function defaultWorkerPath(): string {
  const js = fileURLToPath(new URL("./worker.js", import.meta.url));
  if (existsSync(js)) return js;
  return fileURLToPath(new URL("./worker.ts", import.meta.url));
}

/** An engine on a worker thread running `path`. */
export function workerChannel(
  path: string,
  events: ChannelEvents,
  options: ChannelOptions = {},
): EngineChannel {
  const workerData = {
    faults: options.faults,
    client: options.client,
    replica: options.replica === true,
  };
  const worker = path.endsWith(".ts") ? tsWorker(path, workerData) : jsWorker(path, workerData);
  let disposed = false;
  let exited = false;
  worker.on("message", (m: FromEngine) => events.onMessage(m));
  worker.on("error", (error) => {
    if (!disposed && !exited) {
      exited = true;
      events.onExit(`engine crashed: ${error.message}`);
    }
  });
  worker.on("exit", (code) => {
    if (!disposed && !exited) {
      exited = true;
      events.onExit(`engine exited with code ${code}`);
    }
  });
  return {
    send: (message) => {
      if (!exited) worker.postMessage(message);
    },
    dispose: async () => {
      disposed = true;
      await worker.terminate();
    },
  };
}

function jsWorker(path: string, workerData: unknown): Worker {
  for (let attempt = 0; ; attempt++) {
    const execArgv = workerExecArgv(attempt);
    try {
      return new Worker(path, {
        workerData,
        ...(execArgv === undefined ? {} : { execArgv }),
        // Deeply nested programs recurse in the phases; give them room.
        resourceLimits: { stackSizeMb: 64 },
      });
    } catch (error) {
      const invalid = (error as { code?: unknown }).code === "ERR_WORKER_INVALID_EXEC_ARGV";
      if (!invalid || attempt > 0 || execArgv === undefined) throw error;
    }
  }
}

/**
 * A worker running TypeScript sources (tests and development, where nothing is built): a
 * bootstrap registers the `tsx` loader in the worker and imports the script, resolving
 * workspace packages to their sources.
 */
function tsWorker(path: string, workerData: unknown): Worker {
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(
    join(dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs"),
  ).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(path).href)}); });`;
  return new Worker(code, {
    eval: true,
    workerData,
    execArgv: ["--conditions=@cadenza/source"],
    resourceLimits: { stackSizeMb: 64 },
  });
}

/** An engine in this thread; `create` builds it with a function to post its messages. */
export function inProcessChannel(
  create: (post: (message: FromEngine) => void) => { receive(message: ToEngine): void },
  events: ChannelEvents,
): EngineChannel {
  let disposed = false;
  const engine = create((m) => {
    if (!disposed) setImmediate(() => events.onMessage(m));
  });
  return {
    send: (message) => {
      if (!disposed) setImmediate(() => engine.receive(message));
    },
    dispose: async () => {
      disposed = true;
    },
  };
}
