/**
 * Rename: every occurrence of one binding, and nothing else. Shadowing is respected in both
 * directions: a rename is refused when the new name would be captured by another binding at
 * one of the references, or when the renamed binding would capture an existing use of the
 * new name. Built-ins, fields and names made by `@si` or by macro expansions are not renamed.
 */
import type { Span, TextEdit } from "@cadenza/core";
import type { FileAnalysis } from "./analysis.js";
import { BUILTINS } from "./builtins.js";
import { type Binding, inside, type Occurrence, type Resolution, resolveNames } from "./resolve.js";

/** What can be renamed at the cursor. */
export type PrepareRenameResult =
  | { readonly kind: "ok"; readonly span: Span; readonly placeholder: string }
  | { readonly kind: "error"; readonly message: string };

/** The edits of a rename, or why it cannot be done. */
export type RenameResult =
  | { readonly kind: "ok"; readonly edits: readonly TextEdit[] }
  | { readonly kind: "error"; readonly message: string };

const IDENTIFIER = /^[^\s\d!"#$%&'()*+,\-./:;<=>?@[\\\]^`{|}~][A-Za-z0-9_\u0080-\u{10FFFF}]*$/u;
const RESERVED = new Set(["if", "then", "else", "_"]);

/** Whether `name` is a valid Cadenza identifier that can name a binding. */
export function isValidName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED.has(name) && !/\s/u.test(name);
}

function target(
  file: FileAnalysis,
  offset: number,
): { occurrence: Occurrence; binding: Binding } | { error: string } {
  const o = resolveNames(file).occurrenceAt(offset);
  if (o === undefined) return { error: "there is no name at the cursor" };
  switch (o.target.kind) {
    case "builtin":
      return { error: `\`${o.ident.name}\` is built in and cannot be renamed` };
    case "attribute":
      return { error: "attributes cannot be renamed" };
    case "field":
      return { error: "record fields cannot be renamed" };
    case "unresolved":
      return { error: `\`${o.ident.name}\` is not defined in this file` };
    case "module":
      return { error: "module names cannot be renamed (rename the file)" };
    case "binding":
      break;
  }
  const b = o.target.binding;
  if (b.fixed !== undefined) return { error: b.fixed };
  // Renaming it here alone would break the import: that is a rename across files.
  if (b.imported !== undefined)
    return {
      error: `\`${b.name}\` is defined in module \`${b.imported.definedIn ?? b.imported.module}\`: rename it with the files that import it`,
    };
  if (b.kind === "field") return { error: "struct fields cannot be renamed yet" };
  return { occurrence: o, binding: b };
}

/** Checks that the name at `offset` can be renamed and returns its span. */
export function prepareRename(file: FileAnalysis, offset: number): PrepareRenameResult {
  const t = target(file, offset);
  if ("error" in t) return { kind: "error", message: t.error };
  return { kind: "ok", span: t.occurrence.ident.span, placeholder: t.binding.name };
}

/** Renames the binding of the name at `offset` to `newName`. */
export function rename(file: FileAnalysis, offset: number, newName: string): RenameResult {
  const t = target(file, offset);
  if ("error" in t) return { kind: "error", message: t.error };
  if (!isValidName(newName))
    return { kind: "error", message: `\`${newName}\` is not a valid name` };
  const { binding } = t;
  if (newName === binding.name) return { kind: "ok", edits: [] };
  const resolution = resolveNames(file);
  const conflict = findConflict(file, resolution, binding, newName);
  if (conflict !== undefined) return { kind: "error", message: conflict };
  const edits: TextEdit[] = [];
  for (const o of resolution.referencesOf(binding)) {
    edits.push({
      span: o.ident.span,
      newText: o.shorthand ? `${o.ident.name} = ${newName}` : newName,
    });
  }
  // Units made by `@si kilo` on this measure follow its name.
  for (const child of resolution.bindings) {
    if (child.parent !== binding || child.prefix === undefined) continue;
    for (const o of resolution.referencesOf(child)) {
      if (o.role === "definition") continue;
      edits.push({ span: o.ident.span, newText: child.prefix + newName });
    }
  }
  edits.sort((a, b) => a.span.start - b.span.start);
  return { kind: "ok", edits };
}

/** The binding that wins for `name` at `offset` when `renamed` is called `name` too. */
function winner(
  resolution: Resolution,
  name: string,
  offset: number,
  renamed: Binding,
): Binding | "renamed" | undefined {
  let best: { start: number; binding: Binding | "renamed" } | undefined;
  const candidates = [
    ...resolution.entriesNamed(name),
    ...resolution.entriesNamed(renamed.name).filter((e) => e.binding === renamed),
  ].sort((a, b) => a.visible.start - b.visible.start);
  for (const e of candidates) {
    const isRenamed = e.binding === renamed;
    if (!isRenamed && e.name !== name) continue;
    if (!inside(e.visible, offset)) continue;
    if (best === undefined || e.visible.start >= best.start)
      best = { start: e.visible.start, binding: isRenamed ? "renamed" : e.binding };
  }
  return best?.binding;
}

/**
 * Why renaming `binding` to `newName` would change the meaning of the file (a reference
 * captured by another binding, or a use of the new name captured by the renamed one), if it
 * would.
 */
export function findConflict(
  file: FileAnalysis,
  resolution: Resolution,
  binding: Binding,
  newName: string,
): string | undefined {
  const where = (s: Span): string => {
    const { line, column } = file.source.lineColumn(s.start);
    return `${line}:${column}`;
  };
  // 1. A reference to the renamed binding must still find it.
  for (const o of resolution.referencesOf(binding)) {
    if (o.role === "definition" || qualified(file, o)) continue;
    const w = winner(resolution, newName, o.ident.span.start, binding);
    if (w === undefined || w === "renamed") continue;
    return `renaming to \`${newName}\` would make the use at ${where(o.ident.span)} refer to the \`${newName}\` defined at ${where(w.site.span)}`;
  }
  // 2. Existing uses of the new name must keep their meaning.
  for (const o of resolution.occurrences) {
    if (o.ident.name !== newName || o.role === "definition" || qualified(file, o)) continue;
    if (o.target.kind === "field" || o.target.kind === "attribute") continue;
    if (o.target.kind === "binding" && o.target.binding.kind === "field") continue;
    const w = winner(resolution, newName, o.ident.span.start, binding);
    if (w !== "renamed") continue;
    return `renaming to \`${newName}\` would capture the use of \`${newName}\` at ${where(o.ident.span)}`;
  }
  // 3. The renamed binding must not hide a built-in the file uses in its scope.
  if (BUILTINS.has(newName) && BUILTINS.get(newName)?.kind === "form")
    return `\`${newName}\` is a special form`;
  return undefined;
}

/** `Shape.Circle`, `List.map`: a member name, never looked up in scope. */
function qualified(file: FileAnalysis, o: Occurrence): boolean {
  return file.source.text[o.ident.span.start - 1] === ".";
}
