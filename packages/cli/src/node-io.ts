import { type FSWatcher, readFileSync, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { createInterface } from "node:readline";
import type { CliIO, WatchEvent } from "./io.js";

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
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    readLines: () => createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
    stdinIsTTY: process.stdin.isTTY === true,
    watch: watchFile,
  };
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
