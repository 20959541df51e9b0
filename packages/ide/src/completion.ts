/**
 * Completion: the names in scope at the cursor with their types, the base environment, and
 * after a `.` the members of what is before it — an enum's variants, a library namespace's
 * functions, or the fields of a record or struct value (from its inferred type).
 */
import type { Span, TextEdit } from "@cadenza/core";
import type { Node } from "@cadenza/syntax";
import { renderType, resolve as resolveType, type Type, TypeNamer } from "@cadenza/types";
import type { FileAnalysis } from "./analysis.js";
import { BUILTINS, type Builtin, NAMESPACES, namespaceMembers } from "./builtins.js";
import { bindingType, builtinDeclaration, declaration } from "./describe.js";
import { type ExportCandidate, importEdit } from "./imports.js";
import { type Binding, type BindingKind, resolveNames } from "./resolve.js";

/** What a completion item is, for its icon. */
export type CompletionKind = BindingKind | "keyword" | "type" | "namespace" | "value";

/** One proposal. */
export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  /** The type (or signature) shown beside the label. */
  readonly detail: string | undefined;
  /** Documentation (Markdown). */
  readonly documentation: string | undefined;
  /**
   * Orders proposals: local names first, then file names, then the base environment, then
   * names of other modules that are not imported yet.
   */
  readonly sortText: string;
  /** Edits besides inserting the label: the import of a name not imported yet. */
  readonly additionalEdits?: readonly TextEdit[];
}

/** Options of {@link completion}. */
export interface CompletionOptions {
  /**
   * Exported names of the project's other modules: those not in scope are proposed with an
   * edit that imports them (`import MODULE (name)` after the file's imports).
   */
  readonly exports?: readonly ExportCandidate[];
}

/** The proposals and the span of the partial word they replace. */
export interface CompletionResult {
  readonly span: Span;
  /** Whether the proposals are members after a `.` (scope names are then not offered). */
  readonly member: boolean;
  readonly items: readonly CompletionItem[];
}

const WORD_CHAR = /[A-Za-z0-9_\u0080-\uFFFF]/u;

/** Completion proposals at a UTF-16 offset. */
export function completion(
  file: FileAnalysis,
  offset: number,
  options: CompletionOptions = {},
): CompletionResult {
  const text = file.source.text;
  let start = offset;
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  const span = { start, end: offset };
  const inImport = importCompletion(text, start, options.exports ?? []);
  if (inImport !== undefined) return { span, member: false, items: inImport };
  const dot = start - 1;
  if (text[dot] === "." && text[dot - 1] !== ".") {
    return { span, member: true, items: members(file, dot) };
  }
  const items = inScope(file, scopeOffset(text, start));
  if (options.exports !== undefined && options.exports.length > 0)
    items.push(...importable(file, items, options.exports));
  return { span, member: false, items };
}

/**
 * Where to look up names for a word starting at `start`. On an indented line with nothing
 * before the word, the block being continued ends at the previous token (the parser has not
 * seen the new line yet), so names are looked up there; at column 0, at the word itself.
 * After spaces on the same line (`b + |`), the code before continues too: the item ends at
 * the previous token, not at the cursor.
 */
function scopeOffset(text: string, start: number): { offset: number; atEnd: boolean } {
  let p = start;
  while (p > 0 && (text[p - 1] === " " || text[p - 1] === "\t")) p--;
  if (p === start) return { offset: start, atEnd: false };
  if (p > 0 && text[p - 1] !== "\n") return { offset: p, atEnd: false };
  // The word starts an indented line: continue the code before it.
  let q = p;
  while (q > 0 && /\s/.test(text[q - 1]!)) q--;
  return q === 0 ? { offset: start, atEnd: false } : { offset: q, atEnd: true };
}

function item(file: FileAnalysis, b: Binding, sort: string): CompletionItem {
  const type = bindingType(file, b);
  return {
    label: b.name,
    kind: b.kind,
    detail: type ?? declaration(file, b),
    documentation: b.doc,
    sortText: sort,
  };
}

function builtinItem(b: Builtin, label = b.name): CompletionItem {
  const kind: CompletionKind =
    b.kind === "form" ? "keyword" : b.kind === "operator" ? "function" : b.kind;
  return {
    label,
    kind,
    detail: b.kind === "function" ? b.signature : builtinDeclaration(b),
    documentation: b.doc,
    sortText: `3${label}`,
  };
}

function inScope(file: FileAnalysis, at: { offset: number; atEnd: boolean }): CompletionItem[] {
  const resolution = resolveNames(file);
  const out: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const b of resolution.visibleAt(at.offset, at.atEnd)) {
    if (seen.has(b.name)) continue;
    seen.add(b.name);
    out.push(item(file, b, `${b.topLevel || b.fromImport ? 2 : 1}${b.name}`));
  }
  for (const b of BUILTINS.values()) {
    if (seen.has(b.name) || b.name.includes(".") || b.kind === "operator") continue;
    if (!/^[A-Za-z_]/.test(b.name)) continue;
    seen.add(b.name);
    out.push(builtinItem(b));
  }
  for (const name of NAMESPACES) {
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(builtinItem(BUILTINS.get(name)!));
  }
  return out;
}

/**
 * Proposals on an import line (docs/spec/15-modules.md), or undefined elsewhere: after
 * `import ` the project's modules (the next segment of a dotted path), inside the list of
 * `import m (…` the names `m` exports that the list does not name yet.
 */
function importCompletion(
  text: string,
  start: number,
  exports: readonly ExportCandidate[],
): CompletionItem[] | undefined {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const before = text.slice(lineStart, start);
  const path = /^import[ \t]+((?:[A-Za-z_\u0080-\uFFFF][\w\u0080-\uFFFF]*\.)*)$/u.exec(before);
  if (path !== null) {
    const prefix = path[1]!;
    const seen = new Set<string>();
    const out: CompletionItem[] = [];
    for (const e of exports) {
      if (!e.module.startsWith(prefix)) continue;
      const segment = e.module.slice(prefix.length).split(".")[0]!;
      if (segment === "" || seen.has(segment)) continue;
      seen.add(segment);
      out.push({
        label: segment,
        kind: "module",
        detail: prefix + segment === e.module ? "module" : "folder of modules",
        documentation: undefined,
        sortText: `1${segment}`,
      });
    }
    return out;
  }
  const list = /^import[ \t]+([\w.\u0080-\uFFFF]+)[ \t]*\(([^()]*)$/u.exec(before);
  if (list !== null) {
    const module = list[1]!;
    const named = new Set(list[2]!.split(",").map((n) => n.trim()));
    return exports
      .filter((e) => e.module === module && !named.has(e.name))
      .map((e) => ({
        label: e.name,
        kind: e.kind,
        detail: e.detail,
        documentation: e.doc,
        sortText: `1${e.name}`,
      }));
  }
  return undefined;
}

/** Exported names of other modules not in scope, each with the edit that imports it. */
function importable(
  file: FileAnalysis,
  inScope: readonly CompletionItem[],
  exports: readonly ExportCandidate[],
): CompletionItem[] {
  const seen = new Set(inScope.map((i) => i.label));
  const out: CompletionItem[] = [];
  for (const e of exports) {
    if (seen.has(e.name)) continue;
    const detail = e.detail === undefined ? `from ${e.module}` : `${e.detail} (from ${e.module})`;
    out.push({
      label: e.name,
      kind: e.kind,
      detail,
      documentation: e.doc,
      sortText: `4${e.name}\u0000${e.module}`,
      additionalEdits: [importEdit(file, e.module, e.name)],
    });
  }
  return out;
}

/** The `.` access whose dot is at `dot`, found in the uniform tree. */
function accessAt(items: readonly Node[], dot: number): (Node & { kind: "apply" }) | undefined {
  const stack: Node[] = [...items];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind !== "apply" || n.span.end < dot || n.span.start > dot) continue;
    if (n.callee.kind === "ident" && n.callee.name === "." && n.callee.span.start === dot) return n;
    stack.push(n.callee, ...n.args);
  }
  return undefined;
}

function members(file: FileAnalysis, dot: number): CompletionItem[] {
  const access = accessAt(file.parse.items, dot);
  const receiver = access?.args[0];
  if (receiver === undefined) return [];
  const resolution = resolveNames(file);
  if (receiver.kind === "ident") {
    const b = resolution.lookup(receiver.name, receiver.span.start);
    if (b?.kind === "enum" || b?.kind === "module")
      return b.members.map((v) => item(file, v, `1${v.name}`));
    if (b === undefined && NAMESPACES.has(receiver.name)) {
      return namespaceMembers(receiver.name).map((m) =>
        builtinItem(m, m.name.slice(receiver.name.length + 1)),
      );
    }
  }
  const type = file.types?.types.typeOf(receiver);
  return type === undefined ? [] : fieldsOf(file, type);
}

function fieldsOf(file: FileAnalysis, type: Type): CompletionItem[] {
  const t = resolveType(type);
  const namer = new TypeNamer();
  const field = (name: string, fieldType: Type, doc?: string): CompletionItem => ({
    label: name,
    kind: "field",
    detail: renderType(fieldType, namer),
    documentation: doc,
    sortText: `1${name}`,
  });
  if (t.kind === "record") {
    const out: CompletionItem[] = [];
    let r: Type | undefined = t;
    for (let depth = 0; r !== undefined && depth < 100; depth++) {
      const x = resolveType(r);
      if (x.kind !== "record") break;
      for (const f of x.fields) out.push(field(f.name, f.type));
      r = x.rest;
    }
    return out;
  }
  if (t.kind === "named" && t.decl.kind === "struct") {
    const resolution = resolveNames(file);
    const decl = resolution.bindings.find((b) => b.kind === "struct" && b.name === t.decl.name);
    return t.decl.fields.map((f) =>
      field(f.name, f.type, decl?.members.find((m) => m.name === f.name)?.doc),
    );
  }
  return [];
}
