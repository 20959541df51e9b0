/**
 * Inference over the uniform tree (Algorithm J with Rémy's levels): every expression gets a
 * type in a side table, including branches the evaluator never takes; the tree is never
 * touched. Items of the file (and of every block) are inferred binding group by binding group
 * (`groups.ts`), generalising functions and syntactic values (`scheme.ts`); operators and
 * library functions raise trait predicates that are solved as types become known
 * (`constraints.ts`, `operators.ts`).
 */

import { type Diagnostic, diagnostic, type SourceFile, type Span } from "@cadenza/core";
import { macroThroughAlias, missingExport } from "@cadenza/modules/diagnostics";
import type { Literal, Node } from "@cadenza/syntax";
import { baseEnv, OPERATORS } from "./builtins.js";
import {
  type Constraint,
  constraintTypes,
  defaultJoins,
  forEachConstraintVarOccurrence,
  joinParts,
  type Site,
} from "./constraints.js";
import {
  arityMismatch,
  catalogue,
  closestName,
  missingField,
  note,
  type Problem,
  unhandledEffect,
} from "./diagnostics.js";
import {
  baseDimension,
  divDimensions,
  isDimensionless,
  mulDimensions,
  unifyDimensions,
} from "./dimension.js";
import type { Binding, Env, FunctionInfo } from "./env.js";
import type { ImportedDeclaration } from "./group.js";
import { BlockIndex, bindingGroups, type ItemInfo, itemInfos } from "./groups.js";
import {
  decimalRatio,
  type MeasureInfo,
  ratio,
  ratioMul,
  SI_PREFIXES,
  UnitRegistry,
} from "./measures.js";
import { knownUnits, stepConstraint, typeArithmetic, typePower, unitsText } from "./operators.js";
import { fallibleProblem, type PatternBinding, patternFrame, walkPattern } from "./patterns.js";
import { factorText, renderType, TypeNamer, unitText } from "./print.js";
import {
  GENERIC,
  generalize,
  instantiate,
  lowerTo,
  monoScheme,
  type Scheme,
  simplifyBounds,
} from "./scheme.js";
import { definitionHead, fieldEntry, headName, isCall, isIdent, unwrapItem } from "./syntax.js";
import { declareTraitsAndEffects, inferHandle, inferImpl } from "./traits.js";
import {
  BOOL,
  CHAR,
  con,
  type DeclaredField,
  DIMENSIONLESS,
  type Field,
  flattenEffects,
  flattenRecord,
  fnType,
  forEachVar,
  forEachVarOccurrence,
  freshVar,
  listType,
  MEASURE,
  MODULE,
  mapPacked,
  type NominalDecl,
  namedType,
  num,
  numberType,
  quantity,
  recordType,
  resolve,
  STRING,
  SYMBOL,
  SYNTAX,
  TYPE,
  type Type,
  type TypeVar,
  takeLinkedWatched,
  tupleType,
  UNIT,
  UNKNOWN,
  type UnitPower,
  unwatchLinks,
  type VariantDecl,
  type VarKind,
  watchLinks,
  withOrigin,
  zonk,
} from "./types.js";
import { readType, readUnits } from "./typexpr.js";
import { typesEqual, type UnifyFailure, unify } from "./unify.js";

/**
 * Definitions the checker cannot see in the items it is given: what the evaluator's module
 * state knows after running the file (macro-generated definitions), or what other modules
 * export. Every field is optional; a driver adapts `@cadenza/eval`'s `ModuleState` to it.
 */
export interface DefinitionEnvironment {
  /** Units of measure, in definition order. */
  readonly measures?: Iterable<MeasureInfo>;
  /** Names with known types (monomorphic unless their variables have level GENERIC). */
  readonly values?: ReadonlyMap<string, Type>;
  /** Struct declarations by name. */
  readonly structs?: ReadonlyMap<string, readonly DeclaredField[]>;
  /** Enum declarations by name. */
  readonly enums?: ReadonlyMap<string, readonly VariantDecl[]>;
  /** Transparent type aliases. */
  readonly aliases?: ReadonlyMap<string, Type>;
  /** Declarations imported from other modules ({@link exportedDeclaration}), by name. */
  readonly imported?: ReadonlyMap<string, ImportedDeclaration>;
  /**
   * Units known without a name in scope: the measures of modules imported under an alias
   * (`q.meter`), whose quantities the file may meet.
   */
  readonly units?: Iterable<MeasureInfo>;
}

/** Options of {@link Inferencer}. */
export interface InferOptions {
  readonly environment?: DefinitionEnvironment;
  /**
   * Whether to keep the type of every node for the node → type table (default true). A run
   * that only reports diagnostics leaves it off: the per-node types then die young instead of
   * living to the end of the file, which is a tenth of a large check. Nothing else differs:
   * the run creates the same variables in the same order and reports the same problems.
   */
  readonly recordTypes?: boolean;
  /**
   * The declarations of the file, already collected by another inferencer (see
   * {@link Inferencer.declareItems}): a binding group checked on its own starts from them.
   */
  readonly declarations?: DeclarationState;
}

/**
 * What a file declares for every item to see: units, structs, enums, aliases, macros,
 * traits, effects, implementations and `use` bindings, as the environment they make. It is
 * shared by the inferencers of every binding group of a file (nominal types are compared by
 * identity, so the declarations must be the same objects) and never mutated after it is
 * built.
 */
export interface DeclarationState {
  /** The environment after the declarations (base library, environment, declarations). */
  readonly env: Env;
  readonly units: UnitRegistry;
  readonly traits: ReadonlyMap<string, TraitRecord>;
  readonly impls: readonly ImplRecord[];
  readonly effectDecls: ReadonlyMap<string, EffectRecord>;
}

/**
 * How a name used by a member of a binding group checked on its own resolves (see
 * {@link Inferencer.inferTopGroup}): another member of the group, a definition of an earlier
 * group with its binding, or a definition whose binding is not known (it gets a fresh
 * monomorphic type, as an imprecise dependency does in a whole-file check).
 */
export type TopReference =
  | { readonly kind: "member"; readonly member: number }
  | { readonly kind: "binding"; readonly binding: Binding }
  | { readonly kind: "pending" };

/** A name visible at a member of a group checked on its own, for suggestions. */
export interface VisibleName {
  readonly name: string;
  /** Set when the name is defined by a member of the group itself (by its index). */
  readonly member?: number;
}

/** A call whose callee may perform effects: where an unhandled effect is reported. */
interface EffectfulCall {
  readonly span: Span;
  readonly effects: Type;
  readonly name: string | undefined;
}

/** One registered trait implementation. */
export interface ImplRecord {
  readonly trait: string;
  readonly type: Type;
  readonly span: Span;
}

/** A user trait: its methods and the type variable they are generic in. */
export interface TraitRecord {
  readonly name: string;
  readonly param: TypeVar;
  readonly methods: ReadonlyMap<string, Type>;
  readonly span: Span;
}

/** A user effect: its operations. */
export interface EffectRecord {
  readonly name: string;
  readonly operations: ReadonlyMap<string, Scheme>;
  readonly span: Span;
}

/** A constraint set aside after its top-level group, and its place in the deferral order. */
interface DeferredConstraint {
  readonly c: Constraint;
  readonly seq: number;
}

/** The inference engine for one file. */
export class Inferencer {
  readonly source: SourceFile;
  readonly units: UnitRegistry;
  /** The current let-nesting depth. */
  level = 0;
  /** Deferred predicates. */
  pending: Constraint[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /**
   * Node → type as inferred, in recording order: a table of a long file has a hundred
   * thousand entries, and most checks (`cadenza check`) never read it, so the map is built,
   * and its types defaulted and zonked, only when {@link Inferencer.nodeTypes} is first read.
   */
  private recordedNodes: Node[] = [];
  private recordedTypes: Type[] = [];
  /** The node → type map, once built (then `record` writes into it). */
  private table: Map<Node, Type> | undefined;
  /** See {@link InferOptions.recordTypes}. */
  private readonly recording: boolean;
  /** `typeof` node → the type of its operand. */
  private readonly typeofTable: Map<Node, Type> = new Map();
  /**
   * Operators applied with the arity of their dedicated rule (`a + b`, `-x`): the rule types
   * the application, and the operator's own type (what hover shows on `+`) is an instance of
   * its scheme whose predicates nothing else mentions. They are instantiated and settled in
   * isolation when the table is built, exactly as the end of the file would settle them.
   */
  private lazyOperators: {
    readonly index: number;
    readonly scheme: Scheme;
    readonly span: Span;
    readonly name: string;
  }[] = [];
  /** Whether {@link Inferencer.finish} has run: the built table is then defaulted and zonked. */
  private finished = false;
  /** Top-level definition name → scheme. */
  readonly schemes: Map<string, Scheme> = new Map();
  /** The effect row of the code being inferred. */
  effects: Type;
  /** Calls that may perform effects in the current top-level item. */
  calls: EffectfulCall[] = [];
  /** Names that are reassigned somewhere (their `let` is widened and stays monomorphic). */
  private readonly reassigned = new Set<string>();
  readonly traits: Map<string, TraitRecord>;
  readonly impls: ImplRecord[];
  readonly effectDecls: Map<string, EffectRecord>;
  private readonly reported = new Set<string>();
  /**
   * Whether the file can define names the checker cannot see: it defines macros (whose
   * expansions may define anything) or definitions with computed names (`fn ${name} …`).
   * Unknown names are then `Unknown` without a diagnostic; a driver that passes the
   * evaluator's expanded items and definitions gets full checking back.
   */
  private opaque = false;
  private readonly options: InferOptions;

  constructor(source: SourceFile, options: InferOptions = {}) {
    this.source = source;
    this.options = options;
    this.effects = freshVar("effect", 0);
    this.recording = options.recordTypes ?? true;
    const d = options.declarations;
    // A group checked on its own shares the file's units; the tables a block-level
    // declaration could extend are copied so that the shared state is never mutated.
    this.units = d?.units ?? new UnitRegistry();
    this.traits = new Map(d?.traits ?? []);
    this.impls = [...(d?.impls ?? [])];
    this.effectDecls = new Map(d?.effectDecls ?? []);
  }

  // ---------------------------------------------------------------------------------------
  // Reporting

  /** Records a problem as an error diagnostic (once per message and span). */
  report(p: Problem, severity: "error" | "warning" = "error"): void {
    const key = `${p.message}@${p.primary.span.start}:${p.primary.span.end}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(
      diagnostic({
        severity,
        code: p.code,
        message: p.message,
        file: this.source.name,
        primary: p.primary,
        secondary: p.secondary ?? [],
        notes: p.notes ?? [],
      }),
    );
  }

  /** The source text of a node. */
  text(n: Node | Span): string {
    const s = "span" in n ? n.span : n;
    return this.source.text.slice(s.start, s.end);
  }

  /** Renders types with one shared namer (for one message). */
  render(...types: Type[]): string[] {
    const namer = new TypeNamer();
    return types.map((t) => renderType(t, namer));
  }

  // ---------------------------------------------------------------------------------------
  // Variables and side tables

  /** A fresh variable at the current level. */
  fresh(kind: VarKind = "type"): TypeVar {
    return freshVar(kind, this.level);
  }

  /** A fresh type variable (patterns use it). */
  freshType(): TypeVar {
    return this.fresh("type");
  }

  /** Records the type of a node. */
  record(node: Node, t: Type): void {
    if (!this.recording) return;
    if (this.table !== undefined) this.table.set(node, t);
    else {
      this.recordedNodes.push(node);
      this.recordedTypes.push(t);
    }
  }

  /** Node → type (built on first use; after {@link Inferencer.finish}, defaulted and zonked). */
  get nodeTypes(): Map<Node, Type> {
    return this.table ?? this.buildTable();
  }

  /** `typeof` node → the type of its operand (defaulted and zonked after `finish`). */
  get typeofs(): Map<Node, Type> {
    if (this.table === undefined) this.buildTable();
    return this.typeofTable;
  }

  private buildTable(): Map<Node, Type> {
    const nodes = this.recordedNodes;
    const types = this.recordedTypes;
    this.recordedNodes = [];
    this.recordedTypes = [];
    const operators = this.lazyOperators;
    this.lazyOperators = [];
    if (operators.length > 0) {
      const saved = this.pending;
      this.pending = [];
      for (const op of operators) {
        const inst = instantiate(op.scheme, this.level, { span: op.span, via: op.name });
        types[op.index] = inst.type;
        for (const c of inst.constraints) this.constrain(c);
      }
      if (this.finished) {
        // Settled as the end of the file settles what is left (they mention nothing else).
        this.settle();
        this.pending = saved;
      } else this.pending = [...saved, ...this.pending];
    }
    const table = new Map<Node, Type>();
    for (let i = 0; i < nodes.length; i++) table.set(nodes[i]!, types[i]!);
    this.table = table;
    if (this.finished) this.fixTypes();
    return table;
  }

  /**
   * Records the type of an operator applied by its dedicated rule (see
   * {@link Inferencer.lazyOperators}).
   */
  private recordOperator(node: Node, scheme: Scheme, name: string): void {
    if (this.table !== undefined || scheme.vars.length === 0) {
      // Computed also when not recording: it may create variables, and a run that does not
      // record creates the same ones as one that does.
      this.record(node, this.bindingType({ kind: "operator", name, scheme }, name, node.span));
      return;
    }
    if (!this.recording) return;
    this.lazyOperators.push({ index: this.recordedNodes.length, scheme, span: node.span, name });
    this.record(node, UNKNOWN);
  }

  // ---------------------------------------------------------------------------------------
  // Constraints

  /**
   * Constraints on top-level variables only, set aside after each top-level binding group so
   * that later generalisations do not walk them again (which made checking quadratic). Each
   * is retried when one of the variables it waits on is linked.
   */
  private deferred = new Set<DeferredConstraint>();
  /** Deferred constraints by the variables they wait on. */
  private watchers = new Map<TypeVar, DeferredConstraint[]>();
  private deferredCount = 0;

  private watchList(c: Constraint): TypeVar[] {
    const out: TypeVar[] = [];
    forEachConstraintVarOccurrence(c, (v) => {
      out.push(v);
    });
    return out;
  }

  private watch(d: DeferredConstraint, lower: boolean): void {
    for (const v of this.watchList(d.c)) {
      if (lower && v.level > 0 && v.level !== GENERIC) v.level = 0;
      const list = this.watchers.get(v);
      if (list === undefined) {
        this.watchers.set(v, [d]);
        watchLinks(v);
      } else if (list[list.length - 1] !== d) list.push(d);
    }
  }

  /** Moves the pending constraints of a finished top-level group to the deferred list. */
  private defer(): void {
    for (const c of this.pending) {
      const d = { c, seq: this.deferredCount++ };
      this.deferred.add(d);
      this.watch(d, true);
    }
    this.pending = [];
  }

  /**
   * Retries the deferred constraints whose variables were linked since they got stuck, in
   * the order they were deferred, until no retry links another watched variable.
   */
  private wakeDeferred(): void {
    for (let linked = takeLinkedWatched(); linked.length > 0; linked = takeLinkedWatched()) {
      const woken = new Set<DeferredConstraint>();
      for (const v of linked) {
        if (v.link === undefined) continue;
        const list = this.watchers.get(v);
        if (list === undefined) continue;
        this.watchers.delete(v);
        unwatchLinks(v);
        for (const d of list) if (this.deferred.has(d)) woken.add(d);
      }
      for (const d of [...woken].sort((a, b) => a.seq - b.seq)) {
        if (stepConstraint(this, d.c) === "stuck") this.watch(d, false);
        else this.deferred.delete(d);
      }
    }
  }

  /** Adds a constraint and tries it at once. */
  constrain(c: Constraint): void {
    const r = stepConstraint(this, c);
    if (r === "stuck") this.pending.push(c);
  }

  /** Tries every pending constraint until none makes progress. */
  solve(): void {
    for (let progress = true, guard = 0; progress && guard < 10_000; guard++) {
      progress = false;
      const current = this.pending;
      this.pending = [];
      for (const c of current) {
        if (stepConstraint(this, c) === "stuck") this.pending.push(c);
        else progress = true;
      }
    }
  }

  /** `left == right` (also used by literal patterns). */
  equalConstraint(left: Type, right: Type, span: Span, op: string): void {
    this.constrain({ kind: "equal", left, right, site: { span, operator: op } });
  }

  // ---------------------------------------------------------------------------------------
  // Unification with messages

  /**
   * Unifies and, on failure, reports `expected T, found U` at `span` (or a missing field, or
   * a dimension mismatch with the missing factor). Returns whether it succeeded.
   */
  expect(expected: Type, found: Type, span: Span, what?: { readonly reason?: Span }): boolean {
    const e = resolve(expected);
    const f = resolve(found);
    if (e.kind === "fn" && f.kind === "fn" && e.params.length === f.params.length) {
      // Parameters first, so that a mismatch in the result is reported with the parameters
      // already known (`found fn(P) -> Integer`, not `found fn({ x: a, ... }) -> a`).
      e.params.forEach((p, i) => {
        unify(p, f.params[i]!);
      });
    }
    const failure = unify(expected, found);
    if (failure === undefined) return true;
    this.reportFailure(failure, expected, found, span, what?.reason);
    return false;
  }

  /** Reports a unification failure between the whole `expected` and `found` types. */
  reportFailure(
    failure: UnifyFailure,
    expected: Type,
    found: Type,
    span: Span,
    reason?: Span,
  ): void {
    if (failure.kind === "missing-field") {
      const lacking = resolve(failure.lacking);
      const fields =
        lacking.kind === "record"
          ? flattenRecord(lacking).fields.map((f) => f.name)
          : lacking.kind === "named" && lacking.decl.kind === "struct"
            ? lacking.decl.fields.map((f) => f.name)
            : [];
      const requiring = resolve(failure.requiring);
      const at = "origin" in requiring ? requiring.origin : undefined;
      const [lackingText] = this.render(lacking);
      this.report(missingField(span, failure.field, lackingText!, at ?? reason, fields));
      return;
    }
    const e = resolve(expected);
    const f = resolve(found);
    if (failure.kind === "dimension" && e.kind === "quantity" && f.kind === "quantity") {
      const namer = new TypeNamer();
      const et = unitsText(e, namer);
      const ft = unitsText(f, namer);
      const notes = [];
      const factor = divDimensions(e.dim, f.dim);
      if (factor.vars.length === 0) {
        notes.push(
          note(
            `missing factor ${factorText(factor.bases.map(([unit, exponent]) => ({ unit, exponent })))}`,
          ),
        );
      }
      const secondary = this.reasonLabel(expected, span, reason, et);
      this.report(catalogue.expectedFound(span, et, ft, notes, secondary));
      return;
    }
    const [et, ft] = this.render(expected, found);
    const notes = [];
    if (failure.kind === "occurs") notes.push(note("this would make a type that contains itself"));
    if (failure.kind === "missing-effect")
      notes.push(note(`the effect \`${failure.label}\` is not handled here`));
    if (e.kind === "named" && f.kind === "named" && e.decl !== f.decl) {
      notes.push(note(`${et} and ${ft} are different nominal types`));
    }
    this.report(
      catalogue.expectedFound(span, et!, ft!, notes, [
        ...this.reasonLabel(expected, span, reason, et!),
        ...this.foundLabel(found, span, ft!),
      ]),
    );
  }

  private reasonLabel(
    expected: Type,
    span: Span,
    reason: Span | undefined,
    text: string,
  ): { span: Span; message: string }[] {
    const r = resolve(expected);
    const at = reason ?? ("origin" in r ? r.origin : undefined);
    if (at === undefined || (at.start === span.start && at.end === span.end)) return [];
    if (at.start < span.end && span.start < at.end) return [];
    return [{ span: at, message: `expected ${text} because of this` }];
  }

  /**
   * A label on the expression that gave the found type its value, when that is on another
   * line (on the same line the primary label says enough, and the rendering stays the
   * evaluator's, §9).
   */
  private foundLabel(found: Type, span: Span, text: string): { span: Span; message: string }[] {
    const r = resolve(found);
    const at = "origin" in r ? r.origin : undefined;
    if (at === undefined) return [];
    const line = (o: number): number => this.source.lineIndexAt(o);
    if (line(at.start) === line(span.start)) return [];
    return [{ span: at, message: `this is ${text}` }];
  }

  /** Unifies a pattern's type with the value's; see `patterns.ts`. */
  unifyPattern(
    patternType: Type,
    valueType: Type,
    p: Node,
    valueSpan: Span,
    mode: "bind" | "test",
    shape: string,
  ): void {
    const failure = unify(patternType, valueType);
    if (failure === undefined) return;
    const [vt] = this.render(valueType);
    if (mode === "bind") {
      this.report({
        code: "types/pattern-match-failed",
        message: "pattern match failed",
        primary: { span: p.span, message: `this pattern expects a ${shape}` },
        secondary:
          valueSpan.start === p.span.start
            ? []
            : [{ span: valueSpan, message: `this value has type ${vt}` }],
      });
    } else {
      this.report(
        {
          code: "types/unreachable-pattern",
          message: "pattern never matches",
          primary: { span: p.span, message: `a value of type ${vt} never matches this pattern` },
        },
        "warning",
      );
    }
  }

  /** An annotation `x: T` against the value's type: `type mismatch` on the value. */
  unifyAnnotation(annotated: Type, t: Type, valueSpan: Span): void {
    this.expect(annotated, t, valueSpan);
  }

  // ---------------------------------------------------------------------------------------
  // Types of literals and type expressions

  /** The type of a literal. */
  literalType(lit: Literal): Type {
    switch (lit.value.type) {
      case "integer":
        return numberType("Integer", lit.span);
      case "float":
        return numberType("Float", lit.span);
      case "string":
        return { ...STRING, origin: lit.span };
      case "char":
        return { ...CHAR, origin: lit.span };
      case "symbol":
        return { ...SYMBOL, origin: lit.span };
    }
  }

  /** Reads a type expression in `env`; lower-case names are variables shared through `vars`. */
  readTypeExpr(node: Node, env: Env, vars: Map<string, TypeVar> = new Map()): Type {
    // The annotation is the reason for the type: mismatches point back at it.
    const t = readType(node, {
      env,
      units: this.units,
      level: this.level,
      vars,
      unknownName: (name, span) =>
        this.report(catalogue.undefinedVariable(name, span, { kind: "none" })),
      notAType: (span) => this.report(catalogue.expectedFound(span, "Type", "an expression")),
      missingExport: (span, name, module, exported, hidden) =>
        this.report(missingExport(this.source.name, span, name, module, exported, hidden)),
    });
    if (this.collectingVars !== undefined) {
      const collected = this.collectingVars;
      forEachVar(t, (v) => {
        collected.push(v);
      });
    }
    return withOrigin(t, node.span);
  }

  // ---------------------------------------------------------------------------------------
  // Programs and blocks

  /** Infers a whole file. */
  run(items: readonly Node[]): Env {
    let env = baseEnv();
    env = this.applyEnvironment(env);
    const facts = scanItems(items);
    for (const name of facts.reassigned) this.reassigned.add(name);
    this.opaque = facts.opaque;
    this.collectMeasures(items);
    env = this.declare(items, env, true);
    const { env: after } = this.inferItems(items, env, true);
    this.finish();
    return after;
  }

  private applyEnvironment(env: Env): Env {
    const given = this.options.environment;
    if (given === undefined) return env;
    for (const m of given.measures ?? []) this.units.define(m);
    for (const d of given.imported?.values() ?? [])
      if (d.measure !== undefined) this.units.define(d.measure);
    const frame = new Map<string, Binding>();
    for (const m of this.units.all()) frame.set(m.name, { kind: "measure", unit: m.name });
    for (const [name, fields] of given.structs ?? [])
      frame.set(name, { kind: "nominal", decl: { kind: "struct", name, fields } });
    for (const [name, variants] of given.enums ?? [])
      frame.set(name, { kind: "nominal", decl: { kind: "enum", name, variants } });
    for (const [name, type] of given.aliases ?? []) frame.set(name, { kind: "type", type });
    for (const [name, type] of given.values ?? [])
      frame.set(name, { kind: "value", scheme: monoScheme(type), user: true });
    for (const [name, d] of given.imported ?? []) frame.set(name, d.binding);
    // After the frame: these units have no name here.
    for (const m of given.units ?? [])
      if (this.units.get(m.name) === undefined) this.units.define(m);
    return env.with(frame);
  }

  // ---------------------------------------------------------------------------------------
  // One binding group at a time (for an incremental driver)

  /**
   * The declarations of a file (the first half of {@link Inferencer.run}): measures, then
   * structs, enums, aliases, macros, traits, effects, implementations and `use`. Pass only
   * the items that declare something (`isDeclarationItem`); the result is what every binding
   * group of the file starts from. Type variables left free by the declarations (a
   * lower-case name in a struct field) are closed as `finish` would, so that no group can
   * bind them for the others.
   */
  declareItems(items: readonly Node[]): DeclarationState {
    let env = baseEnv();
    env = this.applyEnvironment(env);
    this.collectMeasures(items);
    this.collectingVars = [];
    env = this.declare(items, env, true);
    for (const v of this.collectingVars) closeVar(v);
    this.collectingVars = undefined;
    return {
      env,
      units: this.units,
      traits: this.traits,
      impls: this.impls,
      effectDecls: this.effectDecls,
    };
  }

  /** Type variables made while reading declarations, closed by {@link Inferencer.declareItems}. */
  private collectingVars: TypeVar[] | undefined = undefined;

  /**
   * Infers top-level binding groups of a file on their own, as {@link Inferencer.inferItems}
   * infers the groups of a whole file, then solves and defaults what is left as
   * {@link Inferencer.run} does at the end of a file. `members` are the items in file order;
   * `order` lists the binding groups they form (member indexes) in inference order — usually
   * one group, several when they share variables that stay open until the end (a reassigned
   * `let` and its users). `resolve` says what a name used by a member refers to (undefined:
   * nothing in the file, so the declarations and the library are searched); `visible` lists
   * the names a member could have meant, for suggestions. Returns the bindings each member
   * makes.
   */
  inferTopGroup(
    members: readonly Node[],
    env: Env,
    facts: { readonly reassigned: Iterable<string>; readonly opaque: boolean },
    resolve: (member: number, name: string) => TopReference | undefined,
    visible: (member: number) => readonly VisibleName[],
    order: readonly (readonly number[])[] = [members.map((_, i) => i)],
  ): { readonly frames: ReadonlyMap<string, Binding>[]; readonly open: boolean } {
    for (const name of facts.reassigned) this.reassigned.add(name);
    this.opaque = facts.opaque;
    const infos = itemInfos(members);
    const slots = new Map<number, Map<string, Binding>>();
    const resolverAt =
      (i: number) =>
      (name: string): Binding | undefined => {
        const r = resolve(i, name);
        if (r === undefined) return undefined;
        if (r.kind === "binding") return r.binding;
        if (r.kind === "pending") return { kind: "pending", type: this.fresh() };
        const b = slots.get(r.member)?.get(name);
        if (b !== undefined) return b;
        const kind = infos[r.member]?.kind;
        return kind === "fn" || kind === "let"
          ? { kind: "pending", type: this.fresh() }
          : undefined;
      };
    const namesAt = (i: number) => (): string[] =>
      visible(i)
        .filter((v) => v.member === undefined || slots.get(v.member)?.has(v.name))
        .map((v) => v.name);
    const envAt = (i: number): Env => env.withResolver(resolverAt(i), namesAt(i));
    const types = new Array<Type>(members.length).fill(UNIT);
    for (const group of order)
      if (group.length > 0) this.inferBindingGroup(group, infos, envAt, slots, types, true);
    this.recordDefinitionsUnit(infos);
    // Whether a binding's type still has variables only the end of the file would fix (a
    // whole-file check lets later items constrain them): decided before `finish` fixes them.
    let open = false;
    for (const frame of slots.values()) {
      for (const b of frame.values()) {
        if (open || b.kind !== "value") continue;
        const visit = (v: TypeVar): void => {
          if (v.level !== GENERIC) open = true;
        };
        forEachVar(b.scheme.type, visit);
        for (const c of b.scheme.constraints)
          for (const t of constraintTypes(c)) forEachVar(t, visit);
      }
    }
    this.finish();
    // The group's signatures are read next: their variables that only the defaulting of the
    // node types fixes must be fixed first.
    if (this.table === undefined) this.buildTable();
    return { frames: infos.map((_, i) => slots.get(i) ?? new Map()), open };
  }

  /**
   * Infers one binding group of a block or file: a lone `let` or statement directly, functions
   * (and what they share a component with) through {@link Inferencer.inferGroup}. At the top
   * level each group has its own effects, checked and solved when it is done.
   */
  private inferBindingGroup(
    group: readonly number[],
    infos: readonly ItemInfo[],
    envAt: (i: number) => Env,
    slots: Map<number, Map<string, Binding>>,
    types: Type[],
    top: boolean,
  ): void {
    if (top) {
      this.effects = this.fresh("effect");
      this.calls = [];
    }
    if (group.length === 1 && infos[group[0]!]!.kind !== "fn") {
      const i = group[0]!;
      const info = infos[i]!;
      if (info.kind === "let") {
        slots.set(i, this.inferLet(info, envAt(i), false));
      } else {
        this.level++;
        const t = this.inferStatement(info, envAt(i));
        this.solve();
        this.level--;
        lowerTo(t, this.level);
        types[i] = t;
      }
    } else {
      this.inferGroup(group, infos, envAt, slots, types);
    }
    if (top) {
      this.checkEffects();
      this.solve();
      this.defer();
      this.wakeDeferred();
    }
  }

  /** Definitions (`fn`, `let`, declarations) are statements of type `()`. */
  private recordDefinitionsUnit(infos: readonly ItemInfo[]): void {
    for (const info of infos) {
      if (info.kind !== "other") {
        this.record(info.node, UNIT);
        this.record(info.core, UNIT);
      }
    }
  }

  /** Collects `measure` items (and `@si` prefixes) into the unit registry, in source order. */
  private collectMeasures(items: readonly Node[]): void {
    const visit = (node: Node): void => {
      const { core, attributes } = unwrapItem(node);
      const prefixes: string[] = [];
      for (const a of attributes) {
        if (isCall(a, "si"))
          for (const p of a.args) if (isIdent(p) && SI_PREFIXES.has(p.name)) prefixes.push(p.name);
        if (isIdent(a, "si")) continue;
      }
      let name: string | undefined;
      let definition: Node | undefined;
      if (isCall(core, "measure") && core.args.length === 1 && isIdent(core.args[0]))
        name = core.args[0].name;
      const d = definitionHead(core, "measure");
      if (d !== undefined && d.args.length === 1 && isIdent(d.args[0])) {
        name = d.args[0].name;
        definition = (core as Node & { kind: "apply" }).args[1];
      }
      if (name !== undefined) {
        const info =
          definition === undefined
            ? this.units.defineBase(name)
            : this.defineDerived(name, definition);
        for (const p of prefixes) {
          const power = SI_PREFIXES.get(p)!;
          const scale = power >= 0 ? ratio(10n ** BigInt(power)) : ratio(1n, 10n ** BigInt(-power));
          this.units.define({
            name: p + name,
            dimension: info.dimension,
            factor: info.factor === undefined ? undefined : ratioMul(scale, info.factor),
            inexact: info.inexact,
          });
        }
        return;
      }
      if (core.kind === "apply" && (isCall(core, "__block__") || isCall(core, "for"))) {
        for (const a of core.args) if (isCall(a, "__block__")) a.args.forEach(visit);
        if (isCall(core, "__block__")) core.args.forEach(visit);
      }
    };
    items.forEach(visit);
  }

  private defineDerived(name: string, q: Node): MeasureInfo {
    const value = this.constantQuantity(q);
    if (value === undefined) {
      // Not a constant the checker can evaluate: a unit of unknown factor, its own dimension.
      const info: MeasureInfo = {
        name,
        dimension: new Map([[name, 1]]),
        factor: undefined,
        inexact: false,
      };
      this.units.define(info);
      return info;
    }
    const dimension = new Map<string, number>();
    for (const p of this.units.basePowers(value.units)) dimension.set(p.unit, p.exponent);
    const f = this.units.factorOf(value.units);
    const info: MeasureInfo = {
      name,
      dimension,
      factor: f === undefined ? undefined : ratioMul(value.magnitude, f.factor),
      inexact: value.inexact || (f?.inexact ?? false),
    };
    this.units.define(info);
    return info;
  }

  /** Evaluates the right side of a derived measure: `25.4 millimeter`, `1000 meter / 3600 second`. */
  private constantQuantity(
    q: Node,
  ): { magnitude: ReturnType<typeof ratio>; inexact: boolean; units: UnitPower[] } | undefined {
    if (q.kind === "literal") {
      if (q.value.type === "integer")
        return { magnitude: ratio(q.value.value), inexact: false, units: [] };
      if (q.value.type === "float")
        return { magnitude: decimalRatio(q.value.value), inexact: true, units: [] };
      return undefined;
    }
    if (q.kind === "ident") {
      const u = readUnits(q, this.units);
      return u === undefined ? undefined : { magnitude: ratio(1n), inexact: false, units: u };
    }
    if (q.kind !== "apply") return undefined;
    const head = headName(q);
    if ((head === "*" || head === "/") && q.args.length === 2) {
      const a = this.constantQuantity(q.args[0]!);
      const b = this.constantQuantity(q.args[1]!);
      if (a === undefined || b === undefined) return undefined;
      const sign = head === "*" ? 1 : -1;
      const units = mapPacked(a.units, (p) => ({ ...p }));
      for (const p of b.units) {
        const e = units.find((x) => x.unit === p.unit);
        if (e) e.exponent += sign * p.exponent;
        else units.push({ unit: p.unit, exponent: sign * p.exponent });
      }
      const magnitude =
        head === "*"
          ? ratioMul(a.magnitude, b.magnitude)
          : ratioMul(a.magnitude, ratio(b.magnitude.den, b.magnitude.num));
      return {
        magnitude,
        inexact: a.inexact || b.inexact,
        units: units.filter((p) => p.exponent !== 0),
      };
    }
    // (meter 25.4) or (25.4 meter)
    if (q.args.length === 1) {
      const [x, y] = [q.callee, q.args[0]!];
      const a = this.constantQuantity(x);
      const b = this.constantQuantity(y);
      if (a === undefined || b === undefined) return undefined;
      return {
        magnitude: ratioMul(a.magnitude, b.magnitude),
        inexact: a.inexact || b.inexact,
        units: [...a.units, ...b.units],
      };
    }
    return undefined;
  }

  /**
   * Declares the structs, enums, aliases, measures, macros, traits and effects of a block
   * (or the file) before its values are inferred, so that every item sees them.
   */
  declare(items: readonly Node[], env: Env, top: boolean): Env {
    const frame = new Map<string, Binding>();
    let scope = env;
    const cores = mapPacked(items, (n) => unwrapItem(n).core);
    for (const core of cores) {
      const m = isCall(core, "measure") ? core : definitionHead(core, "measure");
      if (m !== undefined && isIdent(m.args[0])) {
        frame.set(m.args[0].name, { kind: "measure", unit: m.args[0].name });
        for (const u of this.units.all()) {
          if (
            u.name.endsWith(m.args[0].name) &&
            u.name !== m.args[0].name &&
            SI_PREFIXES.has(u.name.slice(0, -m.args[0].name.length))
          ) {
            frame.set(u.name, { kind: "measure", unit: u.name });
          }
        }
      }
      const mac = definitionHead(core, "macro");
      if (mac !== undefined && isIdent(mac.args[0]))
        frame.set(mac.args[0].name, { kind: "macro", arity: mac.args.length - 1 });
    }
    scope = scope.with(frame);
    // Nominal types first (so that aliases and fields can mention them), then their fields.
    const pendingDecls: {
      kind: "struct" | "enum";
      fields: DeclaredField[];
      variants: VariantDecl[];
      node: Node & { kind: "apply" };
    }[] = [];
    const nominal = new Map<string, Binding>();
    for (const core of cores) {
      if (
        (isCall(core, "struct") || isCall(core, "enum")) &&
        core.args.length === 2 &&
        isIdent(core.args[0])
      ) {
        const fields: DeclaredField[] = [];
        const variants: VariantDecl[] = [];
        const name = core.args[0].name;
        const kind = isCall(core, "struct") ? "struct" : "enum";
        const decl: NominalDecl =
          kind === "struct"
            ? { kind, name, fields, span: core.span }
            : { kind, name, variants, span: core.span };
        nominal.set(name, { kind: "nominal", decl });
        pendingDecls.push({ kind, fields, variants, node: core });
      }
    }
    scope = scope.with(nominal);
    const aliases = new Map<string, Binding>();
    for (const core of cores) {
      const t = definitionHead(core, "type");
      if (t !== undefined && isIdent(t.args[0]) && core.kind === "apply") {
        aliases.set(t.args[0].name, {
          kind: "type",
          type: this.readTypeExpr(core.args[1]!, scope.with(aliases)),
        });
      }
    }
    scope = scope.with(aliases);
    for (const decl of pendingDecls) {
      const node = decl.node;
      const body = node.args[1]!;
      const entries = isCall(body, "__record__") ? body.args : [];
      if (decl.kind === "struct") {
        const fields = decl.fields;
        for (const entry of entries) {
          const f = fieldEntry(entry);
          if (f !== undefined) {
            fields.push({ name: f.name.name, type: this.readTypeExpr(f.type, scope) });
          } else
            this.report(
              catalogue.invalidForm(entry.span, "struct", "struct NAME { FIELD = TYPE, … }"),
            );
        }
      } else {
        const variants = decl.variants;
        for (const entry of entries) {
          if (isIdent(entry)) variants.push({ name: entry.name, payload: { kind: "none" } });
          else if (entry.kind === "apply" && isIdent(entry.callee) && entry.args.length === 1) {
            const payload = entry.args[0]!;
            if (isCall(payload, "__record__")) {
              const t = this.readTypeExpr(payload, scope);
              const r = resolve(t);
              variants.push({
                name: entry.callee.name,
                payload: { kind: "record", fields: r.kind === "record" ? r.fields : [] },
              });
            } else {
              variants.push({
                name: entry.callee.name,
                payload: { kind: "value", type: this.readTypeExpr(payload, scope) },
              });
            }
          } else
            this.report(
              catalogue.invalidForm(entry.span, "enum", "enum NAME { VARIANT, VARIANT TYPE, … }"),
            );
        }
      }
    }
    scope = declareTraitsAndEffects(this, cores, scope);
    for (const core of cores) {
      if (definitionHead(core, "use") !== undefined || isCall(core, "use"))
        scope = scope.with(this.inferUse(core, scope));
    }
    void top;
    return scope;
  }

  /**
   * Infers the items of a block or file in binding-group order. Returns the environment after
   * the last item (what follows the block sees at the top level) and the last item's type.
   */
  inferItems(items: readonly Node[], outer: Env, top: boolean): { env: Env; type: Type } {
    const infos = itemInfos(items);
    const index = new BlockIndex(infos);
    const slots = new Map<number, Map<string, Binding>>();
    const resolverAt =
      (i: number) =>
      (name: string): Binding | undefined => {
        const j = index.resolve(i, name);
        if (j === undefined) return undefined;
        const b = slots.get(j)?.get(name);
        if (b !== undefined) return b;
        if (infos[j]!.kind === "fn" || infos[j]!.kind === "let")
          return { kind: "pending", type: this.fresh() };
        return undefined;
      };
    const namesAt = (i: number) => (): string[] => {
      const out: string[] = [];
      for (let j = i - 1; j >= 0; j--)
        for (const n of infos[j]!.defines) if (!out.includes(n)) out.push(n);
      for (const info of infos)
        if (info.kind === "fn") for (const n of info.defines) if (!out.includes(n)) out.push(n);
      return out.filter((n) => slots.get(index.resolve(i, n) ?? -1)?.has(n));
    };
    const envAt = (i: number): Env => outer.withResolver(resolverAt(i), namesAt(i));
    const types = new Array<Type>(items.length).fill(UNIT);
    for (const group of bindingGroups(infos, index))
      this.inferBindingGroup(group, infos, envAt, slots, types, top);
    this.recordDefinitionsUnit(infos);
    // The environment after the block: every definition, last one winning.
    const frame = new Map<string, Binding>();
    infos.forEach((_, i) => {
      slots.get(i)?.forEach((b, n) => {
        frame.set(n, b);
      });
    });
    if (top)
      frame.forEach((b, name) => {
        if (b.kind === "value") this.schemes.set(name, b.scheme);
      });
    const last =
      infos.length === 0
        ? UNIT
        : infos[infos.length - 1]!.kind === "other"
          ? types[infos.length - 1]!
          : UNIT;
    return { env: outer.with(frame), type: last };
  }

  /** A group with functions (possibly mutually recursive with lets): one generalisation. */
  private inferGroup(
    group: readonly number[],
    infos: readonly ItemInfo[],
    envAt: (i: number) => Env,
    slots: Map<number, Map<string, Binding>>,
    types: Type[],
  ): void {
    this.level++;
    const placeholders = new Map<number, TypeVar>();
    const fnInfos = new Map<number, FunctionInfo>();
    for (const i of group) {
      const info = infos[i]!;
      if (info.kind === "fn") {
        const v = this.fresh();
        placeholders.set(i, v);
        const fnNode = definitionHead(info.core, "fn")!;
        const fn = this.fnInfo(fnNode);
        fnInfos.set(i, fn);
        slots.set(
          i,
          new Map([
            [
              info.defines[0]!,
              {
                kind: "value",
                scheme: monoScheme(v),
                user: true,
                fn,
                zeroArity: fnNode.args.length === 1,
              },
            ],
          ]),
        );
      }
    }
    const monoLets: Type[] = [];
    for (const i of group) {
      const info = infos[i]!;
      const env = envAt(i);
      if (info.kind === "fn") {
        const t = this.inferFnDefinition(info.core, env);
        this.expect(placeholders.get(i)!, t, info.core.span);
        types[i] = UNIT;
      } else if (info.kind === "let") {
        const frame = this.inferLet(info, env, true);
        slots.set(i, frame);
        for (const b of frame.values()) if (b.kind === "value") monoLets.push(b.scheme.type);
        types[i] = UNIT;
      } else {
        types[i] = this.inferStatement(info, env);
        monoLets.push(types[i]!);
      }
    }
    this.solve();
    this.level--;
    for (const t of monoLets) lowerTo(t, this.level);
    const fnIndexes = group.filter((i) => infos[i]!.kind === "fn");
    const joint = tupleType(mapPacked(fnIndexes, (i) => placeholders.get(i)!));
    this.pending = simplifyBounds(joint, this.level, this.pending);
    this.solve();
    const { scheme, remaining } = generalize(joint, this.level, this.pending);
    this.pending = remaining;
    for (const i of fnIndexes) {
      const info = infos[i]!;
      const fnNode = definitionHead(info.core, "fn")!;
      // One function: the joint scheme is its own (what `restrictScheme` would rebuild).
      const own =
        fnIndexes.length === 1
          ? { vars: scheme.vars, constraints: scheme.constraints, type: placeholders.get(i)! }
          : restrictScheme(scheme, placeholders.get(i)!);
      // The same frame object, its placeholder binding replaced.
      slots.get(i)!.set(info.defines[0]!, {
        kind: "value",
        scheme: own,
        user: true,
        fn: fnInfos.get(i)!,
        zeroArity: fnNode.args.length === 1,
        span: info.core.span,
      });
      if (isIdent(fnNode.args[0])) this.record(fnNode.args[0], own.type);
    }
  }

  private fnInfo(fnNode: Node & { kind: "apply" }): FunctionInfo {
    const name = isIdent(fnNode.args[0]) ? fnNode.args[0].name : "";
    return { name, params: fnNode.args.slice(1).map((p) => this.text(p)) };
  }

  /** An item that is neither `fn` nor `let`: an expression, an assignment, a declaration. */
  private inferStatement(info: ItemInfo, env: Env): Type {
    return this.inferExpr(info.node, env);
  }

  /** `let PATTERN = EXPR`: returns the bindings it makes. */
  inferLet(info: ItemInfo, env: Env, monomorphic: boolean): Map<string, Binding> {
    const core = info.core as Node & { kind: "apply" };
    const lhs = definitionHead(core, "let")!;
    const pattern = lhs.args[0]!;
    const rhs = core.args[1]!;
    const fallible = fallibleProblem(pattern, (n) => this.text(n), this.text(rhs));
    if (fallible !== undefined) {
      this.report(fallible);
      const out: PatternBinding[] = [];
      walkPattern({ ix: this, env, mode: "test", out }, pattern, UNKNOWN, rhs.span, rhs);
      return patternFrame(out.map((b) => ({ ...b, type: UNKNOWN })));
    }
    this.level++;
    let t = this.inferExpr(rhs, env);
    this.solve();
    this.level--;
    const simple = isIdent(pattern)
      ? pattern
      : isCall(pattern, ":") && isIdent(pattern.args[0])
        ? pattern.args[0]
        : undefined;
    const mutable = simple !== undefined && this.reassigned.has(simple.name);
    if (simple !== undefined && !monomorphic && !mutable && isSyntacticValue(rhs)) {
      if (isCall(pattern, ":")) {
        const annotated = this.readTypeExpr(pattern.args[1]!, env);
        this.expect(annotated, t, rhs.span);
        t = annotated;
      }
      this.pending = simplifyBounds(t, this.level, this.pending);
      this.solve();
      const { scheme, remaining } = generalize(t, this.level, this.pending);
      this.pending = remaining;
      this.record(simple, t);
      this.record(pattern, t);
      return new Map([[simple.name, { kind: "value", scheme, user: true, span: simple.span }]]);
    }
    lowerTo(t, this.level);
    if (mutable) t = this.widen(t);
    const out: PatternBinding[] = [];
    walkPattern({ ix: this, env, mode: "bind", out }, pattern, t, rhs.span, rhs);
    return patternFrame(out);
  }

  /**
   * The type of a variable that is reassigned later: concrete magnitudes become variables
   * bounded below by them (`Integer ≤ m`), so `total = total + 0.5` can widen `total`.
   */
  widen(t: Type): Type {
    const r = resolve(t);
    switch (r.kind) {
      case "quantity": {
        const m = resolve(r.magnitude);
        if (m.kind !== "num") return r;
        const v = this.fresh("num");
        this.constrain({
          kind: "join",
          args: [m, v],
          c: v,
          site: { span: { start: 0, end: 0 }, operator: "=" },
        });
        return { ...r, magnitude: v };
      }
      case "tuple":
        return { ...r, items: mapPacked(r.items, (x) => this.widen(x)) };
      case "record": {
        const flat = flattenRecord(r);
        if (flat.rest !== undefined) return r;
        return {
          ...r,
          fields: mapPacked(flat.fields, (f) => ({ name: f.name, type: this.widen(f.type) })),
        };
      }
      default:
        return r;
    }
  }

  /**
   * `sub` flows into a place of type `sup` (an assignment): like unification, except that a
   * narrower magnitude may flow into a wider one (`sub ≤ sup` in the tower).
   */
  subsume(sub: Type, sup: Type, span: Span): void {
    const s = resolve(sub);
    const p = resolve(sup);
    if (s.kind === "quantity" && p.kind === "quantity") {
      if (!unifyDimensions(p.dim, s.dim)) {
        this.reportFailure({ kind: "dimension", expected: p, found: s }, p, s, span);
        return;
      }
      this.constrain({
        kind: "join",
        args: [s.magnitude, p.magnitude],
        c: p.magnitude,
        site: { span, operator: "=" },
      });
      return;
    }
    if (s.kind === "quantity" && p.kind === "var" && p.varKind === "type") {
      // A number flowing into a place of unknown type: the place gets a magnitude of its own,
      // at least the number's, so that `List.fold xs 0 \acc x -> acc + x` over Floats works.
      const m = this.fresh("num");
      if (!this.tryUnify(p, quantity(m, s.dim, s.units, s.origin))) {
        this.expect(p, s, span);
        return;
      }
      this.constrain({ kind: "join", args: [s.magnitude, m], c: m, site: { span, operator: "=" } });
      return;
    }
    if (s.kind === "tuple" && p.kind === "tuple" && s.items.length === p.items.length) {
      s.items.forEach((x, i) => {
        this.subsume(x, p.items[i]!, span);
      });
      return;
    }
    if (s.kind === "record" && p.kind === "record") {
      const fs = flattenRecord(s);
      const fp = flattenRecord(p);
      if (
        fs.rest === undefined &&
        fp.rest === undefined &&
        fs.fields.length === fp.fields.length &&
        fs.fields.every((f) => fp.fields.some((g) => g.name === f.name))
      ) {
        for (const f of fs.fields)
          this.subsume(f.type, fp.fields.find((g) => g.name === f.name)!.type, span);
        return;
      }
    }
    this.expect(p, s, span);
  }

  /**
   * The type of two branches (`if`, `match`): magnitudes join across the tower (`if c then 1
   * else 2.5` is a Float), everything else must unify.
   */
  joinBranches(a: Type, b: Type, span: Span): Type {
    const x = resolve(a);
    const y = resolve(b);
    if (x.kind === "quantity" && y.kind === "quantity") {
      if (!unifyDimensions(x.dim, y.dim)) {
        this.reportFailure({ kind: "dimension", expected: x, found: y }, x, y, span);
        return x;
      }
      const m = this.fresh("num");
      this.constrain({
        kind: "join",
        args: [x.magnitude, y.magnitude],
        c: m,
        site: { span, operator: "if" },
      });
      const ux = knownUnits(x);
      const uy = knownUnits(y);
      const units =
        ux !== undefined && uy !== undefined && unitText(ux) === unitText(uy)
          ? ux
          : isDimensionless(x.dim)
            ? []
            : undefined;
      return quantity(m, x.dim, units);
    }
    if (x.kind === "tuple" && y.kind === "tuple" && x.items.length === y.items.length) {
      return tupleType(mapPacked(x.items, (t, i) => this.joinBranches(t, y.items[i]!, span)));
    }
    if (x.kind === "record" && y.kind === "record") {
      const fx = flattenRecord(x);
      const fy = flattenRecord(y);
      if (
        fx.rest === undefined &&
        fy.rest === undefined &&
        fx.fields.length === fy.fields.length &&
        fx.fields.every((f) => fy.fields.some((g) => g.name === f.name))
      ) {
        return recordType(
          mapPacked(fx.fields, (f) => ({
            name: f.name,
            type: this.joinBranches(f.type, fy.fields.find((g) => g.name === f.name)!.type, span),
          })),
        );
      }
    }
    this.expect(a, b, span);
    return a;
  }

  // ---------------------------------------------------------------------------------------
  // Definitions

  /** `fn NAME P… = BODY`: the function's type (the name is bound by the caller). */
  inferFnDefinition(core: Node, env: Env): Type {
    const def = core as Node & { kind: "apply" };
    const lhs = definitionHead(def, "fn")!;
    const params = lhs.args.slice(1);
    return this.inferFunction(params, def.args[1]!, env);
  }

  /** A function from parameter patterns and a body (also lambdas). */
  inferFunction(params: readonly Node[], body: Node, env: Env): Type {
    const out: PatternBinding[] = [];
    const paramTypes = mapPacked(params, (p) => {
      const t = this.fresh();
      walkPattern({ ix: this, env, mode: "bind", out }, p, t, p.span, undefined);
      return t;
    });
    const savedEffects = this.effects;
    const savedCalls = this.calls;
    this.effects = this.fresh("effect");
    this.calls = [];
    const result = this.inferExpr(body, env.with(patternFrame(out)));
    const fn = fnType(paramTypes, result, this.effects);
    this.effects = savedEffects;
    this.calls = savedCalls;
    return fn;
  }

  /** `use { A, B } = Name` / `use Name`: binds variants (or namespace members). */
  inferUse(core: Node, env: Env): Map<string, Binding> {
    const frame = new Map<string, Binding>();
    const selective = isCall(core, "=");
    const sourceNode = selective
      ? (core as Node & { kind: "apply" }).args[1]!
      : (core as Node & { kind: "apply" }).args[0]!;
    const wanted: { name: string; span: Span }[] = [];
    if (selective) {
      const list = definitionHead(core, "use")!.args[0];
      if (isCall(list, "__record__"))
        for (const a of list.args) if (isIdent(a)) wanted.push({ name: a.name, span: a.span });
    }
    if (!isIdent(sourceNode)) return frame;
    const owner = env.lookup(sourceNode.name);
    if (owner?.kind === "nominal" && owner.decl.kind === "enum") {
      const decl = owner.decl;
      const names = decl.variants.map((v) => v.name);
      const list = selective ? wanted : names.map((name) => ({ name, span: sourceNode.span }));
      for (const w of list) {
        const variant = decl.variants.find((v) => v.name === w.name);
        if (variant === undefined) {
          this.report(catalogue.fieldNotFound(w.span, w.name, names, false));
          continue;
        }
        frame.set(w.name, { kind: "variant", decl, variant });
      }
    } else if (owner?.kind === "namespace") {
      const names = [...owner.members.keys()];
      const list = selective ? wanted : names.map((name) => ({ name, span: sourceNode.span }));
      for (const w of list) {
        const s = owner.members.get(w.name);
        if (s === undefined) this.report(catalogue.fieldNotFound(w.span, w.name, names, false));
        else frame.set(w.name, { kind: "value", scheme: s, user: false });
      }
    } else if (owner === undefined) {
      this.undefinedName(sourceNode.name, sourceNode.span, env);
    }
    return frame;
  }

  // ---------------------------------------------------------------------------------------
  // Expressions

  /** Infers an expression and records its type. */
  inferExpr(node: Node, env: Env): Type {
    const t = this.inferNode(node, env);
    this.record(node, t);
    return t;
  }

  private inferNode(node: Node, env: Env): Type {
    switch (node.kind) {
      case "error":
        return UNKNOWN;
      case "literal":
        return this.literalType(node);
      case "ident":
        return this.inferIdent(node, env);
      case "apply":
        return this.inferApply(node, env);
      default:
        // Trees from the evaluator's expansions may hold value nodes the parser never makes:
        // their type is whatever the evaluator computed, which the checker cannot see.
        return UNKNOWN;
    }
  }

  /** Reports an unknown name with the catalogue's suggestion. */
  undefinedName(name: string, span: Span, env: Env): void {
    if (this.opaque) return;
    const best = closestName(name, env.userNames());
    this.report(
      catalogue.undefinedVariable(
        name,
        span,
        best === undefined ? { kind: "none" } : { kind: "suggestion", name: best },
      ),
    );
  }

  /** The type of a use of a binding (instantiating schemes, calling zero-parameter functions). */
  bindingType(b: Binding, name: string, span: Span): Type {
    switch (b.kind) {
      case "value": {
        // A monomorphic binding (a parameter, a local) is its type: nothing to instantiate.
        let type = b.scheme.type;
        if (b.scheme.vars.length > 0) {
          const inst = instantiate(b.scheme, this.level, { span, via: name });
          for (const c of inst.constraints) this.constrain(c);
          type = inst.type;
        }
        if (b.zeroArity) {
          const f = resolve(type);
          if (f.kind === "fn") {
            this.performs(f.effects, span, name);
            return f.result;
          }
          // Still being inferred (recursive use): the result of calling it.
          const result = this.fresh();
          this.expect(type, fnType([], result, this.effects), span);
          return result;
        }
        return type;
      }
      case "operator": {
        const inst = instantiate(b.scheme, this.level, { span, via: name });
        for (const c of inst.constraints) this.constrain(c);
        return inst.type;
      }
      case "pending":
        return b.type;
      case "measure":
        return MEASURE;
      case "type":
        return TYPE;
      case "nominal":
        return b.decl.kind === "enum" ? MODULE : TYPE;
      case "variant":
        return this.variantValue(b.decl, b.variant, span);
      case "namespace":
        return b.type !== undefined ? TYPE : MODULE;
      case "macro":
        return b.arity === 0 ? UNKNOWN : MACRO_TYPE;
      case "form":
        return FORM_TYPE;
    }
  }

  private inferIdent(node: Node & { kind: "ident" }, env: Env): Type {
    const b = env.lookup(node.name);
    if (b === undefined) {
      this.undefinedName(node.name, node.span, env);
      return UNKNOWN;
    }
    return this.bindingType(b, node.name, node.span);
  }

  /** A variant used as a value: the enum value itself, or its constructor function. */
  variantValue(decl: NominalDecl & { kind: "enum" }, variant: VariantDecl, span: Span): Type {
    const result = namedType(decl, span);
    const p = variant.payload;
    if (p.kind === "none") return result;
    const param =
      p.kind === "value"
        ? p.type
        : recordType(p.fields.map((f) => ({ name: f.name, type: f.type })));
    return fnType([param], result, this.fresh("effect"));
  }

  /** Notes that the current code performs the effects of a callee. */
  performs(effects: Type, span: Span, name: string | undefined): void {
    const failure = unify(this.effects, effects);
    if (failure !== undefined) {
      // The current context is closed (inside a handler's scope): report the effect.
      const r = resolve(effects);
      const label = r.kind === "effects" ? flattenEffects(r).labels[0] : undefined;
      if (label !== undefined) this.report(unhandledEffect(span, label, name));
      return;
    }
    this.calls.push({ span, effects, name });
  }

  /** After a top-level item: effects that reached the top level are unhandled. */
  private checkEffects(): void {
    const r = resolve(this.effects);
    if (r.kind !== "effects") return;
    const { labels } = flattenEffects(r);
    for (const label of labels) {
      const call = this.calls.find((c) => {
        const e = resolve(c.effects);
        return e.kind === "effects" && flattenEffects(e).labels.includes(label);
      });
      if (call !== undefined) this.report(unhandledEffect(call.span, label, call.name));
    }
  }

  private inferApply(node: Node & { kind: "apply" }, env: Env): Type {
    const callee = node.callee;
    const args = node.args;
    if (isIdent(callee)) {
      const b = env.lookup(callee.name);
      if (b?.kind === "form") {
        this.record(callee, FORM_TYPE);
        return this.inferForm(callee.name, node, env);
      }
      if (b?.kind === "operator") {
        // The dedicated rules of binary operators and of unary `-`, `*`, `!` and `~` do not
        // read the operator's own type.
        if (
          args.length === 2 ||
          (args.length === 1 &&
            (callee.name === "-" ||
              callee.name === "*" ||
              callee.name === "!" ||
              callee.name === "~"))
        )
          this.recordOperator(callee, b.scheme, callee.name);
        else {
          const f = this.bindingType(b, callee.name, callee.span);
          this.record(callee, f);
          return this.inferOperator(callee.name, node, env, f);
        }
        return this.inferOperator(callee.name, node, env, UNKNOWN);
      }
      if (b?.kind === "measure") {
        this.record(callee, MEASURE);
        return this.applyUnit(b.unit, args, node, env);
      }
      if (b?.kind === "nominal" && b.decl.kind === "struct" && args.length === 1) {
        this.record(callee, TYPE);
        return this.constructWithFields(
          b.decl.fields,
          "struct",
          b.decl.name,
          args[0]!,
          env,
          namedType(b.decl, node.span),
        );
      }
      if (b?.kind === "variant" && args.length === 1) {
        return this.constructVariant(b.decl, b.variant, args[0]!, env, node.span);
      }
      if (b?.kind === "macro") {
        // The checker cannot expand macros; the evaluator's expansions can be passed instead.
        return UNKNOWN;
      }
    }
    // `q.Point { … }` and `q.meter` applied: a declaration of an imported module.
    const declared = this.moduleDeclaration(callee, env);
    if (declared?.kind === "nominal" && declared.decl.kind === "struct" && args.length === 1) {
      this.record(callee, TYPE);
      return this.constructWithFields(
        declared.decl.fields,
        "struct",
        declared.decl.name,
        args[0]!,
        env,
        namedType(declared.decl, node.span),
      );
    }
    if (declared?.kind === "measure") {
      this.record(callee, MEASURE);
      return this.applyUnit(declared.unit, args, node, env);
    }
    if (
      isCall(callee, ".") &&
      callee.args.length === 2 &&
      (isIdent(callee.args[0]) || this.moduleDeclaration(callee.args[0]!, env) !== undefined) &&
      isIdent(callee.args[1])
    ) {
      const owner = this.staticBinding(callee.args[0]!, env);
      if (owner?.kind === "nominal" && owner.decl.kind === "enum" && args.length === 1) {
        const variant = owner.decl.variants.find(
          (v) => v.name === (callee.args[1] as { name: string }).name,
        );
        if (variant !== undefined) {
          this.record(callee, this.variantValue(owner.decl, variant, callee.span));
          return this.constructVariant(owner.decl, variant, args[0]!, env, node.span);
        }
      }
      if (owner?.kind === "namespace" && owner.origin === "library" && owner.name === "Record") {
        const special = this.recordIntrinsic(callee.args[1].name, node, env);
        if (special !== undefined) return special;
      }
    }
    // A number applied to a unit: `10 meter`, `25.4 millimeter` (D7).
    if (args.length === 1) {
      const u = this.staticBinding(args[0]!, env);
      if (u?.kind === "measure") {
        const magnitude = this.inferExpr(callee, env);
        this.record(args[0]!, MEASURE);
        return this.scaleByUnit(magnitude, u.unit, node.span, callee.span);
      }
    }
    const f = this.inferExpr(callee, env);
    const argTypes = mapPacked(args, (a) => this.inferExpr(a, env));
    const b = isIdent(callee) ? env.lookup(callee.name) : undefined;
    return this.applyFunction(
      f,
      argTypes,
      args,
      node,
      callee,
      b?.kind === "value" ? b.fn : undefined,
    );
  }

  /**
   * Applies a function type to arguments: exact arity (`arity mismatch` on the callee), each
   * argument checked against its parameter (`type mismatch` on the argument), the callee's
   * effects added to the current ones.
   */
  applyFunction(
    f0: Type,
    argTypes: readonly Type[],
    args: readonly Node[],
    node: Node,
    callee: Node,
    info?: FunctionInfo,
  ): Type {
    let f = resolve(f0);
    if (f.kind === "var") {
      this.solve();
      f = resolve(f0);
    }
    if (f.kind === "unknown") return UNKNOWN;
    if (f.kind === "var") {
      const params = mapPacked(argTypes, () => this.fresh());
      const result = this.fresh();
      this.expect(f, fnType(params, result, this.effects), callee.span);
      f = resolve(f0);
    }
    if (f.kind !== "fn") {
      const [t] = this.render(f);
      this.report(catalogue.notCallable(callee.span, t!));
      return UNKNOWN;
    }
    const name = isIdent(callee)
      ? callee.name
      : isCall(callee, ".") && isIdent(callee.args[1])
        ? this.text(callee)
        : undefined;
    if (f.params.length !== argTypes.length) {
      this.report(
        arityMismatch(callee.span, info?.name, info?.params, f.params.length, argTypes.length),
      );
      return UNKNOWN;
    }
    // Arguments flow into parameters: a narrower number may go where a wider one is expected
    // (the evaluator promotes at the operation), everything else must match.
    f.params.forEach((p, i) => {
      this.subsume(argTypes[i]!, p, args[i]!.span);
    });
    this.performs(f.effects, node.span, name);
    return f.result;
  }

  private inferForm(name: string, node: Node & { kind: "apply" }, env: Env): Type {
    const args = node.args;
    switch (name) {
      case "=":
        return this.inferEquals(node, env);
      case "__block__": {
        const inner = this.declare(args, env, false);
        return this.inferItems(args, inner, false).type;
      }
      case "__list__":
        return this.inferList(node, env);
      case "__tuple__":
        return tupleType(
          mapPacked(args, (a) => this.inferExpr(a, env)),
          node.span,
        );
      case "__record__":
        return this.inferRecord(node, env);
      case "__index__": {
        if (args.length !== 2) return UNKNOWN;
        const xs = this.inferExpr(args[0]!, env);
        const i = this.inferExpr(args[1]!, env);
        const element = this.fresh();
        const r = resolve(xs);
        if (r.kind !== "unknown" && unify(listType(element), xs) !== undefined) {
          const [t] = this.render(xs);
          this.report(catalogue.typeMismatch(args[0]!.span, `expected a list, found ${t}`));
          return UNKNOWN;
        }
        this.expect(numberType("Integer"), i, args[1]!.span);
        return element;
      }
      case ".":
        return this.inferDot(node, env);
      case "->":
        if (isCall(args[0], "\\") && args.length === 2)
          return this.inferFunction(args[0].args, args[1]!, env);
        return UNKNOWN;
      case "|>":
        return this.inferPipe(node, env);
      case "if":
        return this.inferIf(node, env);
      case "match":
        return this.inferMatch(node, env);
      case "&&":
      case "||":
        for (const a of args) this.expect(BOOL, this.inferExpr(a, env), a.span);
        return BOOL;
      case "typeof": {
        if (args.length !== 1) return TYPE;
        const t = this.inferExpr(args[0]!, env);
        if (this.recording) this.typeofTable.set(node, t);
        return TYPE;
      }
      case "docof":
        return SYNTAX;
      case "assert":
        if (args.length >= 1) this.expect(BOOL, this.inferExpr(args[0]!, env), args[0]!.span);
        for (const a of args.slice(1)) this.inferExpr(a, env);
        return UNIT;
      case "quote":
        for (const a of args) this.inferUnquotes(a, env);
        return SYNTAX;
      case "__unquote__":
        for (const a of args) this.inferExpr(a, env);
        return UNKNOWN;
      case "__interpolate__":
        for (const a of args) this.inferExpr(a, env);
        return STRING;
      case "__symbol__":
        for (const a of args) this.inferExpr(a, env);
        return SYMBOL;
      case "@":
      case "__doc__":
        return args.length === 2 ? this.inferExpr(args[1]!, env) : UNKNOWN;
      case ":": {
        if (args.length !== 2) return UNKNOWN;
        const t = this.inferExpr(args[0]!, env);
        const annotated = this.readTypeExpr(args[1]!, env);
        this.expect(annotated, t, args[0]!.span);
        return annotated;
      }
      case "for":
        return this.inferFor(node, env);
      case "let":
      case "fn":
      case "type":
      case "use":
      case "macro":
      case "measure":
      case "struct":
      case "enum":
      case "trait":
      case "effect":
        return UNIT;
      case "impl":
        return UNIT;
      // What an import binds is resolved by the module system (the driver hands it in).
      case "import":
        return UNIT;
      case "handle":
        return inferHandle(this, node, env);
      default:
        if (name.endsWith("=") && args.length === 2)
          return this.inferCompoundAssign(name.slice(0, -1), node, env);
        return UNKNOWN;
    }
  }

  private inferUnquotes(n: Node, env: Env): void {
    if (n.kind !== "apply") return;
    if (isCall(n, "__unquote__")) {
      for (const a of n.args) {
        const inner = isCall(a, "...") && a.args.length === 1 ? a.args[0]! : a;
        this.inferExpr(inner, env);
      }
      return;
    }
    if (isCall(n, "quote")) return;
    this.inferUnquotes(n.callee, env);
    for (const a of n.args) this.inferUnquotes(a, env);
  }

  /** `=`: definitions (by re-dispatch), reassignment, field and element assignment. */
  private inferEquals(node: Node & { kind: "apply" }, env: Env): Type {
    const [lhs, rhs] = node.args;
    if (lhs === undefined || rhs === undefined) return UNKNOWN;
    const head = lhs.kind === "apply" ? headName(lhs) : undefined;
    if (head !== undefined) {
      const b = env.lookup(head);
      if (b?.kind === "form") {
        switch (head) {
          case "let": {
            // A `let` outside a block item position (rare): bind nothing further.
            const info: ItemInfo = { node, core: node, kind: "let", defines: [] };
            this.inferLet(info, env, false);
            return UNIT;
          }
          case "fn": {
            this.inferFnDefinition(node, env);
            return UNIT;
          }
          case "quote":
            this.inferUnquotes(node, env);
            return SYNTAX;
          case "impl":
            inferImpl(this, node, env);
            return UNIT;
          case "type":
          case "measure":
          case "macro":
          case "use":
          case "trait":
          case "effect":
            return UNIT;
          case ".":
            return this.inferFieldAssign(lhs as Node & { kind: "apply" }, rhs, env);
          case "__index__": {
            const [xs, i] = (lhs as Node & { kind: "apply" }).args;
            if (xs === undefined || i === undefined) return UNIT;
            const lt = this.inferExpr(xs, env);
            this.expect(numberType("Integer"), this.inferExpr(i, env), i.span);
            const element = this.fresh();
            if (unify(listType(element), lt) === undefined)
              this.expect(element, this.inferExpr(rhs, env), rhs.span);
            else this.inferExpr(rhs, env);
            return UNIT;
          }
          default:
            break;
        }
      }
    }
    if (isIdent(lhs)) {
      const b = env.lookup(lhs.name);
      const value = this.inferExpr(rhs, env);
      if (b === undefined || b.kind !== "value") {
        if (b === undefined) {
          this.report(
            catalogue.undefinedVariable(lhs.name, lhs.span, {
              kind: "reassignment",
              rhs: this.text(rhs),
            }),
          );
        }
        return UNIT;
      }
      const target = instantiate(b.scheme, this.level).type;
      this.record(lhs, target);
      this.subsume(value, target, rhs.span);
      return UNIT;
    }
    this.inferExpr(rhs, env);
    return UNIT;
  }

  /** `x += v` and friends: `x = x op v`. */
  private inferCompoundAssign(op: string, node: Node & { kind: "apply" }, env: Env): Type {
    const [target, value] = node.args as [Node, Node];
    const current = this.inferExpr(target, env);
    const v = this.inferExpr(value, env);
    const site: Site = { span: node.span, operator: op, left: target.span, right: value.span };
    const result =
      op === "**"
        ? typePower(this, current, v, value, site)
        : OPERATORS.has(op)
          ? typeArithmetic(this, op, current, v, site)
          : UNKNOWN;
    if (isIdent(target)) this.subsume(result, current, node.span);
    else this.expect(current, result, node.span);
    return UNIT;
  }

  private inferFieldAssign(lhs: Node & { kind: "apply" }, rhs: Node, env: Env): Type {
    const [receiver, field] = lhs.args;
    const value = this.inferExpr(rhs, env);
    if (receiver === undefined || !isIdent(field)) return UNIT;
    const fieldType = this.fieldAccess(receiver, field, env, true);
    this.record(lhs, fieldType);
    this.expect(fieldType, value, rhs.span);
    return UNIT;
  }

  private inferList(node: Node & { kind: "apply" }, env: Env): Type {
    let element: Type | undefined;
    let first: Type | undefined;
    let reported = false;
    for (const a of node.args) {
      if (isCall(a, "...") && a.args.length === 1) {
        const spread = this.inferExpr(a.args[0]!, env);
        const e = element ?? this.fresh();
        this.expect(listType(e), spread, a.args[0]!.span);
        element ??= e;
        continue;
      }
      const t = this.inferExpr(a, env);
      if (element === undefined) {
        element = t;
        first = t;
        continue;
      }
      const failure = unify(element, t);
      if (failure !== undefined && !reported) {
        // The evaluator stops at the first offending element: one mistake, one diagnostic.
        reported = true;
        const [et, ft] = this.render(first ?? element, t);
        this.report(catalogue.listElementType(a.span, et!, ft!));
      }
    }
    return listType(element ?? this.fresh(), node.span);
  }

  private inferRecord(node: Node & { kind: "apply" }, env: Env): Type {
    const fields: Field[] = [];
    let rest: Type | undefined;
    const put = (name: string, type: Type): void => {
      const i = fields.findIndex((f) => f.name === name);
      if (i >= 0) fields[i] = { name, type };
      else fields.push({ name, type });
    };
    // Spreads of records whose other fields are not known yet (open rows). With one such
    // spread before any explicit field, the result's unknown fields are the spread's: reading
    // one requires it of the spread value (as `p.x` does). Otherwise they are left open.
    let openSpreads = 0;
    let spreadTail: Type | undefined;
    for (const [index, entry] of node.args.entries()) {
      if (isCall(entry, "=") && entry.args.length === 2 && isIdent(entry.args[0])) {
        const t = this.inferExpr(entry.args[1]!, env);
        this.record(entry.args[0], t);
        put(entry.args[0].name, t);
      } else if (isIdent(entry)) {
        put(entry.name, this.inferExpr(entry, env));
      } else if (isCall(entry, "...") && entry.args.length === 1) {
        let t = resolve(this.inferExpr(entry.args[0]!, env));
        if (t.kind === "var" && t.varKind === "type") {
          // Only a record (or a struct) can be spread: at least an open record.
          const open = recordType([], this.fresh("row"), entry.args[0]!.span);
          if (unify(open, t) === undefined) t = resolve(t);
        }
        if (t.kind === "record") {
          const flat = flattenRecord(t);
          for (const f of flat.fields) put(f.name, f.type);
          if (flat.rest !== undefined) {
            const tail = resolve(flat.rest);
            if (tail.kind === "unknown") rest = UNKNOWN;
            else if (openSpreads++ === 0 && index === 0) spreadTail = tail;
          }
        } else if (t.kind === "named" && t.decl.kind === "struct") {
          for (const f of t.decl.fields) put(f.name, f.type);
        } else if (t.kind === "unknown") {
          rest = UNKNOWN;
        } else {
          const [tt] = this.render(t);
          this.report(catalogue.expectedFound(entry.args[0]!.span, "a record", tt!));
        }
      } else if (isCall(entry, ":") && entry.args.length === 2 && isIdent(entry.args[0])) {
        put(entry.args[0].name, this.inferExpr(entry, env));
      } else {
        this.inferExpr(entry, env);
      }
    }
    if (rest === undefined && openSpreads > 0)
      rest = openSpreads === 1 && spreadTail !== undefined ? spreadTail : this.fresh("row");
    return recordType(fields, rest, node.span);
  }

  /**
   * What a name written as an identifier, or as `q.Name` on an imported module's alias,
   * refers to statically (undefined for anything else).
   */
  private staticBinding(node: Node, env: Env): Binding | undefined {
    return isIdent(node) ? env.lookup(node.name) : this.moduleDeclaration(node, env);
  }

  /** `q.Name` where `q` is an imported module and `Name` one of its exported declarations. */
  private moduleDeclaration(node: Node, env: Env): Binding | undefined {
    if (!isCall(node, ".") || node.args.length !== 2) return undefined;
    const [q, name] = node.args;
    if (!isIdent(q) || !isIdent(name)) return undefined;
    const owner = env.lookup(q.name);
    if (owner?.kind !== "namespace" || owner.origin !== "module") return undefined;
    return owner.declared?.get(name.name);
  }

  /** `recv.name`: namespace members, enum variants, or a field of a record or struct. */
  private inferDot(node: Node & { kind: "apply" }, env: Env): Type {
    const [receiver, field] = node.args;
    if (receiver === undefined || field === undefined) return UNKNOWN;
    if (!isIdent(field)) {
      this.inferExpr(receiver, env);
      return UNKNOWN;
    }
    const declaredReceiver = this.moduleDeclaration(receiver, env);
    if (isIdent(receiver) || declaredReceiver !== undefined) {
      const owner = declaredReceiver ?? env.lookup((receiver as { name: string }).name);
      if (owner?.kind === "namespace") {
        this.record(receiver, MODULE);
        const member = owner.members.get(field.name);
        const declaration = member === undefined ? owner.declared?.get(field.name) : undefined;
        if (declaration !== undefined) return this.bindingType(declaration, field.name, node.span);
        if (member === undefined) {
          this.report(
            owner.origin === "module" && owner.macros?.includes(field.name)
              ? macroThroughAlias(this.source.name, field.span, field.name, owner.name)
              : owner.origin === "module"
                ? missingExport(
                    this.source.name,
                    field.span,
                    field.name,
                    owner.name,
                    [...owner.members.keys()],
                    owner.hidden ?? [],
                  )
                : catalogue.fieldNotFound(field.span, field.name, [...owner.members.keys()], false),
          );
          return UNKNOWN;
        }
        const inst = instantiate(member, this.level, {
          span: node.span,
          via: `${owner.name}.${field.name}`,
        });
        for (const c of inst.constraints) this.constrain(c);
        return inst.type;
      }
      if (owner?.kind === "nominal" && owner.decl.kind === "enum") {
        this.record(receiver, MODULE);
        const variant = owner.decl.variants.find((v) => v.name === field.name);
        if (variant === undefined) {
          this.report(
            catalogue.fieldNotFound(
              field.span,
              field.name,
              owner.decl.variants.map((v) => v.name),
              false,
            ),
          );
          return UNKNOWN;
        }
        return this.variantValue(owner.decl, variant, node.span);
      }
    }
    return this.fieldAccess(receiver, field, env, false);
  }

  /** The type of field `field` of `receiver` (reads and assignments). */
  private fieldAccess(
    receiver: Node,
    field: Node & { kind: "ident" },
    env: Env,
    assignment: boolean,
  ): Type {
    const t = this.inferExpr(receiver, env);
    let r = resolve(t);
    if (r.kind === "var") {
      this.solve();
      r = resolve(t);
    }
    if (r.kind === "unknown") return UNKNOWN;
    if (r.kind === "record") {
      const flat = flattenRecord(r);
      const found = flat.fields.find((f) => f.name === field.name);
      if (found !== undefined) return found.type;
      if (flat.rest === undefined) {
        this.report(
          catalogue.fieldNotFound(
            field.span,
            field.name,
            flat.fields.map((f) => f.name),
            assignment,
          ),
        );
        return UNKNOWN;
      }
    }
    if (r.kind === "named") {
      if (r.decl.kind === "struct") {
        const found = r.decl.fields.find((f) => f.name === field.name);
        if (found !== undefined) return found.type;
        this.report(
          catalogue.fieldNotFound(
            field.span,
            field.name,
            r.decl.fields.map((f) => f.name),
            assignment,
          ),
        );
        return UNKNOWN;
      }
    }
    if (r.kind === "var" || r.kind === "record") {
      // Row polymorphism: the receiver is some record with at least this field.
      const v = this.fresh();
      const open = recordType([{ name: field.name, type: v }], this.fresh("row"), field.span);
      const failure = unify(open, t);
      if (failure === undefined) return v;
    }
    const [tt] = this.render(t);
    this.report(catalogue.noFields(receiver.span, tt!));
    return UNKNOWN;
  }

  private inferPipe(node: Node & { kind: "apply" }, env: Env): Type {
    const [value, target] = node.args;
    if (value === undefined || target === undefined) return UNKNOWN;
    if (target.kind === "apply" && !isCall(target, "->") && !isCall(target, "|>")) {
      const calleeBinding = isIdent(target.callee) ? env.lookup(target.callee.name) : undefined;
      if (calleeBinding?.kind !== "form") {
        const call: Node = {
          kind: "apply",
          callee: target.callee,
          args: [value, ...target.args],
          span: node.span,
        };
        return this.inferExpr(call, env);
      }
    }
    const call: Node = { kind: "apply", callee: target, args: [value], span: node.span };
    return this.inferExpr(call, env);
  }

  private inferIf(node: Node & { kind: "apply" }, env: Env): Type {
    const [cond, then, otherwise] = node.args;
    if (cond === undefined || then === undefined) return UNKNOWN;
    this.expect(BOOL, this.inferExpr(cond, env), cond.span);
    const a = this.inferExpr(then, env);
    if (otherwise === undefined) {
      return typesEqual(a, UNIT) ? UNIT : UNKNOWN;
    }
    const b = this.inferExpr(otherwise, env);
    return this.joinBranches(a, b, otherwise.span);
  }

  private inferMatch(node: Node & { kind: "apply" }, env: Env): Type {
    const [scrutinee, ...rest] = node.args;
    if (scrutinee === undefined) return UNKNOWN;
    const s = this.inferExpr(scrutinee, env);
    const arms = rest.length === 1 && isCall(rest[0], "__block__") ? rest[0].args : rest;
    let result: Type | undefined;
    for (const arm of arms) {
      if (!(isCall(arm, "=>") && arm.args.length === 2)) continue;
      const out: PatternBinding[] = [];
      walkPattern({ ix: this, env, mode: "test", out }, arm.args[0]!, s, scrutinee.span, undefined);
      const t = this.inferExpr(arm.args[1]!, env.with(patternFrame(out)));
      result = result === undefined ? t : this.joinBranches(result, t, arm.args[1]!.span);
    }
    return result ?? this.fresh();
  }

  private inferFor(node: Node & { kind: "apply" }, env: Env): Type {
    // (for PATTERN in LIST BODY)
    if (node.args.length !== 4 || !isIdent(node.args[1], "in")) {
      for (const a of node.args) if (a.kind === "apply") this.inferExpr(a, env);
      return UNIT;
    }
    const [pattern, , list, body] = node.args as [Node, Node, Node, Node];
    const lt = this.inferExpr(list, env);
    const element = this.fresh();
    this.expect(listType(element), lt, list.span);
    const out: PatternBinding[] = [];
    walkPattern({ ix: this, env, mode: "bind", out }, pattern, element, list.span, undefined);
    this.inferExpr(body, env.with(patternFrame(out)));
    return UNIT;
  }

  // ---------------------------------------------------------------------------------------
  // Operators, units, constructors

  /** An operator application; `f` is the operator's own type (read by no dedicated rule). */
  private inferOperator(op: string, node: Node & { kind: "apply" }, env: Env, f: Type): Type {
    const args = node.args;
    if (args.length === 1) {
      const t = this.inferExpr(args[0]!, env);
      switch (op) {
        case "-": {
          const q = this.asQuantity(t);
          if (q === undefined) {
            const [tt] = this.render(t);
            this.report(catalogue.cannotApply(node.span, "-", [tt!]));
            return UNKNOWN;
          }
          return q;
        }
        case "*":
          return t;
        case "!":
          if (!this.tryUnify(BOOL, t)) {
            const [tt] = this.render(t);
            this.report(catalogue.cannotApply(node.span, "!", [tt!]));
          }
          return BOOL;
        case "~":
          if (!this.tryUnify(numberType("Integer"), t)) {
            const [tt] = this.render(t);
            this.report(catalogue.cannotApply(node.span, "~", [tt!]));
          }
          return numberType("Integer");
        default: {
          return this.applyFunction(f, [t], args, node, node.callee);
        }
      }
    }
    if (args.length !== 2) {
      return this.applyFunction(
        f,
        mapPacked(args, (a) => this.inferExpr(a, env)),
        args,
        node,
        node.callee,
      );
    }
    const [l, r] = args as [Node, Node];
    const left = this.inferExpr(l, env);
    const right = this.inferExpr(r, env);
    const site: Site = { span: node.span, operator: op, left: l.span, right: r.span };
    if (op === "**") return typePower(this, left, right, r, site);
    return typeArithmetic(this, op, left, right, site);
  }

  /** Unifies without reporting. */
  tryUnify(a: Type, b: Type): boolean {
    return unify(a, b) === undefined;
  }

  /** The quantity view of a numeric type (a variable becomes an unknown quantity). */
  asQuantity(t: Type): (Type & { kind: "quantity" }) | undefined {
    const r = resolve(t);
    if (r.kind === "quantity") return r;
    if (r.kind === "var" && r.varKind === "type") {
      const q = quantity(this.fresh("num"), this.fresh("dim"), undefined);
      return unify(r, q) === undefined ? q : undefined;
    }
    return undefined;
  }

  /** `meter 10`, `meter (w * h)`: a number given a unit. */
  private applyUnit(unit: string, args: readonly Node[], node: Node, env: Env): Type {
    if (args.length !== 1) {
      for (const a of args) this.inferExpr(a, env);
      this.report(arityMismatch(node.span, unit, undefined, 1, args.length));
      return UNKNOWN;
    }
    const magnitude = this.inferExpr(args[0]!, env);
    return this.scaleByUnit(magnitude, unit, node.span, args[0]!.span);
  }

  private scaleByUnit(magnitude: Type, unit: string, span: Span, valueSpan: Span): Type {
    const q = this.asQuantity(magnitude);
    if (q === undefined) {
      const [t] = this.render(magnitude);
      this.report(catalogue.expectedFound(valueSpan, "a number", t!));
      return UNKNOWN;
    }
    const unitPower: UnitPower = { unit, exponent: 1 };
    const base = knownUnits(q);
    const units = base === undefined ? undefined : combineUnitLists(base, [unitPower]);
    const dim = this.units.has(unit) ? this.units.dimensionOf([unitPower]) : baseDimension(unit);
    return quantity(q.magnitude, mulDimensions(q.dim, dim), units, span);
  }

  /** Struct construction and record variants: the catalogue's field checks. */
  private constructWithFields(
    declared: readonly DeclaredField[],
    ownerKind: "struct" | "variant",
    ownerName: string,
    arg: Node,
    env: Env,
    result: Type,
  ): Type {
    const names = declared.map((f) => f.name);
    if (!isCall(arg, "__record__")) {
      const t = this.inferExpr(arg, env);
      this.expect(
        recordType(mapPacked(declared, (f) => ({ name: f.name, type: f.type }))),
        t,
        arg.span,
      );
      return result;
    }
    const given = new Map<string, { name: Node; value: Node }>();
    for (const entry of arg.args) {
      if (isCall(entry, "=") && entry.args.length === 2 && isIdent(entry.args[0]))
        given.set(entry.args[0].name, { name: entry.args[0], value: entry.args[1]! });
      else if (isIdent(entry)) given.set(entry.name, { name: entry, value: entry });
    }
    const valueTypes = new Map<string, Type>();
    for (const [name, g] of given) {
      const t = this.inferExpr(g.value, env);
      valueTypes.set(name, t);
      if (g.name !== g.value) this.record(g.name, t);
    }
    this.record(arg, recordType([...valueTypes].map(([name, type]) => ({ name, type }))));
    const missing = names.find((n) => !given.has(n));
    if (missing !== undefined) {
      this.report(
        catalogue.missingStructField(arg.span, `${ownerKind} ${ownerName}`, missing, names),
      );
      return result;
    }
    for (const [name, g] of given) {
      if (!names.includes(name)) {
        this.report(catalogue.unknownStructField(g.name.span, ownerKind, ownerName, name, names));
        return result;
      }
    }
    for (const f of declared) {
      const t = valueTypes.get(f.name)!;
      const failure = unify(f.type, t);
      if (failure !== undefined) {
        const [et, ft] = this.render(f.type, t);
        this.report(catalogue.structFieldType(given.get(f.name)!.value.span, et!, ft!, f.name));
      }
    }
    return result;
  }

  private constructVariant(
    decl: NominalDecl & { kind: "enum" },
    variant: VariantDecl,
    arg: Node,
    env: Env,
    span: Span,
  ): Type {
    const result = namedType(decl, span);
    const p = variant.payload;
    if (p.kind === "record")
      return this.constructWithFields(p.fields, "variant", variant.name, arg, env, result);
    const t = this.inferExpr(arg, env);
    if (p.kind === "value") this.expect(p.type, t, arg.span);
    else this.expect(UNIT, t, arg.span);
    return result;
  }

  /** `Record.from_struct`, `Record.merge`, `Record.split` when the types say enough. */
  private recordIntrinsic(
    name: string,
    node: Node & { kind: "apply" },
    env: Env,
  ): Type | undefined {
    const args = node.args;
    if (name === "from_struct" && args.length === 1) {
      this.inferExpr(node.callee, env);
      const t = resolve(this.inferExpr(args[0]!, env));
      if (t.kind === "named" && t.decl.kind === "struct") {
        return recordType(
          mapPacked(t.decl.fields, (f) => ({ name: f.name, type: f.type })),
          undefined,
          node.span,
        );
      }
      if (t.kind !== "var" && t.kind !== "unknown") {
        const [tt] = this.render(t);
        this.report(catalogue.expectedFound(args[0]!.span, "a struct", tt!));
      }
      return UNKNOWN;
    }
    if (name === "merge" && args.length === 2) {
      this.inferExpr(node.callee, env);
      const a = resolve(this.inferExpr(args[0]!, env));
      const b = resolve(this.inferExpr(args[1]!, env));
      if (a.kind === "record" && b.kind === "record") {
        const fa = flattenRecord(a);
        const fb = flattenRecord(b);
        if (fa.rest === undefined && fb.rest === undefined) {
          const fields = mapPacked(fa.fields, (f) => fb.fields.find((g) => g.name === f.name) ?? f);
          for (const g of fb.fields) if (!fields.some((f) => f.name === g.name)) fields.push(g);
          return recordType(fields, undefined, node.span);
        }
      }
      return UNKNOWN;
    }
    if (name === "split" && args.length === 2) {
      this.inferExpr(node.callee, env);
      const r = resolve(this.inferExpr(args[0]!, env));
      this.expect(listType(SYMBOL), this.inferExpr(args[1]!, env), args[1]!.span);
      const list = args[1]!;
      const names =
        isCall(list, "__list__") &&
        list.args.every((a) => a.kind === "literal" && a.value.type === "symbol")
          ? list.args.map((a) => (a as Literal).value.value as string)
          : undefined;
      if (r.kind === "record" && names !== undefined) {
        const flat = flattenRecord(r);
        if (flat.rest === undefined) {
          const named = flat.fields.filter((f) => names.includes(f.name));
          const others = flat.fields.filter((f) => !names.includes(f.name));
          return tupleType([recordType(named), recordType(others)], node.span);
        }
      }
      return tupleType([UNKNOWN, UNKNOWN]);
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------
  // The end

  /** Solves what is left, defaults ambiguous magnitudes and dimensions, reports leftovers. */
  finish(): void {
    for (const d of this.deferred) this.pending.push(d.c);
    this.deferred.clear();
    for (const v of this.watchers.keys()) unwatchLinks(v);
    this.watchers.clear();
    takeLinkedWatched();
    this.settle();
    this.finished = true;
    // The node types are defaulted and zonked when the table is built (or now, if it is).
    if (this.table !== undefined) this.fixTypes();
  }

  /** Solves the pending constraints, then defaults what stays ambiguous. */
  private settle(): void {
    this.solve();
    // Ambiguous overloads default to numbers, ambiguous comparisons to equal types.
    for (let round = 0; round < 10 && this.pending.some((c) => c.kind !== "join"); round++) {
      const stuck = this.pending.filter((c) => c.kind !== "join");
      for (const c of stuck) {
        if (c.kind === "add" || c.kind === "order") {
          const q = quantity(this.fresh("num"), this.fresh("dim"), undefined);
          unify(c.left, q);
        } else if (c.kind === "equal") {
          unify(c.left, c.right);
        }
      }
      this.solve();
      if (this.pending.filter((c) => c.kind !== "join").length === stuck.length) break;
    }
    const joins = this.pending.filter(
      (c): c is Extract<Constraint, { kind: "join" }> => c.kind === "join",
    );
    const failed = defaultJoins(joins);
    for (const j of failed) {
      const found = num(joinParts(j.args, UNKNOWN).concrete);
      const [a, b] = this.render(j.c, found);
      this.report(catalogue.expectedFound(j.site.span, a!, b!));
    }
    this.pending = this.pending.filter((c) => c.kind !== "join");
    this.solve();
  }

  /** Defaults the variables left in node types and zonks them (the end of {@link finish}). */
  private fixTypes(): void {
    // Leftover magnitudes and dimensions outside schemes take their defaults.
    const defaultVar = (v: TypeVar): void => {
      if (v.level === GENERIC || v.link !== undefined) return;
      if (v.varKind === "num") unify(v, num("Integer"));
      else if (v.varKind === "dim") unifyDimensions(v, DIMENSIONLESS);
      // A type nothing constrains is what the evaluator prints as `Unknown` (`[]`).
      else if (v.varKind === "type") unify(v, UNKNOWN);
    };
    // Many nodes share type objects (every use of a variable): each is defaulted and zonked
    // once. Defaulting links variables only to closed terms, independently of one another, so
    // a term visited once has nothing left to default later.
    const fixed = new Map<Type, Type>();
    const fix = (t: Type): Type => {
      let z = fixed.get(t);
      if (z === undefined) {
        forEachFreeVar(t, defaultVar);
        z = zonk(t);
        fixed.set(t, z);
      }
      return z;
    };
    const nodeTypes = this.table!;
    nodeTypes.forEach((t, node) => {
      const z = fix(t);
      if (z !== t) nodeTypes.set(node, z);
    });
    const typeofs = this.typeofTable;
    typeofs.forEach((t, node) => {
      const z = fix(t);
      if (z !== t) typeofs.set(node, z);
    });
  }
}

function forEachFreeVar(t: Type, visit: (v: TypeVar) => void): void {
  const r = resolve(t);
  switch (r.kind) {
    case "var":
      visit(r);
      return;
    case "quantity":
      forEachFreeVar(r.magnitude, visit);
      forEachFreeVar(r.dim, visit);
      return;
    case "dim":
      // Every variable of the term, also one whose exponents cancel out: defaulting it as
      // well changes nothing that is printed.
      for (let i = 0; i < r.vars.length; i++) forEachFreeVar(r.vars[i]![0], visit);
      return;
    case "con":
      for (let i = 0; i < r.args.length; i++) forEachFreeVar(r.args[i]!, visit);
      return;
    case "fn":
      for (let i = 0; i < r.params.length; i++) forEachFreeVar(r.params[i]!, visit);
      forEachFreeVar(r.result, visit);
      return;
    case "tuple":
      for (let i = 0; i < r.items.length; i++) forEachFreeVar(r.items[i]!, visit);
      return;
    case "list":
      forEachFreeVar(r.element, visit);
      return;
    case "record":
      if (r.rest === undefined) for (const f of r.fields) forEachFreeVar(f.type, visit);
      else for (const f of flattenRecord(r).fields) forEachFreeVar(f.type, visit);
      return;
    default:
      return;
  }
}

/** The types of a special form and of a macro used as values (terms are immutable: shared). */
const FORM_TYPE: Type = con("Form");
const MACRO_TYPE: Type = con("Macro");

function combineUnitLists(a: readonly UnitPower[], b: readonly UnitPower[]): UnitPower[] {
  const out = mapPacked(a, (p) => ({ ...p }));
  for (const p of b) {
    const e = out.find((q) => q.unit === p.unit);
    if (e) e.exponent += p.exponent;
    else out.push({ ...p });
  }
  return out.filter((p) => p.exponent !== 0);
}

/** Keeps the constraints of a joint scheme that concern one member's type. */
function restrictScheme(scheme: Scheme, type: Type): Scheme {
  const reach = new Set<TypeVar>();
  forEachVarOccurrence(type, (v) => {
    reach.add(v);
  });
  const constraints: Constraint[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of scheme.constraints) {
      if (constraints.includes(c)) continue;
      const vars: TypeVar[] = [];
      forEachConstraintVarOccurrence(c, (v) => {
        vars.push(v);
      });
      if (vars.some((v) => reach.has(v))) {
        constraints.push(c);
        for (const v of vars) reach.add(v);
        changed = true;
      }
    }
  }
  return { vars: scheme.vars.filter((v) => reach.has(v)), constraints, type };
}

/**
 * Whether an expression is a syntactic value (the value restriction): only bindings of
 * values are generalised, so `let c = Cell.new []` stays monomorphic.
 */
export function isSyntacticValue(n: Node): boolean {
  switch (n.kind) {
    case "literal":
    case "ident":
      return true;
    case "error":
      return false;
    case "apply": {
      const head = headName(n);
      if (head === "->") return true;
      if (head === "__tuple__" || head === "__list__") return n.args.every(isSyntacticValue);
      if (head === "__record__") {
        return n.args.every((e) =>
          isCall(e, "=") && e.args.length === 2 ? isSyntacticValue(e.args[1]!) : isIdent(e),
        );
      }
      if (head === "-" && n.args.length === 1) return isSyntacticValue(n.args[0]!);
      if (head === ".") return n.args.every((a) => a.kind === "ident");
      return false;
    }
  }
}

/**
 * The names assigned with `x = v` or a compound assignment anywhere in `items` (such a
 * variable's `let` is widened and stays monomorphic, SPEC.md §T3).
 */
export function reassignedNames(items: readonly Node[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: Node): void => {
    if (n.kind !== "apply") return;
    const head = headName(n);
    if (
      head !== undefined &&
      (head === "=" ||
        (head.endsWith("=") && head !== "==" && head !== "!=" && head !== "<=" && head !== ">="))
    ) {
      const target = n.args[0];
      if (isIdent(target) && n.args.length === 2) out.add(target.name);
    }
    // `{ x = 1 }` and `Point { x = 1 }` name fields; they assign nothing.
    if (head === "__record__") {
      for (const a of n.args) {
        if (isCall(a, "=") && a.args.length === 2) visit(a.args[1]!);
        else visit(a);
      }
      return;
    }
    visit(n.callee);
    for (const a of n.args) visit(a);
  };
  for (const item of items) visit(item);
  return out;
}

/**
 * {@link reassignedNames} and {@link definesOpaqueNames} in one walk over the items (each
 * walks the whole tree).
 */
export function scanItems(items: readonly Node[]): { reassigned: Set<string>; opaque: boolean } {
  const reassigned = new Set<string>();
  let opaque = false;
  // `assignments`: whether assignments here count (not in the field names of a record).
  const checkOpaque = (n: Node & { kind: "apply" }, head: string | undefined): void => {
    if (definesOpaquely(n, head)) opaque = true;
  };
  const visit = (n: Node, assignments: boolean): void => {
    if (n.kind !== "apply") return;
    const head = headName(n);
    if (!opaque) checkOpaque(n, head);
    if (
      assignments &&
      head !== undefined &&
      (head === "=" ||
        (head.endsWith("=") && head !== "==" && head !== "!=" && head !== "<=" && head !== ">="))
    ) {
      const target = n.args[0];
      if (isIdent(target) && n.args.length === 2) reassigned.add(target.name);
    }
    if (assignments && head === "__record__") {
      for (const a of n.args) {
        if (isCall(a, "=") && a.args.length === 2) {
          // `{ x = 1 }` names a field: only its value can assign.
          if (!opaque) {
            checkOpaque(a, "=");
            visit(a.args[0]!, false);
          }
          visit(a.args[1]!, true);
        } else visit(a, true);
      }
      return;
    }
    if (!assignments && opaque) return;
    visit(n.callee, assignments);
    for (const a of n.args) visit(a, assignments);
  };
  for (const item of items) visit(item, true);
  return { reassigned, opaque };
}

/** Closes a variable left free by declarations: what `finish` would default it to. */
function closeVar(v: TypeVar): void {
  const r = resolve(v);
  if (r.kind !== "var" || r.level === GENERIC) return;
  if (r.varKind === "num") unify(r, num("Integer"));
  else if (r.varKind === "dim") unifyDimensions(r, DIMENSIONLESS);
  else if (r.varKind === "type") unify(r, UNKNOWN);
  else if (r.varKind === "row") unify(r, recordType([]));
  else unify(r, { kind: "effects", labels: [], rest: undefined });
}

/**
 * Whether an application (with head `head`) defines a macro or a name computed by an unquote:
 * `macro …`, or `macro …`, `fn ${…} …` or `let ${…} = …` on the left of a definition.
 */
function definesOpaquely(n: Node & { kind: "apply" }, head: string | undefined): boolean {
  if (head === "macro") return true;
  if (head !== "=" || n.args.length !== 2) return false;
  const lhs = n.args[0]!;
  const form = headName(lhs);
  return (
    form === "macro" ||
    ((form === "fn" || form === "let") &&
      isCall((lhs as Node & { kind: "apply" }).args[0], "__unquote__"))
  );
}

/** Whether items define macros or names computed by unquotes (see `Inferencer.opaque`). */
export function definesOpaqueNames(items: readonly Node[]): boolean {
  let found = false;
  const visit = (n: Node): void => {
    if (found || n.kind !== "apply") return;
    if (definesOpaquely(n, headName(n))) {
      found = true;
      return;
    }
    visit(n.callee);
    for (const a of n.args) visit(a);
  };
  items.forEach(visit);
  return found;
}
