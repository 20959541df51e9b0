import type { CliIO } from "../src/io.js";

/** An in-memory {@link CliIO} that records what the CLI wrote. */
export interface MemoryIO extends CliIO {
  readonly out: () => string;
  readonly err: () => string;
}

export function memoryIO(
  files: Record<string, string> = {},
  options: { env?: Record<string, string>; tty?: boolean; stdin?: string } = {},
): MemoryIO {
  let out = "";
  let err = "";
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
    async *readLines() {
      const lines = (options.stdin ?? "").split("\n");
      if (lines[lines.length - 1] === "") lines.pop();
      yield* lines;
    },
    stdinIsTTY: false,
    out: () => out,
    err: () => err,
  };
}
