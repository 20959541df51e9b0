import type { MemoryIO } from "../src/memory-io.js";

/** Waits (a few turns of the event loop at a time) until `done` holds. */
export async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i++) await new Promise((r) => setTimeout(r, 1));
  if (!done()) throw new Error("timed out waiting");
}

/** What was written to stderr since `from` characters, with timings normalised. */
export function since(io: MemoryIO, from: number): string {
  return io
    .err()
    .slice(from)
    .replace(/in \d+(\.\d+)? ms/g, "in T ms");
}
