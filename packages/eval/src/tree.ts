import type { Span, Vector } from "@cadenza/core";
import type { ErrorNode, Ident, Literal, LiteralValue } from "@cadenza/syntax";
import type { Value } from "./values.js";

// The parser's leaf node types are the evaluator's too; only applications differ, because
// syntax built by macros may hold value nodes anywhere.
export type { ErrorNode, Ident, Literal, LiteralValue } from "@cadenza/syntax";

/**
 * A node that holds an already evaluated value. Quotation inserts these for unquoted values
 * that have no literal form (LANGUAGE.md §5.9), and the pipeline uses one for its left value.
 */
export interface ValueNode {
  readonly kind: "value";
  readonly value: Value;
  readonly span: Span;
}

/** An application whose parts may be value nodes. */
export interface TreeApply {
  readonly kind: "apply";
  readonly callee: Tree;
  readonly args: readonly Tree[];
  readonly span: Span;
}

/**
 * The trees the evaluator works on: the parser's {@link Node}s, plus value nodes inside
 * syntax built by macros. Every parser node is a tree.
 */
export type Tree = Ident | Literal | TreeApply | ErrorNode | ValueNode;

/** An identifier node. */
export function ident(name: string, span: Span): Ident {
  return { kind: "ident", name, span };
}

/** An application node. */
export function apply(callee: Tree, args: readonly Tree[], span: Span): TreeApply {
  return { kind: "apply", callee, args, span };
}

/** A value node. */
export function valueNode(value: Value, span: Span): ValueNode {
  return { kind: "value", value, span };
}

/** A literal node. */
export function literal(value: LiteralValue, span: Span): Literal {
  return { kind: "literal", value, span };
}

/** Whether `t` is the identifier `name` (any identifier when `name` is omitted). */
export function isIdent(t: Tree | undefined, name?: string): t is Ident {
  return t !== undefined && t.kind === "ident" && (name === undefined || t.name === name);
}

/** Whether `t` is an application whose callee is the identifier `head`. */
export function isCall(t: Tree | undefined, head: string): t is TreeApply & { callee: Ident } {
  return t !== undefined && t.kind === "apply" && isIdent(t.callee, head);
}

/** The callee name of an application with an identifier callee. */
export function headName(t: Tree): string | undefined {
  return t.kind === "apply" && t.callee.kind === "ident" ? t.callee.name : undefined;
}

/**
 * The top-level items of a file as `evaluate` takes them: an array, or a `Vector` such
 * as the parser's `itemVector` (whose untouched elements are the objects of the previous
 * parse, so that an incremental run reads only the indexes an edit changed).
 */
export type TopLevelItems = readonly Tree[] | Vector<Tree>;

/** The item at `index` (undefined outside the items). */
export function itemAt(items: TopLevelItems, index: number): Tree | undefined {
  return Array.isArray(items)
    ? (items as readonly Tree[])[index]
    : (items as Vector<Tree>).get(index);
}

/** The items as one array (a vector builds it once and caches it). */
export function itemArray(items: TopLevelItems): readonly Tree[] {
  return Array.isArray(items) ? (items as readonly Tree[]) : (items as Vector<Tree>).toArray();
}

/**
 * Whether two trees have the same shape, names and literals (spans aside). With `pairs`, each
 * node, span and argument list of `a` is mapped there to its counterpart in `b`.
 */
export function sameShape(a: Tree, b: Tree, pairs?: Map<unknown, unknown>): boolean {
  if (a.kind !== b.kind) return false;
  if (pairs !== undefined) {
    pairs.set(a, b);
    pairs.set(a.span, b.span);
  }
  switch (a.kind) {
    case "ident":
      return a.name === (b as typeof a).name;
    case "literal": {
      const y = (b as typeof a).value;
      return a.value.type === y.type && a.value.value === y.value;
    }
    case "error":
      return true;
    case "value":
      return a.value === (b as typeof a).value;
    case "apply": {
      const c = b as typeof a;
      if (a.args.length !== c.args.length || !sameShape(a.callee, c.callee, pairs)) return false;
      pairs?.set(a.args, c.args);
      for (let i = 0; i < a.args.length; i++)
        if (!sameShape(a.args[i]!, c.args[i]!, pairs)) return false;
      return true;
    }
  }
}
