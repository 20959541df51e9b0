import type { Span } from "@cadenza/core";
import type { Value } from "./values.js";

// The parser's node types (packages/syntax/src/ast.ts), restated structurally so that this
// package's types do not depend on the parser's build: every parser `Node` is a `Tree`.

/** An identifier, operator name or synthetic head (`__list__`, `__block__`, …). */
export interface Ident {
  readonly kind: "ident";
  readonly name: string;
  readonly span: Span;
}

/** A decoded literal value. Integers are BigInt and already range-checked by the parser. */
export type LiteralValue =
  | { readonly type: "integer"; readonly value: bigint }
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "char"; readonly value: string }
  | { readonly type: "symbol"; readonly value: string };

/** A literal: Integer, Float, String, Char or Symbol. */
export interface Literal {
  readonly kind: "literal";
  readonly value: LiteralValue;
  readonly span: Span;
}

/** Where the parser could not make sense of the input (it has reported a diagnostic). */
export interface ErrorNode {
  readonly kind: "error";
  readonly span: Span;
}

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
