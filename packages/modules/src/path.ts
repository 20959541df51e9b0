/**
 * POSIX-style path arithmetic on module paths. The package does no IO and runs in browsers, so
 * it does not use `node:path`; hosts hand in paths with `/` separators (the CLI converts).
 */

/** The folder of a path (`"a/b.cdz"` → `"a"`, `"b.cdz"` → `"."`, `"/b.cdz"` → `"/"`). */
export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  if (i < 0) return ".";
  if (i === 0) return "/";
  return path.slice(0, i);
}

/** The last segment of a path. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Joins path segments and normalises the result (`.` and `..` removed where possible). */
export function joinPath(...parts: readonly string[]): string {
  return normalizePath(parts.filter((p) => p !== "").join("/"));
}

/** Removes `.` segments, resolves `..` against earlier segments, and collapses `//`. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (segment === ".." && absolute) continue;
    else out.push(segment);
  }
  const joined = out.join("/");
  if (absolute) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** `to` relative to the folder `from` (both normalised, both absolute or both relative). */
export function relativePath(from: string, to: string): string {
  const a =
    from === "."
      ? []
      : normalizePath(from)
          .split("/")
          .filter((s) => s !== "");
  const b = normalizePath(to)
    .split("/")
    .filter((s) => s !== "");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => "..");
  const rest = [...up, ...b.slice(i)].join("/");
  return rest === "" ? "." : rest;
}
