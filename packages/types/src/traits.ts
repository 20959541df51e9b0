/**
 * User traits and effects (SPEC.md): declarations by `=` re-dispatch, like every definition of
 * the language. Trait methods raise a trait predicate that is resolved against the `impl`s of
 * the file; effect operations add their effect to the row of the function that performs them,
 * rows are inferred through calls, and `handle` removes an effect from the row of its body.
 *
 *     trait Shape a = { area: fn(a) -> Float }
 *     impl Shape Circle = { area = \c -> 3.14 * c.radius * c.radius }
 *     effect Log = { log: fn(String) -> Unit }
 *     handle Log { log = \message -> () }
 *         greet "Ada"
 */
import type { Node } from "@cadenza/syntax";
import type { Constraint } from "./constraints.js";
import { catalogue, missingImpl } from "./diagnostics.js";
import type { Binding, Env } from "./env.js";
import type { Inferencer } from "./infer.js";
import { renderType } from "./print.js";
import { copyGeneric, GENERIC, type Scheme } from "./scheme.js";
import { definitionHead, fieldEntry, isCall, isIdent } from "./syntax.js";
import {
  effectRow,
  forEachVar,
  freshVar,
  resolve,
  setLevel,
  type Type,
  type TypeVar,
  UNKNOWN,
} from "./types.js";
import { unify } from "./unify.js";

const problem = catalogue.problem;

function entriesOf(
  body: Node | undefined,
): { name: string; nameNode: Node; value: Node; entry: Node }[] {
  if (!isCall(body, "__record__")) return [];
  const out: { name: string; nameNode: Node; value: Node; entry: Node }[] = [];
  for (const entry of body.args) {
    const f = fieldEntry(entry);
    if (f !== undefined) out.push({ name: f.name.name, nameNode: f.name, value: f.type, entry });
  }
  return out;
}

function generalizeAll(t: Type): TypeVar[] {
  const vars: TypeVar[] = [];
  forEachVar(t, (v) => {
    setLevel(v, GENERIC);
    vars.push(v);
  });
  return vars;
}

/**
 * Declares the traits, effects and implementations of a block: trait and effect names become
 * namespaces of their methods and operations; implementations are registered for resolution.
 */
export function declareTraitsAndEffects(ix: Inferencer, cores: readonly Node[], env: Env): Env {
  const frame = new Map<string, Binding>();
  let scope = env;
  for (const core of cores) {
    const trait = definitionHead(core, "trait");
    if (trait !== undefined) {
      const [nameNode, paramNode] = trait.args;
      if (!isIdent(nameNode) || !isIdent(paramNode) || trait.args.length !== 2) {
        ix.report(
          catalogue.invalidForm(core.span, "trait", "trait NAME PARAM = { METHOD: TYPE, … }"),
        );
        continue;
      }
      const param = freshVar("type", ix.level);
      const vars = new Map<string, TypeVar>([[paramNode.name, param]]);
      const methods = new Map<string, Type>();
      const members = new Map<string, Scheme>();
      for (const e of entriesOf((core as Node & { kind: "apply" }).args[1])) {
        const t = ix.readTypeExpr(e.value, scope, new Map(vars));
        methods.set(e.name, t);
        const schemeVars = generalizeAll(t);
        setLevel(param, GENERIC);
        if (!schemeVars.includes(param)) schemeVars.push(param);
        const constraint: Constraint = {
          kind: "trait",
          trait: nameNode.name,
          type: param,
          site: { span: e.entry.span, operator: `${nameNode.name}.${e.name}` },
        };
        members.set(e.name, { vars: schemeVars, constraints: [constraint], type: t });
      }
      ix.traits.set(nameNode.name, { name: nameNode.name, param, methods, span: core.span });
      frame.set(nameNode.name, {
        kind: "namespace",
        name: nameNode.name,
        members,
        origin: "trait",
      });
      continue;
    }
    const effect = definitionHead(core, "effect");
    if (effect !== undefined) {
      const nameNode = effect.args[0];
      if (!isIdent(nameNode) || effect.args.length !== 1) {
        ix.report(
          catalogue.invalidForm(core.span, "effect", "effect NAME = { OPERATION: fn(…) -> T, … }"),
        );
        continue;
      }
      const operations = new Map<string, Scheme>();
      for (const e of entriesOf((core as Node & { kind: "apply" }).args[1])) {
        const t = resolve(ix.readTypeExpr(e.value, scope));
        if (t.kind !== "fn") {
          ix.report(
            problem(
              "invalid-form",
              "invalid `effect` form",
              e.value.span,
              "expected a function type `fn(…) -> T`",
            ),
          );
          continue;
        }
        const op: Type = {
          ...t,
          effects: effectRow([nameNode.name], freshVar("effect", ix.level)),
        };
        operations.set(e.name, { vars: generalizeAll(op), constraints: [], type: op });
      }
      ix.effectDecls.set(nameNode.name, { name: nameNode.name, operations, span: core.span });
      frame.set(nameNode.name, {
        kind: "namespace",
        name: nameNode.name,
        members: operations,
        origin: "effect",
      });
    }
  }
  scope = scope.with(frame);
  for (const core of cores) {
    const impl = definitionHead(core, "impl");
    if (impl === undefined) continue;
    const [traitNode, typeNode] = impl.args;
    if (!isIdent(traitNode) || typeNode === undefined || impl.args.length !== 2) continue;
    ix.impls.push({
      trait: traitNode.name,
      type: ix.readTypeExpr(typeNode, scope),
      span: core.span,
    });
  }
  return scope;
}

/** A key for the head of a type, for instance resolution; undefined when not known yet. */
function headOf(t: Type): unknown {
  const r = resolve(t);
  switch (r.kind) {
    case "named":
      return r.decl;
    case "con":
      return `con:${r.name}`;
    case "quantity": {
      const m = resolve(r.magnitude);
      return m.kind === "num" ? `num:${m.name}` : undefined;
    }
    case "list":
      return "list";
    case "tuple":
      return `tuple:${r.items.length}`;
    case "record":
      return "record";
    case "fn":
      return "fn";
    default:
      return undefined;
  }
}

/** One attempt at a trait predicate: some `impl` must exist for the type's head. */
export function stepTrait(
  ix: Inferencer,
  c: Extract<Constraint, { kind: "trait" }>,
): "done" | "stuck" {
  const t = resolve(c.type);
  if (t.kind === "unknown") return "done";
  const head = headOf(t);
  if (head === undefined) return "stuck";
  if (ix.impls.some((i) => i.trait === c.trait && headOf(i.type) === head)) return "done";
  if (!ix.traits.has(c.trait)) return "done";
  ix.report(missingImpl(c.site.span, c.trait, renderType(t), c.site.via));
  return "done";
}

/** `impl TRAIT TYPE = { method = …, … }`: every method checked against the trait. */
export function inferImpl(ix: Inferencer, node: Node & { kind: "apply" }, env: Env): void {
  const head = definitionHead(node, "impl")!;
  const [traitNode, typeNode] = head.args;
  if (!isIdent(traitNode) || typeNode === undefined) {
    ix.report(catalogue.invalidForm(node.span, "impl", "impl TRAIT TYPE = { METHOD = …, … }"));
    return;
  }
  const trait = ix.traits.get(traitNode.name);
  if (trait === undefined) {
    ix.report(
      problem(
        "unknown-trait",
        `unknown trait \`${traitNode.name}\``,
        traitNode.span,
        "no trait of this name",
      ),
    );
    return;
  }
  const target = ix.readTypeExpr(typeNode, env);
  const given = entriesOf(node.args[1]);
  for (const e of given) {
    const declared = trait.methods.get(e.name);
    if (declared === undefined) {
      ix.report(
        problem(
          "unknown-method",
          "unknown trait method",
          e.nameNode.span,
          `trait \`${trait.name}\` has no method \`${e.name}\``,
        ),
      );
      ix.inferExpr(e.value, env);
      continue;
    }
    const map = new Map<TypeVar, TypeVar>();
    const expected = copyGeneric(declared, map, ix.level);
    const param = map.get(trait.param);
    if (param !== undefined) unify(param, target);
    ix.level++;
    const actual = ix.inferExpr(e.value, env);
    ix.solve();
    ix.level--;
    ix.expect(expected, actual, e.value.span);
  }
  for (const name of trait.methods.keys()) {
    if (!given.some((e) => e.name === name)) {
      ix.report(
        problem(
          "missing-method",
          "missing trait method",
          node.span,
          `missing method \`${name}\` of trait \`${trait.name}\``,
        ),
      );
    }
  }
}

/**
 * `handle EFFECT { op = handler, … } BODY`: the body may perform `EFFECT`; each handler
 * implements an operation (its result is the operation's result at the call). The body's
 * other effects, and the handlers' own, belong to the enclosing code.
 */
export function inferHandle(ix: Inferencer, node: Node & { kind: "apply" }, env: Env): Type {
  const [effectNode, handlers, body] = node.args;
  if (
    !isIdent(effectNode) ||
    handlers === undefined ||
    body === undefined ||
    node.args.length !== 3
  ) {
    ix.report(
      catalogue.invalidForm(node.span, "handle", "handle EFFECT { OPERATION = HANDLER, … } BODY"),
    );
    return UNKNOWN;
  }
  const effect = ix.effectDecls.get(effectNode.name);
  if (effect === undefined) {
    ix.report(
      problem(
        "unknown-effect",
        `unknown effect \`${effectNode.name}\``,
        effectNode.span,
        "no effect of this name",
      ),
    );
    for (const a of node.args.slice(1)) ix.inferExpr(a, env);
    return UNKNOWN;
  }
  const given = entriesOf(handlers);
  for (const e of given) {
    const op = effect.operations.get(e.name);
    const actual = ix.inferExpr(e.value, env);
    if (op === undefined) {
      ix.report(
        problem(
          "unknown-operation",
          "unknown effect operation",
          e.nameNode.span,
          `effect \`${effect.name}\` has no operation \`${e.name}\``,
        ),
      );
      continue;
    }
    const expected = resolve(copyGeneric(op.type, new Map(), ix.level));
    if (expected.kind === "fn") {
      // The handler runs in the enclosing code: its effects are the enclosing ones.
      ix.expect({ ...expected, effects: ix.effects }, actual, e.value.span);
    }
  }
  for (const name of effect.operations.keys()) {
    if (!given.some((e) => e.name === name)) {
      ix.report(
        problem(
          "missing-handler",
          "missing effect handler",
          handlers.span,
          `missing handler for \`${effect.name}.${name}\``,
        ),
      );
    }
  }
  const outer = ix.effects;
  const outerCalls = ix.calls;
  ix.effects = effectRow([effect.name], outer);
  ix.calls = [];
  const t = ix.inferExpr(body, env);
  ix.effects = outer;
  ix.calls = [...outerCalls, ...ix.calls];
  return t;
}
