import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-jsonrpc/node";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "cadenza-vscode-"));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill();
  rmSync(out, { recursive: true, force: true });
});

it("bundles the client as CommonJS and the server and worker as ES modules", () => {
  const r = spawnSync(process.execPath, [join(root, "scripts/build.mjs"), out], {
    encoding: "utf8",
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(
    readdirSync(out)
      .filter((f) => !f.endsWith(".map"))
      .sort(),
  ).toEqual(["extension.cjs", "server.js", "worker.js"]);
  // VS Code loads the client with require(); `vscode` is provided by the editor.
  const require = createRequire(import.meta.url);
  const Module = require("node:module") as {
    _load: (request: string, ...rest: unknown[]) => unknown;
  };
  const load = Module._load;
  // A `vscode` where every member is callable, constructible and extensible.
  const target = function vscode(): void {};
  const stub: object = new Proxy(target, {
    get: (_t, key) => (key === Symbol.toPrimitive ? () => "" : stub),
    apply: () => stub,
    construct: () => stub,
  });
  Module._load = (request: string, ...rest: unknown[]) =>
    request === "vscode" ? stub : load(request, ...rest);
  try {
    const client = require(join(out, "extension.cjs")) as Record<string, unknown>;
    expect(typeof client.activate).toBe("function");
    expect(typeof client.deactivate).toBe("function");
  } finally {
    Module._load = load;
  }
}, 60_000);

it("the bundled server checks a document on its bundled worker", async () => {
  expect(existsSync(join(out, "server.js"))).toBe(true);
  const proc = spawn(process.execPath, [join(out, "server.js"), "--stdio"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.push(proc);
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const connection = createMessageConnection(
    new StreamMessageReader(proc.stdout!),
    new StreamMessageWriter(proc.stdin!),
  );
  connection.listen();
  await connection.sendRequest("initialize", { processId: null, rootUri: null, capabilities: {} });
  connection.sendNotification("initialized", {});
  const published = new Promise<{ diagnostics: { code: string }[] }>((resolve) =>
    connection.onNotification("textDocument/publishDiagnostics", (p) => resolve(p as never)),
  );
  connection.sendNotification("textDocument/didOpen", {
    textDocument: {
      uri: "file:///b.cdz",
      languageId: "cadenza",
      version: 1,
      text: "let x = nope\n",
    },
  });
  expect((await published).diagnostics.map((d) => d.code)).toEqual(["eval/undefined-variable"]);
  await connection.sendRequest("shutdown");
  connection.sendNotification("exit");
  await new Promise((resolve) => proc.on("exit", resolve));
  expect(proc.exitCode).toBe(0);
  // The worker bundle loaded: no restart and no fallback to the main thread.
  expect(stderr).not.toContain("engine");
}, 60_000);
