/**
 * The shapes of patterns (LANGUAGE.md §5.1), read off the uniform tree: the first refutable
 * part of a `let` pattern, the entries of a record pattern, and the parts of a literal value
 * that stand opposite a pattern's parts (so that a label can point at them). The evaluator
 * and the checker both read patterns this way before they match or type them; what a pattern
 * means (its values, its types) stays with them.
 *
 * The helpers accept any tree built like {@link Node}, including the evaluator's trees, whose
 * applications may hold value nodes (syntax built by macros). They only read the tree and
 * return parts of it, typed as the tree that came in.
 */
import type { Span } from "@cadenza/core";
import type { ErrorNode, Ident, Literal } from "./ast.js";

/**
 * A tree shaped like the parser's {@link Node}, in which a later phase may also hold nodes
 * that stand for an already evaluated value (the evaluator's value nodes). Patterns read such
 * a node as a literal.
 */
export type PatternTree = Ident | Literal | ErrorNode | PatternApply | ValueLike;

/** An application in a {@link PatternTree}. */
export interface PatternApply {
  readonly kind: "apply";
  readonly callee: PatternTree;
  readonly args: readonly PatternTree[];
  readonly span: Span;
}

/** A node holding an already evaluated value (the evaluator's value nodes). */
export interface ValueLike {
  readonly kind: "value";
  readonly span: Span;
}

/** The first refutable part of a pattern, by kind. */
export interface Refutable<T> {
  /** A list pattern (its length is not known before it runs), or a literal or variant. */
  readonly kind: "list" | "literal";
  readonly node: T;
}

/** One entry of a record pattern `{ … }`, in the order written. */
export type RecordPatternEntry<T> =
  /** `x`, `x = p` or `x: T`: the field `name` matched against `pattern`. */
  | { readonly kind: "field"; readonly name: string; readonly nameSpan: Span; readonly pattern: T }
  /** `...rest`: the other fields, matched against `pattern` (missing in a malformed one). */
  | { readonly kind: "rest"; readonly pattern: T | undefined }
  /** Anything else: not a record pattern entry. */
  | { readonly kind: "invalid"; readonly node: T };

function head(p: PatternTree): string | undefined {
  return p.kind === "apply" && p.callee.kind === "ident" ? p.callee.name : undefined;
}

function identName(p: PatternTree | undefined): string | undefined {
  return p?.kind === "ident" ? p.name : undefined;
}

/**
 * The first refutable part of a `let` pattern, which makes it fallible (LANGUAGE.md D9): a
 * list pattern, or a literal (`42`, `-1`, `true`, a value node) or qualified variant
 * (`Status.On`), looked for through tuples, record fields and annotations. Constructor
 * patterns (`Point { x, y }`, `(Result.Ok v)`) are not: whether they fit is known only from
 * what the constructor is.
 */
export function firstRefutable<T extends PatternTree>(pattern: T): Refutable<T> | undefined {
  const p: PatternTree = pattern;
  switch (p.kind) {
    case "literal":
    case "value":
      return { kind: "literal", node: pattern };
    case "ident":
      return p.name === "true" || p.name === "false"
        ? { kind: "literal", node: pattern }
        : undefined;
    case "error":
      return undefined;
    case "apply": {
      const name = head(p);
      if (name === "__list__") return { kind: "list", node: pattern };
      if (name === "-" && p.args.length === 1) return { kind: "literal", node: pattern };
      if (name === "." && p.args.length === 2) return { kind: "literal", node: pattern };
      if (name === "__tuple__") {
        for (const a of p.args) {
          const f = firstRefutable(a as T);
          if (f) return f;
        }
        return undefined;
      }
      if (name === "__record__") {
        for (const a of p.args) {
          if (head(a) === "=" && a.kind === "apply" && a.args.length === 2) {
            const f = firstRefutable(a.args[1] as T);
            if (f) return f;
          }
        }
        return undefined;
      }
      if (name === ":" && p.args.length === 2) return firstRefutable(p.args[0] as T);
      return undefined;
    }
  }
}

/**
 * The entries of a record pattern `(__record__ …)`, in the order written. A `...` alone says
 * only that the record may have other fields, which every record pattern allows: it is left
 * out.
 */
export function recordPatternEntries<T extends PatternTree>(
  pattern: T & PatternApply,
): RecordPatternEntry<T>[] {
  const out: RecordPatternEntry<T>[] = [];
  for (const arg of pattern.args) {
    const entry = arg as T;
    const name = head(arg);
    const field = arg.kind === "apply" && arg.args.length === 2 ? arg.args[0] : undefined;
    if (arg.kind === "ident") {
      if (arg.name !== "...")
        out.push({ kind: "field", name: arg.name, nameSpan: arg.span, pattern: entry });
    } else if (name === "...") {
      out.push({ kind: "rest", pattern: (arg as PatternApply).args[0] as T | undefined });
    } else if ((name === "=" || name === ":") && field?.kind === "ident") {
      // `x = p` matches the field against `p`; `x: T` is itself the pattern (an annotation).
      const sub = name === "=" ? ((arg as PatternApply).args[1] as T) : entry;
      out.push({ kind: "field", name: field.name, nameSpan: field.span, pattern: sub });
    } else out.push({ kind: "invalid", node: entry });
  }
  return out;
}

/**
 * The value given for field `name` in a record literal `{ … }` (`name = v`, or `name` alone),
 * if `value` is one: where a label about that field's part of the value belongs.
 */
export function recordLiteralField<T extends PatternTree>(
  value: T | undefined,
  name: string,
): T | undefined {
  if (value === undefined || head(value) !== "__record__") return undefined;
  for (const f of (value as PatternApply).args) {
    if (
      head(f) === "=" &&
      f.kind === "apply" &&
      f.args.length === 2 &&
      identName(f.args[0]) === name
    )
      return f.args[1] as T;
    if (identName(f) === name) return f as T;
  }
  return undefined;
}

/**
 * The items of a tuple literal `(a, b, …)` of exactly `count` items, if `value` is one: the
 * parts a tuple pattern of that length stands opposite.
 */
export function tupleLiteralItems<T extends PatternTree>(
  value: T | undefined,
  count: number,
): readonly T[] | undefined {
  if (value === undefined || head(value) !== "__tuple__") return undefined;
  const items = (value as PatternApply).args;
  return items.length === count ? (items as readonly T[]) : undefined;
}
