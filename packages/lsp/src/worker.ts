/**
 * The worker thread's entry point: an {@link Engine} fed by the main thread's messages.
 * `workerData` carries what the client supports and the testing faults.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Engine } from "./engine.js";
import type { ToEngine } from "./protocol.js";

interface WorkerData {
  readonly faults?: readonly string[];
  readonly client?: { relatedInformation: boolean; markdown: boolean };
  readonly replica?: boolean;
}

const port = parentPort;
if (port === null) throw new Error("worker.ts must run in a worker thread");
const data = (workerData ?? {}) as WorkerData;
const engine = new Engine({
  post: (message) => port.postMessage(message),
  ...(data.faults === undefined ? {} : { faults: data.faults }),
  ...(data.client === undefined ? {} : { client: data.client }),
  replica: data.replica === true,
});
port.on("message", (message: ToEngine) => {
  // Test hook: `exit-on:METHOD` kills the worker, which the main thread must survive.
  if (message.kind === "request" && data.faults?.includes(`exit-on:${message.method}`))
    process.exit(3);
  engine.receive(message);
});
