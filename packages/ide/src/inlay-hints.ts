/**
 * Inlay hints: inferred types written where the source leaves them out. Four kinds, each
 * switchable: the types of `let` bindings, of parameters, the return types of functions, and
 * the units of quantities (a shorter hint shown instead of the whole type when variable types
 * are off).
 */
import type { Span } from "@cadenza/core";
import type { Ident, Node } from "@cadenza/syntax";
import {
  renderDimension,
  renderType,
  resolve as resolveType,
  type Type,
  TypeNamer,
  unitText,
} from "@cadenza/types";
import type { FileAnalysis } from "./analysis.js";
import { type Binding, resolveNames } from "./resolve.js";

/** Which hints to show. */
export interface InlayHintOptions {
  /** `: T` after names bound by `let` (default true). */
  readonly variableTypes?: boolean;
  /** `: T` after function and lambda parameters (default false). */
  readonly parameterTypes?: boolean;
  /** `-> T` after the parameters of a function definition (default true). */
  readonly returnTypes?: boolean;
  /** The units of quantity-valued `let` bindings and functions when their types are off (default true). */
  readonly units?: boolean;
}

/** One hint. */
export interface InlayHint {
  /** Where the hint is shown: the label appears after this offset. */
  readonly offset: number;
  readonly label: string;
  readonly kind: "variableType" | "parameterType" | "returnType" | "unit";
  /** The full type, when the label is shortened. */
  readonly tooltip: string | undefined;
}

const MAX_LABEL = 60;

function shorten(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

/** The units of a quantity type (`meter/second`), if it is a quantity with a dimension. */
export function unitsOf(type: Type): string | undefined {
  const t = resolveType(type);
  if (t.kind !== "quantity") return undefined;
  if (t.units !== undefined && t.units.length > 0) return unitText(t.units);
  const dim = renderDimension(t.dim);
  return dim === "dimensionless" ? undefined : dim;
}

function isAnnotated(site: Ident, definition: Node): boolean {
  // `let x: T = e` and `fn f (x: T)` put the name under a `:` application.
  let found = false;
  const visit = (n: Node): void => {
    if (found || n.kind !== "apply") return;
    if (n.callee.kind === "ident" && n.callee.name === ":" && n.args[0] === site) found = true;
    else for (const a of n.args) visit(a);
  };
  visit(definition);
  return found;
}

function isLetItem(definition: Node): boolean {
  return (
    definition.kind === "apply" &&
    definition.args[0]?.kind === "apply" &&
    definition.args[0].callee.kind === "ident" &&
    definition.args[0].callee.name === "let"
  );
}

function skip(text: string | undefined): boolean {
  return text === undefined || text === "Unknown" || text === "Form";
}

/** The inlay hints of the bindings defined in `range` (the whole file by default). */
export function inlayHints(
  file: FileAnalysis,
  range: Span = { start: 0, end: file.source.text.length },
  options: InlayHintOptions = {},
): InlayHint[] {
  const table = file.types?.types;
  if (table === undefined) return [];
  const variableTypes = options.variableTypes ?? true;
  const parameterTypes = options.parameterTypes ?? false;
  const returnTypes = options.returnTypes ?? true;
  const units = options.units ?? true;
  const out: InlayHint[] = [];
  const inRange = (s: Span): boolean => s.end >= range.start && s.start <= range.end;
  const typeHint = (b: Binding, kind: InlayHint["kind"], showType: boolean): void => {
    const type = table.typeOf(b.site);
    if (type === undefined) return;
    const text = renderType(type);
    if (skip(text)) return;
    if (showType) {
      const label = shorten(text);
      out.push({
        offset: b.site.span.end,
        label: `: ${label}`,
        kind,
        tooltip: label === text ? undefined : text,
      });
      return;
    }
    const unit = units ? unitsOf(type) : undefined;
    if (unit !== undefined)
      out.push({ offset: b.site.span.end, label: `: ${unit}`, kind: "unit", tooltip: text });
  };
  const resolution = resolveNames(file);
  // Parameters and results of a function are rendered with one namer, so that `a` in a
  // parameter's hint and `a` in the return type's hint are the same variable.
  const paramTexts = new Map<Binding, string>();
  const resultTexts = new Map<Binding, string>();
  for (const b of resolution.bindings) {
    if (b.kind !== "function" || b.params === undefined) continue;
    const type = table.typeOf(b.site);
    const fn = type === undefined ? undefined : resolveType(type);
    if (fn?.kind !== "fn") continue;
    const namer = new TypeNamer();
    b.params.forEach((p, i) => {
      const t = fn.params[i];
      const text = t === undefined ? undefined : renderType(t, namer);
      const o = p.kind === "ident" ? resolution.occurrenceAt(p.span.start) : undefined;
      if (text !== undefined && o?.target.kind === "binding" && o.ident === p)
        paramTexts.set(o.target.binding, text);
    });
    resultTexts.set(b, renderType(fn.result, namer));
  }
  for (const b of resolution.bindings) {
    if (!inRange(b.site.span)) continue;
    if ((b.kind === "variable" || b.kind === "function") && isLetItem(b.definition)) {
      if (isAnnotated(b.site, b.definition)) continue;
      typeHint(b, "variableType", variableTypes);
    } else if (b.kind === "parameter") {
      if (!parameterTypes || isAnnotated(b.site, b.definition)) continue;
      const text = paramTexts.get(b);
      if (text === undefined) typeHint(b, "parameterType", true);
      else if (!skip(text))
        out.push({
          offset: b.site.span.end,
          label: `: ${shorten(text)}`,
          kind: "parameterType",
          tooltip: undefined,
        });
    } else if (b.kind === "function" && b.params !== undefined && !isLetItem(b.definition)) {
      const text = resultTexts.get(b);
      const lhs = b.definition.kind === "apply" ? b.definition.args[0] : undefined;
      if (text === undefined || lhs === undefined || skip(text)) continue;
      if (returnTypes) {
        const label = shorten(text);
        out.push({
          offset: lhs.span.end,
          label: `-> ${label}`,
          kind: "returnType",
          tooltip: label === text ? undefined : text,
        });
      } else if (units) {
        const type = table.typeOf(b.site);
        const fn = type === undefined ? undefined : resolveType(type);
        const unit = fn?.kind === "fn" ? unitsOf(fn.result) : undefined;
        if (unit !== undefined)
          out.push({ offset: lhs.span.end, label: `-> ${unit}`, kind: "unit", tooltip: text });
      }
    }
  }
  // At one offset, a parameter's type comes before the function's return type.
  const order = (h: InlayHint): number =>
    h.kind === "returnType" || h.label.startsWith("->") ? 1 : 0;
  return out.sort((a, b) => a.offset - b.offset || order(a) - order(b));
}
