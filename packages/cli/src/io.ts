/** An output stream the CLI writes to. */
export interface OutputStream {
  write(text: string): void;
  /** Whether the stream is a terminal (colour and progress are only shown on one). */
  readonly isTTY: boolean;
}

/**
 * Everything the CLI needs from the outside world. `bin.ts` passes the real process; tests
 * pass an in-memory one, which is why no command touches `process` or `fs` directly.
 */
export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The working directory that relative paths are resolved against. */
  readonly cwd: string;
  /** Reads a UTF-8 text file; throws a Node-style error (with `code`) when it cannot. */
  readFile(path: string): Promise<string>;
  /** What is at `path`: a file, a directory, or nothing (`undefined`). */
  stat(path: string): Promise<"file" | "directory" | undefined>;
  /** The names of the entries of a directory (not their paths), in no particular order. */
  readDirectory(path: string): Promise<readonly string[]>;
  /** Reads standard input to its end (used for `-` as a file name). */
  readStdin(): Promise<string>;
  /**
   * Standard input as lines without their line breaks, each as soon as it arrives. With an
   * `editor`, and when standard input is a terminal, lines are read with a line editor
   * (prompt, history, completion) that draws on stderr.
   */
  readLines(editor?: LineEditor): AsyncIterable<string>;
  /** Appends UTF-8 text to a file, creating it when missing (the REPL's history). */
  appendFile(path: string, text: string): Promise<void>;
  /** Whether standard input is a terminal (the REPL prompts only then). */
  readonly stdinIsTTY: boolean;
  /**
   * Watches a file: `onChange("change")` after it changed (changes in quick succession may
   * be reported once), and `onChange("end")` once when watching ends for good (the user
   * interrupted the process). Returns a function that stops watching.
   */
  watch(path: string, onChange: (event: WatchEvent) => void): () => void;
}

/** How {@link CliIO.readLines} edits lines on a terminal. */
export interface LineEditor {
  /** The prompt shown before the next line. */
  prompt(): string;
  /** Completions of the line up to the cursor, and the ending of the line they replace. */
  complete(line: string): [string[], string];
  /** Earlier lines, most recent first. */
  readonly history: readonly string[];
  /** Ctrl-C: the line being typed is dropped; the editor may drop more (a pending entry). */
  interrupt?(): void;
}

/** What {@link CliIO.watch} reports. */
export type WatchEvent = "change" | "end";
