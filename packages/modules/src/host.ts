/**
 * How the module system reaches files. The package does no IO of its own: the CLI reads the
 * file system, the language server its open documents and then the disk, a browser whatever
 * it has. Paths use `/` separators.
 */
export interface ModuleHost {
  /** The text of a file, or undefined when there is none. */
  readFile(path: string): string | undefined;
  /** The `.cdz` files directly in a folder (file names), for "did you mean" suggestions. */
  listModules?(folder: string): readonly string[];
}

/** A host over a fixed set of files (tests, browsers). */
export function memoryHost(files: Readonly<Record<string, string>>): ModuleHost {
  return {
    readFile: (path) => (Object.hasOwn(files, path) ? files[path] : undefined),
    listModules: (folder) => {
      const prefix = folder === "." ? "" : `${folder}/`;
      return Object.keys(files)
        .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes("/"))
        .map((p) => p.slice(prefix.length))
        .filter((name) => name.endsWith(".cdz"))
        .sort();
    },
  };
}
