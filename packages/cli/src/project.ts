/**
 * What a path on the command line means for modules (docs/spec/15-modules.md): a folder with
 * a `cadenza.json` is a project (its source root, its entry); a folder without one is its own
 * source root with no entry; a file belongs to the project of the nearest `cadenza.json` in
 * its folder or above, or else has its own folder as source root.
 */
import { type Diagnostic, diagnostic, SourceFile } from "@cadenza/core";
import {
  dirname,
  joinPath,
  MANIFEST_NAME,
  type Manifest,
  manifestFieldSpan,
  parseManifest,
} from "@cadenza/modules";
import type { CliIO } from "./io.js";
import { findManifest, modulePath } from "./modules.js";

/** A `cadenza.json` that was read: its text, what it says, what is wrong with it. */
export interface ManifestFile {
  /** Its path (how the compiler and the diagnostics name it). */
  readonly path: string;
  readonly source: SourceFile;
  /** Undefined when the manifest has errors. */
  readonly manifest: Manifest | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** A path given on the command line, as modules see it. */
export interface Target {
  /** `file` (or standard input, `-`) or `folder`. */
  readonly kind: "file" | "folder";
  /** The path as given. */
  readonly path: string;
  /** The source root imports resolve against. */
  readonly root: string;
  /**
   * The project's manifest: the folder's own for a folder, the nearest one for a file
   * (undefined when there is none).
   */
  readonly manifest: ManifestFile | undefined;
}

/** Reads and parses a manifest; undefined when it cannot be read. */
export async function readManifest(io: CliIO, path: string): Promise<ManifestFile | undefined> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch {
    return undefined;
  }
  const source = SourceFile.fromRaw(path, text);
  const { manifest, diagnostics } = parseManifest(path, source.text);
  return { path, source, manifest, diagnostics };
}

/**
 * What `path` means (see the module comment). The root falls back to the folder itself (or
 * the file's folder) when the manifest has errors, so that the files can still be checked.
 */
export async function resolveTarget(io: CliIO, path: string): Promise<Target> {
  if (path === "-") return { kind: "file", path, root: ".", manifest: undefined };
  const key = modulePath(path);
  if ((await io.stat(path)) === "directory") {
    const candidate = joinPath(key, MANIFEST_NAME);
    const manifest =
      (await io.stat(candidate)) === "file" ? await readManifest(io, candidate) : undefined;
    return { kind: "folder", path, root: manifest?.manifest?.source ?? key, manifest };
  }
  const found = await findManifest(io, dirname(key), MANIFEST_NAME);
  const manifest = found === undefined ? undefined : await readManifest(io, found);
  return { kind: "file", path, root: manifest?.manifest?.source ?? dirname(key), manifest };
}

/** The error for a project whose source root is not a folder, at the `source` field. */
export function missingSource(file: ManifestFile, manifest: Manifest): Diagnostic {
  return diagnostic({
    code: "modules/invalid-manifest",
    message: "the source root does not exist",
    file: file.path,
    primary: {
      span: manifestFieldSpan(file.source.text, "source"),
      message: `there is no folder ${manifest.source}`,
    },
    helps: ['set "source" to the folder of the modules, relative to the manifest'],
  });
}

/**
 * The error for a project whose entry module does not exist, at the `entry` field of the
 * manifest (or at its opening brace when the default entry is meant).
 */
export function missingEntry(file: ManifestFile, manifest: Manifest): Diagnostic {
  const text = file.source.text;
  let span = manifestFieldSpan(text, "entry");
  const given = span.end > span.start;
  if (!given) {
    const brace = Math.max(0, text.indexOf("{"));
    span = { start: brace, end: brace + 1 };
  }
  const relative = manifest.entry.startsWith(`${manifest.source}/`)
    ? manifest.entry.slice(manifest.source.length + 1)
    : manifest.entry;
  return diagnostic({
    code: "modules/invalid-manifest",
    message: `the entry module \`${relative}\` does not exist`,
    file: file.path,
    primary: {
      span,
      message: given ? `there is no ${manifest.entry}` : `the default entry is ${manifest.entry}`,
    },
    helps: [
      `set "entry" to the module to run, relative to the source root (${manifest.source === "." ? "the project folder" : manifest.source})`,
    ],
  });
}
