/**
 * Hover: what the name or expression under the cursor is, its inferred type (with its units)
 * and its `##` documentation.
 */
import type { Span } from "@cadenza/core";
import { nodePathAt } from "@cadenza/syntax";
import type { FileAnalysis } from "./analysis.js";
import { bindingType, builtinDeclaration, declaration, kindLabel, unitInfo } from "./describe.js";
import { resolveNames } from "./resolve.js";

/** What hover shows; `markdown` is the whole text, the other fields its parts. */
export interface HoverInfo {
  /** The source range the information is about. */
  readonly span: Span;
  /** What it is: `function`, `parameter`, `unit of measure`, `expression`, … */
  readonly kind: string;
  /** The declaration line in Cadenza syntax (`fn speed d t`), or the expression. */
  readonly title: string;
  /** The inferred type, rendered per LANGUAGE.md §7. */
  readonly type: string | undefined;
  /** The type at this occurrence when it differs (an instance of a generic function). */
  readonly typeHere: string | undefined;
  /** Further facts (a unit's dimension and factor). */
  readonly details: readonly string[];
  /** The `##` documentation (Markdown). */
  readonly doc: string | undefined;
  /** All of the above as Markdown. */
  readonly markdown: string;
}

/** Hover information at a UTF-16 offset, or undefined when there is nothing to say. */
export function hover(file: FileAnalysis, offset: number): HoverInfo | undefined {
  const resolution = resolveNames(file);
  const occurrence = resolution.occurrenceAt(offset);
  const table = file.types?.types;
  if (occurrence !== undefined) {
    const { ident, target } = occurrence;
    const here = table?.textOf(ident);
    switch (target.kind) {
      case "binding": {
        const b = target.binding;
        const type = bindingType(file, b);
        const details: string[] = [];
        if (b.imported !== undefined) {
          const home = b.imported.definedIn;
          details.push(
            home === undefined || home === b.imported.module
              ? `from module \`${b.imported.module}\``
              : `from module \`${b.imported.module}\` (defined in \`${home}\`)`,
          );
        } else if (b.module !== undefined) details.push(`module \`${b.module.module}\``);
        else if (b.kind === "unit") details.push(...unitInfo(file, b.name));
        const doc = b.doc ?? (b.parent?.kind === "unit" ? b.parent.doc : undefined);
        return build(ident.span, kindLabel(b), declaration(file, b), type, here, details, doc);
      }
      case "builtin": {
        const b = target.builtin;
        const kind = b.kind === "form" ? "special form" : `built-in ${b.kind}`;
        return build(ident.span, kind, builtinDeclaration(b), undefined, undefined, [], b.doc);
      }
      case "field": {
        const type = table?.textOf(target.node) ?? here;
        return build(ident.span, "field", `.${ident.name}`, type, undefined, [], undefined);
      }
      case "attribute":
        return target.argument
          ? build(ident.span, "attribute argument", ident.name, undefined, undefined, [], undefined)
          : build(ident.span, "attribute", `@${ident.name}`, undefined, undefined, [], undefined);
      case "module": {
        const exports = target.module === undefined ? [] : [...target.module.exports.keys()];
        const details =
          target.module === undefined
            ? ["not found"]
            : [
                `exports ${exports.length === 0 ? "nothing" : exports.map((e) => `\`${e}\``).join(", ")}`,
              ];
        return build(
          ident.span,
          "module",
          `module ${target.path}`,
          undefined,
          undefined,
          details,
          undefined,
        );
      }
      case "unresolved":
        return undefined;
    }
  }
  // Not a name: the innermost typed expression under the cursor.
  const path = nodePathAt(file.parse.items, offset);
  for (let i = path.length - 1; i >= 0; i--) {
    let node = path[i]!;
    // The number of a quantity literal (`100` in `100meter`): the quantity is meant.
    const parent = path[i - 1];
    if (
      node.kind === "literal" &&
      parent?.kind === "apply" &&
      parent.args.length === 1 &&
      parent.args[0] === node &&
      parent.callee.span.start === node.span.end
    ) {
      node = parent;
    }
    const type = table?.textOf(node);
    if (type === undefined || type === "Form") continue;
    const text = file.source.text.slice(node.span.start, node.span.end);
    const title = text.length > 60 || text.includes("\n") ? "expression" : text;
    return build(node.span, "expression", title, type, undefined, [], undefined);
  }
  return undefined;
}

function build(
  span: Span,
  kind: string,
  title: string,
  type: string | undefined,
  typeHere: string | undefined,
  details: readonly string[],
  doc: string | undefined,
): HoverInfo {
  const here =
    typeHere !== undefined &&
    typeHere !== type &&
    typeHere !== "Form" &&
    typeHere !== "Measure" &&
    typeHere !== "Type"
      ? typeHere
      : undefined;
  const head = type === undefined ? title : `${title} : ${type}`;
  const lines = ["```cadenza", head, "```"];
  const facts = [`*${kind}*`, ...details];
  if (here !== undefined) facts.push(`here: \`${here}\``);
  lines.push(facts.join(" · "));
  if (doc !== undefined && doc.trim() !== "") lines.push("", "---", "", doc.trim());
  return {
    span,
    kind,
    title,
    type,
    typeHere: here,
    details,
    doc,
    markdown: lines.join("\n"),
  };
}
