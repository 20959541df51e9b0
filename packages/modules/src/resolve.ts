import { dirname, joinPath, normalizePath } from "./path.js";

/** The file extension of Cadenza modules. */
export const MODULE_EXTENSION = ".cdz";

/**
 * The files `import a.b` from `importer` may mean, in the order they are tried
 * (docs/spec/15-modules.md): `a/b.cdz` relative to the importing file, then relative to the
 * source root (when there is one and it is another folder).
 */
export function candidatePaths(
  importer: string,
  path: readonly string[],
  root: string | undefined,
): string[] {
  const relative = `${path.join("/")}${MODULE_EXTENSION}`;
  const out = [joinPath(dirname(importer), relative)];
  if (root !== undefined) {
    const fromRoot = joinPath(root, relative);
    if (!out.includes(fromRoot)) out.push(fromRoot);
  }
  return out;
}

/** The folders whose modules could have been meant by a path that resolved to nothing. */
export function searchFolders(
  importer: string,
  path: readonly string[],
  root: string | undefined,
): string[] {
  const prefix = path.slice(0, -1).join("/");
  const out = [joinPath(dirname(importer), prefix)];
  if (root !== undefined) {
    const fromRoot = joinPath(root, prefix);
    if (!out.includes(fromRoot)) out.push(fromRoot);
  }
  return out;
}

/**
 * How a module is named in messages: its path under the root with `.` between folders and
 * without the extension (`shapes/circle.cdz` → `shapes.circle`); the bare file name for a
 * file outside the root.
 */
export function moduleName(file: string, root: string | undefined): string {
  const f = normalizePath(file);
  let rel = f;
  if (root !== undefined) {
    const r = normalizePath(root);
    const prefix = r === "." ? "" : r.endsWith("/") ? r : `${r}/`;
    if (prefix === "" && !f.startsWith("/") && !f.startsWith("../")) rel = f;
    else if (prefix !== "" && f.startsWith(prefix)) rel = f.slice(prefix.length);
    else rel = f.slice(f.lastIndexOf("/") + 1);
  } else {
    rel = f.slice(f.lastIndexOf("/") + 1);
  }
  if (rel.endsWith(MODULE_EXTENSION)) rel = rel.slice(0, -MODULE_EXTENSION.length);
  return rel.split("/").join(".");
}
