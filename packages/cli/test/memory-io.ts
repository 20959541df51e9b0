import type { CliIO, LineEditor, WatchEvent } from "../src/io.js";

/** An in-memory {@link CliIO} that records what the CLI wrote. */
export interface MemoryIO extends CliIO {
  readonly out: () => string;
  readonly err: () => string;
  /** Replaces a file's text (undefined removes it) and tells its watchers. */
  readonly change: (path: string, text: string | undefined) => void;
  /** Ends every watch, as Ctrl-C does. */
  readonly endWatching: () => void;
  /** The paths being watched. */
  readonly watching: () => string[];
  /** The line editor the last `readLines` was given (the REPL's prompt, history, completion). */
  readonly editor: () => LineEditor | undefined;
}

export function memoryIO(
  files: Record<string, string> = {},
  options: { env?: Record<string, string>; tty?: boolean; stdin?: string } = {},
): MemoryIO {
  let out = "";
  let err = "";
  const watchers = new Set<{ path: string; onChange: (event: WatchEvent) => void }>();
  let editor: LineEditor | undefined;
  return {
    stdout: { write: (t) => void (out += t), isTTY: options.tty ?? false },
    stderr: { write: (t) => void (err += t), isTTY: options.tty ?? false },
    env: options.env ?? {},
    cwd: "/work",
    async readFile(path) {
      const text = files[path];
      if (text === undefined) {
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      }
      return text;
    },
    readStdin: async () => options.stdin ?? "",
    async *readLines(lineEditor) {
      editor = lineEditor;
      const lines = (options.stdin ?? "").split("\n");
      if (lines[lines.length - 1] === "") lines.pop();
      yield* lines;
    },
    stdinIsTTY: false,
    async appendFile(path, text) {
      files[path] = (files[path] ?? "") + text;
    },
    watch(path, onChange) {
      const w = { path, onChange };
      watchers.add(w);
      return () => void watchers.delete(w);
    },
    out: () => out,
    err: () => err,
    change(path, text) {
      if (text === undefined) delete files[path];
      else files[path] = text;
      for (const w of [...watchers]) if (w.path === path) w.onChange("change");
    },
    endWatching() {
      for (const w of [...watchers]) w.onChange("end");
    },
    watching: () => [...watchers].map((w) => w.path),
    editor: () => editor,
  };
}
