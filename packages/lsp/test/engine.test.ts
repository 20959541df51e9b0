import { SourceFile } from "@cadenza/core";
import { analyzeSource } from "@cadenza/ide";
import { describe, expect, it } from "vitest";
import type { AnalysisHost } from "../src/compiler.ts";
import { Engine } from "../src/engine.ts";
import type { FromEngine, ToEngine } from "../src/protocol.ts";

/**
 * A compiler whose analyses take `steps` steps each and record every step, so that tests can
 * see in which order the engine works and whether it resumes or restarts.
 */
function fakeHost(steps: number) {
  const texts = new Map<string, string>();
  const log: string[] = [];
  let started = 0;
  const host: AnalysisHost = {
    setFile: (path, text) => void texts.set(path, text),
    removeFile: (path) => void texts.delete(path),
    setEvaluationSteps: () => {},
    analyze(path) {
      const text = texts.get(path) ?? "";
      started++;
      let done = 0;
      return {
        step() {
          log.push(`${path}#${++done}`);
          if (done < steps) return { done: false, phase: "work" };
          return { done: true, analysis: analyzeSource(new SourceFile(path, text)) };
        },
      };
    },
    outline: () => undefined,
    text: (path) => texts.get(path),
    setWorkspace: () => false,
    analysis: (path) => analyzeSource(new SourceFile(path, texts.get(path) ?? "")),
    source: (path) => new SourceFile(path, texts.get(path) ?? ""),
    files: () => [...texts.keys()],
    dependsOn: () => false,
    exportCandidates: () => [],
  };
  return { host, log, started: () => started };
}

function run(host: AnalysisHost) {
  const out: FromEngine[] = [];
  let waiters: (() => void)[] = [];
  const engine = new Engine({
    host,
    post: (m) => {
      out.push(m);
      for (const w of waiters) w();
    },
  });
  const until = (test: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      if (test()) return resolve();
      const w = (): void => {
        if (!test()) return;
        waiters = waiters.filter((x) => x !== w);
        resolve();
      };
      waiters.push(w);
    });
  const published = (): string[] =>
    out.flatMap((m) => (m.kind === "diagnostics" ? [`${m.uri}@${m.version}`] : []));
  return { engine, out, until, published };
}

const update = (uri: string, version: number, open: boolean): ToEngine => ({
  kind: "update",
  uri,
  version,
  text: `let x${version} = 1\n`,
  open,
});

describe("the engine's scheduling", () => {
  it("checks the focused document first, then open ones, then the rest", async () => {
    const { host } = fakeHost(1);
    const { engine, until, published } = run(host);
    engine.receive({
      kind: "batch",
      messages: [
        update("disk-a", 1, false),
        update("open-b", 1, true),
        update("disk-c", 1, false),
        update("open-d", 1, true),
        { kind: "focus", uri: "open-d" },
      ],
    });
    await until(() => published().length === 4);
    expect(published()).toEqual(["open-d@1", "open-b@1", "disk-a@1", "disk-c@1"]);
  });

  it("lets an edit pre-empt a background check, which then resumes where it stopped", async () => {
    const { host, log, started } = fakeHost(3);
    const { engine, until, published } = run(host);
    engine.receive(update("disk", 1, false));
    // Let the engine run the first step of the background check, and no more.
    while (log.length < 1) await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(["disk#1"]);
    engine.receive(update("open", 1, true));
    await until(() => published().length === 2);
    expect(published()).toEqual(["open@1", "disk@1"]);
    // The background check was not restarted: three steps in all, one fiber each.
    expect(log.filter((s) => s.startsWith("disk"))).toEqual(["disk#1", "disk#2", "disk#3"]);
    expect(started()).toBe(2);
  });

  it("never publishes a version that an edit replaced", async () => {
    const { host } = fakeHost(3);
    const { engine, until, published } = run(host);
    engine.receive(update("doc", 1, true));
    engine.receive(update("doc", 2, true));
    engine.receive(update("doc", 3, true));
    await until(() => published().includes("doc@3"));
    expect(published()).toEqual(["doc@3"]);
  });

  it("checks a file again when it is opened with a version number it had on disk", async () => {
    const { host } = fakeHost(1);
    const { engine, until, published } = run(host);
    engine.receive(update("file", 1, false));
    await until(() => published().length === 1);
    engine.receive(update("file", 1, true));
    await until(() => published().length === 2);
    expect(published()).toEqual(["file@1", "file@1"]);
  });

  it("checks an importer again when a file it imports changes, stamped as a dependency check", async () => {
    const { host } = fakeHost(1);
    // `main` imports `lib`.
    host.dependsOn = (path, target) => path === "main" && target === "lib";
    const { engine, out, until, published } = run(host);
    engine.receive({
      kind: "batch",
      messages: [update("main", 1, true), update("lib", 1, true), update("other", 1, true)],
    });
    await until(() => published().length === 3);
    engine.receive(update("lib", 2, true));
    await until(() => published().length === 5);
    expect(published().slice(3).sort()).toEqual(["lib@2", "main@1"]);
    const again = out.filter((m) => m.kind === "diagnostics" && m.uri === "main");
    expect(again.map((m) => m.kind === "diagnostics" && m.dependency === true)).toEqual([
      false,
      true,
    ]);
    // The same text again changes nothing: no importer is checked again.
    engine.receive({ kind: "update", uri: "lib", version: 3, text: "let x2 = 1\n", open: true });
    await until(() => published().length === 6);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(published().slice(5)).toEqual(["lib@3"]);
  });

  it("reports a crashing analysis as a warning and keeps serving", async () => {
    const { host } = fakeHost(1);
    const crashing: AnalysisHost = {
      ...host,
      analyze: (path) =>
        path === "bad"
          ? {
              step: () => {
                throw new Error("boom");
              },
            }
          : host.analyze(path),
    };
    const { engine, out, until, published } = run(crashing);
    engine.receive(update("bad", 1, true));
    engine.receive(update("good", 1, true));
    await until(() => published().length === 2);
    const bad = out.find((m) => m.kind === "diagnostics" && m.uri === "bad");
    expect(JSON.stringify(bad)).toContain("internal error while checking this file: boom");
    expect(out.some((m) => m.kind === "log" && m.message.includes("boom"))).toBe(true);
    engine.receive({
      kind: "request",
      id: 1,
      method: "textDocument/documentSymbol",
      uri: "bad",
      version: 1,
      params: { textDocument: { uri: "bad" } },
    });
    await until(() => out.some((m) => m.kind === "response"));
    expect(out.find((m) => m.kind === "response")).toMatchObject({ error: { code: -32603 } });
  });

  it("answers a request after checking its document first", async () => {
    const { host } = fakeHost(2);
    const { engine, out, until } = run(host);
    engine.receive(update("other", 1, true));
    engine.receive(update("doc", 1, false));
    engine.receive({
      kind: "request",
      id: 7,
      method: "textDocument/documentSymbol",
      uri: "doc",
      version: 1,
      params: { textDocument: { uri: "doc" } },
    });
    await until(() => out.some((m) => m.kind === "response"));
    const order = out.flatMap((m) =>
      m.kind === "diagnostics" ? [m.uri] : m.kind === "response" ? [`response ${m.id}`] : [],
    );
    expect(order.slice(0, 2)).toEqual(["doc", "response 7"]);
  });
});

describe("answers while checking", () => {
  const text1 = "fn double x = x * 2\nlet y = double 4\n";
  // An edit on the first line: `let y = double 4` moves by 8 characters and is unchanged.
  const text2 = "fn double x = x * 2 + 0 * x\nlet y = double 4\n";
  const open = (uri: string, version: number, text: string): ToEngine => ({
    kind: "update",
    uri,
    version,
    text,
    open: true,
  });
  const hover = (id: number, version: number, line: number, character: number): ToEngine => ({
    kind: "request",
    id,
    method: "textDocument/hover",
    uri: "doc",
    version,
    params: { textDocument: { uri: "doc" }, position: { line, character } },
  });
  const response = (out: FromEngine[], id: number) =>
    out.find((m) => m.kind === "response" && m.id === id) as
      | { result?: { range: unknown; contents: { value: string } }; error?: { code: number } }
      | undefined;

  it("answers hover outside the edit from the previous analysis, before the check ends", async () => {
    const { host } = fakeHost(40);
    const { engine, out, until, published } = run(host);
    engine.receive(open("doc", 1, text1));
    await until(() => published().includes("doc@1"));
    engine.receive(open("doc", 2, text2));
    engine.receive(hover(1, 2, 1, 10));
    await until(() => response(out, 1) !== undefined);
    expect(published()).not.toContain("doc@2");
    expect(response(out, 1)?.result?.contents.value).toContain("fn double x");
    expect(response(out, 1)?.result?.range).toEqual({
      start: { line: 1, character: 8 },
      end: { line: 1, character: 14 },
    });
  });

  it("waits for the current analysis when the position is in the edited text", async () => {
    const { host } = fakeHost(40);
    const { engine, out, until, published } = run(host);
    engine.receive(open("doc", 1, text1));
    await until(() => published().includes("doc@1"));
    engine.receive(open("doc", 2, text2));
    // On `x` of `0 * x`, which the edit added.
    engine.receive(hover(1, 2, 0, 26));
    await until(() => response(out, 1) !== undefined);
    expect(published()).toContain("doc@2");
    expect(response(out, 1)?.result?.contents.value).toContain("*parameter*");
  });

  it("a replica checks only when told to, publishes nothing, and declines what it cannot answer", async () => {
    const { host, log } = fakeHost(3);
    const out: FromEngine[] = [];
    let wake: (() => void) | undefined;
    const engine = new Engine({
      host,
      replica: true,
      post: (m) => {
        out.push(m);
        wake?.();
      },
    });
    const until = (test: () => boolean): Promise<void> =>
      new Promise((resolve) => {
        wake = () => test() && resolve();
        wake();
      });
    engine.receive(open("doc", 1, text1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual([]);
    // Nothing to answer from yet.
    engine.receive(hover(1, 1, 1, 10));
    await until(() => response(out, 1) !== undefined);
    expect(response(out, 1)?.error?.code).toBe(-32099);
    engine.receive({ kind: "sync" });
    await until(() => log.length === 3 && out.some((m) => m.kind === "idle" && m.received === 1));
    engine.receive(open("doc", 2, text2));
    engine.receive(hover(2, 2, 1, 10));
    engine.receive(hover(3, 2, 0, 26));
    await until(() => response(out, 3) !== undefined);
    expect(response(out, 2)?.result?.contents.value).toContain("fn double x");
    expect(response(out, 3)?.error?.code).toBe(-32099);
    // It kept the old text: no check started without a sync.
    expect(log).toHaveLength(3);
    expect(out.some((m) => m.kind === "diagnostics" || m.kind === "progress")).toBe(false);
  });

  it("reports idle with the number of messages handled", async () => {
    const { host } = fakeHost(2);
    const { engine, out, until } = run(host);
    engine.receive(update("a", 1, true));
    engine.receive({ kind: "focus", uri: "a" });
    await until(() => out.some((m) => m.kind === "idle" && m.received === 2));
    const idles = out.filter((m) => m.kind === "idle");
    expect(idles.at(-1)).toEqual({ kind: "idle", received: 2 });
    // A status request gives no work: it is not counted.
    engine.receive({ kind: "status", id: 1, gc: false });
    expect(out.at(-2)).toMatchObject({ kind: "status", status: { role: "primary", busy: false } });
    expect(out.at(-1)).toEqual({ kind: "idle", received: 2 });
  });
});

describe("after a check", () => {
  it("prepares the analysis (names, type table) before reporting idle", async () => {
    const { host } = fakeHost(1);
    let typeLookups = 0;
    const preparing: AnalysisHost = {
      ...host,
      analyze: (path) => {
        const fiber = host.analyze(path);
        return {
          step: () => {
            const r = fiber.step();
            if (!r.done || r.analysis.types === undefined) return r;
            const types = r.analysis.types;
            const table = new Proxy(types.types, {
              get: (target, key, receiver) =>
                key === "typeOf"
                  ? (node: never) => {
                      typeLookups++;
                      return target.typeOf(node);
                    }
                  : Reflect.get(target, key, receiver),
            });
            return { done: true, analysis: { ...r.analysis, types: { ...types, types: table } } };
          },
        };
      },
    };
    const { engine, out, until } = run(preparing);
    engine.receive(update("doc", 1, true));
    await until(() => out.some((m) => m.kind === "idle" && m.received === 1));
    const published = out.findIndex((m) => m.kind === "diagnostics");
    const idle = out.findIndex((m) => m.kind === "idle" && m.received === 1);
    expect(published).toBeGreaterThanOrEqual(0);
    expect(idle).toBeGreaterThan(published);
    expect(typeLookups).toBeGreaterThan(0);
  });
});
