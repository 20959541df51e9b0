/**
 * A usage error (unknown flag, missing argument, bad value): reported in one line with a hint
 * and exit code 2.
 */
export class UsageError extends Error {
  override readonly name: string = "UsageError";
}

/** Exit codes of every `cadenza` command. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** The program or its input has errors (diagnostics were printed). */
  failure: 1,
  /** The command line itself is wrong. */
  usage: 2,
} as const;

/** Turns an error thrown by `fs` into a short sentence for the user. */
export function describeFileError(path: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "ENOENT":
      return `cannot read ${path}: no such file`;
    case "EISDIR":
      return `cannot read ${path}: it is a directory`;
    case "EACCES":
    case "EPERM":
      return `cannot read ${path}: permission denied`;
    default:
      return `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
