import { type Diagnostic, diagnostic, type Span } from "@cadenza/core";
import type { Node } from "@cadenza/syntax";

/** One name of `import m (a, b)`, where it is written. */
export interface ImportedName {
  readonly name: string;
  readonly span: Span;
}

/** What an import binds (docs/spec/15-modules.md). */
export type ImportForm =
  /** `import m (a, b)`: the listed names. */
  | { readonly kind: "names"; readonly names: readonly ImportedName[] }
  /** `import m *`: every export; `span` is the `*`. */
  | { readonly kind: "all"; readonly span: Span }
  /** `import m as q`: a namespace `q`; `span` is the alias. */
  | { readonly kind: "alias"; readonly alias: string; readonly span: Span };

/** A top-level import of a file. */
export interface ImportDecl {
  /** The whole item, with its `@`/`##` wrappers. */
  readonly item: Node;
  /** The `import …` application itself. */
  readonly node: Node;
  /** The module path: `a.b` → `["a", "b"]`. */
  readonly path: readonly string[];
  /** Where the path is written. */
  readonly pathSpan: Span;
  readonly form: ImportForm;
  /** `@export` before the import: what it binds is re-exported. */
  readonly exported: boolean;
}

/** The imports of a file and the mistakes in writing them. */
export interface FileImports {
  readonly imports: readonly ImportDecl[];
  readonly diagnostics: readonly Diagnostic[];
}

const FORMS = "`import PATH (a, b)`, `import PATH *` or `import PATH as q`";

/** The dotted module path a node spells (`a`, `a.b`), or undefined. */
export function modulePath(node: Node): string[] | undefined {
  if (node.kind === "ident")
    return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(node.name) ? [node.name] : undefined;
  if (node.kind === "apply" && isIdent(node.callee, ".") && node.args.length === 2) {
    const left = modulePath(node.args[0]!);
    const right = node.args[1]!;
    if (left === undefined || right.kind !== "ident") return undefined;
    const last = modulePath(right);
    return last === undefined ? undefined : [...left, ...last];
  }
  return undefined;
}

/** The item without its `@attr` and `##` wrappers, and whether `@export` is among them. */
export function unwrapItem(item: Node): { readonly core: Node; readonly exported: boolean } {
  let core = item;
  let exported = false;
  while (core.kind === "apply" && core.args.length === 2) {
    if (isIdent(core.callee, "@")) exported ||= isIdent(core.args[0]!, "export");
    else if (!isIdent(core.callee, "__doc__")) break;
    core = core.args[1]!;
  }
  return { core, exported };
}

/** Whether a top-level item (possibly wrapped) is an import. */
export function isImportItem(item: Node): boolean {
  const { core } = unwrapItem(item);
  return core.kind === "apply" && isIdent(core.callee, "import");
}

/**
 * Reads the imports of a file from its parsed items: the three forms of docs/spec/15-modules.md,
 * `invalid import` for anything else spelt `import …` at the top level, and `import must be at
 * the top level of a file` for an import anywhere else (outside `quote`).
 */
export function readImports(file: string, items: readonly Node[]): FileImports {
  const imports: ImportDecl[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const item of items) {
    const { core, exported } = unwrapItem(item);
    if (isIdent(core, "import")) {
      // A bare `import` lowers to the identifier alone, not to an application.
      invalidImport(file, core.span, "the module path is missing", diagnostics);
    } else if (core.kind === "apply" && isIdent(core.callee, "import")) {
      const decl = readImport(file, item, core, exported, diagnostics);
      if (decl !== undefined) imports.push(decl);
      for (const arg of core.args) findNested(file, arg, diagnostics);
    } else {
      findNested(file, core, diagnostics);
    }
  }
  return { imports, diagnostics };
}

function readImport(
  file: string,
  item: Node,
  node: Node & { kind: "apply" },
  exported: boolean,
  diagnostics: Diagnostic[],
): ImportDecl | undefined {
  const invalid = (span: Span, label: string): undefined => {
    invalidImport(file, span, label, diagnostics);
    return undefined;
  };
  const args = node.args;
  if (args.length === 0) return invalid(node.span, "the module path is missing");
  const pathNode = args[0]!;
  const path = modulePath(pathNode);
  if (path === undefined)
    return invalid(pathNode.span, "expected a module path such as `geometry` or `shapes.circle`");
  const base = { item, node, path, pathSpan: pathNode.span, exported };
  if (args.length === 1)
    return invalid(node.span, "say what to import: a list of names, `*` or `as NAME`");
  if (args.length === 2) {
    const what = args[1]!;
    if (isIdent(what, "*")) return { ...base, form: { kind: "all", span: what.span } };
    if (isIdent(what, "as")) return invalid(what.span, "expected a name after `as`");
    // `(a)` lowers to the name alone: only the closing parenthesis, inside the import's span
    // but after the name's, tells `import m (a)` from `import m a`.
    if (what.kind === "ident" && what.span.end === node.span.end)
      return invalid(what.span, `write the name in parentheses: \`(${what.name})\``);
    if (what.kind === "apply" && isIdent(what.callee, "__tuple__") && what.args.length === 0)
      return invalid(what.span, "the list of names is empty");
    const names = importList(what);
    if (names === undefined)
      return invalid(what.span, "expected a parenthesised list of names, `*` or `as NAME`");
    return { ...base, form: { kind: "names", names } };
  }
  if (args.length === 3 && isIdent(args[1]!, "as")) {
    const alias = args[2]!;
    if (alias.kind === "ident" && modulePath(alias)?.length === 1)
      return { ...base, form: { kind: "alias", alias: alias.name, span: alias.span } };
    return invalid(alias.span, "expected a name after `as`");
  }
  return invalid(node.span, "this is not one of the three forms of import");
}

/** `(a, b)` (a tuple of names) or `(a)` (one name). */
function importList(node: Node): ImportedName[] | undefined {
  if (node.kind === "ident")
    return modulePath(node)?.length === 1 ? [{ name: node.name, span: node.span }] : undefined;
  if (node.kind !== "apply" || !isIdent(node.callee, "__tuple__")) return undefined;
  const out: ImportedName[] = [];
  for (const a of node.args) {
    if (a.kind !== "ident" || modulePath(a)?.length !== 1) return undefined;
    out.push({ name: a.name, span: a.span });
  }
  return out;
}

function invalidImport(file: string, span: Span, label: string, diagnostics: Diagnostic[]): void {
  diagnostics.push(
    diagnostic({
      code: "modules/invalid-import",
      message: "invalid import",
      file,
      primary: { span, message: label },
      helps: [`an import is written ${FORMS}`],
    }),
  );
}

function findNested(file: string, node: Node, diagnostics: Diagnostic[]): void {
  if (node.kind !== "apply") return;
  if (isIdent(node.callee, "quote")) return;
  if (isIdent(node.callee, "import")) {
    diagnostics.push(
      diagnostic({
        code: "modules/nested-import",
        message: "import must be at the top level of a file",
        file,
        primary: { span: node.span, message: "this import is inside another expression" },
        helps: [
          "move it to the top level of the file; what it imports is then visible everywhere in the file",
        ],
      }),
    );
  }
  findNested(file, node.callee, diagnostics);
  for (const a of node.args) findNested(file, a, diagnostics);
}

function isIdent(node: Node, name: string): boolean {
  return node.kind === "ident" && node.name === name;
}
