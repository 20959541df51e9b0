import { type Binding, type Env, lookup } from "./env.js";
import { headName, isCall, isIdent, type Tree } from "./tree.js";
import {
  BOOL,
  FLOAT,
  fnType,
  freshVar,
  INTEGER,
  listType,
  named,
  RATIONAL,
  STRING,
  type Type,
  typeOf,
  UNIT_TYPE,
  UNKNOWN,
} from "./types.js";
import type { ClosureValue, Value } from "./values.js";

/**
 * Function-type inference of LANGUAGE.md §5.7. Each parameter starts as an unknown; literals
 * and captured values have their current types; operators, calls, `if`/`match` and blocks add
 * constraints, solved by unification. Inference never fails: a conflicting constraint is
 * ignored, and whatever stays unknown prints as `a`, `b`, ….
 */
class Inference {
  private readonly subst = new Map<number, Type>();
  /** Closures being inferred, with their provisional types (recursion). */
  readonly inProgress = new Map<ClosureValue, Type>();
  /** The cells read (and those the cached types used were inferred from). */
  readonly cells = new Set<Binding>();
  private depth = 0;

  /** The value of a name in an environment, noting the cell read. */
  private read(env: Env | undefined, name: string): Value | undefined {
    const b = lookup(env, name);
    if (b === undefined) return undefined;
    if (b.origin !== "base" && b.origin !== "import") this.cells.add(b);
    return b.value;
  }

  resolve(t: Type): Type {
    switch (t.kind) {
      case "var": {
        const s = this.subst.get(t.id);
        return s === undefined ? t : this.resolve(s);
      }
      case "tuple":
        return t.items.length === 0
          ? t
          : { kind: "tuple", items: t.items.map((x) => this.resolve(x)) };
      case "list":
        return listType(this.resolve(t.element));
      case "record":
        return { kind: "record", fields: t.fields.map(([n, f]) => [n, this.resolve(f)] as const) };
      case "fn":
        return fnType(
          t.params.map((p) => this.resolve(p)),
          this.resolve(t.result),
        );
      case "cell":
        return { kind: "cell", content: this.resolve(t.content) };
      case "quantity":
        return { kind: "quantity", magnitude: this.resolve(t.magnitude), units: t.units };
      default:
        return t;
    }
  }

  private shallow(t: Type): Type {
    let x = t;
    while (x.kind === "var") {
      const s = this.subst.get(x.id);
      if (s === undefined) break;
      x = s;
    }
    return x;
  }

  private occurs(id: number, t: Type): boolean {
    const r = this.shallow(t);
    switch (r.kind) {
      case "var":
        return r.id === id;
      case "tuple":
        return r.items.some((x) => this.occurs(id, x));
      case "list":
        return this.occurs(id, r.element);
      case "record":
        return r.fields.some(([, f]) => this.occurs(id, f));
      case "fn":
        return r.params.some((p) => this.occurs(id, p)) || this.occurs(id, r.result);
      case "cell":
        return this.occurs(id, r.content);
      default:
        return false;
    }
  }

  /** Unifies two types; a conflict is ignored (the first type wins). */
  unify(a: Type, b: Type): void {
    const x = this.shallow(a);
    const y = this.shallow(b);
    if (x === y) return;
    if (x.kind === "var") {
      if (y.kind === "var" && y.id === x.id) return;
      if (!this.occurs(x.id, y)) this.subst.set(x.id, y);
      return;
    }
    if (y.kind === "var") {
      if (!this.occurs(y.id, x)) this.subst.set(y.id, x);
      return;
    }
    if (x.kind === "named" && x.name === "Unknown") return;
    if (y.kind === "named" && y.name === "Unknown") return;
    if (x.kind === "tuple" && y.kind === "tuple" && x.items.length === y.items.length) {
      for (let i = 0; i < x.items.length; i++) this.unify(x.items[i]!, y.items[i]!);
    } else if (x.kind === "list" && y.kind === "list") {
      this.unify(x.element, y.element);
    } else if (x.kind === "fn" && y.kind === "fn" && x.params.length === y.params.length) {
      for (let i = 0; i < x.params.length; i++) this.unify(x.params[i]!, y.params[i]!);
      this.unify(x.result, y.result);
    } else if (x.kind === "record" && y.kind === "record") {
      for (const [n, t] of x.fields) {
        const other = y.fields.find(([m]) => m === n);
        if (other) this.unify(t, other[1]);
      }
    } else if (x.kind === "cell" && y.kind === "cell") {
      this.unify(x.content, y.content);
    }
  }

  /** A copy of a builtin's signature with fresh type variables. */
  instantiate(t: Type): Type {
    const map = new Map<number, Type>();
    const go = (x: Type): Type => {
      switch (x.kind) {
        case "var": {
          let v = map.get(x.id);
          if (!v) {
            v = freshVar();
            map.set(x.id, v);
          }
          return v;
        }
        case "tuple":
          return x.items.length === 0 ? x : { kind: "tuple", items: x.items.map(go) };
        case "list":
          return listType(go(x.element));
        case "record":
          return { kind: "record", fields: x.fields.map(([n, f]) => [n, go(f)] as const) };
        case "fn":
          return fnType(x.params.map(go), go(x.result));
        case "cell":
          return { kind: "cell", content: go(x.content) };
        default:
          return x;
      }
    };
    return go(t);
  }

  /** The type of a closure: its provisional type while it is being inferred. */
  closure(f: ClosureValue): Type {
    const provisional = this.inProgress.get(f);
    if (provisional) return provisional;
    if (f.inferred) {
      const origin = usedCache(f);
      if (origin !== undefined) for (const cell of origin.cells) this.cells.add(cell);
      return this.instantiate(f.inferred);
    }
    const locals = new Locals(undefined);
    const params = f.params.map((p) => this.bindPattern(p, locals));
    const result = freshVar();
    const t = fnType(params, result);
    this.inProgress.set(f, t);
    this.unify(result, this.expr(f.body, locals, f.env));
    this.inProgress.delete(f);
    return t;
  }

  /** Binds the names of a pattern to fresh (or structured) types and returns its type. */
  bindPattern(p: Tree, locals: Locals): Type {
    if (p.kind === "ident") {
      const t = freshVar();
      if (p.name !== "_") locals.set(p.name, t);
      return t;
    }
    if (p.kind === "literal") return literalType(p);
    if (isCall(p, "__tuple__"))
      return { kind: "tuple", items: p.args.map((a) => this.bindPattern(a, locals)) };
    if (isCall(p, "__list__")) {
      const element = freshVar();
      for (const a of p.args) {
        if (isCall(a, "...") && a.args[0]) {
          this.unify(this.bindPattern(a.args[0], locals), listType(element));
        } else this.unify(element, this.bindPattern(a, locals));
      }
      return listType(element);
    }
    if (isCall(p, "__record__")) {
      const fields: [string, Type][] = [];
      for (const a of p.args) {
        if (isIdent(a) && a.name !== "...") fields.push([a.name, this.bindPattern(a, locals)]);
        else if (isCall(a, "=") && isIdent(a.args[0]))
          fields.push([a.args[0].name, this.bindPattern(a.args[1]!, locals)]);
        else if (isCall(a, "...") && a.args[0]) this.bindPattern(a.args[0], locals);
      }
      return { kind: "record", fields };
    }
    if (isCall(p, ":") && p.args.length === 2) return this.bindPattern(p.args[0]!, locals);
    for (const a of p.kind === "apply" ? p.args : []) this.bindPattern(a, locals);
    return freshVar();
  }

  /** The type of an expression. */
  expr(node: Tree, locals: Locals, env: Env | undefined): Type {
    if (this.depth > 200) return freshVar();
    this.depth++;
    try {
      return this.exprInner(node, locals, env);
    } finally {
      this.depth--;
    }
  }

  private valueOf(name: string, locals: Locals, env: Env | undefined): Value | undefined {
    if (locals.get(name) !== undefined) return undefined;
    return this.read(env, name);
  }

  private valueType(v: Value): Type {
    if (v.kind === "closure") {
      const t = this.closure(v);
      if (v.params.length === 0) {
        const r = this.shallow(t);
        return r.kind === "fn" ? r.result : freshVar();
      }
      return t;
    }
    if (v.kind === "builtin") return this.instantiate(v.type);
    if (v.kind === "macro" || v.kind === "form" || v.kind === "error") return freshVar();
    return typeOf(v);
  }

  private exprInner(node: Tree, locals: Locals, env: Env | undefined): Type {
    switch (node.kind) {
      case "literal":
        return literalType(node);
      case "value":
        return this.valueType(node.value);
      case "error":
        return freshVar();
      case "ident": {
        const local = locals.get(node.name);
        if (local !== undefined) return local;
        const v = this.read(env, node.name);
        return v === undefined ? freshVar() : this.valueType(v);
      }
      case "apply":
        return this.apply(node, locals, env);
    }
  }

  private apply(node: Tree & { kind: "apply" }, locals: Locals, env: Env | undefined): Type {
    const e = (t: Tree, l: Locals = locals): Type => this.expr(t, l, env);
    const head = headName(node);
    const calleeValue = head === undefined ? undefined : this.valueOf(head, locals, env);
    const args = node.args;
    if (calleeValue?.kind === "form") {
      switch (calleeValue.name) {
        case "=":
          return this.assign(node, locals, env);
        case "->": {
          const lambda = args[0];
          const inner = new Locals(locals);
          const params = isCall(lambda, "\\")
            ? lambda.args.map((p) => this.bindPattern(p, inner))
            : [];
          return fnType(params, args[1] ? e(args[1], inner) : freshVar());
        }
        case "if": {
          if (args[0]) this.unify(e(args[0]), BOOL);
          if (args.length < 3) {
            if (args[1]) e(args[1]);
            return UNIT_TYPE;
          }
          const a = e(args[1]!);
          this.unify(a, e(args[2]!));
          return a;
        }
        case "match": {
          const scrutinee = args[0] ? e(args[0]) : freshVar();
          const arms =
            args.length === 2 && isCall(args[1], "__block__") ? args[1].args : args.slice(1);
          const result = freshVar();
          for (const arm of arms) {
            if (!isCall(arm, "=>") || arm.args.length !== 2) continue;
            const inner = new Locals(locals);
            this.unify(scrutinee, this.bindPattern(arm.args[0]!, inner));
            this.unify(result, e(arm.args[1]!, inner));
          }
          return result;
        }
        case "__block__": {
          const inner = new Locals(locals);
          let last: Type = UNIT_TYPE;
          for (const item of args) last = e(item, inner);
          return last;
        }
        case "__list__": {
          const element = freshVar();
          for (const a of args) {
            if (isCall(a, "...") && a.args[0]) this.unify(listType(element), e(a.args[0]));
            else this.unify(element, e(a));
          }
          return listType(element);
        }
        case "__tuple__":
          return { kind: "tuple", items: args.map((a) => e(a)) };
        case "__record__": {
          const fields: (readonly [string, Type])[] = [];
          for (const a of args) {
            if (isIdent(a)) fields.push([a.name, e(a)]);
            else if (isCall(a, "=") && isIdent(a.args[0]) && a.args[1])
              fields.push([a.args[0].name, e(a.args[1])]);
            else if (isCall(a, "...") && a.args[0]) {
              const spread = this.resolve(e(a.args[0]));
              if (spread.kind === "record") fields.push(...spread.fields);
            }
          }
          return { kind: "record", fields };
        }
        case ".": {
          const receiver = args[0];
          const field = args[1];
          if (!receiver || !isIdent(field)) return freshVar();
          const staticReceiver = isIdent(receiver)
            ? this.valueOf(receiver.name, locals, env)
            : undefined;
          if (staticReceiver?.kind === "module") {
            const m = staticReceiver.members.get(field.name);
            return m ? this.valueType(m) : freshVar();
          }
          if (staticReceiver?.kind === "type") {
            const t = staticReceiver.type;
            if (t.kind === "enum") {
              const variant = t.def.variants.find((v) => v.name === field.name);
              if (variant?.payload.kind === "none") return t;
              if (variant?.payload.kind === "value") return fnType([variant.payload.type], t);
              if (variant?.payload.kind === "record")
                return fnType([{ kind: "record", fields: variant.payload.fields }], t);
            }
            return freshVar();
          }
          const r = this.resolve(e(receiver));
          if (r.kind === "record")
            return r.fields.find(([n]) => n === field.name)?.[1] ?? freshVar();
          if (r.kind === "struct")
            return r.def.fields.find(([n]) => n === field.name)?.[1] ?? freshVar();
          return freshVar();
        }
        case "&&":
        case "||":
          for (const a of args) this.unify(e(a), BOOL);
          return BOOL;
        case "|>": {
          const [x, f] = args;
          if (!x || !f) return freshVar();
          if (f.kind === "apply") return this.call(f.callee, [x, ...f.args], locals, env);
          return this.call(f, [x], locals, env);
        }
        case "typeof":
          return named("Type");
        case "quote":
        case "docof":
          return named("Syntax");
        case "__interpolate__":
          return STRING;
        case "__symbol__":
          return named("Symbol");
        case "__index__": {
          const element = freshVar();
          if (args[0]) this.unify(e(args[0]), listType(element));
          if (args[1]) this.unify(e(args[1]), INTEGER);
          return element;
        }
        case ":":
          return args[0] ? e(args[0]) : freshVar();
        default:
          return UNIT_TYPE;
      }
    }
    if (calleeValue?.kind === "builtin" && calleeValue.name === head) {
      const op = this.operator(head, args, locals, env);
      if (op !== undefined) return op;
    }
    if (calleeValue?.kind === "macro") return freshVar();
    return this.call(node.callee, args, locals, env);
  }

  private operator(
    op: string,
    args: readonly Tree[],
    locals: Locals,
    env: Env | undefined,
  ): Type | undefined {
    const ts = args.map((a) => this.expr(a, locals, env));
    const [a, b] = ts;
    if (a === undefined) return undefined;
    switch (op) {
      case "+":
      case "-":
      case "*":
      case "%":
      case "**":
        if (b !== undefined) this.unify(a, b);
        return a;
      case "/": {
        if (b !== undefined) this.unify(a, b);
        const r = this.shallow(a);
        return r.kind === "named" && r.name === "Integer" ? RATIONAL : a;
      }
      case "==":
      case "!=":
      case "<":
      case "<=":
      case ">":
      case ">=":
        if (b !== undefined) this.unify(a, b);
        return BOOL;
      case "!":
        this.unify(a, BOOL);
        return BOOL;
      case "~":
      case "&":
      case "|":
      case "^":
      case "<<":
      case ">>":
        for (const t of ts) this.unify(t, INTEGER);
        return INTEGER;
      case "..":
      case "..=":
        for (const t of ts) this.unify(t, INTEGER);
        return listType(INTEGER);
      default:
        return undefined;
    }
  }

  private call(callee: Tree, args: readonly Tree[], locals: Locals, env: Env | undefined): Type {
    const argTypes = args.map((a) => this.expr(a, locals, env));
    const calleeValue = isIdent(callee) ? this.valueOf(callee.name, locals, env) : undefined;
    if (calleeValue?.kind === "unit" && argTypes.length === 1) {
      return {
        kind: "quantity",
        magnitude: this.resolve(argTypes[0]!),
        units: [{ unit: calleeValue.unit, exponent: 1 }],
      };
    }
    if (calleeValue?.kind === "type" && calleeValue.type.kind === "struct") return calleeValue.type;
    const f = this.shallow(this.expr(callee, locals, env));
    if (f.kind === "fn" && f.params.length === argTypes.length) {
      for (let i = 0; i < f.params.length; i++) this.unify(f.params[i]!, argTypes[i]!);
      return f.result;
    }
    if (f.kind === "var") {
      const result = freshVar();
      this.unify(f, fnType(argTypes, result));
      return result;
    }
    return freshVar();
  }

  private assign(node: Tree & { kind: "apply" }, locals: Locals, env: Env | undefined): Type {
    const [lhs, rhs] = node.args;
    if (!lhs || !rhs) return UNIT_TYPE;
    const head = headName(lhs);
    if (head === "let" && lhs.kind === "apply") {
      const t = this.expr(rhs, locals, env);
      const p = lhs.args[0];
      if (p) this.unify(this.bindPattern(p, locals), t);
      return UNIT_TYPE;
    }
    if (head === "fn" && lhs.kind === "apply" && isIdent(lhs.args[0])) {
      const inner = new Locals(locals);
      const params = lhs.args.slice(1).map((p) => this.bindPattern(p, inner));
      const result = freshVar();
      const t = fnType(params, result);
      locals.set(lhs.args[0].name, params.length === 0 ? result : t);
      this.unify(result, this.expr(rhs, inner, env));
      return UNIT_TYPE;
    }
    this.expr(rhs, locals, env);
    return UNIT_TYPE;
  }
}

/** Local variable types during inference (parameters and `let`s of the body). */
class Locals {
  private readonly vars = new Map<string, Type>();
  constructor(private readonly parent: Locals | undefined) {}
  get(name: string): Type | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
  set(name: string, t: Type): void {
    this.vars.set(name, t);
  }
}

function literalType(node: Tree & { kind: "literal" }): Type {
  switch (node.value.type) {
    case "integer":
      return INTEGER;
    case "float":
      return FLOAT;
    case "string":
      return STRING;
    case "char":
      return named("Char");
    case "symbol":
      return named("Symbol");
  }
}

let active: Inference | undefined;

// A cached type depends on what the cells the inference read held, and on which other
// closures had cached types then (a cached type is used as a polymorphic one, an uncached
// function is inferred in place): on the history of the run. An incremental run (see
// `incremental.ts`) that redefines functions and runs items again must see only the caches a
// fresh run would have at that point; so each cache notes where it was made and from which
// cells, and a cell's version counts its redefinitions.

/** Where a cached inferred type comes from. */
export interface InferenceOrigin {
  /** The cells read while inferring it (with those of the cached types it used). */
  readonly cells: readonly Binding[];
  /** The version of each cell then (see {@link noteRedefinition}). */
  readonly versions: readonly number[];
  /** The run and the index of the item it was made in ({@link inferenceContext}). */
  readonly owner: object | undefined;
  readonly item: number;
}

const origins = new WeakMap<ClosureValue, InferenceOrigin>();
const versions = new WeakMap<Binding, number>();

/**
 * The item running, as a tracked run sets it around each item (`owner` is the run), and what
 * an incremental run checks when a cached type is used (`hit`).
 */
export const inferenceContext: {
  owner: object | undefined;
  item: number;
  hit: ((origin: InferenceOrigin | undefined) => void) | undefined;
} = { owner: undefined, item: -1, hit: undefined };

/** Notes that a cell was given another definition: the types inferred from it are stale. */
export function noteRedefinition(cell: Binding): void {
  versions.set(cell, (versions.get(cell) ?? 0) + 1);
}

/** Whether no cell a cached type was inferred from has been redefined since. */
export function isCurrent(origin: InferenceOrigin): boolean {
  for (let i = 0; i < origin.cells.length; i++)
    if ((versions.get(origin.cells[i]!) ?? 0) !== origin.versions[i]) return false;
  return true;
}

/**
 * Gives `to`, a closure made again of the same text in the same environment, the cached type
 * of `from` (as if it had been inferred where `from`'s was).
 */
export function shareInferredType(from: ClosureValue, to: ClosureValue): void {
  if (from.inferred === undefined) return;
  to.inferred = from.inferred;
  const origin = origins.get(from);
  if (origin !== undefined) origins.set(to, origin);
}

/**
 * A cached type is used: the cells it was inferred from are read again (so that a tracked run
 * records that the item depends on them), and the incremental run is told.
 */
function usedCache(f: ClosureValue): InferenceOrigin | undefined {
  const origin = origins.get(f);
  if (origin !== undefined) for (const cell of origin.cells) cell.value;
  inferenceContext.hit?.(origin);
  return origin;
}

/**
 * The inferred type of a user function (LANGUAGE.md §5.7), cached on the closure. Never
 * throws: on any internal problem the parameters and result stay unknown.
 */
export function inferClosureType(f: ClosureValue): Type {
  if (f.inferred) {
    usedCache(f);
    return f.inferred;
  }
  if (active) return active.resolve(active.closure(f));
  const inference = new Inference();
  active = inference;
  const { owner, item } = inferenceContext;
  try {
    const t = inference.resolve(inference.closure(f));
    f.inferred = t;
    const cells = [...inference.cells];
    origins.set(f, { cells, versions: cells.map((c) => versions.get(c) ?? 0), owner, item });
    return t;
  } catch {
    return fnType(
      f.params.map(() => freshVar()),
      UNKNOWN,
    );
  } finally {
    active = undefined;
  }
}
