import type { Span } from "@cadenza/core";
import { type Binding, type Env, lookup, Scope } from "./env.js";
import { assertionFailed, catalogue, nonExhaustiveMatch, Unwinding } from "./errors.js";
import type { CallFrame, Interpreter, Step } from "./evaluate.js";
import { fieldsOf, readField } from "./forms/field.js";
import { checkIndex, indexable } from "./forms/index-access.js";
import { interpolationText } from "./forms/interpolate.js";
import { invokeMacro } from "./macros.js";
import { patternNames } from "./module.js";
import { arithmetic, bitwise, structuralEquals } from "./operators.js";
import { bindPattern, fallibleProblem, matchPattern } from "./patterns.js";
import { renderValue } from "./print.js";
import {
  apply,
  headName,
  isCall,
  isIdent,
  sameShape,
  type Tree,
  type TreeApply,
  valueNode,
} from "./tree.js";
import { joinTypes, renderType, type Type, typeCompatible, typeOf, UNKNOWN } from "./types.js";
import {
  type CallInfo,
  type ClosureValue,
  ERROR,
  FALSE,
  type FormValue,
  type MacroValue,
  TRUE,
  UNIT,
  type Value,
} from "./values.js";

// The compiler behind the evaluator's fast path.
//
// The tree walker in `evaluate.ts` is the reference semantics: every special form runs as a
// generator on an explicit stack, names are looked up by walking the environment chain, and
// every node costs a budget step. That is simple and robust but slow. Here the body of a user
// function (after macro expansion: macros never run inside compiled code) is translated once
// into JavaScript source, compiled with `new Function`, and run directly on the JavaScript
// stack:
//
// * names are resolved ahead of time: parameters and `let`s become JavaScript variables, and
//   free names become links to their binding cells, looked up once per closure;
// * Integers stay JavaScript numbers while they are safe integers (the values are the same
//   `{ kind: "integer", value }` objects as everywhere, with `value` a number), with a check
//   on every result that falls back to the exact BigInt arithmetic of `numbers.ts`;
// * operators and forms are inlined with a guard that their base binding still holds the
//   builtin, so that rebinding `+` or `match` keeps working;
// * a call costs no allocation beyond the callee's own variables: arguments are passed as
//   JavaScript arguments, no stack-trace frame is kept while a compiled call runs (a failure
//   passing through adds it: `ItemFailure.compiled`), and lambdas are declared once per
//   definition, so that builtins such as `List.fold` always call the same function;
// * nested arithmetic over variables is fused so that intermediate results stay unboxed,
//   and a `for` over a range counts through the range without building its list.
//
// Anything the compiler does not translate (macros, `quote`, definitions of types, …) makes
// the whole function run on the tree walker, and anything unusual at run time (a callee that
// turns out to be a macro, a rebound operator) evaluates that one node with the tree walker
// in a scope built from the compiled variables ("escaping"). Budgets and cancellation work
// through a step counter; calls nested more than `fastLimit` deep continue on the explicit
// stack, so deep recursion never exhausts JavaScript's.
//
// Diagnostics are produced by the same functions as in the tree walker, in the same order
// (`test/compile.test.ts` compares the two). Known differences, all outside ordinary
// programs: compiled code counts budget steps per function call and loop iteration (weighted
// by the size of the body) instead of per node; a macro that reaches a compiled function only
// as a value at run time cannot introduce new bindings into that function's scope; and
// rebinding the base bindings `=`, `let` or `fn` themselves is not seen by functions compiled
// before (their definitions are checked when a closure is linked, not at every run). If the
// host forbids `new Function`, everything runs on the tree walker.

/**
 * Compiled code of a closure: called with the closure itself, the stack-trace frame of the
 * call and the arguments.
 */
export type FastFunction = ((
  closure: ClosureValue,
  frame: CallFrame,
  ...args: Value[]
) => Value) & {
  /** Set on trampolines that run the function on the tree walker. */
  generic?: true;
};

/** A compiled function definition, shared by every closure made from the same node. */
export interface Unit {
  readonly factory: Factory;
  /** Free names, linked to binding cells per closure. */
  readonly free: readonly string[];
  /** Indices into `free` of names that must resolve to the base environment. */
  readonly base: readonly number[];
  readonly constants: readonly unknown[];
  /** Per-unit flags (branches recorded, block names recorded). */
  readonly state: Int8Array;
}

type Factory = (
  I: Interpreter,
  R: unknown,
  K: readonly unknown[],
  L: readonly Binding[],
  ST: Int8Array,
) => FastFunction;

/**
 * The compiled code of `f`, compiling its definition the first time (per interpreter), or a
 * trampoline into the tree walker when the definition cannot be compiled.
 */
export function linkClosure(interp: Interpreter, f: ClosureValue): FastFunction {
  let unit = interp.units.get(f.node);
  if (unit === undefined) {
    const from = interp.unitSources.get(f.node);
    if (from !== undefined) {
      interp.unitSources.delete(f.node);
      const old = interp.units.get(from);
      if (old) unit = movedUnit(old, from, f.node);
      if (unit !== undefined) compileStats.moved++;
    }
    unit ??= compileUnit(interp, f);
    interp.units.set(f.node, unit);
  }
  if (unit !== null) {
    const links = unit.free.map((name) => lookup(f.env, name) ?? missing());
    if (unit.base.every((i) => links[i]!.origin === "base")) {
      compileStats.compiled++;
      return unit.factory(interp, RUNTIME, unit.constants, links, unit.state);
    }
  }
  compileStats.walked++;
  const trampoline: FastFunction = (_closure, frame, ...args) =>
    interp.callGeneric(f, args, frame.site);
  trampoline.generic = true;
  return trampoline;
}

/**
 * How many closures were linked to compiled code and how many to the tree walker, how many
 * definitions were translated and how many units were derived from a moved definition's (for
 * tests).
 */
export const compileStats: { compiled: number; walked: number; units: number; moved: number } = {
  compiled: 0,
  walked: 0,
  units: 0,
  moved: 0,
};

/** The cell a free name links to when it is bound nowhere: always empty. */
function missing(): Binding {
  return { value: undefined, origin: "definition" };
}

/** Compiled JavaScript by source text, so that re-evaluating a program reuses V8's code. */
const codeCache = new Map<string, Factory>();
const CODE_CACHE_SIZE = 1000;

function factoryOf(source: string): Factory {
  let f = codeCache.get(source);
  if (f === undefined) {
    f = new Function("I", "R", "K", "L", "ST", source) as Factory;
    if (codeCache.size >= CODE_CACHE_SIZE) codeCache.delete(codeCache.keys().next().value!);
    codeCache.set(source, f);
  }
  return f;
}

/**
 * Notes that the definition `to` is a copy of `from` at another place in the file (the same text
 * and environment: an incremental run moved its item), so that its unit, if `from` has one, is
 * derived from `from`'s when first needed instead of being compiled again ({@link movedUnit}).
 * Only the oldest node that has a unit is kept, so no chain of versions stays alive.
 */
export function noteMovedDefinition(interp: Interpreter, from: Tree, to: Tree): void {
  const unit = interp.units.get(from);
  if (unit === null) interp.units.set(to, null);
  else {
    const source = unit === undefined ? interp.unitSources.get(from) : from;
    if (source !== undefined) interp.unitSources.set(to, source);
  }
}

/**
 * The unit of `to`, a copy of `from` (the same text, spans shifted), from the unit of `from`:
 * the same code, free names and base checks, its constants with every node, span and argument
 * list of `from` replaced by those of `to` (trees built by the compiler, such as pipe
 * templates, rebuilt over them), and fresh per-unit flags. `undefined` when the two trees do not
 * have the same shape or a constant is a tree or span that is not part of `from` (then the
 * caller compiles `to`).
 */
function movedUnit(unit: Unit, from: Tree, to: Tree): Unit | undefined {
  const map = new Map<unknown, unknown>();
  if (!sameShape(from, to, map)) return undefined;
  const constants: unknown[] = [];
  for (const c of unit.constants) {
    const x = remapConstant(c, map);
    if (x === FOREIGN) return undefined;
    constants.push(x);
  }
  return {
    factory: unit.factory,
    free: unit.free,
    base: unit.base,
    constants,
    state: new Int8Array(unit.state.length),
  };
}

/** A constant that refers to a tree or span outside the moved definition. */
const FOREIGN: unique symbol = Symbol("foreign");

const TREE_KINDS: ReadonlySet<unknown> = new Set(["ident", "literal", "apply", "error", "value"]);

/** A constant of a moved unit (see {@link movedUnit}); {@link FOREIGN} when it cannot be mapped. */
function remapConstant(c: unknown, map: Map<unknown, unknown>): unknown {
  if (typeof c !== "object" || c === null) return c;
  const known = map.get(c);
  if (known !== undefined) return known;
  let out: unknown;
  if (Array.isArray(c)) {
    const items: unknown[] = [];
    let changed = false;
    for (const x of c) {
      const y = remapConstant(x, map);
      if (y === FOREIGN) return FOREIGN;
      if (y !== x) changed = true;
      items.push(y);
    }
    out = changed ? items : c;
  } else {
    const o = c as Record<string, unknown>;
    if ("span" in o && TREE_KINDS.has(o.kind)) {
      // A tree the compiler built (pipe templates, the operand of a unary form).
      const span = remapConstant(o.span, map);
      if (o.kind === "value" && span !== FOREIGN) out = valueNode(o.value as Value, span as Span);
      else if (o.kind === "apply" && span !== FOREIGN) {
        const callee = remapConstant(o.callee, map);
        const args = remapConstant(o.args, map);
        if (callee === FOREIGN || args === FOREIGN) return FOREIGN;
        out = apply(callee as Tree, args as Tree[], span as Span);
      } else return FOREIGN;
    } else if ("calleeSpan" in o) {
      // Call information: `{ span, calleeSpan, argSpans }`.
      const span = remapConstant(o.span, map);
      const calleeSpan = remapConstant(o.calleeSpan, map);
      const argSpans = remapConstant(o.argSpans, map);
      if (span === FOREIGN || calleeSpan === FOREIGN || argSpans === FOREIGN) return FOREIGN;
      out = { span, calleeSpan, argSpans };
    } else if (typeof o.start === "number" && typeof o.end === "number" && !("kind" in o)) {
      // A span that is not one of the definition's.
      return FOREIGN;
    } else {
      // A value (a literal's, a builtin, a base form): the same in both.
      return c;
    }
  }
  map.set(c, out);
  return out;
}

/** Set when the host forbids `new Function` (a content security policy): no compilation. */
let unavailable = false;

function compileUnit(interp: Interpreter, f: ClosureValue): Unit | null {
  if (unavailable) return null;
  compileStats.units++;
  const c = new Compiler(interp, f.env);
  let source: string;
  let factory: Factory;
  try {
    source = c.unit(f);
    factory = factoryOf(source);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    if (e instanceof EvalError) {
      unavailable = true;
      return null;
    }
    throw e;
  }
  return {
    factory,
    free: c.free,
    base: [...c.base],
    constants: c.constants,
    state: new Int8Array(c.stateSize),
  };
}

/**
 * Markers around statements that call out of compiled code on rare paths (escapes to the
 * tree walker, thunks). A function that makes no other call does not count itself in
 * `I.depth` while it runs, only around these statements; see `Compiler.fn`.
 */
const COLD_IN = "\u0001+";
const COLD_OUT = "\u0001-";
const LEAVE = "\u0001<";

/** Thrown while compiling when a construct is left to the tree walker. */
class Unsupported extends Error {}

function unsupported(): never {
  throw new Unsupported();
}

/** A variable of compiled code. */
interface Local {
  readonly name: string;
  /** The JavaScript variable: the value itself, or (boxed) its binding cell. */
  readonly js: string;
  /** Whether the variable lives in a binding cell that closures and escapes share. */
  readonly boxed: boolean;
  /** A hoisted function's cell, empty until its `fn` item runs. */
  readonly hoisted: boolean;
  /** The function whose JavaScript variable `js` is. */
  readonly fn: Fn;
}

/** A frame that compiled code pushes onto an environment (environment mode). */
type EnvEntry =
  | { readonly kind: "single"; readonly local: Local }
  | { readonly kind: "table"; readonly locals: readonly Local[] };

/** A function being compiled. */
interface Fn {
  /**
   * Environment mode: the function makes closures, so its variables are binding cells in real
   * environment frames (`Env`), exactly as the tree walker builds them. Otherwise they are
   * plain JavaScript variables and an environment is built only when something escapes.
   */
  readonly env: boolean;
  /** Where the function's closures are made (undefined for the unit's own function). */
  readonly parentScope: CScope | undefined;
  /** How many frames `parentScope` had pushed at that point. */
  readonly parentCount: number;
  /** Cells of enclosing functions' variables, read from the closure's environment on entry. */
  readonly outerCells: Map<Local, string>;
  readonly prologue: string[];
}

/** A scope of compiled code: a function body, block, match arm or loop iteration. */
class CScope {
  readonly locals: Local[] = [];
  /** Names `let`-bound directly in this scope (blocks and loop iterations report them). */
  readonly letNames: string[] = [];
  /** Environment mode: the frames pushed in this scope, in order. */
  readonly frames: EnvEntry[] = [];
  constructor(
    readonly parent: CScope | undefined,
    readonly fn: Fn,
    /** Environment mode: the JavaScript variable holding this scope's current environment. */
    readonly envVar: string | undefined,
    /** How many frames the parent scope (of the same function) had pushed when this opened. */
    readonly parentCount = 0,
  ) {}
}

/** Where an argument of a call comes from: a tree, or a value computed already. */
type Operand = { readonly tree: Tree } | { readonly js: string; readonly span: Span };

const DEFINITION_FORMS: ReadonlySet<string> = new Set([
  "let",
  "fn",
  "macro",
  "measure",
  "type",
  "use",
  "quote",
]);

const ARITH: ReadonlySet<string> = new Set(["+", "-", "*", "/", "%"]);
const COMPARE: ReadonlySet<string> = new Set(["<", "<=", ">", ">="]);
const COMPOUND: Readonly<Record<string, string>> = {
  "+=": "+",
  "-=": "-",
  "*=": "*",
  "/=": "/",
  "%=": "%",
  "&=": "&",
  "|=": "|",
  "^=": "^",
  "<<=": "<<",
  ">>=": ">>",
};

/** Translates one function definition (and the lambdas and functions inside it). */
class Compiler {
  readonly free: string[] = [];
  readonly base = new Set<number>();
  readonly constants: unknown[] = [];
  stateSize = 0;
  private readonly freeIndex = new Map<string, number>();
  private readonly constIndex = new Map<unknown, number>();
  private out: string[] = [];
  /** The factory-level declarations of compiled functions. */
  private readonly functions: string[] = [];
  private counter = 0;
  private frames = 0;
  private infos = 0;
  /** Budget weight of the function body or loop body being compiled (nodes, roughly). */
  private weight = 0;
  /** Set while compiling the unfused fallback of a fused arithmetic expression. */
  private noFuse = false;
  /** Calls the function being compiled makes on its ordinary paths (0: a leaf). */
  private calls = 0;

  constructor(
    private readonly interp: Interpreter,
    private readonly env0: Env,
  ) {}

  // -------------------------------------------------------------------------------------
  // Plumbing

  private emit(line: string): void {
    this.out.push(line);
  }

  /** A statement that calls out of compiled code on a rare path (see {@link COLD_IN}). */
  private cold(statement: string): string {
    return `${COLD_IN}${statement}${COLD_OUT}`;
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  /** A constant of the factory (a value, span, tree or name list), as a JavaScript name. */
  private k(value: unknown): string {
    let i = this.constIndex.get(value);
    if (i === undefined) {
      i = this.constants.length;
      this.constants.push(value);
      this.constIndex.set(value, i);
    }
    return `K${i}`;
  }

  /** A fresh constant that is never shared (arrays built for one use). */
  private kNew(value: unknown): string {
    const i = this.constants.length;
    this.constants.push(value);
    return `K${i}`;
  }

  /** The link of a free name: its binding cell in the closure's environment. */
  private link(name: string): string {
    let i = this.freeIndex.get(name);
    if (i === undefined) {
      i = this.free.length;
      this.free.push(name);
      this.freeIndex.set(name, i);
    }
    return `L${i}`;
  }

  /** The compile-time binding of a free name (in the environment of the first closure). */
  private binding0(name: string): Binding | undefined {
    return lookup(this.env0, name);
  }

  /** The base form a free name holds, requiring the link to reach the base environment. */
  private baseForm(name: string, sc: CScope): FormValue | undefined {
    if (this.resolve(name, sc) !== undefined) return undefined;
    const b = this.binding0(name);
    if (b === undefined || b.origin !== "base" || b.value?.kind !== "form") return undefined;
    return b.value;
  }

  private requireBase(name: string): string {
    const l = this.link(name);
    this.base.add(this.freeIndex.get(name)!);
    return l;
  }

  private state(): number {
    return this.stateSize++;
  }

  /**
   * The variable a name refers to at this point, as seen from the current function: a
   * variable of an enclosing function is reached through a cell read on entry.
   */
  private resolve(name: string, sc: CScope): Local | undefined {
    for (let s: CScope | undefined = sc; s !== undefined; s = s.parent) {
      for (let i = s.locals.length - 1; i >= 0; i--) {
        const local = s.locals[i]!;
        if (local.name !== name) continue;
        if (local.fn === sc.fn) return local;
        return { ...local, js: this.outerCell(local, sc.fn), fn: sc.fn };
      }
    }
    return undefined;
  }

  /**
   * The cell of an enclosing function's variable: found in the closure's environment at
   * the position compiled code put it, counted in frames from the closure's creation.
   */
  private outerCell(local: Local, fn: Fn): string {
    const known = fn.outerCells.get(local);
    if (known !== undefined) return known;
    let path = "CL.env";
    let s = fn.parentScope;
    let count = fn.parentCount;
    let found: EnvEntry | undefined;
    search: while (s !== undefined) {
      for (let i = count - 1; i >= 0; i--) {
        const entry = s.frames[i]!;
        if (entry.kind === "single" ? entry.local === local : entry.locals.includes(local)) {
          found = entry;
          break search;
        }
        path += ".parent";
      }
      if (s.parent !== undefined && s.parent.fn === s.fn) {
        count = s.parentCount;
        s = s.parent;
      } else {
        count = s.fn.parentCount;
        s = s.fn.parentScope;
      }
    }
    if (found === undefined) return unsupported();
    const cell = this.fresh("o");
    fn.outerCells.set(local, cell);
    fn.prologue.push(
      `const ${cell} = ${path}${found.kind === "single" ? ".binding" : `.table.get(${JSON.stringify(local.name)})`};`,
    );
    return cell;
  }

  private info(node: TreeApply, calleeSpan: Span, argSpans: readonly Span[]): string {
    const n = `N${this.infos++}`;
    const k = this.kNew({ span: node.span, calleeSpan, argSpans });
    return `(${n} ?? (${n} = R.info(I, ${k})))`;
  }

  // -------------------------------------------------------------------------------------
  // Units and functions

  unit(f: ClosureValue): string {
    const fn = newFn(makesClosures(f.body), undefined, 0);
    const body = this.fn(f.params, f.body, fn, undefined);
    const lines: string[] = [
      '"use strict";',
      "const ERROR = R.ERROR, TRUE = R.TRUE, FALSE = R.FALSE, UNIT = R.UNIT, S = I.callStack;",
    ];
    for (let i = 0; i < this.constants.length; i++) lines.push(`const K${i} = K[${i}];`);
    for (let i = 0; i < this.free.length; i++) lines.push(`const L${i} = L[${i}];`);
    for (let i = 0; i < this.frames; i++) lines.push(`let F${i} = R.NOFRAME;`);
    for (let i = 0; i < this.infos; i++) lines.push(`let N${i};`);
    lines.push(...this.functions);
    lines.push(`return ${body};`);
    return lines.join("\n");
  }

  /**
   * Compiles a function to a JavaScript function declared once in the factory (shared by
   * every closure made from it) and returns its name. It is called with the closure value,
   * the stack-trace frame of the call and the arguments.
   */
  private fn(params: readonly Tree[], body: Tree, fn: Fn, outer: CScope | undefined): string {
    const names: string[] = [];
    for (const p of params) {
      if (!isIdent(p) || p.name === "true" || p.name === "false" || p.name === "...") unsupported();
      names.push(p.name);
    }
    const saved = this.out;
    const savedWeight = this.weight;
    const savedCalls = this.calls;
    this.out = [];
    this.weight = 0;
    this.calls = 0;
    const args = names.map((_, i) => `p${i}`);
    let sc: CScope;
    if (fn.env) {
      const e = this.fresh("E");
      this.emit(`let ${e} = CL.env;`);
      sc = new CScope(outer, fn, e);
      names.forEach((name, i) => {
        if (name !== "_") this.bindBoxed(sc, name, `p${i}`, "param", undefined);
      });
    } else {
      sc = new CScope(outer, fn, undefined);
      names.forEach((name, i) => {
        if (name !== "_") sc.locals.push({ name, js: `p${i}`, boxed: false, hoisted: false, fn });
      });
    }
    const r = this.expr(body, sc, true);
    this.emit(LEAVE);
    this.emit(`return ${r};`);
    // A function that calls nothing on its ordinary paths (arithmetic, tests, building
    // values) counts itself in the depth only around its rare calls out; V8 inlines it more
    // easily into the builtin or function that calls it.
    const leaf = this.calls === 0;
    const code = this.out.map((line) =>
      line === LEAVE
        ? leaf
          ? ""
          : "I.depth = D;"
        : line
            .replaceAll(COLD_IN, leaf ? "I.depth = D + 1; " : "")
            .replaceAll(COLD_OUT, leaf ? " I.depth = D;" : ""),
    );
    const weight = Math.max(1, this.weight);
    this.out = saved;
    this.weight = savedWeight;
    this.calls = savedCalls;
    const argList = args.length > 0 ? `[${args.join(", ")}]` : "[]";
    // A call: the depth check (deep calls continue on the tree walker's stack), the budget,
    // then the body. No frame is kept while it runs; a failure passing through adds it.
    const name = `FN${this.functions.length}`;
    this.functions.push(
      [
        `const ${name} = function (CL, FR${args.map((a) => `, ${a}`).join("")}) {`,
        "const D = I.depth;",
        `if (D >= I.fastLimit) return I.callGeneric(CL, ${argList}, FR.site);`,
        `if ((I.steps += ${weight}) > I.stepCheck) I.checkpoint(${this.k(body.span)});`,
        leaf ? "" : "I.depth = D + 1;",
        "try {",
        ...fn.prologue,
        ...code,
        "} catch (e) { I.depth = D; R.unwind(e, FR, S.length); throw e; }",
        "};",
      ].join("\n"),
    );
    return name;
  }

  /** Binds a boxed variable (environment mode): a cell plus an environment frame. */
  private bindBoxed(
    sc: CScope,
    name: string,
    value: string,
    origin: "param" | "let",
    span: Span | undefined,
  ): Local {
    const b = this.fresh("b");
    const spanPart = span === undefined ? "" : `, span: ${this.k(span)}`;
    this.emit(`const ${b} = { value: ${value}, origin: "${origin}"${spanPart} };`);
    this.emit(
      `${sc.envVar} = { kind: "single", name: ${JSON.stringify(name)}, binding: ${b}, parent: ${sc.envVar} };`,
    );
    const local: Local = { name, js: b, boxed: true, hoisted: false, fn: sc.fn };
    sc.locals.push(local);
    sc.frames.push({ kind: "single", local });
    return local;
  }

  /** Binds a variable of the current function in scope `sc`. */
  private bind(sc: CScope, name: string, value: string, span: Span | undefined): void {
    if (sc.fn.env) {
      this.bindBoxed(sc, name, value, "let", span);
    } else {
      const v = this.fresh("v");
      this.emit(`let ${v} = ${value};`);
      sc.locals.push({ name, js: v, boxed: false, hoisted: false, fn: sc.fn });
    }
  }

  /** Opens a child scope (block, arm, iteration) of `sc`. */
  private child(sc: CScope): CScope {
    if (!sc.fn.env) return new CScope(sc, sc.fn, undefined);
    const e = this.fresh("E");
    this.emit(`let ${e} = ${sc.envVar};`);
    return new CScope(sc, sc.fn, e, sc.frames.length);
  }

  // -------------------------------------------------------------------------------------
  // Environments for the tree walker

  /** The plain (unboxed) variables of the current function visible in `sc`, outermost first. */
  private plainLocals(sc: CScope): Local[] {
    const out: Local[][] = [];
    for (let s: CScope | undefined = sc; s !== undefined && s.fn === sc.fn; s = s.parent) {
      out.push(s.locals.filter((l) => !l.boxed));
    }
    return out.reverse().flat();
  }

  /**
   * Emits `body(scope)` with a Scope for the tree walker at this point: the current
   * environment (environment mode), or the closure's environment plus cells holding the
   * plain variables, whose values are copied back afterwards (the tree walker may assign).
   */
  private withScope(sc: CScope, body: (scope: string) => void): void {
    if (sc.fn.env) {
      body(`R.scopeAt(${sc.envVar})`);
      return;
    }
    const locals = this.plainLocals(sc);
    const m = this.fresh("m");
    const names = this.kNew(locals.map((l) => l.name));
    this.emit(`const ${m} = R.mat(CL.env, ${names}, [${locals.map((l) => l.js).join(", ")}]);`);
    body(`${m}.scope`);
    locals.forEach((l, i) => {
      this.emit(`${l.js} = ${m}.cells[${i}].value;`);
    });
  }

  /** A Scope expression for error messages (no copying back). */
  private errorScope(sc: CScope): string {
    if (sc.fn.env) return `R.scopeAt(${sc.envVar})`;
    const locals = this.plainLocals(sc);
    const names = this.kNew(locals.map((l) => l.name));
    return `R.mat(CL.env, ${names}, [${locals.map((l) => l.js).join(", ")}]).scope`;
  }

  /** Evaluates `node` with the tree walker into `r`. */
  private escape(node: Tree, sc: CScope, r: string): void {
    this.withScope(sc, (scope) =>
      this.emit(this.cold(`${r} = I.eval(${this.k(node)}, ${scope});`)),
    );
  }

  // -------------------------------------------------------------------------------------
  // Expressions

  /**
   * Emits the code of `node` and returns a JavaScript expression (a variable or constant)
   * holding its value. `item`: the node is an item of a scope, where `let` and `fn` may bind.
   */
  private expr(node: Tree, sc: CScope, item = false): string {
    this.weight++;
    switch (node.kind) {
      case "literal": {
        const l = node.value;
        switch (l.type) {
          case "integer":
            return this.k(intValue(l.value));
          case "float":
            return this.k({ kind: "float", value: l.value });
          case "string":
            return this.k({ kind: "string", value: l.value });
          case "char":
            return this.k({ kind: "char", value: l.value });
          case "symbol":
            return this.k({ kind: "symbol", name: l.value });
        }
        return unsupported();
      }
      case "value":
        return this.k(node.value);
      case "error":
        return "ERROR";
      case "ident":
        return this.ident(node.name, node.span, sc, node);
      case "apply":
        return this.apply(node, sc, item);
    }
  }

  /** The raw value of a name (no call of zero-parameter functions); fails when unbound. */
  private raw(name: string, span: Span, sc: CScope): string {
    const local = this.resolve(name, sc);
    const t = this.fresh("t");
    if (local !== undefined && !local.boxed) return local.js;
    if (local !== undefined && !local.hoisted) {
      this.emit(`const ${t} = ${local.js}.value;`);
      return t;
    }
    const cell = local !== undefined ? local.js : this.link(name);
    const b0 = local === undefined ? this.binding0(name) : undefined;
    if (b0?.value?.kind === "macro") unsupported();
    this.emit(`const ${t} = ${cell}.value;`);
    this.emit(
      `if (${t} === undefined) R.undef(I, ${this.k(name)}, ${this.k(span)}, ${this.errorScope(sc)});`,
    );
    return t;
  }

  /** A name as an expression: its value, calling it when it is a zero-parameter function. */
  private ident(name: string, span: Span, sc: CScope, node: Tree): string {
    if (this.resolve(name, sc) === undefined) {
      const b0 = this.binding0(name);
      if (b0?.value?.kind === "macro") unsupported();
    }
    const v = this.raw(name, span, sc);
    const t = this.fresh("t");
    this.emit(`let ${t} = ${v};`);
    this.emit(
      `if ((${t}.kind === "closure" || ${t}.kind === "macro") && ${t}.params.length === 0) {`,
    );
    this.emit(
      `if (${t}.kind === "closure") { ${this.cold(`${t} = I.callClosure(${t}, [], ${this.k(span)});`)} }`,
    );
    this.emit("else {");
    this.escape(node, sc, t);
    this.emit("}");
    this.emit("}");
    return t;
  }

  private apply(node: TreeApply, sc: CScope, item: boolean): string {
    const callee = node.callee;
    if (callee.kind === "ident") {
      const form = this.baseForm(callee.name, sc);
      if (form !== undefined) {
        return form.name === "=" ? this.assign(node, sc, item) : this.form(form, node, sc);
      }
      if (this.resolve(callee.name, sc) === undefined) {
        const b0 = this.binding0(callee.name);
        if (b0?.value?.kind === "macro" || b0?.value?.kind === "form") unsupported();
        if (b0?.origin === "base" && b0.value?.kind === "builtin") {
          const op = this.operator(callee.name, b0.value, node, sc);
          if (op !== undefined) return op;
        }
      }
    }
    return this.call(
      node,
      { tree: callee },
      node.args.map((tree) => ({ tree })),
      sc,
      this.k(node),
    );
  }

  /**
   * A call (LANGUAGE.md §1, §5.2): the callee (a name is read first: a special form or macro
   * there is escaped to the tree walker with the call's syntax), then the arguments left to
   * right, then the application. `nodeJs` is the call's tree for the tree walker.
   */
  private call(
    node: TreeApply,
    callee: Operand,
    args: readonly Operand[],
    sc: CScope,
    nodeJs: string,
    formEscape?: (scope: string) => string,
  ): string {
    const r = this.fresh("r");
    const x = this.fresh("X");
    const f = this.fresh("f");
    const calleeSpan = "tree" in callee ? callee.tree.span : callee.span;
    const simple = args.every((a) => !("tree" in a) || isSimple(a.tree));
    this.calls++;
    this.emit(`let ${r};`);
    this.emit(`${x}: {`);
    if ("tree" in callee && callee.tree.kind === "ident") {
      const name = callee.tree.name;
      this.emit(`let ${f} = ${this.raw(name, callee.tree.span, sc)};`);
      // A closure with parameters is none of the unusual callees below.
      this.emit(`if (${f}.kind !== "closure" || ${f}.params.length === 0) {`);
      this.emit(`if (${f}.kind === "form" || ${f}.kind === "macro") {`);
      this.withScope(sc, (scope) =>
        this.emit(
          formEscape === undefined
            ? `${r} = R.evalTree(I, ${nodeJs}, ${scope}); break ${x};`
            : `${r} = ${f}.kind === "form" ? ${formEscape(scope)} : R.evalTree(I, ${nodeJs}, ${scope}); break ${x};`,
        ),
      );
      this.emit("}");
      this.emit(
        `if (${f}.kind === "closure" && ${f}.params.length === 0) ${f} = I.callClosure(${f}, [], ${this.k(calleeSpan)});`,
      );
      this.emit(`if (${f}.kind === "error") { ${r} = ERROR; break ${x}; }`);
      this.emit(`if (${f}.kind === "form" || ${f}.kind === "macro") {`);
      this.withScope(sc, (scope) =>
        this.emit(
          simple
            ? `${r} = I.applyAgain(${nodeJs}, ${scope}); break ${x};`
            : `${r} = R.applyForm(I, ${f}, ${nodeJs}, ${scope}); break ${x};`,
        ),
      );
      this.emit("}");
      this.emit("}");
    } else {
      const c = "tree" in callee ? this.expr(callee.tree, sc) : callee.js;
      this.emit(`let ${f} = ${c};`);
      this.emit(`if (${f}.kind === "error") { ${r} = ERROR; break ${x}; }`);
      this.emit(`if (${f}.kind === "form" || ${f}.kind === "macro") {`);
      this.withScope(sc, (scope) =>
        this.emit(`${r} = R.applyForm(I, ${f}, ${nodeJs}, ${scope}); break ${x};`),
      );
      this.emit("}");
    }
    const values = args.map((a) => ("tree" in a ? this.expr(a.tree, sc) : a.js));
    if (values.length > 0) {
      this.emit(
        `if (${values.map((v) => `${v}.kind === "error"`).join(" || ")}) { ${r} = ERROR; break ${x}; }`,
      );
    }
    const frame = `F${this.frames++}`;
    const info = this.info(
      node,
      calleeSpan,
      args.map((a) => ("tree" in a ? a.tree.span : a.span)),
    );
    this.emit(`if (${f}.kind === "closure" && ${f}.params.length === ${values.length}) {`);
    this.emit(
      `if (${frame}.name !== ${f}.name) ${frame} = R.frame(${f}.name, ${this.k(node.span)});`,
    );
    this.emit(
      `${r} = ((${f}.fastOwner === I && ${f}.fast) || I.link(${f}))(${[f, frame, ...values].join(", ")});`,
    );
    this.emit(`} else ${r} = I.applyWith(${f}, [${values.join(", ")}], ${info}, ${nodeJs});`);
    this.emit("}");
    return r;
  }

  // -------------------------------------------------------------------------------------
  // Operators

  /** The inlined operators on numbers, strings and Bools, or undefined for a plain call. */
  private operator(name: string, builtin: Value, node: TreeApply, sc: CScope): string | undefined {
    const n = node.args.length;
    const binary =
      n === 2 && (ARITH.has(name) || COMPARE.has(name) || name === "==" || name === "!=");
    const unary = n === 1 && (name === "-" || name === "!");
    if (!binary && !unary) return undefined;
    if (!this.noFuse) {
      const fused = this.fused(node, sc);
      if (fused !== undefined) return fused;
    }
    const l = this.requireBase(name);
    const op = this.k(builtin);
    const r = this.fresh("r");
    this.emit(`let ${r};`);
    this.emit(`if (${l}.value !== ${op}) {`);
    this.escape(node, sc, r);
    this.emit("} else {");
    const info = this.info(
      node,
      node.callee.span,
      node.args.map((a) => a.span),
    );
    if (unary) {
      const a = this.expr(node.args[0]!, sc);
      if (name === "-") {
        this.emit(
          `if (${a}.kind === "integer" && typeof ${a}.value === "number") ${r} = { kind: "integer", value: ${a}.value === 0 ? 0 : -${a}.value };`,
        );
        this.emit(`else if (${a}.kind === "float") ${r} = { kind: "float", value: -${a}.value };`);
      } else {
        this.emit(`if (${a}.kind === "bool") ${r} = ${a}.value ? FALSE : TRUE;`);
      }
      this.emit(`else ${r} = I.applyWith(${op}, [${a}], ${info});`);
      this.emit("}");
      return r;
    }
    const a = this.expr(node.args[0]!, sc);
    const b = this.expr(node.args[1]!, sc);
    this.emit(`${r} = ${this.binaryFast(name, a, b, node.span)};`);
    this.emit(`if (${r} === undefined) ${r} = I.applyWith(${op}, [${a}, ${b}], ${info});`);
    this.emit("}");
    return r;
  }

  /** An arithmetic tree over variables and number literals, for {@link fused}. */
  private fusable(
    t: Tree,
    sc: CScope,
    root: boolean,
    ops: { n: number; names: Set<string> },
  ): Fusable | undefined {
    if (t.kind === "literal") {
      if (t.value.type === "integer") return { kind: "leaf", js: this.k(intValue(t.value.value)) };
      if (t.value.type === "float")
        return { kind: "leaf", js: this.k({ kind: "float", value: t.value.value }) };
      return undefined;
    }
    if (t.kind === "ident") {
      const local = this.resolve(t.name, sc);
      if (local === undefined || local.hoisted) return undefined;
      return { kind: "leaf", js: local.boxed ? `${local.js}.value` : local.js, local };
    }
    if (t.kind !== "apply" || t.callee.kind !== "ident") return undefined;
    const op = t.callee.name;
    if (this.resolve(op, sc) !== undefined) return undefined;
    const b0 = this.binding0(op);
    if (b0?.origin !== "base" || b0.value?.kind !== "builtin") return undefined;
    if (t.args.length === 1 && op === "-") {
      const a = this.fusable(t.args[0]!, sc, false, ops);
      if (a === undefined) return undefined;
      ops.n++;
      ops.names.add(op);
      return { kind: "neg", a };
    }
    const arith = ARITH.has(op);
    const compare = COMPARE.has(op) || op === "==" || op === "!=";
    if (t.args.length !== 2 || !(arith || (root && compare))) return undefined;
    const a = this.fusable(t.args[0]!, sc, false, ops);
    const b = a === undefined ? undefined : this.fusable(t.args[1]!, sc, false, ops);
    if (a === undefined || b === undefined) return undefined;
    ops.n++;
    ops.names.add(op);
    return { kind: "op", op, a, b };
  }

  /**
   * Nested arithmetic over variables and literals (`acc + x * k`, `n * 2 < m`) computed
   * without boxing the intermediate results when every operand is a safe-integer Integer, or
   * every operand a Float. The operands are read without side effects, so when anything is
   * unusual (a rebound operator, other types, an intermediate result past 2^53, a zero
   * divisor) the ordinary code below runs and decides.
   */
  private fused(node: TreeApply, sc: CScope): string | undefined {
    const ops = { n: 0, names: new Set<string>() };
    const tree = this.fusable(node, sc, true, ops);
    if (tree === undefined) return undefined;
    const leaves: Fusable[] = [];
    const locals = new Map<string, Local>();
    const collect = (f: Fusable): void => {
      if (f.kind === "leaf") {
        leaves.push(f);
        if (f.local !== undefined) locals.set(f.local.js, f.local);
      } else if (f.kind === "neg") collect(f.a);
      else {
        collect(f.a);
        collect(f.b);
      }
    };
    collect(tree);
    const hasDivide = (f: Fusable): boolean =>
      f.kind === "op"
        ? f.op === "/" || hasDivide(f.a) || hasDivide(f.b)
        : f.kind === "neg" && hasDivide(f.a);
    const guards = [...ops.names]
      .map((name) => `${this.requireBase(name)}.value === ${this.k(this.binding0(name)!.value)}`)
      .join(" && ");
    // Integers inline (Floats when there is a division, which Integers never stay through);
    // the other kind and the ordinary code are outlined, so that the function stays small
    // enough for V8 to inline it into its callers.
    const inline: "integer" | "float" = hasDivide(tree) ? "float" : "integer";
    const r = this.fresh("r");
    const x = this.fresh("FX");
    this.emit(`let ${r};`);
    this.emit(`${x}: {`);
    this.fusedAttempt(
      tree,
      guards,
      leaves.map((l) => (l.kind === "leaf" ? l.js : "")),
      inline,
      r,
      x,
    );
    // The outlined rest reads only the operands' variables (cells for boxed ones), and
    // arithmetic cannot assign the plain ones.
    const outlined = newFn(sc.fn.env, undefined, 0);
    const fsc = new CScope(undefined, outlined, sc.fn.env ? "E" : undefined);
    const params = new Map<string, string>();
    for (const local of locals.values()) {
      const q = `q${params.size}`;
      params.set(local.js, q);
      fsc.locals.push({
        name: local.name,
        js: q,
        boxed: local.boxed,
        hoisted: false,
        fn: outlined,
      });
    }
    const saved = this.out;
    const savedFuse = this.noFuse;
    this.out = [];
    this.noFuse = true;
    const r2 = this.fresh("r");
    const x2 = this.fresh("FX");
    this.emit(`let ${r2};`);
    this.emit(`${x2}: {`);
    if (inline === "integer") {
      const js = leaves.map((l) => {
        if (l.kind !== "leaf") return "";
        if (l.local === undefined) return l.js;
        const q = params.get(l.local.js)!;
        return l.local.boxed ? `${q}.value` : q;
      });
      this.fusedAttempt(tree, guards, js, "float", r2, x2);
    }
    const slow = this.apply(node, fsc, false);
    this.emit(`${r2} = ${slow};`);
    this.emit("}");
    this.emit(`return ${r2};`);
    const code = this.out.map((line) => line.replaceAll(COLD_IN, "").replaceAll(COLD_OUT, ""));
    this.out = saved;
    this.noFuse = savedFuse;
    const name = `SL${this.functions.length}`;
    this.functions.push(
      [
        `const ${name} = function (CL, E${[...params.values()].map((q) => `, ${q}`).join("")}) {`,
        ...code,
        "};",
      ].join("\n"),
    );
    const args = ["CL", sc.fn.env ? sc.envVar! : "undefined", ...locals.keys()];
    this.emit(this.cold(`${r} = ${name}(${args.join(", ")});`));
    this.emit("}");
    return r;
  }

  /**
   * Emits one attempt at a fused expression: when the guards hold and every operand is a
   * safe-integer Integer (or every operand a Float), computes it into `r` and breaks out of
   * `label`; otherwise falls through.
   */
  private fusedAttempt(
    tree: Fusable,
    guards: string,
    leafJs: readonly string[],
    mode: "integer" | "float",
    r: string,
    label: string,
  ): void {
    this.emit(`if (${guards}) {`);
    const vars = leafJs.map((js) => {
      const v = this.fresh("l");
      this.emit(`const ${v} = ${js};`);
      return v;
    });
    const test = vars
      .map((v) =>
        mode === "integer"
          ? `${v}.kind === "integer" && typeof ${v}.value === "number"`
          : `${v}.kind === "float"`,
      )
      .join(" && ");
    this.emit(`if (${test}) {`);
    let leaf = 0;
    let opened = 0;
    const value = (f: Fusable): string => {
      if (f.kind === "leaf") return `${vars[leaf++]}.value`;
      if (f.kind === "neg") {
        const a = value(f.a);
        const n = this.fresh("n");
        this.emit(`const ${n} = -${a};`);
        return n;
      }
      const a = value(f.a);
      const b = value(f.b);
      const n = this.fresh("n");
      if (f.op === "/" || f.op === "%") {
        this.emit(`if (${b} !== 0) {`);
        opened++;
      }
      const js = f.op === "==" ? "===" : f.op === "!=" ? "!==" : f.op;
      this.emit(`const ${n} = ${a} ${js} ${b};`);
      if (mode === "integer" && ARITH.has(f.op)) {
        this.emit(`if (${n} <= 9007199254740991 && ${n} >= -9007199254740991) {`);
        opened++;
      }
      return n;
    };
    const result = value(tree);
    const isCompare = tree.kind === "op" && !ARITH.has(tree.op);
    if (isCompare) this.emit(`${r} = ${result} ? TRUE : FALSE;`);
    else if (mode === "integer")
      this.emit(`${r} = { kind: "integer", value: ${result} === 0 ? 0 : ${result} };`);
    else this.emit(`${r} = { kind: "float", value: ${result} };`);
    this.emit(`break ${label};`);
    for (let i = 0; i < opened; i++) this.emit("}");
    this.emit("}");
    this.emit("}");
  }

  /**
   * A JavaScript expression for `a op b` on safe-integer Integers and on Floats (and on
   * Strings and Bools for `==`), or `undefined` when the operands need the general operator.
   */
  private binaryFast(op: string, a: string, b: string, span: Span): string {
    const ints = `${a}.kind === "integer" && ${b}.kind === "integer" && typeof ${a}.value === "number" && typeof ${b}.value === "number"`;
    const floats = `${a}.kind === "float" && ${b}.kind === "float"`;
    switch (op) {
      case "+":
        return `(${ints} ? R.int(${a}.value + ${b}.value) : ${floats} ? { kind: "float", value: ${a}.value + ${b}.value } : ${a}.kind === "string" && ${b}.kind === "string" ? R.concat(I, ${a}, ${b}, ${this.k(span)}) : undefined)`;
      case "-":
        return `(${ints} ? R.int(${a}.value - ${b}.value) : ${floats} ? { kind: "float", value: ${a}.value - ${b}.value } : undefined)`;
      case "*":
        return `(${ints} ? R.int(${a}.value * ${b}.value) : ${floats} ? { kind: "float", value: ${a}.value * ${b}.value } : undefined)`;
      case "%":
        return `(${ints} && ${b}.value !== 0 ? R.int(${a}.value % ${b}.value) : ${floats} && ${b}.value !== 0 ? { kind: "float", value: ${a}.value % ${b}.value } : undefined)`;
      case "/":
        return `(${floats} && ${b}.value !== 0 ? { kind: "float", value: ${a}.value / ${b}.value } : undefined)`;
      case "<":
      case "<=":
      case ">":
      case ">=":
        return `((${ints}) || (${floats}) ? (${a}.value ${op} ${b}.value ? TRUE : FALSE) : undefined)`;
      case "==":
      case "!=": {
        const [yes, no] = op === "==" ? ["TRUE", "FALSE"] : ["FALSE", "TRUE"];
        return `((${ints}) || (${floats}) || (${a}.kind === "string" && ${b}.kind === "string") ? (${a}.value === ${b}.value ? ${yes} : ${no}) : ${a}.kind === "bool" && ${b}.kind === "bool" ? (${a} === ${b} ? ${yes} : ${no}) : undefined)`;
      }
    }
    return "undefined";
  }

  // -------------------------------------------------------------------------------------
  // Special forms

  private form(form: FormValue, node: TreeApply, sc: CScope): string {
    const name = form.name;
    const args = node.args;
    // The guard: the base binding must still hold the form when the node runs.
    const guard = `${this.requireBase(name)}.value === ${this.k(form)}`;
    const r = this.fresh("r");
    this.emit(`let ${r};`);
    this.emit(`if (!(${guard})) {`);
    this.escape(node, sc, r);
    this.emit("} else {");
    const v = this.formBody(name, node, args, sc);
    this.emit(`${r} = ${v};`);
    this.emit("}");
    return r;
  }

  private formBody(name: string, node: TreeApply, args: readonly Tree[], sc: CScope): string {
    switch (name) {
      case "if":
        return this.ifForm(node, sc);
      case "match":
        return this.matchForm(node, sc);
      case "&&":
      case "||":
        return this.logic(name, node, sc);
      case "__block__":
        return this.block(args, sc);
      case "__tuple__":
        return this.tuple(node, sc);
      case "__list__":
        return this.list(node, sc);
      case "__record__":
        return this.record(node, sc);
      case "__index__":
        return this.index(node, sc);
      case ".":
        return this.field(node, sc);
      case "->":
        return this.lambda(node, sc);
      case "|>":
        return this.pipe(node, sc);
      case "__interpolate__":
        return this.interpolate(node, sc);
      case "typeof":
        return this.typeofForm(node, sc);
      case "assert":
        return this.assertForm(node, sc);
      case "for":
        return this.forForm(node, sc);
      default:
        if (COMPOUND[name] !== undefined) return this.compound(name, node, sc);
        return unsupported();
    }
  }

  private boolCheck(v: string, span: Span, r: string, label: string): void {
    this.emit(`if (${v}.kind !== "bool") {`);
    this.emit(`if (${v}.kind === "error") { ${r} = ERROR; break ${label}; }`);
    this.emit(`R.notBool(I, ${this.k(span)}, ${v});`);
    this.emit("}");
  }

  /** `if COND then A else B` (LANGUAGE.md §5.3); branches are recorded once per interpreter. */
  private ifForm(node: TreeApply, sc: CScope): string {
    const args = node.args;
    if (args.length !== 2 && args.length !== 3) unsupported();
    const r = this.fresh("r");
    const x = this.fresh("X");
    this.emit(`let ${r};`);
    this.emit(`${x}: {`);
    const c = this.expr(args[0]!, sc);
    this.boolCheck(c, args[0]!.span, r, x);
    const s = this.state();
    const thenK = this.k(args[1]!);
    const elseK = args[2] === undefined ? undefined : this.k(args[2]);
    const record = (taken: boolean): void => {
      const bit = taken ? 1 : 2;
      this.emit(`if ((ST[${s}] & ${bit}) === 0) {`);
      this.emit(`ST[${s}] |= ${bit}; I.noteState(ST);`);
      this.emit(`I.recorder.recordBranch(${thenK}, ${taken});`);
      if (elseK !== undefined) this.emit(`I.recorder.recordBranch(${elseK}, ${!taken});`);
      this.emit("}");
    };
    this.emit(`if (${c}.value) {`);
    record(true);
    this.emit(`${r} = ${this.expr(args[1]!, sc)};`);
    this.emit("} else {");
    record(false);
    this.emit(`${r} = ${args[2] === undefined ? "UNIT" : this.expr(args[2], sc)};`);
    this.emit("}");
    this.emit("}");
    return r;
  }

  private logic(op: "&&" | "||", node: TreeApply, sc: CScope): string {
    const args = node.args;
    if (args.length !== 2) unsupported();
    const r = this.fresh("r");
    const x = this.fresh("X");
    this.emit(`let ${r};`);
    this.emit(`${x}: {`);
    const a = this.expr(args[0]!, sc);
    this.boolCheck(a, args[0]!.span, r, x);
    this.emit(`if (${a}.value === ${op === "||"}) { ${r} = ${a}; break ${x}; }`);
    const b = this.expr(args[1]!, sc);
    this.boolCheck(b, args[1]!.span, r, x);
    this.emit(`${r} = ${b};`);
    this.emit("}");
    return r;
  }

  /** A block (LANGUAGE.md §5.3): items in a new scope; its `let` names are reported at the end. */
  private block(items: readonly Tree[], sc: CScope): string {
    const r = this.fresh("r");
    this.emit(`let ${r};`);
    this.emit("{");
    const inner = this.child(sc);
    const last = this.items(items, inner);
    this.emit(`${r} = ${last};`);
    this.blockNames(inner);
    this.emit("}");
    return r;
  }

  /** Reports the `let` names of an ended block or iteration (for `undefined variable` notes). */
  private blockNames(sc: CScope): void {
    if (sc.letNames.length === 0) return;
    const s = this.state();
    this.emit(
      `if (ST[${s}] === 0) { ST[${s}] = 1; I.noteState(ST); R.blockNames(I, ${this.kNew([...sc.letNames])}); }`,
    );
  }

  /** Items of a scope after hoisting their `fn` definitions (LANGUAGE.md §5.1). */
  private items(items: readonly Tree[], sc: CScope): string {
    const hoisted: string[] = [];
    for (const item of items) {
      const name = hoistedName(item);
      if (name !== undefined) hoisted.push(name);
    }
    if (hoisted.length > 0) {
      if (!sc.fn.env) unsupported();
      const cells = hoisted.map((name) => {
        const b = this.fresh("h");
        this.emit(`const ${b} = { value: undefined, origin: "hoisted" };`);
        return [name, b] as const;
      });
      this.emit(
        `${sc.envVar} = { kind: "table", table: new Map([${cells
          .map(([n, b]) => `[${JSON.stringify(n)}, ${b}]`)
          .join(", ")}]), parent: ${sc.envVar}, base: false };`,
      );
      // Later cells of the same name win, as in a Map built in order.
      const seen = new Set<string>();
      const table: Local[] = [];
      for (let i = cells.length - 1; i >= 0; i--) {
        const [name, b] = cells[i]!;
        if (seen.has(name)) continue;
        seen.add(name);
        const local: Local = { name, js: b, boxed: true, hoisted: true, fn: sc.fn };
        sc.locals.push(local);
        table.push(local);
      }
      sc.frames.push({ kind: "table", locals: table });
    }
    let last = "UNIT";
    for (const item of items) last = this.expr(item, sc, true);
    return last;
  }

  /** `(a, b)` (LANGUAGE.md §5.4): the first error value stops the evaluation of the rest. */
  private tuple(node: TreeApply, sc: CScope): string {
    if (node.args.length === 0) return "UNIT";
    const r = this.fresh("r");
    const x = this.fresh("X");
    this.emit(`let ${r};`);
    this.emit(`${x}: {`);
    const values: string[] = [];
    for (const a of node.args) {
      const v = this.expr(a, sc);
      this.emit(`if (${v}.kind === "error") { ${r} = ERROR; break ${x}; }`);
      values.push(v);
    }
    this.emit(`I.allocate(${values.length + 1}, ${this.k(node.span)});`);
    this.emit(`${r} = { kind: "tuple", items: [${values.join(", ")}] };`);
    this.emit("}");
    return r;
  }

  /** `[a, ...xs]` (LANGUAGE.md §5.4), through the same checks as the `__list__` form. */
  private list(node: TreeApply, sc: CScope): string {
    const lb = this.fresh("lb");
    this.emit(`const ${lb} = R.listBuilder(I);`);
    for (const arg of node.args) {
      if (isCall(arg, "...") && arg.args.length === 1) {
        const v = this.expr(arg.args[0]!, sc);
        this.emit(`R.listSpread(${lb}, ${v}, ${this.k(arg.args[0]!.span)}, ${this.k(arg.span)});`);
      } else {
        const v = this.expr(arg, sc);
        this.emit(`R.listAdd(${lb}, ${v}, ${this.k(arg.span)});`);
      }
    }
    const r = this.fresh("r");
    this.emit(`const ${r} = R.listEnd(${lb}, ${this.k(node.span)});`);
    return r;
  }

  /** `{ x = 1, y, ...base }` (LANGUAGE.md §5.5) with plain field names. */
  private record(node: TreeApply, sc: CScope): string {
    const m = this.fresh("fm");
    const p = this.fresh("bad");
    this.emit(`const ${m} = new Map();`);
    this.emit(`let ${p} = false;`);
    for (const entry of node.args) {
      if (isIdent(entry)) {
        const v = this.expr(entry, sc);
        this.emit(`if (${v}.kind === "error") ${p} = true;`);
        this.emit(`${m}.set(${JSON.stringify(entry.name)}, ${v});`);
      } else if (isCall(entry, "=") && entry.args.length === 2 && isIdent(entry.args[0])) {
        const v = this.expr(entry.args[1]!, sc);
        this.emit(`if (${v}.kind === "error") ${p} = true;`);
        this.emit(`${m}.set(${JSON.stringify(entry.args[0].name)}, ${v});`);
      } else if (isCall(entry, "...") && entry.args.length === 1) {
        const v = this.expr(entry.args[0]!, sc);
        this.emit(
          `if (R.recordSpread(I, ${m}, ${v}, ${this.k(entry.args[0]!.span)})) ${p} = true;`,
        );
      } else {
        unsupported();
      }
    }
    const r = this.fresh("r");
    this.emit(
      `const ${r} = ${p} ? ERROR : (I.allocate(${m}.size + 1, ${this.k(node.span)}), { kind: "record", fields: ${m} });`,
    );
    return r;
  }

  /** `xs[i]` (LANGUAGE.md §5.4). */
  private index(node: TreeApply, sc: CScope): string {
    if (node.args.length !== 2) unsupported();
    const r = this.fresh("r");
    const x = this.fresh("X");
    this.emit(`let ${r};`);
    this.emit(`${x}: {`);
    const t = this.expr(node.args[0]!, sc);
    this.emit(`if (${t}.kind === "error") { ${r} = ERROR; break ${x}; }`);
    const i = this.expr(node.args[1]!, sc);
    this.emit(`if (${i}.kind === "error") { ${r} = ERROR; break ${x}; }`);
    this.emit(
      `if (${t}.kind === "list" && ${i}.kind === "integer" && typeof ${i}.value === "number" && ${i}.value >= 0 && ${i}.value < ${t}.items.length) ${r} = ${t}.items[${i}.value];`,
    );
    this.emit(
      `else ${r} = R.index(I, ${t}, ${i}, ${this.k(node.args[0]!.span)}, ${this.k(node.args[1]!.span)});`,
    );
    this.emit("}");
    return r;
  }

  /** `r.f`: fields, enum variants and namespace members (LANGUAGE.md §5.5). */
  private field(node: TreeApply, sc: CScope): string {
    const [receiver, nameNode] = node.args;
    if (node.args.length !== 2 || !isIdent(nameNode)) unsupported();
    const r = this.fresh("r");
    const t = this.expr(receiver!, sc);
    const name = JSON.stringify(nameNode.name);
    this.emit(`let ${r};`);
    this.emit(`if (${t}.kind === "error") ${r} = ERROR;`);
    this.emit(
      `else if ((${t}.kind === "record" || ${t}.kind === "struct" || ${t}.kind === "module") && (${r} = (${t}.kind === "module" ? ${t}.members : ${t}.fields).get(${name})) !== undefined) {}`,
    );
    this.emit(
      `else ${r} = R.field(I, ${t}, ${name}, ${this.k(receiver!.span)}, ${this.k(nameNode.span)});`,
    );
    return r;
  }

  /** `\x y -> body`: a closure over the current environment, compiled along with this one. */
  private lambda(node: TreeApply, sc: CScope): string {
    const [lhs, body] = node.args;
    if (node.args.length !== 2 || !(isCall(lhs, "\\") || isIdent(lhs, "\\"))) unsupported();
    const params = lhs.kind === "apply" ? lhs.args : [];
    return this.closure(undefined, params, body!, node, sc);
  }

  /** Makes a closure value whose compiled code is a JavaScript function nested here. */
  private closure(
    name: string | undefined,
    params: readonly Tree[],
    body: Tree,
    node: TreeApply,
    sc: CScope,
  ): string {
    if (!sc.fn.env) unsupported();
    for (const p of params) if (!isIdent(p)) unsupported();
    const c = this.fresh("c");
    const inner = newFn(makesClosures(body), sc, sc.frames.length);
    const code = this.fn(params, body, inner, sc);
    this.emit(`I.allocate(1, ${this.k(node.span)});`);
    this.emit(
      `const ${c} = { kind: "closure", name: ${name === undefined ? "undefined" : JSON.stringify(name)}, params: ${this.k(params)}, body: ${this.k(body)}, env: ${sc.envVar}, node: ${this.k(node)}, fast: ${code}, fastOwner: I };`,
    );
    return c;
  }

  /** `x |> f a b` is `f x a b` (LANGUAGE.md §5.7). */
  private pipe(node: TreeApply, sc: CScope): string {
    if (node.args.length !== 2) unsupported();
    const [left, right] = node.args as [Tree, Tree];
    const r = this.fresh("r");
    this.emit(`let ${r};`);
    const x = this.expr(left, sc);
    this.emit(`if (${x}.kind === "error") ${r} = ERROR;`);
    this.emit("else {");
    const placeholder = valueNode(UNIT, left.span);
    const first: Operand = { js: x, span: left.span };
    // A right operand headed by a special form (a lambda, `List.map` as `(. List map)`) is
    // evaluated to a function first; any other application gets `x` as first argument.
    const evaluated = (): void => {
      const f = this.expr(right, sc);
      this.emit(`if (${f}.kind === "error") ${r} = ERROR;`);
      this.emit("else {");
      const template = apply(valueNode(UNIT, right.span), [placeholder], node.span);
      const v = this.call(
        template,
        { js: f, span: right.span },
        [first],
        sc,
        `R.pipeNode(${this.k(template)}, ${f}, ${x})`,
      );
      this.emit(`${r} = ${v};`);
      this.emit("}");
    };
    if (right.kind === "apply") {
      const head = right.callee.kind === "ident" ? this.baseForm(right.callee.name, sc) : undefined;
      const template = apply(right.callee, [placeholder, ...right.args], node.span);
      if (head !== undefined) {
        // Headed by a form (checked again at run time, as the tree walker looks it up).
        this.emit(`if (${this.requireBase(head.name)}.value.kind === "form") {`);
        evaluated();
        this.emit("} else {");
        this.withScope(sc, (scope) =>
          this.emit(`${r} = I.eval(R.withFirst(${this.k(template)}, ${x}), ${scope});`),
        );
        this.emit("}");
        this.emit("}");
        return r;
      }
      const nodeJs = `R.withFirst(${this.k(template)}, ${x})`;
      const v = this.call(
        template,
        { tree: right.callee },
        [first, ...right.args.map((tree) => ({ tree }))],
        sc,
        nodeJs,
        (scope) => `R.pipeForm(I, ${this.k(node)}, ${x}, ${scope})`,
      );
      this.emit(`${r} = ${v};`);
    } else if (right.kind === "ident") {
      const template = apply(right, [placeholder], node.span);
      const v = this.call(
        template,
        { tree: right },
        [first],
        sc,
        `R.withFirst(${this.k(template)}, ${x})`,
      );
      this.emit(`${r} = ${v};`);
    } else {
      evaluated();
    }
    this.emit("}");
    return r;
  }

  /** `$"text ${e}"` (LANGUAGE.md §2). */
  private interpolate(node: TreeApply, sc: CScope): string {
    const r = this.fresh("r");
    const x = this.fresh("X");
    const s = this.fresh("s");
    this.emit(`let ${r};`);
    this.emit(`${x}: {`);
    this.emit(`let ${s} = "";`);
    for (const part of node.args) {
      const v = this.expr(part, sc);
      this.emit(`if (${v}.kind === "error") { ${r} = ERROR; break ${x}; }`);
      this.emit(`${s} += R.text(${v});`);
    }
    this.emit(`I.allocate(${s}.length, ${this.k(node.span)});`);
    this.emit(`${r} = { kind: "string", value: ${s} };`);
    this.emit("}");
    return r;
  }

  /** `typeof e` (LANGUAGE.md §5.7) on anything but a free name (which may be a macro parameter). */
  private typeofForm(node: TreeApply, sc: CScope): string {
    const args = node.args;
    if (args.length === 0) unsupported();
    const operand = args.length === 1 ? args[0]! : apply(args[0]!, args.slice(1), node.span);
    if (isIdent(operand) && this.resolve(operand.name, sc) === undefined) unsupported();
    const v = this.expr(operand, sc);
    const r = this.fresh("r");
    this.emit(`const ${r} = ${v}.kind === "error" ? ERROR : R.typeValue(${v});`);
    return r;
  }

  /** `assert COND MESSAGE` (LANGUAGE.md §5.7). */
  private assertForm(node: TreeApply, sc: CScope): string {
    const args = node.args;
    if (args.length !== 1 && args.length !== 2) unsupported();
    const r = this.fresh("r");
    const x = this.fresh("X");
    this.emit(`let ${r};`);
    this.emit(`${x}: {`);
    const c = this.expr(args[0]!, sc);
    this.boolCheck(c, args[0]!.span, r, x);
    this.emit(`if (${c}.value) { ${r} = UNIT; break ${x}; }`);
    if (args[1] !== undefined) {
      const m = this.expr(args[1], sc);
      this.emit(`if (${m}.kind === "error") { ${r} = ERROR; break ${x}; }`);
      this.emit(`R.assertFailed(I, ${this.k(args[0]!.span)}, ${m});`);
    } else {
      this.emit(`R.assertFailed(I, ${this.k(args[0]!.span)}, undefined);`);
    }
    this.emit("}");
    return r;
  }

  /**
   * `=`: `let` and `fn` through re-dispatch, or reassignment of a variable (LANGUAGE.md §1).
   * Definitions bind variables of the enclosing compiled scope, so they are not guarded at
   * each run: their base bindings (`=`, `let`, `fn`) are checked when the closure is linked.
   */
  private assign(node: TreeApply, sc: CScope, item: boolean): string {
    if (node.args.length !== 2) unsupported();
    const [lhs, rhs] = node.args as [Tree, Tree];
    if (lhs.kind === "apply" && lhs.callee.kind === "ident") {
      const head = this.baseForm(lhs.callee.name, sc);
      if (head === undefined || !DEFINITION_FORMS.has(head.name)) unsupported();
      this.requireBase("=");
      this.requireBase(head.name);
      const args = [...lhs.args, rhs];
      if (head.name === "let") return this.letForm(args, sc, item);
      if (head.name === "fn") return this.fnForm(node, args, sc, item);
      return unsupported();
    }
    if (!isIdent(lhs)) unsupported();
    const r = this.fresh("r");
    this.emit(`let ${r};`);
    this.emit(`if (${this.requireBase("=")}.value !== ${this.k(this.binding0("=")!.value)}) {`);
    this.escape(node, sc, r);
    this.emit("} else {");
    const v = this.reassign(node, lhs.name, lhs.span, rhs, undefined, sc);
    this.emit(`${r} = ${v};`);
    this.emit("}");
    return r;
  }

  /** `x = v` and `x op= v` on a variable (LANGUAGE.md §5.1). */
  private reassign(
    node: TreeApply,
    name: string,
    span: Span,
    rhs: Tree,
    op: string | undefined,
    sc: CScope,
  ): string {
    const r = this.fresh("r");
    const x = this.fresh("X");
    const local = this.resolve(name, sc);
    this.emit(`let ${r};`);
    this.emit(`${x}: {`);
    let read: string;
    let write: (v: string) => string;
    if (local !== undefined && !local.boxed) {
      read = local.js;
      write = (v) => `${local.js} = ${v};`;
    } else {
      const cell = local !== undefined ? local.js : this.link(name);
      read = `${cell}.value`;
      write = (v) => `${cell}.value = ${v};`;
      const rhsText = this.interp.text(rhs.span);
      this.emit(
        `if (${cell}.value === undefined) R.undefAssign(I, ${this.k(name)}, ${this.k(span)}, ${this.errorScope(sc)}, ${this.k(rhsText)});`,
      );
    }
    const old = this.fresh("o");
    this.emit(`const ${old} = ${read};`);
    this.emit(`if (${old}.kind === "error") { ${r} = ERROR; break ${x}; }`);
    const v = this.expr(rhs, sc);
    this.emit(`if (${v}.kind === "error") { ${r} = ERROR; break ${x}; }`);
    if (op === undefined) {
      this.emit(write(v));
    } else {
      const fast = ARITH.has(op) ? this.binaryFast(op, old, v, node.span) : "undefined";
      const n = this.fresh("n");
      this.emit(`let ${n} = ${fast};`);
      this.emit(
        `if (${n} === undefined) ${n} = R.combine(I, ${JSON.stringify(op)}, ${old}, ${v}, ${this.k(node.span)});`,
      );
      this.emit(write(n));
    }
    this.emit(`${r} = UNIT;`);
    this.emit("}");
    return r;
  }

  private compound(name: string, node: TreeApply, sc: CScope): string {
    const [lhs, rhs] = node.args;
    if (node.args.length !== 2 || !isIdent(lhs)) unsupported();
    return this.reassign(node, lhs.name, lhs.span, rhs!, COMPOUND[name], sc);
  }

  /** `let PATTERN = EXPR` (LANGUAGE.md §5.1) as an item. */
  private letForm(args: readonly Tree[], sc: CScope, item: boolean): string {
    if (!item || args.length !== 2) unsupported();
    const [pattern, rhs] = args as [Tree, Tree];
    if (fallibleProblem(pattern, "") !== undefined) unsupported();
    const v = this.expr(rhs, sc);
    this.bindPattern(pattern, v, sc, rhs.span, rhs);
    const r = this.fresh("r");
    this.emit(`const ${r} = ${v}.kind === "error" ? ${v} : UNIT;`);
    return r;
  }

  /**
   * Binds an infallible pattern (`let`, `for`): names, `_` and tuples of them directly;
   * anything else, and values that do not fit (for the diagnostic), through the tree
   * walker's `bindPattern`.
   */
  private bindPattern(
    pattern: Tree,
    v: string,
    sc: CScope,
    valueSpan: Span,
    valueNode: Tree | undefined,
  ): void {
    if (containsUnquote(pattern)) unsupported();
    if (isIdent(pattern)) {
      if (pattern.name === "_") return;
      this.bind(sc, pattern.name, v, pattern.span);
      sc.letNames.push(pattern.name);
      return;
    }
    const idents = patternIdents(pattern);
    const names = idents.map((i) => i.name);
    const slots = names.map(() => this.fresh("pv"));
    this.emit(`let ${slots.join(", ")};`);
    const fastTest = this.simpleTuple(pattern, v, names, slots);
    const slowScope = (scope: string): void => {
      const vs = this.fresh("vs");
      this.emit(
        this.cold(
          `const ${vs} = R.bindSlow(I, ${this.k(pattern)}, ${v}, ${scope}, ${this.k(valueSpan)}, ${valueNode === undefined ? "undefined" : this.k(valueNode)}, ${this.kNew(names)});`,
        ),
      );
      slots.forEach((s, i) => {
        this.emit(`${s} = ${vs}[${i}];`);
      });
    };
    if (fastTest !== undefined) {
      this.emit(`if (${fastTest.test}) {`);
      for (const line of fastTest.assign) this.emit(line);
      this.emit("} else {");
      this.withScope(sc, slowScope);
      this.emit("}");
    } else {
      this.withScope(sc, slowScope);
    }
    idents.forEach(({ name, span }, i) => {
      this.bind(sc, name, slots[i]!, span);
      sc.letNames.push(name);
    });
  }

  /** A direct test and assignments for tuple patterns of names and `_`, or undefined. */
  private simpleTuple(
    pattern: Tree,
    v: string,
    names: readonly string[],
    slots: readonly string[],
  ): { test: string; assign: string[] } | undefined {
    const tests: string[] = [];
    const assign: string[] = [];
    let k = 0;
    const walk = (p: Tree, at: string): boolean => {
      if (isIdent(p)) {
        if (p.name === "_") return true;
        if (p.name === "..." || p.name === "true" || p.name === "false") return false;
        if (names[k] !== p.name) return false;
        assign.push(`${slots[k++]} = ${at};`);
        return true;
      }
      if (isCall(p, "__tuple__")) {
        tests.push(`${at}.kind === "tuple" && ${at}.items.length === ${p.args.length}`);
        return p.args.every((sub, i) => walk(sub, `${at}.items[${i}]`));
      }
      return false;
    };
    if (!walk(pattern, v) || k !== names.length) return undefined;
    return { test: tests.join(" && ") || "true", assign };
  }

  /** `fn NAME P… = BODY` (LANGUAGE.md §5.2) as an item of a function body or block. */
  private fnForm(node: TreeApply, args: readonly Tree[], sc: CScope, item: boolean): string {
    if (!item || args.length < 2 || !isIdent(args[0])) unsupported();
    const name = args[0].name;
    const params = args.slice(1, -1);
    const body = args[args.length - 1]!;
    const local = this.resolve(name, sc);
    const own = local?.hoisted && sc.locals.includes(local) ? local : undefined;
    let cell: string;
    if (own !== undefined) {
      cell = own.js;
    } else {
      if (!sc.fn.env) unsupported();
      cell = this.fresh("b");
      this.emit(
        `const ${cell} = { value: undefined, origin: "fn", span: ${this.k(args[0].span)} };`,
      );
      this.emit(
        `${sc.envVar} = { kind: "single", name: ${JSON.stringify(name)}, binding: ${cell}, parent: ${sc.envVar} };`,
      );
      const local: Local = { name, js: cell, boxed: true, hoisted: false, fn: sc.fn };
      sc.locals.push(local);
      sc.frames.push({ kind: "single", local });
    }
    const c = this.closure(name, params, body, node, sc);
    this.emit(`${cell}.value = ${c};`);
    return "UNIT";
  }

  /** `for PATTERN in LIST BODY` (LANGUAGE.md §5.9) whose body defines nothing. */
  private forForm(node: TreeApply, sc: CScope): string {
    const args = node.args;
    if (args.length !== 4 || !isIdent(args[1], "in")) unsupported();
    const [pattern, , listNode, body] = args as [Tree, Tree, Tree, Tree];
    if (fallibleProblem(pattern, "") !== undefined) unsupported();
    const bodyItems = isCall(body, "__block__") ? body.args : [body];
    for (const it of bodyItems) if (definesInScope(it)) unsupported();
    const r = this.fresh("r");
    const x = this.fresh("X");
    this.emit(`let ${r} = UNIT;`);
    this.emit(`${x}: {`);
    // `for i in (a..b)`: the same values as the list the range builds, without building it.
    const range =
      listNode.kind === "apply" &&
      listNode.callee.kind === "ident" &&
      (listNode.callee.name === ".." || listNode.callee.name === "..=") &&
      listNode.args.length === 2 &&
      this.resolve(listNode.callee.name, sc) === undefined &&
      this.binding0(listNode.callee.name)?.origin === "base" &&
      this.binding0(listNode.callee.name)?.value?.kind === "builtin";
    const from = this.fresh("i");
    const to = this.fresh("n");
    const items = this.fresh("xs");
    const isRange = this.fresh("ir");
    this.emit(`let ${from} = 0, ${to} = 0, ${items} = undefined, ${isRange} = false;`);
    if (range) {
      const op = listNode.callee as { name: string; span: Span };
      const l = this.requireBase(op.name);
      const builtin = this.binding0(op.name)!.value!;
      this.emit(`if (${l}.value === ${this.k(builtin)}) {`);
      const a = this.expr(listNode.args[0]!, sc);
      const b = this.expr(listNode.args[1]!, sc);
      this.emit(
        `if (${a}.kind === "integer" && ${b}.kind === "integer" && typeof ${a}.value === "number" && typeof ${b}.value === "number") {`,
      );
      this.emit(
        `${from} = ${a}.value; ${to} = ${b}.value${op.name === "..=" ? " + 1" : ""}; ${isRange} = true;`,
      );
      this.emit(`I.allocate(Math.max(0, ${to} - ${from}) + 1, ${this.k(listNode.span)});`);
      const info = this.info(
        listNode,
        op.span,
        listNode.args.map((t) => t.span),
      );
      this.emit(`} else ${items} = I.applyWith(${this.k(builtin)}, [${a}, ${b}], ${info});`);
      this.emit("} else {");
      const lv = this.expr(listNode, sc);
      this.emit(`${items} = ${lv};`);
      this.emit("}");
    } else {
      const lv = this.expr(listNode, sc);
      this.emit(`${items} = ${lv};`);
    }
    this.emit(`if (!${isRange}) {`);
    this.emit(`if (${items}.kind === "error") { ${r} = ERROR; break ${x}; }`);
    this.emit(`${items} = R.forItems(I, ${items}, ${this.k(listNode.span)});`);
    this.emit(`${to} = ${items}.length;`);
    this.emit("}");
    this.emit(`for (let k = ${from}; k < ${to}; k++) {`);
    const savedWeight = this.weight;
    this.weight = 0;
    const lines = this.out;
    this.out = [];
    const it = this.child(sc);
    const item = this.fresh("it");
    this.emit(`const ${item} = ${isRange} ? { kind: "integer", value: k } : ${items}[k];`);
    this.bindPattern(pattern, item, it, listNode.span, undefined);
    this.items(bodyItems, it);
    this.blockNames(it);
    const weight = Math.max(1, this.weight);
    const inner = this.out;
    this.out = lines;
    this.weight = savedWeight;
    this.emit(`if ((I.steps += ${weight}) > I.stepCheck) I.checkpoint(${this.k(body.span)});`);
    for (const line of inner) this.emit(line);
    this.emit("}");
    this.emit("}");
    return r;
  }

  /** `match SCRUTINEE ARM…` (LANGUAGE.md §5.3). */
  private matchForm(node: TreeApply, sc: CScope): string {
    const args = node.args;
    if (args.length < 1) unsupported();
    const rest = args.slice(1);
    const arms =
      rest.length === 1 && isCall(rest[0], "__block__") ? (rest[0] as TreeApply).args : rest;
    for (const arm of arms) if (!isCall(arm, "=>") || arm.args.length !== 2) unsupported();
    const r = this.fresh("r");
    const x = this.fresh("X");
    this.emit(`let ${r};`);
    this.emit(`${x}: {`);
    const v = this.expr(args[0]!, sc);
    this.emit(`if (${v}.kind === "error") { ${r} = ERROR; break ${x}; }`);
    const armsK = this.k(arms);
    const s = this.state();
    arms.forEach((arm, i) => {
      const [pattern, body] = (arm as TreeApply).args as [Tree, Tree];
      const a = this.fresh("A");
      this.emit(`${a}: {`);
      const binds: { name: string; js: string; span: Span }[] = [];
      this.testPattern(pattern, v, a, binds, sc);
      this.emit(
        `if (ST[${s}] !== ${i + 1}) { ST[${s}] = ${i + 1}; I.noteState(ST); R.armTaken(I, ${armsK}, ${i}); }`,
      );
      this.emit("{");
      const armScope = this.child(sc);
      for (const b of binds) {
        if (armScope.fn.env) this.bindBoxedParam(armScope, b.name, b.js, b.span);
        else {
          const local = this.fresh("v");
          this.emit(`let ${local} = ${b.js};`);
          armScope.locals.push({
            name: b.name,
            js: local,
            boxed: false,
            hoisted: false,
            fn: armScope.fn,
          });
        }
      }
      const value = this.expr(body, armScope, true);
      this.emit(`${r} = ${value};`);
      this.emit("}");
      this.emit(`break ${x};`);
      this.emit("}");
    });
    this.emit(`R.noArm(I, ${armsK}, ${this.k(args[0]!.span)}, ${v});`);
    this.emit("}");
    return r;
  }

  private bindBoxedParam(sc: CScope, name: string, value: string, span: Span): void {
    const b = this.fresh("b");
    this.emit(`const ${b} = { value: ${value}, origin: "param", span: ${this.k(span)} };`);
    this.emit(
      `${sc.envVar} = { kind: "single", name: ${JSON.stringify(name)}, binding: ${b}, parent: ${sc.envVar} };`,
    );
    const local: Local = { name, js: b, boxed: true, hoisted: false, fn: sc.fn };
    sc.locals.push(local);
    sc.frames.push({ kind: "single", local });
  }

  /**
   * Emits a test of `pattern` against the value in `v` that breaks out of `fail` when it
   * does not match, collecting the variables it binds (in the tree walker's order).
   */
  private testPattern(
    p: Tree,
    v: string,
    fail: string,
    binds: { name: string; js: string; span: Span }[],
    sc: CScope,
  ): void {
    if (isIdent(p)) {
      const name = p.name;
      if (name === "_") return;
      if (name === "true" || name === "false") {
        const lit = this.expr(p, sc);
        this.emit(`if (!R.equal(${lit}, ${v})) break ${fail};`);
        return;
      }
      // A name bound to a payload-less enum variant matches that variant (LANGUAGE.md §5.3).
      const local = this.resolve(name, sc);
      const current =
        local === undefined
          ? `${this.link(name)}.value`
          : local.boxed
            ? `${local.js}.value`
            : local.js;
      const w = this.fresh("w");
      this.emit(`const ${w} = ${current};`);
      this.emit(
        `if (${w} !== undefined && ${w}.kind === "variant" && ${w}.payload === undefined && !(${v}.kind === "variant" && ${v}.variant === ${w}.variant && ${v}.def === ${w}.def)) break ${fail};`,
      );
      binds.push({ name, js: v, span: p.span });
      return;
    }
    if (p.kind === "literal") {
      const lit = this.expr(p, sc);
      const l = p.value;
      if (l.type === "integer")
        this.emit(
          `if (${v}.kind === "integer" ? ${v}.value !== ${lit}.value : !R.equal(${lit}, ${v})) break ${fail};`,
        );
      else if (l.type === "string" || l.type === "char")
        this.emit(
          `if (!(${v}.kind === "${l.type}" && ${v}.value === ${lit}.value)) break ${fail};`,
        );
      else this.emit(`if (!R.equal(${lit}, ${v})) break ${fail};`);
      return;
    }
    if (isCall(p, "-") && p.args.length === 1 && p.args[0]!.kind === "literal") {
      const lit = this.expr(p, sc);
      this.emit(`if (!R.equal(${lit}, ${v})) break ${fail};`);
      return;
    }
    if (isCall(p, "__tuple__")) {
      this.emit(
        `if (${v}.kind !== "tuple" || ${v}.items.length !== ${p.args.length}) break ${fail};`,
      );
      p.args.forEach((sub, i) => {
        const e = this.fresh("e");
        this.emit(`const ${e} = ${v}.items[${i}];`);
        this.testPattern(sub, e, fail, binds, sc);
      });
      return;
    }
    if (isCall(p, "__list__")) {
      const last = p.args[p.args.length - 1];
      const rest = last !== undefined && isCall(last, "...") ? last : undefined;
      const fixed = rest ? p.args.slice(0, -1) : p.args;
      this.emit(
        `if (${v}.kind !== "list" || ${v}.items.length ${rest ? "<" : "!=="} ${fixed.length}) break ${fail};`,
      );
      fixed.forEach((sub, i) => {
        const e = this.fresh("e");
        this.emit(`const ${e} = ${v}.items[${i}];`);
        this.testPattern(sub, e, fail, binds, sc);
      });
      if (rest && rest.args.length === 1) {
        const e = this.fresh("e");
        this.emit(`const ${e} = { kind: "list", items: ${v}.items.slice(${fixed.length}) };`);
        this.testPattern(rest.args[0]!, e, fail, binds, sc);
      }
      return;
    }
    // Anything else (variants, constructors, records, annotations): the tree walker's test.
    if (containsUnquote(p)) unsupported();
    const names = patternNames(p);
    const bs = this.fresh("bs");
    this.emit(`let ${bs};`);
    this.withScope(sc, (scope) => {
      this.emit(this.cold(`${bs} = R.test(I, ${this.k(p)}, ${v}, ${scope});`));
    });
    this.emit(`if (${bs} === undefined) break ${fail};`);
    for (const name of names) {
      const local = this.resolve(name, sc);
      const current =
        local !== undefined
          ? local.boxed
            ? `${local.js}.value`
            : local.js
          : `${this.link(name)}.value`;
      const e = this.fresh("e");
      this.emit(`const ${e} = R.pick(${bs}, ${JSON.stringify(name)}, ${current});`);
      binds.push({ name, js: e, span: p.span });
    }
  }
}

function newFn(env: boolean, parentScope: CScope | undefined, parentCount: number): Fn {
  return { env, parentScope, parentCount, outerCells: new Map(), prologue: [] };
}

/** An arithmetic tree for fused evaluation (see `Compiler.fused`). */
type Fusable =
  | { readonly kind: "leaf"; readonly js: string; readonly local?: Local }
  | { readonly kind: "neg"; readonly a: Fusable }
  | { readonly kind: "op"; readonly op: string; readonly a: Fusable; readonly b: Fusable };

/** Whether a value fits the compiled integer fast path. */
function intValue(b: bigint): Value {
  return b >= -9007199254740991n && b <= 9007199254740991n
    ? { kind: "integer", value: Number(b) }
    : { kind: "integer", value: b };
}

/** Names and literals: arguments whose evaluation cannot nest (as in `evaluate.ts`). */
function isSimple(t: Tree): boolean {
  return t.kind === "literal" || t.kind === "ident" || t.kind === "value";
}

/** Whether a function body makes closures itself (lambdas and `fn` items, not nested ones). */
function makesClosures(t: Tree): boolean {
  if (t.kind !== "apply") return false;
  if (isCall(t, "->")) return true;
  if (isCall(t, "=") && isCall(t.args[0], "fn")) return true;
  return makesClosures(t.callee) || t.args.some(makesClosures);
}

/** The names a pattern binds with their spans, in the order of `patternNames`. */
function patternIdents(p: Tree): { name: string; span: Span }[] {
  switch (p.kind) {
    case "ident":
      return p.name === "_" || p.name === "..." || p.name === "true" || p.name === "false"
        ? []
        : [{ name: p.name, span: p.span }];
    case "apply": {
      const head = headName(p);
      if (head === "=" && p.args.length === 2) return patternIdents(p.args[1]!);
      if (head === ":" && p.args.length === 2) return patternIdents(p.args[0]!);
      return p.args.flatMap(patternIdents);
    }
    default:
      return [];
  }
}

function containsUnquote(t: Tree): boolean {
  if (t.kind !== "apply") return false;
  if (isCall(t, "__unquote__")) return true;
  return containsUnquote(t.callee) || t.args.some(containsUnquote);
}

/** The name a block item declares by hoisting: `fn NAME … = …` with a plain name. */
function hoistedName(core: Tree): string | undefined {
  if (!isCall(core, "=") || core.args.length !== 2) return undefined;
  const lhs = core.args[0]!;
  if (!isCall(lhs, "fn") || lhs.args.length === 0) return undefined;
  const name = lhs.args[0]!;
  return isIdent(name) ? name.name : undefined;
}

/** Items that define something a `for` body would export to the enclosing scope. */
function definesInScope(item: Tree): boolean {
  const head = headName(item);
  if (head === "struct" || head === "enum" || head === "measure") return true;
  if (head === "@" || head === "__doc__") return true;
  if (head === "=" && item.kind === "apply") {
    const lhs = item.args[0];
    const h = lhs === undefined ? undefined : headName(lhs);
    return h !== undefined && h !== "let" && DEFINITION_FORMS.has(h);
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// The runtime of compiled code

/** A list under construction, checked as the `__list__` form checks it. */
interface ListBuilder {
  readonly interp: Interpreter;
  readonly items: Value[];
  first: Type | undefined;
  element: Type;
  poisoned: boolean;
}

function listAdd(lb: ListBuilder, v: Value, span: Span): void {
  if (v.kind === "error") {
    lb.poisoned = true;
    return;
  }
  const t = typeOf(v);
  if (lb.first === undefined) lb.first = t;
  else if (!typeCompatible(lb.first, t))
    lb.interp.fail(catalogue.listElementType(span, renderType(lb.first), renderType(t)));
  lb.element = joinTypes(lb.element, t);
  lb.items.push(v);
}

const NOSCOPE = new Scope(
  { kind: "table", table: new Map(), parent: undefined, base: true },
  "top",
);

/** What compiled code calls besides the interpreter's own methods. */
const RUNTIME = {
  ERROR,
  TRUE,
  FALSE,
  UNIT,
  NOFRAME: { what: "function", name: "\u0000", site: { start: 0, end: 0 } } as CallFrame,

  /** An Integer from the result of a safe-integer operation, or undefined past 2^53. */
  int(r: number): Value | undefined {
    if (r <= 9007199254740991 && r >= -9007199254740991)
      return { kind: "integer", value: r === 0 ? 0 : r };
    return undefined;
  },

  /** Adds a compiled function's frame to a problem passing through it (see `Unwinding`). */
  unwind(e: unknown, frame: CallFrame, below: number): void {
    if (e instanceof Unwinding) e.compiled.push({ frame, below });
  },

  /** `a + b` on Strings (the allocation is charged as `arithmetic` charges it). */
  concat(
    interp: Interpreter,
    a: { readonly value: string },
    b: { readonly value: string },
    span: Span,
  ): Value {
    interp.allocate(a.value.length + b.value.length, span);
    return { kind: "string", value: a.value + b.value };
  },

  frame(name: string | undefined, site: Span): CallFrame {
    return { what: "function", name, site };
  },

  info(
    interp: Interpreter,
    k: { span: Span; calleeSpan: Span; argSpans: readonly Span[] },
  ): CallInfo {
    return { interp, span: k.span, calleeSpan: k.calleeSpan, argSpans: k.argSpans, scope: NOSCOPE };
  },

  /** A scope for the tree walker over an environment of compiled code. */
  scopeAt(env: Env): Scope {
    return new Scope(env, "block");
  },

  /** A scope over `env` with fresh cells for plain variables (copied back by the caller). */
  mat(
    env: Env,
    names: readonly string[],
    values: readonly Value[],
  ): { scope: Scope; cells: Binding[] } {
    const scope = new Scope(env, "block");
    const cells = names.map((name, i) => scope.bind(name, { value: values[i], origin: "let" }));
    return { scope, cells };
  },

  undef(interp: Interpreter, name: string, span: Span, scope: Scope): never {
    return interp.fail(interp.undefinedProblem(name, span, scope));
  },

  undefAssign(interp: Interpreter, name: string, span: Span, scope: Scope, rhs: string): never {
    return interp.fail(interp.undefinedProblem(name, span, scope, rhs));
  },

  evalTree(interp: Interpreter, node: Tree, scope: Scope): Value {
    return interp.eval(node, scope);
  },

  /** A special form or macro value applied to a call's syntax (`applyGen` in the tree walker). */
  applyForm(interp: Interpreter, f: FormValue | MacroValue, node: TreeApply, scope: Scope): Value {
    if (f.kind === "macro") return invokeMacro(interp, f, node, scope);
    const r = f.form(interp, node, node.args, scope);
    return isStep(r) ? interp.run(r) : r;
  },

  /** A pipeline's call tree with the left value as first argument. */
  withFirst(template: TreeApply, x: Value): TreeApply {
    const first = template.args[0]!;
    return apply(
      template.callee,
      [valueNode(x, first.span), ...template.args.slice(1)],
      template.span,
    );
  },

  /** The rest of a pipeline whose right operand is headed by a special form (`pipeForm`). */
  pipeForm(interp: Interpreter, call: TreeApply, x: Value, scope: Scope): Value {
    const [left, right] = call.args as [Tree, Tree];
    const f = interp.eval(right, scope);
    if (f.kind === "error") return ERROR;
    return interp.eval(
      apply(valueNode(f, right.span), [valueNode(x, left.span)], call.span),
      scope,
    );
  },

  pipeNode(template: TreeApply, f: Value, x: Value): TreeApply {
    const first = template.args[0]!;
    return apply(valueNode(f, template.callee.span), [valueNode(x, first.span)], template.span);
  },

  notBool(interp: Interpreter, span: Span, v: Value): never {
    return interp.fail(catalogue.expectedFound(span, "Bool", interp.typeName(v)));
  },

  blockNames(interp: Interpreter, names: readonly string[]): void {
    for (const name of names) interp.blockNames.add(name);
  },

  armTaken(interp: Interpreter, arms: readonly Tree[], i: number): void {
    for (let j = 0; j < arms.length; j++) interp.recorder.recordBranch(arms[j]!, j === i);
  },

  noArm(interp: Interpreter, arms: readonly Tree[], span: Span, v: Value): never {
    for (const arm of arms) interp.recorder.recordBranch(arm, false);
    return interp.fail(nonExhaustiveMatch(span, renderValue(v)));
  },

  equal(a: Value, b: Value): boolean {
    return structuralEquals(a, b) === true;
  },

  test(interp: Interpreter, p: Tree, v: Value, scope: Scope): [string, Value, Span][] | undefined {
    return matchPattern(interp, p, v, scope);
  },

  pick(
    bindings: readonly [string, Value, Span][],
    name: string,
    current: Value | undefined,
  ): Value {
    for (let i = bindings.length - 1; i >= 0; i--) {
      if (bindings[i]![0] === name) return bindings[i]![1];
    }
    return current ?? ERROR;
  },

  bindSlow(
    interp: Interpreter,
    pattern: Tree,
    v: Value,
    scope: Scope,
    valueSpan: Span,
    valueNode: Tree | undefined,
    names: readonly string[],
  ): Value[] {
    const inner = new Scope(scope.env, "block");
    bindPattern(interp, pattern, v, inner, {
      valueSpan,
      ...(valueNode === undefined ? {} : { valueNode }),
      origin: "let",
    });
    return names.map((name) => lookup(inner.env, name)?.value ?? ERROR);
  },

  listBuilder(interp: Interpreter): ListBuilder {
    return { interp, items: [], first: undefined, element: UNKNOWN, poisoned: false };
  },

  listAdd,

  listSpread(lb: ListBuilder, v: Value, valueSpan: Span, span: Span): void {
    if (v.kind === "error") {
      lb.poisoned = true;
      return;
    }
    if (v.kind !== "list")
      lb.interp.fail(catalogue.expectedFound(valueSpan, "a list", lb.interp.typeName(v)));
    lb.interp.allocate(v.items.length, span);
    for (const x of v.items) listAdd(lb, x, span);
  },

  listEnd(lb: ListBuilder, span: Span): Value {
    if (lb.poisoned) return ERROR;
    lb.interp.allocate(lb.items.length + 1, span);
    return { kind: "list", items: lb.items, elementType: lb.element };
  },

  recordSpread(interp: Interpreter, fields: Map<string, Value>, v: Value, span: Span): boolean {
    if (v.kind === "error") return true;
    const source = fieldsOf(v);
    if (source === undefined)
      interp.fail(catalogue.expectedFound(span, "a record", interp.typeName(v)));
    let poisoned = false;
    for (const [n, x] of source) {
      if (x.kind === "error") poisoned = true;
      fields.set(n, x);
    }
    return poisoned;
  },

  index(
    interp: Interpreter,
    target: Value,
    index: Value,
    targetSpan: Span,
    indexSpan: Span,
  ): Value {
    const items = indexable(target);
    if (items === undefined) {
      return interp.fail(
        catalogue.typeMismatch(
          targetSpan,
          `cannot index a value of type ${interp.typeName(target)}`,
        ),
      );
    }
    return items[checkIndex(interp, index, items.length, indexSpan)]!;
  },

  field(
    interp: Interpreter,
    receiver: Value,
    name: string,
    receiverSpan: Span,
    nameSpan: Span,
  ): Value {
    return readField(interp, receiver, name, receiverSpan, nameSpan);
  },

  text: interpolationText,

  typeValue(v: Value): Value {
    return { kind: "type", type: typeOf(v) };
  },

  assertFailed(interp: Interpreter, span: Span, m: Value | undefined): never {
    const message =
      m === undefined
        ? undefined
        : m.kind === "string"
          ? m.value
          : m.kind === "symbol"
            ? m.name
            : renderValue(m);
    return interp.fail(assertionFailed(span, message));
  },

  /** `old op v` of a compound assignment, as the tree walker computes it. */
  combine(interp: Interpreter, op: string, old: Value, v: Value, span: Span): Value {
    if (op === "&" || op === "|" || op === "^" || op === "<<" || op === ">>")
      return bitwise(interp, op, old, v, span);
    return arithmetic(interp, op as "+" | "-" | "*" | "/" | "%", old, v, span);
  },

  /** The elements a `for` loop runs over. */
  forItems(interp: Interpreter, v: Value, span: Span): readonly Value[] {
    if (v.kind !== "list")
      return interp.fail(catalogue.expectedFound(span, "a list", interp.typeName(v)));
    return v.items;
  },
};

function isStep(x: Value | Step): x is Step {
  return (x as { kind?: unknown }).kind === undefined;
}
