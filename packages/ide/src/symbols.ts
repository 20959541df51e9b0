/**
 * Document symbols (the outline: top-level definitions, with struct fields, enum variants and
 * nested functions as children) and workspace symbols (every definition of every file,
 * filtered by a fuzzy query).
 */
import type { Span } from "@cadenza/core";
import type { FileAnalysis } from "./analysis.js";
import { bindingType, declaration } from "./describe.js";
import { type Binding, type BindingKind, resolveNames } from "./resolve.js";

/** One entry of the outline. */
export interface DocumentSymbol {
  readonly name: string;
  readonly kind: BindingKind;
  /** The type, or the declaration when it has none. */
  readonly detail: string | undefined;
  /** The whole definition. */
  readonly span: Span;
  /** The name. */
  readonly selectionSpan: Span;
  readonly children: readonly DocumentSymbol[];
}

/** One definition found by a workspace search. */
export interface WorkspaceSymbol {
  readonly name: string;
  readonly kind: BindingKind;
  /** The file's name as the analysis knows it. */
  readonly file: string;
  readonly span: Span;
  /** The enum of a variant, the struct of a field, the function a local function is in. */
  readonly container: string | undefined;
}

const OUTLINE_KINDS: ReadonlySet<BindingKind> = new Set([
  "function",
  "variable",
  "struct",
  "enum",
  "alias",
  "unit",
  "macro",
]);

function inOutline(b: Binding): boolean {
  return OUTLINE_KINDS.has(b.kind) && b.prefix === undefined && b.fixed === undefined;
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** The outline of a file. */
export function documentSymbols(file: FileAnalysis): DocumentSymbol[] {
  const resolution = resolveNames(file);
  const make = (b: Binding, children: DocumentSymbol[]): DocumentSymbol => ({
    name: b.name,
    kind: b.kind,
    detail: bindingType(file, b) ?? declaration(file, b),
    span: b.definition.span,
    selectionSpan: b.site.span,
    children,
  });
  const nested = resolution.bindings.filter(
    (b) => !b.topLevel && !b.fromImport && b.kind === "function",
  );
  const build = (b: Binding): DocumentSymbol => {
    const children: DocumentSymbol[] = [];
    if (b.kind === "struct" || b.kind === "enum") {
      for (const m of b.members) children.push(make(m, []));
    } else if (b.kind === "function") {
      for (const n of nested) {
        if (n === b || !contains(b.definition.span, n.definition.span)) continue;
        // Only direct children: no other nested function lies between.
        const between = nested.some(
          (x) =>
            x !== n &&
            x !== b &&
            contains(b.definition.span, x.definition.span) &&
            contains(x.definition.span, n.definition.span),
        );
        if (!between) children.push(build(n));
      }
    }
    return make(b, children);
  };
  return resolution.bindings
    .filter((b) => b.topLevel && b.parent === undefined && inOutline(b))
    .sort((a, b) => a.site.span.start - b.site.span.start)
    .map(build);
}

/**
 * Whether `query` matches `name`: its characters appear in order, case-insensitively (an
 * empty query matches everything).
 */
export function fuzzyMatch(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (const c of n) if (i < q.length && c === q[i]) i++;
  return i === q.length;
}

/** Every definition of the given files whose name matches `query`. */
export function workspaceSymbols(files: Iterable<FileAnalysis>, query: string): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  for (const file of files) {
    const resolution = resolveNames(file);
    for (const b of resolution.bindings) {
      if (b.kind === "parameter" || b.prefix !== undefined || b.fixed !== undefined) continue;
      if ((b.kind === "variable" && !b.topLevel) || b.fromImport) continue;
      if (!fuzzyMatch(query, b.name)) continue;
      out.push({
        name: b.name,
        kind: b.kind,
        file: file.source.name,
        span: b.site.span,
        container: b.parent?.name,
      });
    }
  }
  return out;
}
