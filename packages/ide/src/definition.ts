/**
 * Go to definition: from a name to the identifier that binds it. Variants, struct fields and
 * `@si`-prefixed units go to their declarations; built-ins have no definition in the file.
 */
import type { Span } from "@cadenza/core";
import type { FileAnalysis } from "./analysis.js";
import { resolveNames } from "./resolve.js";

/** Where a name at the cursor is defined. */
export interface DefinitionResult {
  /** The occurrence under the cursor. */
  readonly origin: Span;
  /** The binding identifier. */
  readonly target: Span;
  /** The whole defining construct (the item, the pattern). */
  readonly targetDefinition: Span;
}

/** The definition of the name at `offset`, if it is defined in the file. */
export function definition(file: FileAnalysis, offset: number): DefinitionResult | undefined {
  const o = resolveNames(file).occurrenceAt(offset);
  if (o === undefined || o.target.kind !== "binding") return undefined;
  const b = o.target.binding;
  return { origin: o.ident.span, target: b.site.span, targetDefinition: b.definition.span };
}
