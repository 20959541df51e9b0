import type { Span } from "@cadenza/core";

/**
 * The uniform tree of LANGUAGE.md §1: every construct is an application over identifiers
 * and literals. Operators and synthetic heads (`__list__`, `__block__`, `__record__`,
 * `__tuple__`, `__index__`, `__doc__`, `__unquote__`, `__interpolate__`, `__symbol__`)
 * are identifiers.
 *
 * Nodes are immutable plain data; every node carries the span of the source it covers
 * (UTF-16 offsets). A synthetic head identifier spans the token that introduced it (the
 * opening bracket, the operator) or, for `__block__`, the empty span at the block start.
 */
export type Node = Ident | Literal | Apply | ErrorNode;

/** An identifier, operator name or synthetic head. */
export interface Ident {
  readonly kind: "ident";
  readonly name: string;
  readonly span: Span;
}

/** A decoded literal value. Integers are BigInt and already range-checked. */
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

/** `(callee arg1 … argN)`, flattened: `(f a) b` is one Apply with two arguments. */
export interface Apply {
  readonly kind: "apply";
  readonly callee: Node;
  readonly args: readonly Node[];
  readonly span: Span;
}

/** Where the parser could not make sense of the input; a diagnostic has been reported. */
export interface ErrorNode {
  readonly kind: "error";
  readonly span: Span;
}

/**
 * `node` with every span moved by `delta` (the same object when `delta` is 0). The parser's
 * tree of a top-level item is a function of its text, so this is the tree a parse of the item
 * moved by an edit before it gives, at its new place: reparses copy moved items this way
 * instead of parsing them again.
 */
export function shiftNode(node: Node, delta: number): Node {
  if (delta === 0) return node;
  const span = { start: node.span.start + delta, end: node.span.end + delta };
  switch (node.kind) {
    case "ident":
      return { kind: "ident", name: node.name, span };
    case "literal":
      return { kind: "literal", value: node.value, span };
    case "apply": {
      const args: Node[] = new Array(node.args.length);
      for (let i = 0; i < args.length; i++) args[i] = shiftNode(node.args[i]!, delta);
      return { kind: "apply", callee: shiftNode(node.callee, delta), args, span };
    }
    case "error":
      return { kind: "error", span };
  }
}
