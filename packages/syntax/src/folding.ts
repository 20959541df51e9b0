/**
 * Folding: which nodes of the Lezer tree fold, and the range each hides. Plain functions of a
 * `SyntaxNode`, shaped like CodeMirror's fold functions so that an editor passes
 * {@link foldNodes} straight to `foldNodeProp.add`, while the language server turns
 * {@link foldRanges} into LSP folding ranges without any editor library.
 */
import type { SyntaxNode, Tree } from "@lezer/common";

/** A folded range: the text between `from` and `to` is hidden, both ends stay visible. */
export interface FoldRange {
  readonly from: number;
  readonly to: number;
}

/** A fold function: the range `node` hides, or null when it does not fold. */
export type FoldFunction = (node: SyntaxNode) => FoldRange | null;

const COMMENTS = new Set(["Comment", "DocComment"]);

/** The end of `node` ignoring comments at its end (a trailing comment stays visible). */
function endWithoutComments(node: SyntaxNode): number {
  let last = node.lastChild;
  while (last && (COMMENTS.has(last.name) || last.from === last.to)) last = last.prevSibling;
  return last ? endWithoutComments(last) : node.to;
}

/**
 * The end of the last token before `node` that is not a comment or a zero-length marker: the
 * end of the line a block hangs from (`match n`, `fn f x =`).
 */
function endOfHead(node: SyntaxNode): number | null {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    for (let p = n.prevSibling; p; p = p.prevSibling) {
      if (COMMENTS.has(p.name) || p.from === p.to) continue;
      return endWithoutComments(p);
    }
  }
  return null;
}

/**
 * The block a node ends with (§3.3): the last argument of an application (`match n` + arms),
 * the right operand of an operator (`fn f x =` + body), a lambda's body, the branch of a
 * `then` or `else` that ends its line.
 */
function hangingBlock(node: SyntaxNode): SyntaxNode | null {
  let child = node.name === "ThenClause" ? node.getChild("Branch") : node.lastChild;
  while (child && child.name === "Branch") child = child.lastChild;
  return child && child.name === "Block" ? child : null;
}

/**
 * A node that ends with a block folds from the end of the line the block hangs from to the
 * end of the block's last item, so that the head stays visible: `match n …`, `fn f x = …`.
 * The fold belongs to the node holding the block rather than to the `Block` node, which
 * starts on the next line: an editor looks for the fold of a line among the nodes that span
 * its end (CodeMirror's `foldNodeProp` does).
 */
export const foldHangingBlock: FoldFunction = (node) => {
  const block = hangingBlock(node);
  if (!block) return null;
  const from = endOfHead(block);
  const to = endWithoutComments(block);
  return from !== null && from < to ? { from, to } : null;
};

/**
 * A delimited node (`( )`, `[ ]`, `{ }`, `${ }`) folds between its opener and its closer,
 * which stay visible. An unclosed one (its closer is zero-length) folds to its last element.
 */
export const foldDelimited: FoldFunction = (node) => {
  const open = node.firstChild;
  const close = node.lastChild;
  if (!open || !close || open === close) return null;
  const from = open.to;
  const to = close.from < close.to ? close.from : endWithoutComments(node);
  return from < to ? { from, to } : null;
};

/**
 * The fold function of each foldable node type, keyed like the argument of CodeMirror's
 * `foldNodeProp.add` (node names separated by spaces):
 * `parser.configure({ props: [foldNodeProp.add(foldNodes)] })`.
 */
export const foldNodes: Readonly<Record<string, FoldFunction>> = {
  "App Binary Lambda Prefix Attribute ThenClause ElseClause": foldHangingBlock,
  "Group List Record Index Unquote": foldDelimited,
};

const FOLDERS: ReadonlyMap<string, FoldFunction> = new Map(
  Object.entries(foldNodes).flatMap(([names, fold]) =>
    names.split(" ").map((name) => [name, fold] as const),
  ),
);

/** The fold range of `node`, or null when its type does not fold (see {@link foldNodes}). */
export function foldRange(node: SyntaxNode): FoldRange | null {
  const fold = FOLDERS.get(node.name);
  return fold ? fold(node) : null;
}

/**
 * Every fold range of the tree in document order (outer before inner). With `text`, only the
 * ranges that contain a line break: folding part of a line is of no use in an editor.
 */
export function foldRanges(tree: Tree, text?: string): FoldRange[] {
  const out: FoldRange[] = [];
  tree.iterate({
    enter(ref) {
      if (!FOLDERS.has(ref.name)) return;
      const range = foldRange(ref.node);
      if (!range) return;
      if (text !== undefined) {
        const newline = text.indexOf("\n", range.from);
        if (newline < 0 || newline >= range.to) return;
      }
      out.push(range);
    },
  });
  return out;
}
