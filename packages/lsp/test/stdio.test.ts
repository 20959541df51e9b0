import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it, onTestFailed } from "vitest";
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver/node";

let child: ChildProcess | undefined;

afterEach(() => {
  if (child?.exitCode === null) child.kill();
  child = undefined;
});

function start(): {
  connection: MessageConnection;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const entry = fileURLToPath(new URL("./stdio-entry.ts", import.meta.url));
  const proc = spawn(
    process.execPath,
    ["--conditions=@cadenza/source", "--import", "tsx", entry, "--stdio"],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  child = proc;
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const connection = createMessageConnection(
    new StreamMessageReader(proc.stdout!),
    new StreamMessageWriter(proc.stdin!),
  );
  connection.listen();
  return { connection, exited, stderr: () => stderr };
}

it("serves over stdio, survives garbage, and exits cleanly after shutdown", async () => {
  const { connection, exited, stderr } = start();
  onTestFailed(() => console.error(`server stderr:\n${stderr()}`));
  const init = await connection.sendRequest<{
    capabilities: Record<string, unknown>;
    serverInfo: unknown;
  }>("initialize", { processId: null, rootUri: null, capabilities: {} });
  expect(init.serverInfo).toEqual({ name: "cadenza-lsp", version: "test" });
  // Only what works is advertised: no formatting until a formatter exists.
  expect(init.capabilities).not.toHaveProperty("documentFormattingProvider");
  expect(init.capabilities).toHaveProperty("hoverProvider", true);
  connection.sendNotification("initialized", {});
  const uri = "file:///stdio/main.cdz";
  const published = new Promise<{ version: number; diagnostics: unknown[] }>((resolve) =>
    connection.onNotification("textDocument/publishDiagnostics", (p) => resolve(p as never)),
  );
  connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "cadenza", version: 4, text: "let x = 1\nlet y = x + z\n" },
  });
  expect((await published).version).toBe(4);
  // A header without Content-Length, then broken JSON: both are dropped.
  child!.stdin!.write("X-Garbage: 1\r\n\r\n");
  child!.stdin!.write("Content-Length: 5\r\n\r\n{oops");
  const hover = await connection.sendRequest<{ contents: { value: string } }>(
    "textDocument/hover",
    {
      textDocument: { uri },
      position: { line: 1, character: 8 },
    },
  );
  expect(hover.contents.value).toContain("let x");
  await connection.sendRequest("shutdown");
  connection.sendNotification("exit");
  expect(await exited).toBe(0);
}, 30_000);

it("exits with 1 when the client goes away without shutdown", async () => {
  const { connection, exited } = start();
  await connection.sendRequest("initialize", { processId: null, rootUri: null, capabilities: {} });
  child!.stdin!.end();
  expect(await exited).toBe(1);
}, 30_000);
