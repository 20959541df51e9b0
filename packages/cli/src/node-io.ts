import { type FSWatcher, readFileSync, watch } from "node:fs";
import { appendFile, readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { createInterface } from "node:readline";
import type { CliIO, LineEditor, WatchEvent } from "./io.js";

/** The real process as a {@link CliIO}. */
export function nodeIO(): CliIO {
  return {
    stdout: {
      write: (text) => void process.stdout.write(text),
      isTTY: process.stdout.isTTY === true,
    },
    stderr: {
      write: (text) => void process.stderr.write(text),
      isTTY: process.stderr.isTTY === true,
    },
    env: process.env,
    cwd: process.cwd(),
    readFile: (path) => readFile(path, "utf8"),
    stat: async (path) => {
      try {
        const s = await stat(path);
        return s.isDirectory() ? "directory" : s.isFile() ? "file" : undefined;
      } catch {
        return undefined;
      }
    },
    readDirectory: (path) => readdir(path),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    readLines: (editor) =>
      editor !== undefined && process.stdin.isTTY === true
        ? editLines(editor)
        : createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
    appendFile: (path, text) => appendFile(path, text, "utf8"),
    stdinIsTTY: process.stdin.isTTY === true,
    watch: watchFile,
  };
}

/**
 * Lines from the terminal through node's readline: the editor's prompt before each line,
 * its history (arrow keys), its completion (Tab). Ctrl-C clears the line being typed; Ctrl-D
 * on an empty line ends the input.
 */
async function* editLines(editor: LineEditor): AsyncIterable<string> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stderr,
    terminal: true,
    history: [...editor.history],
    historySize: 1000,
    removeHistoryDuplicates: true,
    completer: (line: string) => editor.complete(line),
  });
  rl.on("SIGINT", () => {
    rl.write(null, { ctrl: true, name: "e" });
    rl.write(null, { ctrl: true, name: "u" });
    editor.interrupt?.();
    process.stderr.write("\n");
    rl.setPrompt(editor.prompt());
    rl.prompt();
  });
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  rl.on("line", (line) => {
    lines.push(line);
    wake?.();
  });
  rl.on("close", () => {
    closed = true;
    wake?.();
  });
  try {
    for (;;) {
      rl.setPrompt(editor.prompt());
      rl.prompt();
      while (lines.length === 0 && !closed) await new Promise<void>((r) => (wake = r));
      const line = lines.shift();
      if (line === undefined) return;
      yield line;
    }
  } finally {
    rl.close();
  }
}

/**
 * Watches a file through its directory, so that editors that save by writing a new file and
 * renaming it over the old one are followed too; reports bursts of events once (after 50 ms
 * of quiet), and `end` on Ctrl-C (SIGINT), which then no longer kills the process at once.
 */
function watchFile(path: string, onChange: (event: WatchEvent) => void): () => void {
  const name = basename(path);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), (_event, file) => {
      if (file !== null && file !== name) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        onChange("change");
      }, 50);
    });
    watcher.on("error", () => undefined);
  } catch {
    // The directory is gone: nothing to watch, the end still comes with Ctrl-C.
  }
  const interrupted = (): void => onChange("end");
  process.once("SIGINT", interrupted);
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    watcher?.close();
    process.off("SIGINT", interrupted);
  };
}

/** The version of this package, read from its package.json (beside `src/` and `dist/`). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}
