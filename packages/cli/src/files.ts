import { join } from "node:path";
import type { CliIO } from "./io.js";

/** The file extension of Cadenza sources. */
export const SOURCE_EXTENSION = ".cdz";

/**
 * The source files named on a command line: a file stays as given, a directory becomes every
 * `.cdz` file below it (sorted, skipping `node_modules` and hidden folders), `-` stays
 * standard input. A path that does not exist is kept, so reading it reports the error.
 */
export async function expandSourcePaths(io: CliIO, paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    if (path !== "-" && (await io.stat(path)) === "directory") out.push(...(await walk(io, path)));
    else out.push(path);
  }
  return out;
}

async function walk(io: CliIO, dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of [...(await io.readDirectory(dir))].sort()) {
    if (name.startsWith(".") || name === "node_modules") continue;
    const path = join(dir, name);
    const kind = await io.stat(path);
    if (kind === "directory") found.push(...(await walk(io, path)));
    else if (kind === "file" && name.endsWith(SOURCE_EXTENSION)) found.push(path);
  }
  return found;
}
