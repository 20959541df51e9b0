/**
 * Small helpers over the uniform tree of `@cadenza/syntax`: recognising identifiers and
 * applications by head, and peeling the transparent `@` and `##` wrappers off items.
 */
import type { Apply, Ident, Node } from "@cadenza/syntax";

declare const checked: unique symbol;

/**
 * An identifier that a guard has checked. The phantom property keeps TypeScript from
 * concluding, when a guard with a name fails, that the node is not an identifier at all.
 */
export type CheckedIdent = Ident & { readonly [checked]: true };

/** Whether `n` is an identifier (with the given name). */
export function isIdent(n: Node | undefined, name?: string): n is CheckedIdent {
  return n !== undefined && n.kind === "ident" && (name === undefined || n.name === name);
}

/** An application whose callee is an identifier. */
export interface Call extends Apply {
  readonly callee: Ident;
  readonly [checked]: true;
}

/** Whether `n` is an application whose callee is the identifier `head`. */
export function isCall(n: Node | undefined, head: string): n is Call {
  return (
    n !== undefined && n.kind === "apply" && n.callee.kind === "ident" && n.callee.name === head
  );
}

/** The callee name of an application, if the callee is an identifier. */
export function headName(n: Node): string | undefined {
  return n.kind === "apply" && n.callee.kind === "ident" ? n.callee.name : undefined;
}

/** An item without its `(@ attr …)` and `(__doc__ "…" …)` wrappers, and the attributes. */
export interface Unwrapped {
  readonly core: Node;
  readonly attributes: readonly Node[];
}

/** Peels attribute and documentation wrappers off an item (LANGUAGE.md §3.1). */
export function unwrapItem(node: Node): Unwrapped {
  const attributes: Node[] = [];
  let t = node;
  for (let guard = 0; guard < 1000; guard++) {
    if ((isCall(t, "@") || isCall(t, "__doc__")) && t.args.length === 2) {
      if (isCall(t, "@")) attributes.push(t.args[0]!);
      t = t.args[1]!;
    } else break;
  }
  return { core: t, attributes };
}

/** The left side of a definition `(= (FORM …) rhs)` when FORM is `form`. */
export function definitionHead(node: Node, form: string): Call | undefined {
  if (isCall(node, "=") && node.args.length === 2 && isCall(node.args[0], form))
    return node.args[0];
  return undefined;
}

/**
 * A `NAME: TYPE` or `NAME = TYPE` entry of a record type, struct or declaration body.
 * `f: fn(A) -> R` parses as `(-> (: f (fn A)) R)` because `:` binds tighter than `->`; it is
 * read back as the field `f` of type `fn(A) -> R`.
 */
export function fieldEntry(
  entry: Node,
): { readonly name: CheckedIdent; readonly type: Node } | undefined {
  if (
    (isCall(entry, ":") || isCall(entry, "=")) &&
    entry.args.length === 2 &&
    isIdent(entry.args[0])
  ) {
    return { name: entry.args[0], type: entry.args[1]! };
  }
  if (isCall(entry, "->") && entry.args.length === 2) {
    const [lhs, result] = entry.args as [Node, Node];
    if (isCall(lhs, ":") && lhs.args.length === 2 && isIdent(lhs.args[0])) {
      const params = lhs.args[1]!;
      const type: Node = {
        kind: "apply",
        callee: entry.callee,
        args: [params, result],
        span: { start: params.span.start, end: result.span.end },
      };
      return { name: lhs.args[0], type };
    }
  }
  return undefined;
}
