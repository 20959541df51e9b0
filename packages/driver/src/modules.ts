/**
 * Modules as queries (docs/spec/15-modules.md). The module graph is read from each file's
 * parse alone, so that finding the files and the cycles never depends on evaluation:
 *
 *     parse ─► imports ─► importTargets ─► moduleCycles
 *                              │                │
 *     definitions ─► exports ◄─┴──── importScope ◄┘ ─► evaluate (hoisted, read on demand)
 *                       │                 │
 *     signatures ─► exportSignatures ─────┴─► declarations (types), infer (namespaces)
 *                       │
 *                       └─► exportSignature(file, name) ─► infer (imported names)
 *
 * An importer reads only `exports`, exported signatures (one name's where it uses one name)
 * and the importee's declarations, each compared structurally: a body edit that keeps a
 * module's exported signatures re-runs no query of its importers, and a signature change
 * re-checks only the groups that use the name (or a namespace of its module). Imported values are read when the importer's evaluation first needs
 * one, which is when that evaluation starts to depend on the importee's.
 */
import type { Diagnostic, Span } from "@cadenza/core";
import type { Value } from "@cadenza/eval";
import {
  candidatePaths,
  closestName,
  conflictingImport,
  type ImportDecl,
  importCycle,
  importCycles,
  MODULE_EXTENSION,
  moduleName,
  privateName,
  readImports,
  searchFolders,
  unknownImport,
  unknownModule,
  unwrapItem,
} from "@cadenza/modules";
import type { Definition } from "./definitions.js";

/** An import of a file, as the module queries keep it: no syntax objects, the item's span. */
export type ImportInfo = Omit<ImportDecl, "item" | "node"> & { readonly span: Span };

/** The imports of a file and the mistakes in writing them. */
export interface ImportsResult {
  readonly imports: readonly ImportInfo[];
  readonly diagnostics: readonly Diagnostic[];
}

/** What a name exported by a module is. */
export type ExportEntry =
  /** A definition: `file` and `name` are where it is defined (through re-exports). */
  | {
      readonly kind: "definition";
      readonly file: string;
      readonly name: string;
      readonly id: string;
      /** A struct, enum, alias, measure, macro, trait or effect (not a function or value). */
      readonly declaration: boolean;
    }
  /** A re-exported qualified alias: the module `file`. */
  | { readonly kind: "namespace"; readonly file: string }
  /** A re-export of a name whose import failed. */
  | { readonly kind: "error" };

/** What a module exports, and the names it defines without exporting them. */
export interface ExportTable {
  readonly names: Readonly<Record<string, ExportEntry>>;
  readonly hidden: readonly string[];
}

/** What a name bound by an import of a file refers to. */
export type ImportBinding =
  | (ExportEntry & { readonly kind: "definition" | "namespace" } & {
      /** The module it was imported from, as written (for messages). */
      readonly module: string;
      /** Where the import names it. */
      readonly span: Span;
    })
  | { readonly kind: "error"; readonly span: Span };

/** The names a file's imports bind, and the module errors of its imports. */
export interface ImportScope {
  readonly bindings: Readonly<Record<string, ImportBinding>>;
  readonly diagnostics: readonly Diagnostic[];
}

/** `import` items as the module queries keep them. */
export function fileImports(file: string, items: Parameters<typeof readImports>[1]): ImportsResult {
  const read = readImports(file, items);
  return {
    imports: read.imports.map((d: ImportDecl) => ({
      path: d.path,
      pathSpan: d.pathSpan,
      span: d.node.span,
      form: d.form,
      exported: d.exported,
    })),
    diagnostics: read.diagnostics,
  };
}

/** The file an import resolves to: the first candidate that exists. */
export function resolveTarget(
  file: string,
  path: readonly string[],
  root: string | undefined,
  exists: (path: string) => boolean,
): string | null {
  for (const c of candidatePaths(file, path, root)) if (exists(c)) return c;
  return null;
}

/** The names a definition makes visible (those of `fn`/`let`, or the declared name). */
export function definedNames(def: Definition): readonly string[] {
  if (def.defines.length > 0) return def.defines;
  const local = def.id.slice(def.id.lastIndexOf("#") + 1).replace(/@\d+$/, "");
  if (local.startsWith("expr:") || local.startsWith("impl ")) return [];
  return [local];
}

/** The export table of a file from its definitions and its re-exporting imports. */
export function exportTable(
  file: string,
  definitions: readonly Definition[],
  imports: readonly ImportInfo[],
  scope: ImportScope,
): ExportTable {
  const names: Record<string, ExportEntry> = {};
  const hidden = new Set<string>();
  for (const def of definitions) {
    const exported = unwrapItem(def.item).exported;
    for (const name of definedNames(def)) {
      if (exported) {
        names[name] = {
          kind: "definition",
          file,
          name,
          id: def.id,
          declaration: def.kind === "other",
        };
        hidden.delete(name);
      } else if (names[name] === undefined) hidden.add(name);
    }
  }
  for (const decl of imports) {
    if (!decl.exported) continue;
    const bound = importedNames(decl, scope);
    for (const name of bound) {
      const b = scope.bindings[name];
      if (b === undefined || names[name] !== undefined) continue;
      if (b.kind === "error") names[name] = { kind: "error" };
      else if (b.kind === "namespace") names[name] = { kind: "namespace", file: b.file };
      else
        names[name] = {
          kind: "definition",
          file: b.file,
          name: b.name,
          id: b.id,
          declaration: b.declaration,
        };
    }
  }
  return { names, hidden: [...hidden].filter((n) => names[n] === undefined).sort() };
}

/** The names one import binds (for `*`, what the module exports). */
function importedNames(decl: ImportInfo, scope: ImportScope): string[] {
  switch (decl.form.kind) {
    case "names":
      return decl.form.names.map((n) => n.name);
    case "alias":
      return [decl.form.alias];
    case "all": {
      const out: string[] = [];
      for (const [name, b] of Object.entries(scope.bindings)) {
        if (b.span.start === decl.form.span.start && b.span.end === decl.form.span.end)
          out.push(name);
      }
      return out;
    }
  }
}

/** What the module queries need from the driver to build a file's import scope. */
export interface ScopeInputs {
  readonly file: string;
  readonly root: string | undefined;
  readonly imports: readonly ImportInfo[];
  /** The resolved file of each import (null: none). */
  readonly targets: readonly (string | null)[];
  /** The cycle each import closes, if any. */
  readonly cycles: readonly (readonly string[] | undefined)[];
  /** The module files that could have been meant, for suggestions. */
  readonly modulesIn: (folder: string) => readonly string[];
  readonly exportsOf: (file: string) => ExportTable;
}

/** The import scope of a file: every name its imports bind, and their errors. */
export function importScope(inputs: ScopeInputs): ImportScope {
  const { file, root } = inputs;
  const bindings: Record<string, ImportBinding> = {};
  const diagnostics: Diagnostic[] = [];
  const bind = (name: string, binding: ImportBinding): void => {
    const previous = bindings[name];
    if (previous === undefined) {
      bindings[name] = binding;
      return;
    }
    // A name whose import failed (reported there) conflicts with nothing: another import
    // that binds it wins.
    if (binding.kind === "error") return;
    if (previous.kind === "error") {
      bindings[name] = binding;
      return;
    }
    if (!sameTarget(previous, binding))
      diagnostics.push(conflictingImport(file, binding.span, name, previous.span, previous.module));
  };
  inputs.imports.forEach((decl, i) => {
    const target = inputs.targets[i] ?? null;
    const module = decl.path.join(".");
    const failed = (): void => {
      for (const [name, span] of namesOf(decl)) bind(name, { kind: "error", span });
    };
    if (target === null) {
      const searched = candidatePaths(file, decl.path, root);
      const last = decl.path[decl.path.length - 1]!;
      const near = new Set<string>();
      for (const folder of searchFolders(file, decl.path, root))
        for (const m of inputs.modulesIn(folder))
          if (m.endsWith(MODULE_EXTENSION)) near.add(m.slice(0, -MODULE_EXTENSION.length));
      const suggestion = closestName(last, near);
      const spelled =
        suggestion === undefined ? undefined : [...decl.path.slice(0, -1), suggestion].join(".");
      diagnostics.push(unknownModule(file, decl, searched, spelled));
      failed();
      return;
    }
    const cycle = inputs.cycles[i];
    if (cycle !== undefined) {
      diagnostics.push(
        importCycle(
          file,
          decl,
          cycle.map((f) => moduleName(f, root ?? rootOf(f))),
        ),
      );
      failed();
      return;
    }
    const table = inputs.exportsOf(target);
    switch (decl.form.kind) {
      case "alias":
        bind(decl.form.alias, { kind: "namespace", file: target, module, span: decl.form.span });
        return;
      case "all":
        for (const [name, entry] of Object.entries(table.names))
          bind(name, withSite(entry, module, decl.form.span));
        return;
      case "names":
        for (const { name, span } of decl.form.names) {
          const entry = table.names[name];
          if (entry !== undefined) {
            bind(name, withSite(entry, module, span));
            continue;
          }
          if (table.hidden.includes(name))
            diagnostics.push(privateName(file, span, name, module, `\`${target}\``));
          else
            diagnostics.push(
              unknownImport(file, span, name, module, closestName(name, Object.keys(table.names))),
            );
          bind(name, { kind: "error", span });
        }
        return;
    }
  });
  return { bindings, diagnostics };
}

function withSite(entry: ExportEntry, module: string, span: Span): ImportBinding {
  return entry.kind === "error" ? { kind: "error", span } : { ...entry, module, span };
}

function sameTarget(a: ImportBinding, b: ImportBinding): boolean {
  if (a.kind === "error" || b.kind === "error") return a.kind === b.kind;
  if (a.kind === "namespace" || b.kind === "namespace")
    return a.kind === b.kind && a.file === b.file;
  return a.file === b.file && a.name === b.name;
}

function namesOf(decl: ImportInfo): [string, Span][] {
  switch (decl.form.kind) {
    case "names":
      return decl.form.names.map((n) => [n.name, n.span]);
    case "alias":
      return [[decl.form.alias, decl.form.span]];
    case "all":
      return [];
  }
}

function rootOf(file: string): string {
  const i = file.lastIndexOf("/");
  return i < 0 ? "." : file.slice(0, i);
}

/** The cycles closed by each import of `file`, given the resolved targets of every module. */
export function cyclesOf(
  file: string,
  targets: (file: string) => readonly (string | null)[],
): (readonly string[] | undefined)[] {
  return importCycles(file, (f) => targets(f).map((t) => t ?? undefined));
}

/** A lazily read namespace value's members (`import m as q`, then `q.name`). */
export class NamespaceMembers implements ReadonlyMap<string, Value> {
  constructor(
    private readonly names: readonly string[],
    private readonly read: (name: string) => Value | undefined,
  ) {}
  get size(): number {
    return this.names.length;
  }
  get(name: string): Value | undefined {
    return this.names.includes(name) ? this.read(name) : undefined;
  }
  has(name: string): boolean {
    return this.names.includes(name);
  }
  *entries(): MapIterator<[string, Value]> {
    for (const n of this.names) {
      const v = this.read(n);
      if (v !== undefined) yield [n, v];
    }
  }
  *keys(): MapIterator<string> {
    yield* this.names;
  }
  *values(): MapIterator<Value> {
    for (const [, v] of this.entries()) yield v;
  }
  forEach(f: (value: Value, key: string, map: ReadonlyMap<string, Value>) => void): void {
    for (const [k, v] of this.entries()) f(v, k, this);
  }
  [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.entries();
  }
}
