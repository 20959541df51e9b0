import type { CliIO, LineEditor, WatchEvent } from "./io.js";

/** An in-memory {@link CliIO} that records what the CLI wrote. */
export interface MemoryIO extends CliIO {
  /** Everything written to stdout so far. */
  readonly out: () => string;
  /** Everything written to stderr so far. */
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

/** Options of {@link memoryIO}. */
export interface MemoryIOOptions {
  /** The environment variables the CLI sees. */
  readonly env?: Record<string, string>;
  /** Whether stdout and stderr claim to be terminals. */
  readonly tty?: boolean;
  /** The whole of standard input. */
  readonly stdin?: string;
}

/** A path as the key of a file: without a leading `./` (`.` is the working directory). */
function entry(path: string): string {
  let p = path;
  while (p.startsWith("./")) p = p.slice(2);
  return p === "." ? "" : p;
}

/** The prefix of the keys of the files inside a folder (`""` for the working directory). */
function folder(path: string): string {
  const p = entry(path);
  return p === "" || p.endsWith("/") ? p : `${p}/`;
}

/**
 * A {@link CliIO} over an in-memory file system (`files` maps paths to texts, directories are
 * implied by the paths), for embedding the CLI and for tests: nothing touches the process.
 */
export function memoryIO(
  files: Record<string, string> = {},
  options: MemoryIOOptions = {},
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
      const text = files[entry(path)];
      if (text === undefined) {
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      }
      return text;
    },
    async stat(path) {
      if (files[entry(path)] !== undefined) return "file";
      const prefix = folder(path);
      return Object.keys(files).some((f) => f.startsWith(prefix)) ? "directory" : undefined;
    },
    async readDirectory(path) {
      const prefix = folder(path);
      const names = Object.keys(files)
        .filter((f) => f.startsWith(prefix))
        .map((f) => f.slice(prefix.length).split("/")[0]!);
      return [...new Set(names)];
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
