/**
 * Document URIs and the compiler's paths. The driver and `@cadenza/modules` work on
 * `/`-separated paths (`import a.b` from `/w/src/main.cdz` tries `/w/src/a/b.cdz`), so the
 * engine gives the compiler the path of each `file:` URI and maps paths back to URIs in
 * results. Other schemes (`untitled:`) are kept as they are: such a file has no folder, so
 * only the source root can resolve its imports.
 */
import { fileURLToPath, pathToFileURL } from "node:url";

/** The compiler's path of a document URI. */
export function uriToPath(uri: string): string {
  if (!uri.startsWith("file:")) return uri;
  try {
    const path = fileURLToPath(uri);
    return process.platform === "win32" ? path.replace(/\\/g, "/") : path;
  } catch {
    return uri;
  }
}

/** The URI of a compiler path (for a file no client URI is known for). */
export function pathToUri(path: string): string {
  if (path.startsWith("/") || /^[A-Za-z]:\//.test(path)) return pathToFileURL(path).href;
  return path;
}

/** The platform path of a compiler path of a `file:` URI (for reading the disk). */
export function diskPath(path: string): string | undefined {
  if (path.startsWith("/") || /^[A-Za-z]:\//.test(path)) return path;
  return undefined;
}
