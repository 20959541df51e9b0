/**
 * The VS Code client of the Cadenza language server. It starts the server bundled with the
 * extension (`dist/server.js`, run by VS Code's own Node.js over stdio), or the command named
 * by `cadenza.server.path` (`cadenza lsp --stdio`), and connects it to `.cdz` documents.
 * Everything else — what to check, when, and how — is the server's.
 */
import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

/** The commands this extension contributes, by id (the manifest lists the same). */
export const COMMANDS = {
  restartServer: "cadenza.restartServer",
  showOutput: "cadenza.showOutput",
} as const;

/** The notification telling the server which document has the focus (checked first). */
export const FOCUS_NOTIFICATION = "cadenza/didFocus";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

/** How to start the server: the configured command, or the bundled server on VS Code's Node.js. */
export function serverOptions(context: vscode.ExtensionContext, serverPath: string): ServerOptions {
  if (serverPath.trim() !== "") {
    const command = {
      command: serverPath,
      args: ["lsp", "--stdio"],
      transport: TransportKind.stdio,
    };
    return { run: command, debug: command };
  }
  const module = context.asAbsolutePath("dist/server.js");
  return {
    run: { module, transport: TransportKind.stdio },
    debug: {
      module,
      transport: TransportKind.stdio,
      options: { execArgv: ["--nolazy", "--inspect=6009"] },
    },
  };
}

/** The `cadenza` settings as plain data, for the server's initialisation. */
function settingsSnapshot(): unknown {
  return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration("cadenza")));
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const serverPath = vscode.workspace.getConfiguration("cadenza").get<string>("server.path", "");
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: "cadenza" }],
    synchronize: {
      configurationSection: "cadenza",
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.cdz"),
    },
    initializationOptions: { settings: settingsSnapshot() },
    ...(output === undefined ? {} : { outputChannel: output }),
  };
  return new LanguageClient(
    "cadenza",
    "Cadenza Language Server",
    serverOptions(context, serverPath),
    clientOptions,
  );
}

function focus(editor: vscode.TextEditor | undefined): void {
  if (client === undefined || editor?.document.languageId !== "cadenza") return;
  void client.sendNotification(FOCUS_NOTIFICATION, { uri: editor.document.uri.toString() });
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  const old = client;
  client = undefined;
  if (old !== undefined) await old.stop().catch(() => undefined);
  client = createClient(context);
  await client.start();
  focus(vscode.window.activeTextEditor);
}

/** Called by VS Code when a Cadenza file is opened. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("Cadenza Language Server", { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(COMMANDS.restartServer, () => restart(context)),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output?.show(true)),
    vscode.window.onDidChangeActiveTextEditor(focus),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The other settings reach the running server; a different server needs a restart.
      if (e.affectsConfiguration("cadenza.server.path")) void restart(context);
    }),
  );
  client = createClient(context);
  await client.start();
  focus(vscode.window.activeTextEditor);
}

/** Called by VS Code on shutdown. */
export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  await c?.stop();
}
