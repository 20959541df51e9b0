import { type Diagnostic, diagnostic, type Span } from "@cadenza/core";
import {
  type Node as JsonNode,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import { dirname, joinPath } from "./path.js";

/** The file name of a project manifest. */
export const MANIFEST_NAME = "cadenza.json";

/** A project as its `cadenza.json` describes it (docs/spec/15-modules.md). */
export interface Manifest {
  /** The manifest's own path. */
  readonly path: string;
  /** The folder the manifest is in. */
  readonly folder: string;
  readonly name: string;
  /** The source root (a path, joined onto the manifest's folder). */
  readonly source: string;
  /** The entry module's path (joined onto the source root). */
  readonly entry: string;
}

/** A manifest read from its text, with what is wrong with it. */
export interface ManifestResult {
  /** Undefined when the manifest is unusable (an error was reported). */
  readonly manifest: Manifest | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const FIELDS = ["name", "source", "entry"];

/**
 * Reads a `cadenza.json` manifest: `name` (required), `source` (default `"."`) and `entry`
 * (default `"main.cdz"`). JSON mistakes and fields of the wrong type are errors at their
 * position in the manifest, unknown fields warnings. Checking that the entry exists is the
 * host's business (it has the files).
 */
export function parseManifest(path: string, text: string): ManifestResult {
  const diagnostics: Diagnostic[] = [];
  const error = (span: Span, message: string, label: string, helps: string[] = []): void => {
    diagnostics.push(
      diagnostic({
        code: "modules/invalid-manifest",
        message,
        file: path,
        primary: { span, message: label },
        helps,
      }),
    );
  };
  if (text.trim() === "") {
    error({ start: 0, end: 0 }, "invalid project manifest", "the manifest is empty", [
      'a manifest is a JSON object such as { "name": "app" }',
    ]);
    return { manifest: undefined, diagnostics };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  // Only the first syntax error: the parser's recovery makes the later ones mostly echoes of it
  // (`{name: 1}` alone gives three).
  const first = errors[0];
  if (first !== undefined || root === undefined) {
    const at =
      first === undefined
        ? { start: 0, end: 0 }
        : { start: first.offset, end: first.offset + first.length };
    const what = first === undefined ? "not JSON" : describe(printParseErrorCode(first.error));
    error(at, "invalid project manifest", `JSON syntax: ${what}`);
    return { manifest: undefined, diagnostics };
  }
  if (root.type !== "object") {
    error(
      spanOf(root),
      "invalid project manifest",
      'expected an object such as `{ "name": "app" }`',
    );
    return { manifest: undefined, diagnostics };
  }
  const fields = new Map<string, JsonNode>();
  for (const property of root.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key === undefined || value === undefined) continue;
    const name = String(key.value);
    if (fields.has(name)) {
      error(spanOf(key), "invalid project manifest", `\`${name}\` is given twice`);
      continue;
    }
    fields.set(name, value);
    if (!FIELDS.includes(name)) {
      diagnostics.push(
        diagnostic({
          severity: "warning",
          code: "modules/unknown-manifest-field",
          message: `unknown field \`${name}\` in the project manifest`,
          file: path,
          primary: { span: spanOf(key), message: "ignored" },
          helps: [`the fields are ${FIELDS.map((f) => `\`${f}\``).join(", ")}`],
        }),
      );
    }
  }
  const text_ = (field: string): string | undefined => {
    const node = fields.get(field);
    if (node === undefined) return undefined;
    if (node.type !== "string" || typeof node.value !== "string" || node.value === "") {
      error(spanOf(node), "invalid project manifest", `\`${field}\` must be a non-empty string`);
      return undefined;
    }
    return node.value;
  };
  const name = text_("name");
  if (!fields.has("name"))
    error(
      { start: root.offset, end: root.offset + 1 },
      "invalid project manifest",
      "the project has no `name`",
      ['add a name, for example "name": "app"'],
    );
  else if (name !== undefined && !NAME.test(name))
    error(
      spanOf(fields.get("name")!),
      "invalid project manifest",
      "a project name is letters, digits, `-` and `_`, starting with a letter",
    );
  const source = text_("source") ?? (fields.has("source") ? undefined : ".");
  const entry = text_("entry") ?? (fields.has("entry") ? undefined : "main.cdz");
  for (const [field, value] of [
    ["source", source],
    ["entry", entry],
  ] as const) {
    if (value?.startsWith("/"))
      error(
        spanOf(fields.get(field)!),
        "invalid project manifest",
        `\`${field}\` must be a relative path`,
      );
  }
  if (
    diagnostics.some((d) => d.severity === "error") ||
    name === undefined ||
    source === undefined ||
    entry === undefined
  )
    return { manifest: undefined, diagnostics };
  const folder = dirname(path);
  const sourceRoot = joinPath(folder, source);
  return {
    manifest: { path, folder, name, source: sourceRoot, entry: joinPath(sourceRoot, entry) },
    diagnostics,
  };
}

/**
 * The span of a top-level field's value in a manifest's text (for the host's errors about it,
 * such as an `entry` that does not exist), or the empty span at 0 when there is no such field.
 */
export function manifestFieldSpan(text: string, field: string): Span {
  const root = parseTree(text, [], { disallowComments: true });
  for (const property of root?.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key?.value === field && value !== undefined) return spanOf(value);
  }
  return { start: 0, end: 0 };
}

function spanOf(node: JsonNode): Span {
  return { start: node.offset, end: node.offset + node.length };
}

/** A JSON syntax error in words, from its `printParseErrorCode` name. */
function describe(code: string): string {
  switch (code) {
    case "CommaExpected":
      return "expected `,`";
    case "ColonExpected":
      return "expected `:`";
    case "CloseBraceExpected":
      return "expected `}`";
    case "CloseBracketExpected":
      return "expected `]`";
    case "PropertyNameExpected":
      return "expected a field name in double quotes";
    case "ValueExpected":
      return "expected a value";
    case "EndOfFileExpected":
      return "expected the end of the file";
    case "InvalidCommentToken":
      return "comments are not allowed";
    case "InvalidSymbol":
      return "not a JSON value (strings are in double quotes)";
    default:
      // The other names read well split into words: `InvalidEscapeCharacter`.
      return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  }
}
