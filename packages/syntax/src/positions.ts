/**
 * Position helpers for editors: finding nodes at an offset in the uniform tree and in the
 * Lezer tree, and walking the leaves of the Lezer tree. Offsets are UTF-16 code units; use
 * `SourceFile` from `@cadenza/core` to convert to lines and columns.
 */
import type { SyntaxNode, Tree } from "@lezer/common";
import type { Node } from "./ast.js";

/** The direct children of a node in the uniform tree: callee then arguments. */
export function children(node: Node): readonly Node[] {
  return node.kind === "apply" ? [node.callee, ...node.args] : [];
}

function covers(node: Node, offset: number): boolean {
  return node.span.start <= offset && offset < node.span.end;
}

function touches(node: Node, offset: number): boolean {
  return node.span.start <= offset && offset <= node.span.end;
}

/**
 * The chain of nodes containing `offset`, from a top-level item down to the innermost node.
 * A node contains the offsets of its span; when no node strictly covers the offset, one that
 * ends exactly there is taken, so that a cursor just after a name finds it. Empty when the
 * offset is outside every item.
 */
export function nodePathAt(items: readonly Node[], offset: number): readonly Node[] {
  const path: Node[] = [];
  let level: readonly Node[] = items;
  for (;;) {
    const next = level.find((n) => covers(n, offset)) ?? level.find((n) => touches(n, offset));
    if (!next) return path;
    path.push(next);
    level = children(next);
  }
}

/** The innermost node of the uniform tree at `offset`, if any (see {@link nodePathAt}). */
export function nodeAt(items: readonly Node[], offset: number): Node | undefined {
  const path = nodePathAt(items, offset);
  return path[path.length - 1];
}

/**
 * The innermost Lezer node at `offset`. With `side` -1 the node must end after or at the
 * offset, with 1 start before or at it, with 0 (the default) it must cover both sides.
 */
export function syntaxNodeAt(tree: Tree, offset: number, side: -1 | 0 | 1 = 0): SyntaxNode {
  return tree.resolveInner(offset, side);
}

/** A leaf of the Lezer tree: a token (or a zero-length layout or recovery marker). */
export interface Leaf {
  /** The node type name, for example `Identifier`, `AddOp`, `Comment`, `ParenOpen`. */
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The named leaves of the tree in source order. Whitespace is the only text not covered by a
 * leaf, so the leaves and the gaps between them reproduce the source exactly.
 */
export function leaves(tree: Tree): Leaf[] {
  const out: Leaf[] = [];
  const cursor = tree.cursor();
  for (;;) {
    if (!cursor.firstChild()) {
      if (!cursor.type.isTop)
        out.push({ name: cursor.type.name, from: cursor.from, to: cursor.to });
      for (;;) {
        if (cursor.nextSibling()) break;
        if (!cursor.parent()) return out;
      }
    }
  }
}
