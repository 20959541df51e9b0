/**
 * Editor features across the files of a project, on plain data: what a name at the cursor
 * is as a project-wide symbol (its defining file and name), its references and its rename in
 * any analysed file, and the edit that imports an exported name (docs/spec/15-modules.md).
 * The host gives each file's analysis with its import table (`FileAnalysis.imports`) and
 * decides which files to look at.
 */
import type { Span, TextEdit } from "@cadenza/core";
import { type ImportDecl, isImportItem, readImports } from "@cadenza/modules";
import type { Node } from "@cadenza/syntax";
import type { FileAnalysis, ImportedSymbol } from "./analysis.js";
import { bindingType, declaration, slice } from "./describe.js";
import type { Reference } from "./references.js";
import { findConflict, isValidName } from "./rename.js";
import { type Binding, type BindingKind, resolveNames } from "./resolve.js";

/**
 * The top-level imports of a file, in order (as `readImports` gives them, without walking the
 * other items, which only matters for diagnostics of misplaced imports).
 */
export function importDecls(file: string, items: readonly Node[]): readonly ImportDecl[] {
  return readImports(file, items.filter(isImportItem)).imports;
}

/** A definition of a project: the file that defines it and its name there. */
export interface ProjectSymbol {
  readonly file: string;
  readonly name: string;
}

/** An exported name of a module of the project, which a file could import. */
export interface ExportCandidate {
  /** The module as `import` writes it (`geometry`, `shapes.circle`). */
  readonly module: string;
  readonly name: string;
  readonly kind: BindingKind;
  /** Its type or declaration. */
  readonly detail: string | undefined;
  readonly doc: string | undefined;
}

/**
 * The top-level binding of the file that other files could import under `name`: the last
 * top-level definition of that name, not an imported one.
 */
function topLevelBinding(file: FileAnalysis, name: string): Binding | undefined {
  let found: Binding | undefined;
  for (const b of resolveNames(file).bindings)
    if (b.topLevel && b.parent === undefined && !b.fromImport && b.name === name) found = b;
  return found;
}

/**
 * A top-level definition of `file` as an importer sees it (for a host building import
 * tables): undefined when the file defines no such name.
 */
export function describeExport(
  file: FileAnalysis,
  name: string,
  module: string,
): ImportedSymbol | undefined {
  const b = topLevelBinding(file, name);
  if (b === undefined) return undefined;
  return {
    file: file.source.name,
    name,
    module,
    kind: b.kind,
    type: bindingType(file, b),
    declaration: declaration(file, b),
    doc: b.doc,
    span: b.site.span,
    definitionSpan: b.definition.span,
    params: b.params?.map((p) => slice(file, p, 30)),
  };
}

/**
 * The project-wide symbol of the name at `offset`: an imported name (the definition it
 * refers to), or a top-level definition of the file. Undefined for local names, built-ins,
 * fields and names nothing is known about.
 */
export function symbolAt(file: FileAnalysis, offset: number): ProjectSymbol | undefined {
  const o = resolveNames(file).occurrenceAt(offset);
  if (o === undefined || o.target.kind !== "binding") return undefined;
  const b = o.target.binding;
  if (b.imported !== undefined) return { file: b.imported.file, name: b.imported.name };
  if (b.fromImport || !b.topLevel || b.parent !== undefined || b.kind === "parameter")
    return undefined;
  if (topLevelBinding(file, b.name) !== b) return undefined;
  return { file: file.source.name, name: b.name };
}

/** The bindings of a file that stand for `symbol`: its definition, or the names importing it. */
function bindingsOf(file: FileAnalysis, symbol: ProjectSymbol): Binding[] {
  if (file.source.name === symbol.file) {
    const b = topLevelBinding(file, symbol.name);
    return b === undefined ? [] : [b];
  }
  return resolveNames(file).bindings.filter(
    (b) => b.imported?.file === symbol.file && b.imported.name === symbol.name,
  );
}

/**
 * The occurrences of `symbol` in one file, in source order: in its defining file the
 * definition and its uses; in another file the import lists that name it, the uses of the
 * names they bind (by a list or by `*`) and `q.name` through a namespace.
 */
export function referencesTo(
  file: FileAnalysis,
  symbol: ProjectSymbol,
  includeDeclaration = true,
): Reference[] {
  const resolution = resolveNames(file);
  const own = file.source.name === symbol.file;
  const out: Reference[] = [];
  for (const b of bindingsOf(file, symbol)) {
    for (const r of resolution.referencesOf(b)) {
      const declaration = own && r.role === "definition";
      if (declaration && !includeDeclaration) continue;
      out.push({
        span: r.ident.span,
        kind: declaration ? "definition" : r.role === "write" ? "write" : "read",
      });
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The edits of a rename across files, by file, or why it cannot be done. */
export type ProjectRenameResult =
  | { readonly kind: "ok"; readonly edits: ReadonlyMap<string, readonly TextEdit[]> }
  | { readonly kind: "error"; readonly message: string };

/**
 * Renames a project symbol in every given file: the definition and its uses in the defining
 * file, and in the others the import lists that name it, the uses of what they bind and the
 * `q.name` accesses. Refused when the defining file is not among `files`, when the
 * definition cannot be renamed by itself (made by a macro, by `@si`), or when the new name
 * would clash in one of the files (captured, already defined or already imported there).
 */
export function renameAcross(
  files: readonly FileAnalysis[],
  symbol: ProjectSymbol,
  newName: string,
): ProjectRenameResult {
  const error = (message: string): ProjectRenameResult => ({ kind: "error", message });
  if (!isValidName(newName)) return error(`\`${newName}\` is not a valid name`);
  const home = files.find((f) => f.source.name === symbol.file);
  if (home === undefined)
    return error(`\`${symbol.name}\` is defined in ${symbol.file}, which is not available`);
  const definition = topLevelBinding(home, symbol.name);
  if (definition === undefined)
    return error(`\`${symbol.name}\` is not a top-level definition of ${symbol.file}`);
  if (definition.fixed !== undefined) return error(definition.fixed);
  if (newName === symbol.name) return { kind: "ok", edits: new Map() };
  const edits = new Map<string, TextEdit[]>();
  for (const file of files) {
    const bindings = bindingsOf(file, symbol);
    if (bindings.length === 0) continue;
    const resolution = resolveNames(file);
    const name = file.source.name;
    const where = (s: Span): string => {
      const { line, column } = file.source.lineColumn(s.start);
      return `${name}:${line}:${column}`;
    };
    // The new name must not already mean something at the top of the file: a definition, or
    // a name another import binds (the rename would make a conflicting import).
    const clash = resolution.bindings.find(
      (b) =>
        b.name === newName &&
        !bindings.includes(b) &&
        (b.fromImport ? b.parent === undefined : b.topLevel && b.parent === undefined),
    );
    if (clash !== undefined)
      return error(
        clash.fromImport
          ? `\`${newName}\` is already imported in ${where(clash.site.span)}`
          : `\`${newName}\` is already defined at ${where(clash.site.span)}`,
      );
    // `q.newName` that names nothing today would name the renamed definition.
    for (const q of resolution.bindings) {
      if (q.kind !== "module" || !q.members.some((m) => bindings.includes(m))) continue;
      for (const o of resolution.occurrences) {
        if (o.ident.name !== newName || o.target.kind !== "unresolved") continue;
        const before = file.source.text.slice(0, o.ident.span.start);
        const receiver = before.slice(0, -q.name.length - 1);
        if (before.endsWith(`${q.name}.`) && !/[\p{L}\p{N}_]$/u.test(receiver))
          return error(
            `renaming to \`${newName}\` would make \`${q.name}.${newName}\` at ${where(o.ident.span)} refer to it`,
          );
      }
    }
    const out: TextEdit[] = [];
    for (const b of bindings) {
      // `q.name` is qualified: nothing in scope can capture it.
      if (b.parent?.kind !== "module") {
        const conflict = findConflict(file, resolution, b, newName);
        if (conflict !== undefined) return error(`in ${name}: ${conflict}`);
      }
      for (const o of resolution.referencesOf(b))
        out.push({
          span: o.ident.span,
          newText: o.shorthand ? `${o.ident.name} = ${newName}` : newName,
        });
    }
    if (file === home) {
      // Units made by `@si kilo` on a renamed measure follow its name.
      for (const child of resolution.bindings) {
        if (child.parent !== definition || child.prefix === undefined) continue;
        for (const o of resolution.referencesOf(child))
          if (o.role !== "definition")
            out.push({ span: o.ident.span, newText: child.prefix + newName });
      }
    }
    if (out.length > 0)
      edits.set(
        name,
        out.sort((a, b) => a.span.start - b.span.start),
      );
  }
  return { kind: "ok", edits };
}

/**
 * Where a new import goes: at the start of the line after the file's last top-level import,
 * or at the start of the file when it has none.
 */
export function importOffset(file: FileAnalysis): number {
  const decls = importDecls(file.source.name, file.parse.items);
  const last = decls[decls.length - 1];
  if (last === undefined) return 0;
  const text = file.source.text;
  const newline = text.indexOf("\n", last.item.span.end);
  return newline < 0 ? text.length : newline + 1;
}

/** The edit that adds `import MODULE (name)` after the file's imports. */
export function importEdit(file: FileAnalysis, module: string, name: string): TextEdit {
  const at = importOffset(file);
  const text = file.source.text;
  // At the end of a file without a final line break, start a new line first.
  const before = at === text.length && at > 0 && text[at - 1] !== "\n" ? "\n" : "";
  return { span: { start: at, end: at }, newText: `${before}import ${module} (${name})\n` };
}
