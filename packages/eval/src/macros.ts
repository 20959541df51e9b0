import type { Span } from "@cadenza/core";
import { Scope } from "./env.js";
import { catalogue } from "./errors.js";
import type { Interpreter } from "./evaluate.js";
import { intToBigInt } from "./numbers.js";
import { apply, ident, isCall, literal, type Tree, type TreeApply, valueNode } from "./tree.js";
import { isError, type MacroValue, syntax, type Value } from "./values.js";

/**
 * The syntax a value becomes when it is unquoted or passed to `Syntax.literal`
 * (LANGUAGE.md §5.9): Syntax as is, a Symbol as an identifier, literal-like values as
 * literals, anything else as a value node.
 */
export function toSyntaxNode(v: Value, span: Span): Tree {
  switch (v.kind) {
    case "syntax":
      return v.node;
    case "symbol":
      return ident(v.name, span);
    case "integer":
      return literal({ type: "integer", value: intToBigInt(v.value) }, span);
    case "float":
      return literal({ type: "float", value: v.value }, span);
    case "string":
      return literal({ type: "string", value: v.value }, span);
    case "char":
      return literal({ type: "char", value: v.value }, span);
    default:
      return valueNode(v, span);
  }
}

/** Whether an argument is `(quote …)` or `(= (quote …) …)`, which macros receive evaluated. */
function isQuoteArgument(t: Tree): boolean {
  return (
    isCall(t, "quote") || (isCall(t, "=") && t.args.length === 2 && isCall(t.args[0], "quote"))
  );
}

/**
 * `quote E` (LANGUAGE.md §5.9): the tree of `E` with each `${e}` replaced by the syntax of
 * the value of `e`, and each `${...e}` by the elements of a list. Unquotes inside a nested
 * `quote` belong to it and are left alone.
 */
export function quoteTree(interp: Interpreter, node: Tree, scope: Scope): Tree {
  if (node.kind !== "apply") return node;
  if (isCall(node, "__unquote__")) {
    const inner = node.args[0];
    if (inner === undefined || node.args.length !== 1) {
      return interp.fail(catalogue.invalidForm(node.span, "$" + "{", "$" + "{EXPRESSION}"));
    }
    if (isCall(inner, "...")) {
      return interp.fail(
        catalogue.invalidForm(node.span, "${...", "splice inside an argument list"),
      );
    }
    return toSyntaxNode(unquoteValue(interp, inner, scope), inner.span);
  }
  if (isCall(node, "quote")) return node;
  const callee = quoteTree(interp, node.callee, scope);
  const args: Tree[] = [];
  for (const arg of node.args) {
    if (isCall(arg, "__unquote__") && arg.args.length === 1 && isCall(arg.args[0], "...")) {
      const spliced = arg.args[0].args[0];
      const v = spliced === undefined ? undefined : unquoteValue(interp, spliced, scope);
      if (v === undefined || v.kind !== "list") {
        return interp.fail(
          catalogue.expectedFound(
            arg.span,
            "a list",
            v === undefined ? "nothing" : interp.typeName(v),
          ),
        );
      }
      interp.allocate(v.items.length, arg.span);
      for (const item of v.items) args.push(toSyntaxNode(item, arg.span));
    } else {
      args.push(quoteTree(interp, arg, scope));
    }
  }
  return apply(callee, args, node.span);
}

function unquoteValue(interp: Interpreter, e: Tree, scope: Scope): Value {
  const v = interp.eval(e, scope);
  // An error value inside a quote poisons the whole quotation without a new diagnostic.
  if (isError(v)) throw new PoisonedQuote();
  return v;
}

/** Internal: an unquoted expression yielded the error value. */
export class PoisonedQuote extends Error {}

/**
 * Invokes a macro (LANGUAGE.md §5.9): parameters are bound to the syntax of the arguments
 * (quoted arguments are evaluated), the body runs over the macro's definition scope, and a
 * Syntax result is expanded at the call site.
 */
export function invokeMacro(
  interp: Interpreter,
  m: MacroValue,
  call: TreeApply,
  scope: Scope,
): Value {
  if (call.args.length !== m.params.length) {
    interp.fail(
      catalogue.arityMismatch(
        call.callee.span,
        "macro",
        m.name,
        m.params,
        m.params.length,
        call.args.length,
      ),
    );
  }
  const bodyScope = new Scope(m.env, "call");
  for (let i = 0; i < m.params.length; i++) {
    const arg = call.args[i]!;
    const value = isQuoteArgument(arg) ? interp.eval(arg, scope) : syntax(arg);
    if (isError(value)) return value;
    bodyScope.bind(m.params[i]!, { value, origin: "param", macroArgument: { node: arg, scope } });
  }
  const result = interp.withMacroFrame(m, call.span, () => interp.eval(m.body, bodyScope));
  if (result.kind !== "syntax") return result;
  // A macro of another module builds its syntax from that file's text: what it adds is
  // placed at the invocation, so that every later report points into this file.
  const expansion = interp.isForeign(m.env) ? placeAt(result.node, call) : result.node;
  interp.recorder.recordExpansion(call, expansion);
  return interp.withMacroFrame(
    m,
    call.span,
    () => expand(interp, expansion, scope, !m.unhygienic),
    "expansion",
  );
}

/**
 * Evaluates an expansion at the call site. A hygienic expansion runs in a fresh scope whose
 * parent is the caller's: its `let`s stay there, its definitions are also bound in the
 * caller's scope. An unhygienic one runs directly in the caller's scope. A `__block__`
 * expansion runs its items directly in that scope.
 */
export function expand(interp: Interpreter, node: Tree, caller: Scope, hygienic: boolean): Value {
  const scope = hygienic ? new Scope(caller.env, "expansion", caller) : caller;
  const value = isCall(node, "__block__")
    ? interp.runItems(node.args, scope)
    : interp.eval(node, scope);
  if (hygienic) for (const name of scope.letNames) interp.macroInternalNames.add(name);
  return value;
}

/**
 * The expansion of an imported macro with every node that does not come from the invocation's
 * arguments (which are this file's syntax, kept as they are) spanning the invocation.
 */
function placeAt(node: Tree, call: TreeApply): Tree {
  const args = new Set<Tree>(call.args);
  const span = call.span;
  const visit = (n: Tree): Tree => {
    if (args.has(n)) return n;
    switch (n.kind) {
      case "apply":
        return { kind: "apply", callee: visit(n.callee), args: n.args.map(visit), span };
      case "ident":
        return { ...n, span };
      case "literal":
        return { ...n, span };
      default:
        return { ...n, span } as Tree;
    }
  };
  return visit(node);
}
