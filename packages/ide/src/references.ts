/**
 * Find references: every occurrence of the binding of the name at the cursor, respecting
 * shadowing (a later `let` of the same name is a different binding).
 */
import type { Span } from "@cadenza/core";
import type { FileAnalysis } from "./analysis.js";
import { resolveNames } from "./resolve.js";

/** One occurrence of a binding. */
export interface Reference {
  readonly span: Span;
  /** `definition` for the binding site, `write` for a reassignment, else `read`. */
  readonly kind: "definition" | "read" | "write";
}

/**
 * The references of the binding at `offset`, in source order; the definition is included
 * unless `includeDeclaration` is false. Undefined when the cursor is not on a name bound in
 * the file.
 */
export function references(
  file: FileAnalysis,
  offset: number,
  includeDeclaration = true,
): Reference[] | undefined {
  const resolution = resolveNames(file);
  const o = resolution.occurrenceAt(offset);
  if (o === undefined || o.target.kind !== "binding") return undefined;
  const out: Reference[] = [];
  for (const r of resolution.referencesOf(o.target.binding)) {
    if (r.role === "definition" && !includeDeclaration) continue;
    out.push({
      span: r.ident.span,
      kind: r.role === "definition" ? "definition" : r.role === "write" ? "write" : "read",
    });
  }
  return out;
}
