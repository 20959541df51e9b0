import type { Problem, Span } from "@cadenza/core";
import {
  firstRefutable,
  recordLiteralField,
  recordPatternEntries,
  tupleLiteralItems,
} from "@cadenza/syntax";
import type { BindingOrigin, Scope } from "./env.js";
import { lookup } from "./env.js";
import { catalogue } from "./errors.js";
import type { Interpreter } from "./evaluate.js";
import { fieldsOf } from "./forms/field.js";
import { nameFromUnquote } from "./forms/names.js";
import { evalTypeExpr } from "./forms/type.js";
import { structuralEquals } from "./operators.js";
import { renderSyntax } from "./print.js";
import { headName, isCall, type Tree } from "./tree.js";
import { renderType, typeCompatible, typeOf } from "./types.js";
import { isError, record, type Value, type VariantValue } from "./values.js";

/** How a pattern is being matched: `let` and parameters must fit; `match` arms may not. */
type Mode = "bind" | "test";

interface Context {
  readonly interp: Interpreter;
  readonly scope: Scope;
  readonly mode: Mode;
  readonly out: [string, Value, Span][];
}

/** Where the value being bound came from, for the labels of `pattern match failed`. */
export interface BindOptions {
  /** The span of the value expression (the right side, the argument). */
  readonly valueSpan: Span;
  /** The value expression itself, followed into literal tuples and records for spans. */
  readonly valueNode?: Tree;
  readonly origin: BindingOrigin;
}

/**
 * Binds an infallible pattern (`let`, parameters, `for`) in `scope`, failing the item with
 * `pattern match failed` when the value does not fit (LANGUAGE.md §5.1).
 */
export function bindPattern(
  interp: Interpreter,
  pattern: Tree,
  value: Value,
  scope: Scope,
  options: BindOptions,
): void {
  const ctx: Context = { interp, scope, mode: "bind", out: [] };
  walk(ctx, pattern, value, options.valueSpan, options.valueNode);
  for (const [name, v, span] of ctx.out)
    scope.bind(name, { value: v, origin: options.origin, span });
}

/**
 * Tests a `match` pattern against a value. Returns the bindings when it matches, undefined
 * when it does not.
 */
export function matchPattern(
  interp: Interpreter,
  pattern: Tree,
  value: Value,
  scope: Scope,
): [string, Value, Span][] | undefined {
  const ctx: Context = { interp, scope, mode: "test", out: [] };
  return walk(ctx, pattern, value, pattern.span, undefined) ? ctx.out : undefined;
}

function namesOf(ctx: Context, p: Tree): string[] {
  switch (p.kind) {
    case "ident":
      return isBindingName(ctx, p.name) ? [p.name] : [];
    case "apply": {
      if (isCall(p, "__unquote__")) {
        try {
          return [nameFromUnquote(ctx.interp, p, ctx.scope)];
        } catch {
          return [];
        }
      }
      const head = headName(p);
      if (head === "=" && p.args.length === 2) return namesOf(ctx, p.args[1]!);
      if (head === ":" && p.args.length === 2) return namesOf(ctx, p.args[0]!);
      return p.args.flatMap((a) => namesOf(ctx, a));
    }
    default:
      return [];
  }
}

function isBindingName(ctx: Context, name: string): boolean {
  if (name === "_" || name === "..." || name === "true" || name === "false") return false;
  return !(ctx.mode === "test" && variantNamed(ctx, name) !== undefined);
}

function variantNamed(ctx: Context, name: string): VariantValue | undefined {
  const v = lookup(ctx.scope.env, name)?.value;
  return v?.kind === "variant" && v.payload === undefined ? v : undefined;
}

/**
 * The first refutable part of a `let` pattern: a list pattern or a literal (or variant)
 * pattern, reported as `fallible pattern in let binding` before the right side runs (D9).
 */
export function fallibleProblem(pattern: Tree, rhsText: string): Problem | undefined {
  const found = firstRefutable(pattern);
  if (!found) return undefined;
  if (found.kind === "list")
    return catalogue.fallibleListPattern(found.node.span, renderPatternSource(found.node), rhsText);
  return catalogue.fallibleLiteralPattern(
    found.node.span,
    renderPatternSource(found.node),
    rhsText,
  );
}

/** The source-like text of a pattern for helps: `[x, y]`, `42`. */
function renderPatternSource(p: Tree): string {
  if (isCall(p, "__list__")) return `[${p.args.map(renderPatternSource).join(", ")}]`;
  if (isCall(p, "__tuple__")) return `(${p.args.map(renderPatternSource).join(", ")})`;
  if (isCall(p, "...")) return `...${p.args.map(renderPatternSource).join("")}`;
  if (isCall(p, "-") && p.args.length === 1) return `-${renderPatternSource(p.args[0]!)}`;
  return renderSyntax(p);
}

function mismatch(
  ctx: Context,
  pattern: Tree,
  expected: string,
  value: Value,
  valueSpan: Span,
): boolean {
  if (ctx.mode === "test") return false;
  return ctx.interp.fail(
    catalogue.patternShapeMismatch(pattern.span, expected, valueSpan, ctx.interp.typeName(value)),
  );
}

/** Matches `p` against `v`, collecting bindings; false (or a failure in bind mode) otherwise. */
function walk(
  ctx: Context,
  p: Tree,
  v: Value,
  valueSpan: Span,
  valueNode: Tree | undefined,
): boolean {
  if (isError(v)) {
    for (const name of namesOf(ctx, p)) ctx.out.push([name, v, p.span]);
    return true;
  }
  switch (p.kind) {
    case "ident":
      return walkIdent(ctx, p.name, p, v, valueSpan);
    case "literal":
    case "value":
      return literalMatches(ctx, p, v, valueSpan);
    case "error":
      return true;
    case "apply":
      return walkApply(ctx, p, v, valueSpan, valueNode);
  }
}

function walkIdent(ctx: Context, name: string, p: Tree, v: Value, valueSpan: Span): boolean {
  if (name === "_") return true;
  if (name === "true" || name === "false") return literalMatches(ctx, p, v, valueSpan);
  if (ctx.mode === "test") {
    const variant = variantNamed(ctx, name);
    if (variant)
      return v.kind === "variant" && v.variant === variant.variant && v.def === variant.def;
  }
  ctx.out.push([name, v, p.span]);
  return true;
}

function literalMatches(ctx: Context, p: Tree, v: Value, valueSpan: Span): boolean {
  const lit = ctx.interp.eval(p, ctx.scope);
  const r = structuralEquals(lit, v);
  if (r === true) return true;
  if (ctx.mode === "test") return false;
  return ctx.interp.fail(
    catalogue.patternShapeMismatch(
      p.span,
      ctx.interp.typeName(lit),
      valueSpan,
      ctx.interp.typeName(v),
    ),
  );
}

function walkApply(
  ctx: Context,
  p: Tree & { kind: "apply" },
  v: Value,
  valueSpan: Span,
  valueNode: Tree | undefined,
): boolean {
  const head = headName(p);
  switch (head) {
    case "__tuple__":
      return walkTuple(ctx, p, v, valueSpan, valueNode);
    case "__list__":
      return walkList(ctx, p, v, valueSpan);
    case "__record__":
      return walkRecord(ctx, p, v, valueSpan, valueNode);
    case "__unquote__": {
      const name = nameFromUnquote(ctx.interp, p, ctx.scope);
      return walkIdent(ctx, name, p, v, valueSpan);
    }
    case ":":
      if (p.args.length === 2) {
        const t = evalTypeExpr(ctx.interp, p.args[1]!, ctx.scope);
        const actual = typeOf(v);
        if (!typeCompatible(t, actual)) {
          if (ctx.mode === "test") return false;
          ctx.interp.fail(catalogue.expectedFound(valueSpan, renderType(t), renderType(actual)));
        }
        return walk(ctx, p.args[0]!, v, valueSpan, valueNode);
      }
      break;
    case "-":
      if (p.args.length === 1) return literalMatches(ctx, p, v, valueSpan);
      break;
    case ".":
      return walkPath(ctx, p, v, valueSpan);
    default:
      break;
  }
  return walkConstructor(ctx, p, v, valueSpan);
}

function walkTuple(
  ctx: Context,
  p: Tree & { kind: "apply" },
  v: Value,
  valueSpan: Span,
  valueNode: Tree | undefined,
): boolean {
  if (v.kind !== "tuple") return mismatch(ctx, p, "tuple", v, valueSpan);
  if (v.items.length !== p.args.length) {
    if (ctx.mode === "test") return false;
    return ctx.interp.fail(
      catalogue.tupleLengthMismatch(p.span, p.args.length, valueSpan, v.items.length),
    );
  }
  const children = tupleLiteralItems(valueNode, p.args.length);
  return p.args.every((sub, i) =>
    walk(ctx, sub, v.items[i]!, children?.[i]?.span ?? valueSpan, children?.[i]),
  );
}

function walkList(ctx: Context, p: Tree & { kind: "apply" }, v: Value, valueSpan: Span): boolean {
  if (v.kind !== "list") return mismatch(ctx, p, "list", v, valueSpan);
  const last = p.args[p.args.length - 1];
  const rest = last !== undefined && isCall(last, "...") ? last : undefined;
  const fixed = rest ? p.args.slice(0, -1) : p.args;
  if (rest ? v.items.length < fixed.length : v.items.length !== fixed.length) {
    if (ctx.mode === "test") return false;
    return ctx.interp.fail(
      catalogue.patternShapeMismatch(
        p.span,
        `list of ${fixed.length} elements`,
        valueSpan,
        `list of ${v.items.length} elements`,
      ),
    );
  }
  if (!fixed.every((sub, i) => walk(ctx, sub, v.items[i]!, valueSpan, undefined))) return false;
  if (rest && rest.args.length === 1) {
    return walk(
      ctx,
      rest.args[0]!,
      { kind: "list", items: v.items.slice(fixed.length) },
      valueSpan,
      undefined,
    );
  }
  return true;
}

function walkRecord(
  ctx: Context,
  p: Tree & { kind: "apply" },
  v: Value,
  valueSpan: Span,
  valueNode: Tree | undefined,
): boolean {
  const fields = fieldsOf(v);
  if (fields === undefined) return mismatch(ctx, p, "record", v, valueSpan);
  const used = new Set<string>();
  let restPattern: Tree | undefined;
  for (const entry of recordPatternEntries(p)) {
    if (entry.kind === "rest") {
      restPattern = entry.pattern;
      continue;
    }
    if (entry.kind === "invalid") return mismatch(ctx, entry.node, "record field", v, valueSpan);
    const { name, nameSpan, pattern: sub } = entry;
    const field = fields.get(name);
    if (field === undefined) {
      if (ctx.mode === "test") return false;
      return ctx.interp.fail(
        catalogue.recordFieldMissing(nameSpan, name, valueSpan, [...fields.keys()]),
      );
    }
    used.add(name);
    const child = recordLiteralField(valueNode, name);
    if (!walk(ctx, sub, field, child?.span ?? valueSpan, child)) return false;
  }
  if (restPattern !== undefined) {
    const rest = new Map<string, Value>();
    for (const [n, x] of fields) if (!used.has(n)) rest.set(n, x);
    return walk(ctx, restPattern, record(rest), valueSpan, undefined);
  }
  return true;
}

/** `Status.Pending`: a qualified payload-less variant. */
function walkPath(ctx: Context, p: Tree, v: Value, valueSpan: Span): boolean {
  const target = ctx.interp.eval(p, ctx.scope);
  if (target.kind === "variant") {
    if (v.kind === "variant" && v.def === target.def && v.variant === target.variant) return true;
    return ctx.mode === "test" ? false : mismatch(ctx, p, target.variant.name, v, valueSpan);
  }
  if (target.kind === "constructor") {
    if (v.kind === "variant" && v.def === target.def && v.variant === target.variant) return true;
    return ctx.mode === "test" ? false : mismatch(ctx, p, target.variant.name, v, valueSpan);
  }
  return literalMatches(ctx, p, v, valueSpan);
}

/** `(Result.Ok v)`, `(Shape.Circle { radius })`, `(Point { x, y })`. */
function walkConstructor(
  ctx: Context,
  p: Tree & { kind: "apply" },
  v: Value,
  valueSpan: Span,
): boolean {
  const callee = ctx.interp.eval(p.callee, ctx.scope);
  const payloadPattern = p.args.length === 1 ? p.args[0]! : undefined;
  if (callee.kind === "constructor" && payloadPattern) {
    if (v.kind !== "variant" || v.def !== callee.def || v.variant !== callee.variant) {
      return ctx.mode === "test" ? false : mismatch(ctx, p, callee.variant.name, v, valueSpan);
    }
    return walk(
      ctx,
      payloadPattern,
      v.payload ?? { kind: "tuple", items: [] },
      valueSpan,
      undefined,
    );
  }
  if (callee.kind === "type" && callee.type.kind === "struct" && payloadPattern) {
    if (v.kind !== "struct" || v.def !== callee.type.def) {
      return mismatch(ctx, p, callee.type.def.name, v, valueSpan);
    }
    return walk(ctx, payloadPattern, record(v.fields), valueSpan, undefined);
  }
  // Anything else is compared as a value (for example a computed literal).
  return literalMatches(ctx, p, v, valueSpan);
}
