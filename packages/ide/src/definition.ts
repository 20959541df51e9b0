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
  /**
   * The file the target is in, when it is another one (an imported name, a module): the
   * spans are offsets of that file.
   */
  readonly file?: string;
}

/** The definition of the name at `offset`, if it is defined in the file. */
export function definition(file: FileAnalysis, offset: number): DefinitionResult | undefined {
  const o = resolveNames(file).occurrenceAt(offset);
  if (o === undefined) return undefined;
  const start = { start: 0, end: 0 };
  if (o.target.kind === "module") {
    const m = o.target.module;
    return m === undefined
      ? undefined
      : { origin: o.ident.span, target: start, targetDefinition: start, file: m.file };
  }
  if (o.target.kind !== "binding") return undefined;
  const b = o.target.binding;
  if (b.imported !== undefined)
    return {
      origin: o.ident.span,
      target: b.imported.span,
      targetDefinition: b.imported.definitionSpan,
      file: b.imported.file,
    };
  // `q` of `import m as q`: the module's file.
  if (b.module !== undefined)
    return { origin: o.ident.span, target: start, targetDefinition: start, file: b.module.file };
  if (b.fromImport) return undefined;
  return { origin: o.ident.span, target: b.site.span, targetDefinition: b.definition.span };
}
