/**
 * Modules over a {@link CliIO}: the compiler reads imported modules through a synchronous
 * {@link ModuleHost}, and the CLI reads files asynchronously, so the modules of a program are
 * read ahead. {@link ModuleFiles.load} follows the imports of the files given to it — parsing
 * each file's imports, trying the files each may mean in the order of the rules — reading every
 * file it reaches (and listing the folders of imports that resolve to nothing, for "did you
 * mean"), until the graph is closed; the compiler then gets a host over what was read.
 */
import { normalizeSource, SourceFile } from "@cadenza/core";
import type { Compiler } from "@cadenza/driver";
import {
  candidatePaths,
  dirname,
  joinPath,
  MODULE_EXTENSION,
  type ModuleHost,
  normalizePath,
  readImports,
  searchFolders,
} from "@cadenza/modules";
import { parse } from "@cadenza/syntax";
import type { CliIO } from "./io.js";

/**
 * How the compiler names a file given on the command line: `/` separators and no `.` or `..`
 * segments where they can go, so that a module reached through two spellings of its path is
 * one module (`./a.cdz` and `a.cdz`; `dir\a.cdz` on Windows).
 */
export function modulePath(path: string): string {
  return normalizePath(path.replaceAll("\\", "/"));
}

/**
 * The files of the programs being compiled, read through a {@link CliIO} ahead of the
 * compiler (see the module comment). Texts are normalised (LANGUAGE.md §2) as `readSource`
 * does; a file that cannot be read is a missing module.
 */
export class ModuleFiles {
  /** Path → normalised text, or undefined for a file that does not exist. */
  private readonly texts = new Map<string, string | undefined>();
  /** Folder → the `.cdz` files directly in it. */
  private readonly listings = new Map<string, readonly string[]>();
  /** Path → the module paths its imports spell, for the text they were read from. */
  private readonly parsed = new Map<string, { text: string; paths: readonly string[][] }>();

  /** The host the compiler reads modules through: what was read, and nothing else. */
  readonly host: ModuleHost = {
    readFile: (path) => this.texts.get(path),
    listModules: (folder) => this.listings.get(folder) ?? [],
  };

  constructor(
    private readonly io: CliIO,
    /** The source root the compiler is given (imports try `ROOT/a/b.cdz`). */
    readonly root: string,
  ) {}

  /** Sets a file's text as already read (standard input, a file read to report its errors). */
  set(path: string, text: string | undefined): void {
    this.texts.set(path, text);
  }

  /** Forgets what was read of a file (it changed), so that the next `load` reads it again. */
  forget(path: string): void {
    this.texts.delete(path);
  }

  /**
   * Forgets the files found missing and the folders listed, so that the next `load` looks
   * for them again (files may have appeared since).
   */
  refresh(): void {
    for (const [path, text] of [...this.texts]) if (text === undefined) this.texts.delete(path);
    this.listings.clear();
  }

  /** The text of a file that was read, or undefined (missing, or not read). */
  text(path: string): string | undefined {
    return this.texts.get(path);
  }

  /** The files that were read and exist, in the order they were first read. */
  files(): string[] {
    return [...this.texts].filter(([, t]) => t !== undefined).map(([p]) => p);
  }

  /**
   * Reads every module reachable from `entries` through imports (and the folders listed in
   * suggestions for imports that resolve to nothing); files already read are not read again.
   */
  async load(entries: readonly string[]): Promise<void> {
    const seen = new Set<string>();
    const queue = [...entries];
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = await this.read(file);
      if (text === undefined) continue;
      for (const path of this.importPaths(file, text)) {
        let found: string | undefined;
        for (const candidate of candidatePaths(file, path, this.root)) {
          if ((await this.read(candidate)) !== undefined) {
            found = candidate;
            break;
          }
        }
        if (found !== undefined) queue.push(found);
        else for (const folder of searchFolders(file, path, this.root)) await this.list(folder);
      }
    }
  }

  /**
   * Brings the compiler up to date with what was read: sets every file that exists (a no-op
   * for an unchanged text) and removes the ones that no longer do.
   */
  sync(compiler: Compiler): void {
    const known = new Set(compiler.files());
    for (const [path, text] of this.texts) {
      if (text !== undefined) compiler.setFile(path, text);
      else if (known.has(path)) compiler.removeFile(path);
    }
  }

  private async read(path: string): Promise<string | undefined> {
    if (this.texts.has(path)) return this.texts.get(path);
    let text: string | undefined;
    try {
      text = normalizeSource(await this.io.readFile(path));
    } catch {
      text = undefined;
    }
    this.texts.set(path, text);
    return text;
  }

  private async list(folder: string): Promise<void> {
    if (this.listings.has(folder)) return;
    let names: readonly string[] = [];
    try {
      names = (await this.io.readDirectory(folder)).filter((n) => n.endsWith(MODULE_EXTENSION));
    } catch {
      // No such folder: nothing to suggest from it.
    }
    this.listings.set(folder, [...names].sort());
  }

  private importPaths(file: string, text: string): readonly string[][] {
    const known = this.parsed.get(file);
    if (known?.text === text) return known.paths;
    // Most files import nothing: no need to parse them here (the compiler parses them anyway).
    if (!text.includes("import")) return [];
    const items = parse(new SourceFile(file, text)).items;
    const paths = readImports(file, items).imports.map((d) => [...d.path]);
    this.parsed.set(file, { text, paths });
    return paths;
  }
}

/**
 * The nearest `cadenza.json` in `folder` or a folder above it (up to the root of the file
 * system, reached with `..` from the working directory for a relative folder), or undefined.
 */
export async function findManifest(
  io: CliIO,
  folder: string,
  name: string,
): Promise<string | undefined> {
  // How many `..` lead from the working directory to the root of the file system.
  const depth = io.cwd.split(/[\\/]/).filter((s) => s !== "" && !/^[A-Za-z]:$/.test(s)).length;
  let current = modulePath(folder);
  for (let i = 0; i < 256; i++) {
    const candidate = joinPath(current, name);
    if ((await io.stat(candidate)) === "file") return candidate;
    if (isAbsolute(current)) {
      const parent = dirname(current);
      if (parent === current || parent === ".") return undefined;
      current = parent;
      continue;
    }
    const parent = joinPath(current, "..");
    if (parent.split("/").filter((s) => s === "..").length > depth) return undefined;
    current = parent;
  }
  return undefined;
}

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:/.test(path);
}
