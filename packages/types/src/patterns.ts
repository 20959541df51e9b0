/**
 * Patterns (LANGUAGE.md §5.1, §5.3): the type a pattern requires of its value and the names
 * it binds. `let`, parameters and `for` must fit their value (a shape mismatch is reported as
 * the evaluator's `pattern match failed`); `match` arms are refutable and only constrain the
 * scrutinee's type.
 */
import type { Span } from "@cadenza/core";
import {
  firstRefutable,
  type Node,
  recordLiteralField,
  recordPatternEntries,
  tupleLiteralItems,
} from "@cadenza/syntax";
import { catalogue, type Problem } from "./diagnostics.js";
import type { Binding, Env } from "./env.js";
import type { Inferencer } from "./infer.js";
import { monoScheme } from "./scheme.js";
import { headName, isCall, isIdent } from "./syntax.js";
import {
  BOOL,
  type Field,
  flattenRecord,
  freshVar,
  listType,
  mapPacked,
  namedType,
  recordType,
  resolve,
  type Type,
  tupleType,
  UNKNOWN,
} from "./types.js";

/** How a pattern is used: must fit (`bind`) or may fail (`test`). */
export type PatternMode = "bind" | "test";

/** One name a pattern binds. */
export interface PatternBinding {
  readonly name: string;
  readonly type: Type;
  readonly node: Node;
}

/** Context of one pattern: where the value comes from, for labels. */
export interface PatternContext {
  readonly ix: Inferencer;
  readonly env: Env;
  readonly mode: PatternMode;
  readonly out: PatternBinding[];
}

/**
 * Types a pattern against the value type `t`, collecting its bindings in `ctx.out`.
 * `valueSpan`/`valueNode` describe the value for `pattern match failed` labels.
 */
export function walkPattern(
  ctx: PatternContext,
  p: Node,
  t: Type,
  valueSpan: Span,
  valueNode: Node | undefined,
): void {
  const { ix } = ctx;
  ix.record(p, t);
  switch (p.kind) {
    case "error":
      return;
    case "literal": {
      const lt = ix.literalType(p);
      ix.equalConstraint(lt, t, p.span, "==");
      return;
    }
    case "ident":
      walkIdent(ctx, p, t);
      return;
    case "apply":
      break;
    default:
      return;
  }
  const head = headName(p);
  switch (head) {
    case "__tuple__": {
      const r = resolve(t);
      if (r.kind === "tuple" && r.items.length !== p.args.length) {
        if (ctx.mode === "bind") {
          ix.report(
            catalogue.tupleLengthMismatch(p.span, p.args.length, valueSpan, r.items.length),
          );
        }
        for (const a of p.args) bindUnknown(ctx, a);
        return;
      }
      const items = mapPacked(p.args, () => ix.freshType());
      ix.unifyPattern(tupleType(items), t, p, valueSpan, ctx.mode, "tuple");
      const children = tupleLiteralItems(valueNode, p.args.length);
      p.args.forEach((sub, i) => {
        walkPattern(ctx, sub, items[i]!, children?.[i]?.span ?? valueSpan, children?.[i]);
      });
      return;
    }
    case "__list__": {
      const element = ix.freshType();
      ix.unifyPattern(listType(element), t, p, valueSpan, ctx.mode, "list");
      for (const sub of p.args) {
        if (isCall(sub, "...") && sub.args.length === 1)
          walkPattern(ctx, sub.args[0]!, listType(element), valueSpan, undefined);
        else walkPattern(ctx, sub, element, valueSpan, undefined);
      }
      return;
    }
    case "__record__":
      walkRecord(ctx, p, t, valueSpan, valueNode);
      return;
    case ":":
      if (p.args.length === 2) {
        const annotated = ix.readTypeExpr(p.args[1]!, ctx.env);
        ix.unifyAnnotation(annotated, t, valueSpan);
        walkPattern(ctx, p.args[0]!, annotated, valueSpan, valueNode);
        return;
      }
      break;
    case "-":
      if (p.args.length === 1) {
        ix.equalConstraint(ix.inferExpr(p, ctx.env), t, p.span, "==");
        return;
      }
      break;
    case "__unquote__":
      // A computed name: the checker cannot know it, so nothing is bound.
      return;
    case ".":
      if (p.args.length === 2) {
        const target = ix.inferExpr(p, ctx.env);
        const r = resolve(target);
        if (r.kind === "fn") ix.unifyPattern(r.result, t, p, valueSpan, ctx.mode, "variant");
        else ix.equalConstraint(target, t, p.span, "==");
        return;
      }
      break;
    default:
      break;
  }
  walkConstructor(ctx, p as Node & { kind: "apply" }, t, valueSpan);
}

function walkIdent(ctx: PatternContext, p: Node & { kind: "ident" }, t: Type): void {
  const { ix } = ctx;
  if (p.name === "_") return;
  if (p.name === "true" || p.name === "false") {
    ix.unifyPattern(BOOL, t, p, p.span, ctx.mode, "Bool");
    return;
  }
  if (ctx.mode === "test") {
    const b = ctx.env.lookup(p.name);
    if (b?.kind === "variant" && b.variant.payload.kind === "none") {
      ix.unifyPattern(namedType(b.decl), t, p, p.span, ctx.mode, b.variant.name);
      return;
    }
  }
  ctx.out.push({ name: p.name, type: t, node: p });
}

function bindUnknown(ctx: PatternContext, p: Node): void {
  walkPattern({ ...ctx, mode: "test" }, p, UNKNOWN, p.span, undefined);
}

function walkRecord(
  ctx: PatternContext,
  p: Node & { kind: "apply" },
  t: Type,
  valueSpan: Span,
  valueNode: Node | undefined,
): void {
  const { ix } = ctx;
  // An entry that is not a field binds nothing; the evaluator reports it when the pattern runs.
  const entries: { name: string; nameSpan: Span; sub: Node }[] = [];
  let restPattern: Node | undefined;
  for (const entry of recordPatternEntries(p)) {
    if (entry.kind === "field")
      entries.push({ name: entry.name, nameSpan: entry.nameSpan, sub: entry.pattern });
    else if (entry.kind === "rest") restPattern = entry.pattern;
  }
  // A known closed record (or struct) missing a named field is the evaluator's error.
  const known = knownFields(t);
  if (known !== undefined && ctx.mode === "bind") {
    for (const e of entries) {
      if (!known.some((f) => f.name === e.name)) {
        ix.report(
          catalogue.recordFieldMissing(
            e.nameSpan,
            e.name,
            valueSpan,
            known.map((f) => f.name),
          ),
        );
        for (const x of entries) bindUnknown(ctx, x.sub);
        if (restPattern !== undefined) bindUnknown(ctx, restPattern);
        return;
      }
    }
  }
  const fields: Field[] = mapPacked(entries, (e) => ({ name: e.name, type: ix.freshType() }));
  const rest = freshVar("row", ix.level);
  ix.unifyPattern(recordType(fields, rest), t, p, valueSpan, ctx.mode, "record");
  entries.forEach((e, i) => {
    const child = recordLiteralField(valueNode, e.name);
    walkPattern(ctx, e.sub, fields[i]!.type, child?.span ?? valueSpan, child);
  });
  if (restPattern !== undefined) {
    // The other fields, as a record: the row the pattern did not name.
    const r = resolve(t);
    const restType =
      r.kind === "named" && r.decl.kind === "struct"
        ? recordType(
            mapPacked(
              r.decl.fields.filter((f) => !entries.some((e) => e.name === f.name)),
              (f) => ({ name: f.name, type: f.type }),
            ),
          )
        : recordType([], rest);
    walkPattern(ctx, restPattern, restType, valueSpan, undefined);
  }
}

/** The fields of a closed record or a struct type, undefined when not known yet. */
function knownFields(t: Type): readonly { name: string; type: Type }[] | undefined {
  const r = resolve(t);
  if (r.kind === "record") {
    const flat = flattenRecord(r);
    return flat.rest === undefined ? flat.fields : undefined;
  }
  if (r.kind === "named" && r.decl.kind === "struct") return r.decl.fields;
  return undefined;
}

/** `(Result.Ok v)`, `(Shape.Circle { radius })`, `(Point { x, y })`, `(Circle r)` after `use`. */
function walkConstructor(
  ctx: PatternContext,
  p: Node & { kind: "apply" },
  t: Type,
  valueSpan: Span,
): void {
  const { ix } = ctx;
  const payload = p.args.length === 1 ? p.args[0]! : undefined;
  const target = constructorOf(ctx, p.callee);
  if (target !== undefined && payload !== undefined) {
    if (target.kind === "variant") {
      ix.unifyPattern(namedType(target.decl), t, p, valueSpan, ctx.mode, target.variant.name);
      const pl = target.variant.payload;
      const payloadType =
        pl.kind === "value"
          ? pl.type
          : pl.kind === "record"
            ? recordType(mapPacked(pl.fields, (f) => ({ name: f.name, type: f.type })))
            : tupleType([]);
      walkPattern(ctx, payload, payloadType, valueSpan, undefined);
      return;
    }
    if (target.kind === "nominal" && target.decl.kind === "struct") {
      ix.unifyPattern(namedType(target.decl), t, p, valueSpan, ctx.mode, target.decl.name);
      walkPattern(
        ctx,
        payload,
        recordType(mapPacked(target.decl.fields, (f) => ({ name: f.name, type: f.type }))),
        valueSpan,
        undefined,
      );
      return;
    }
  }
  // Anything else is compared as a value (a computed literal).
  ix.equalConstraint(ix.inferExpr(p, ctx.env), t, p.span, "==");
}

function constructorOf(ctx: PatternContext, callee: Node): Binding | undefined {
  if (isIdent(callee)) {
    const b = ctx.env.lookup(callee.name);
    return b?.kind === "variant" || b?.kind === "nominal" ? b : undefined;
  }
  if (
    isCall(callee, ".") &&
    callee.args.length === 2 &&
    isIdent(callee.args[0]) &&
    isIdent(callee.args[1])
  ) {
    const owner = ctx.env.lookup(callee.args[0].name);
    if (owner?.kind === "nominal" && owner.decl.kind === "enum") {
      const variant = owner.decl.variants.find(
        (v) => v.name === (callee.args[1] as { name: string }).name,
      );
      if (variant !== undefined) return { kind: "variant", decl: owner.decl, variant };
    }
  }
  return undefined;
}

/** The `fallible pattern in let binding` problem for a pattern, if it has a refutable part. */
export function fallibleProblem(
  pattern: Node,
  patternText: (n: Node) => string,
  rhsText: string,
): Problem | undefined {
  const found = firstRefutable(pattern);
  if (!found) return undefined;
  if (found.kind === "list")
    return catalogue.fallibleListPattern(found.node.span, patternText(found.node), rhsText);
  return catalogue.fallibleLiteralPattern(found.node.span, patternText(found.node), rhsText);
}

/** Makes the bindings of a pattern into environment bindings (monomorphic). */
export function patternFrame(out: readonly PatternBinding[]): Map<string, Binding> {
  const frame = new Map<string, Binding>();
  for (const b of out)
    frame.set(b.name, { kind: "value", scheme: monoScheme(b.type), user: true, span: b.node.span });
  return frame;
}
