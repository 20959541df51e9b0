import { readFileSync } from "node:fs";
import { parseSettings } from "@cadenza/lsp";
import { beforeEach, describe, expect, it, vi } from "vitest";

/** What the fake VS Code and language client saw. */
const seen = vi.hoisted(() => ({
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  clients: [] as {
    id: string;
    server: unknown;
    options: { documentSelector: unknown; initializationOptions: unknown };
    notifications: [string, unknown][];
    started: number;
    stopped: number;
  }[],
  editorListener: undefined as ((editor: unknown) => void) | undefined,
  configListener: undefined as
    | ((e: { affectsConfiguration(s: string): boolean }) => void)
    | undefined,
  settings: {} as Record<string, unknown>,
}));

vi.mock("vscode", () => ({
  window: {
    createOutputChannel: () => ({ show: vi.fn(), dispose: vi.fn() }),
    onDidChangeActiveTextEditor: (listener: (e: unknown) => void) => {
      seen.editorListener = listener;
      return { dispose() {} };
    },
    activeTextEditor: undefined,
  },
  commands: {
    registerCommand: (id: string, run: (...args: unknown[]) => unknown) => {
      seen.commands.set(id, run);
      return { dispose() {} };
    },
  },
  workspace: {
    getConfiguration: () => ({
      ...seen.settings,
      get: (key: string, fallback: unknown) => seen.settings[key] ?? fallback,
    }),
    createFileSystemWatcher: () => ({ dispose() {} }),
    onDidChangeConfiguration: (
      listener: (e: { affectsConfiguration(s: string): boolean }) => void,
    ) => {
      seen.configListener = listener;
      return { dispose() {} };
    },
  },
}));

vi.mock("vscode-languageclient/node", () => ({
  TransportKind: { stdio: 0, ipc: 1 },
  LanguageClient: class {
    readonly record;
    constructor(id: string, _name: string, server: unknown, options: never) {
      this.record = {
        id,
        server,
        options,
        notifications: [] as [string, unknown][],
        started: 0,
        stopped: 0,
      };
      seen.clients.push(this.record);
    }
    async start() {
      this.record.started++;
    }
    async stop() {
      this.record.stopped++;
    }
    async sendNotification(method: string, params: unknown) {
      this.record.notifications.push([method, params]);
    }
  },
}));

const { activate, COMMANDS, deactivate } = await import("../src/extension.ts");

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, { default: unknown; type: string }> };
  };
};

const context = {
  subscriptions: [] as unknown[],
  asAbsolutePath: (p: string) => `/ext/${p}`,
};

beforeEach(async () => {
  await deactivate();
  seen.commands.clear();
  seen.clients.length = 0;
  seen.settings = {};
});

describe("the language client", () => {
  it("registers exactly the commands the manifest contributes", async () => {
    await activate(context as never);
    expect([...seen.commands.keys()].sort()).toEqual(
      manifest.contributes.commands.map((c) => c.command).sort(),
    );
    expect(Object.values(COMMANDS).sort()).toEqual([...seen.commands.keys()].sort());
  });

  it("starts the bundled server over stdio for Cadenza documents", async () => {
    seen.settings = { "diagnostics.debounceMs": 50 };
    await activate(context as never);
    const [client] = seen.clients;
    expect(client?.id).toBe("cadenza");
    expect(client?.started).toBe(1);
    expect(client?.server).toMatchObject({ run: { module: "/ext/dist/server.js", transport: 0 } });
    expect(client?.options.documentSelector).toEqual([{ language: "cadenza" }]);
    expect(client?.options.initializationOptions).toEqual({
      settings: { "diagnostics.debounceMs": 50 },
    });
  });

  it("runs `cadenza lsp --stdio` when cadenza.server.path is set", async () => {
    seen.settings = { "server.path": "/usr/local/bin/cadenza" };
    await activate(context as never);
    expect(seen.clients[0]?.server).toMatchObject({
      run: { command: "/usr/local/bin/cadenza", args: ["lsp", "--stdio"] },
    });
  });

  it("tells the server which Cadenza document has the focus", async () => {
    await activate(context as never);
    const uri = { toString: () => "file:///a.cdz" };
    seen.editorListener?.({ document: { languageId: "cadenza", uri } });
    seen.editorListener?.({ document: { languageId: "markdown", uri } });
    expect(seen.clients[0]?.notifications).toEqual([
      ["cadenza/didFocus", { uri: "file:///a.cdz" }],
    ]);
  });

  it("restarts the server on the command and when the server path changes", async () => {
    await activate(context as never);
    await seen.commands.get("cadenza.restartServer")?.();
    expect(seen.clients.map((c) => [c.started, c.stopped])).toEqual([
      [1, 1],
      [1, 0],
    ]);
    seen.configListener?.({ affectsConfiguration: (s) => s === "cadenza.server.path" });
    await vi.waitFor(() => expect(seen.clients).toHaveLength(3));
  });
});

describe("settings", () => {
  const properties = manifest.contributes.configuration.properties;
  const clientOnly = new Set(["cadenza.server.path", "cadenza.trace.server"]);

  it("declares the server's defaults", () => {
    const defaults = parseSettings({});
    expect(properties["cadenza.diagnostics.debounceMs"]?.default).toBe(defaults.debounceMs);
    expect(properties["cadenza.diagnostics.workspace"]?.default).toBe(
      defaults.workspaceDiagnostics,
    );
    expect(properties["cadenza.evaluation.steps"]?.default).toBe(defaults.evaluationSteps);
    for (const kind of ["variableTypes", "parameterTypes", "returnTypes", "units"] as const)
      expect(properties[`cadenza.inlayHints.${kind}`]?.default).toBe(defaults.inlayHints[kind]);
  });

  it("declares only settings the server (or the client) reads", () => {
    const defaults = JSON.stringify(parseSettings({}));
    for (const [key, property] of Object.entries(properties)) {
      if (clientOnly.has(key)) continue;
      const changed = property.type === "boolean" ? !property.default : 4321;
      const parsed = JSON.stringify(parseSettings({ [key.slice("cadenza.".length)]: changed }));
      expect(parsed, key).not.toBe(defaults);
    }
  });
});
