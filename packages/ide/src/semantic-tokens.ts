/**
 * Semantic tokens from resolved names: what each identifier denotes, which the TextMate
 * grammar can only guess from its position. Literals, comments and operators are left to the
 * grammar.
 */
import type { FileAnalysis } from "./analysis.js";
import { type Occurrence, resolveNames } from "./resolve.js";

/** The token types, in legend order (the language server's legend is this array). */
export const TOKEN_TYPES = [
  "namespace",
  "type",
  "struct",
  "enum",
  "enumMember",
  "property",
  "function",
  "parameter",
  "variable",
  "macro",
  "keyword",
  "decorator",
  "unit",
] as const;

/** A token type name. */
export type TokenType = (typeof TOKEN_TYPES)[number];

/** The token modifiers, in legend order. */
export const TOKEN_MODIFIERS = [
  "declaration",
  "definition",
  "readonly",
  "defaultLibrary",
  "modification",
] as const;

/** A token modifier name. */
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

/** One classified identifier. */
export interface SemanticToken {
  readonly start: number;
  readonly length: number;
  readonly type: TokenType;
  readonly modifiers: readonly TokenModifier[];
}

function classify(o: Occurrence, written: ReadonlySet<unknown>): SemanticToken | undefined {
  const modifiers: TokenModifier[] = [];
  let type: TokenType;
  const t = o.target;
  switch (t.kind) {
    case "binding": {
      const b = t.binding;
      if (o.role === "definition") modifiers.push("declaration", "definition");
      if (o.role === "write") modifiers.push("modification");
      switch (b.kind) {
        case "function":
          type = "function";
          break;
        case "parameter":
          type = "parameter";
          break;
        case "variable":
          type = "variable";
          if (!written.has(b)) modifiers.push("readonly");
          break;
        case "struct":
          type = "struct";
          break;
        case "enum":
          type = "enum";
          break;
        case "variant":
          type = "enumMember";
          break;
        case "field":
          type = "property";
          break;
        case "alias":
          type = "type";
          break;
        case "unit":
          type = "unit";
          break;
        case "macro":
          type = "macro";
          break;
        case "module":
          type = "namespace";
          break;
      }
      break;
    }
    case "module":
      type = "namespace";
      break;
    case "builtin": {
      modifiers.push("defaultLibrary");
      switch (t.builtin.kind) {
        case "form":
          type = "keyword";
          break;
        case "type":
          type = "type";
          break;
        case "namespace":
          type = "namespace";
          break;
        case "function":
          type = "function";
          break;
        default:
          return undefined;
      }
      break;
    }
    case "field":
      type = "property";
      break;
    case "attribute":
      // Arguments (`kilo` in `@si kilo`) keep the grammar's colouring.
      if (t.argument) return undefined;
      type = "decorator";
      break;
    case "unresolved":
      return undefined;
  }
  return {
    start: o.ident.span.start,
    length: o.ident.span.end - o.ident.span.start,
    type,
    modifiers,
  };
}

function overlaps(
  token: { readonly start: number; readonly end: number },
  range: { readonly start: number; readonly end: number },
): boolean {
  if (range.start === range.end) return token.start <= range.start && range.start <= token.end;
  return token.start < range.end && token.end > range.start;
}

/**
 * The semantic tokens of a file in source order, optionally only those overlapping a span
 * (end-exclusive, as LSP ranges are: a token starting at the span's end is outside it; an
 * empty span keeps the token it touches).
 */
export function semanticTokens(
  file: FileAnalysis,
  range?: { readonly start: number; readonly end: number },
): SemanticToken[] {
  const resolution = resolveNames(file);
  const written = new Set<unknown>();
  for (const o of resolution.occurrences)
    if (o.role === "write" && o.target.kind === "binding") written.add(o.target.binding);
  const out: SemanticToken[] = [];
  for (const o of resolution.occurrences) {
    if (range !== undefined && !overlaps(o.ident.span, range)) continue;
    const token = classify(o, written);
    if (token !== undefined) out.push(token);
  }
  return out;
}
