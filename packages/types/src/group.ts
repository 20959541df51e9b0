/**
 * Checking a file one binding group at a time, for an incremental driver (ARCHITECTURE.md
 * principle 2): the file's declarations are collected once ({@link declareFile}); each binding
 * group is then inferred on its own ({@link checkGroup}) from those declarations and the
 * *signatures* of the groups it depends on, so that a driver can memoise groups and stop
 * propagating a change when a recomputed signature is equal to the old one
 * ({@link signatureKey}).
 *
 * What differs from {@link check} on a whole file is listed in SPEC.md §T11.
 */
import { type Diagnostic, diagnostic, type SourceFile, type Span } from "@cadenza/core";
import type { Node } from "@cadenza/syntax";
import type { CheckOptions } from "./check.js";
import type { Constraint } from "./constraints.js";
import { normalizeDimension } from "./dimension.js";
import type { Binding, FunctionInfo } from "./env.js";
import { BlockIndex, componentsInOrder, freeNames, itemInfos } from "./groups.js";
import {
  type DeclarationState,
  definesOpaqueNames,
  Inferencer,
  reassignedNames,
  type TopReference,
  type VisibleName,
} from "./infer.js";
import type { MeasureInfo } from "./measures.js";
import { GENERIC, monoScheme, type Scheme } from "./scheme.js";
import { definitionHead, isCall, unwrapItem } from "./syntax.js";
import {
  con,
  fnType,
  listType,
  namedType,
  quantity,
  recordType,
  resolve,
  type Type,
  type TypeVar,
  tupleType,
  UNKNOWN,
} from "./types.js";

/**
 * The declarations of a file as {@link declareFile} collected them. Opaque: pass it to
 * {@link checkGroup} for every group of the same file. It is never mutated, and the nominal
 * types in it are compared by identity, so every group of one file must get the same object.
 */
export interface FileDeclarations {
  /** @internal */
  readonly state: DeclarationState;
}

/**
 * A declaration another module exports — a struct, an enum, a type alias, a measure, a trait or
 * an effect — as an importing module receives it (see {@link exportedDeclaration}). Importers
 * share the declaring module's nominal types, so values cross modules with their identity.
 */
export interface ImportedDeclaration {
  /** @internal */
  readonly binding: Binding;
  /** @internal */
  readonly measure?: MeasureInfo;
}

/**
 * The declaration a module makes under `name` (after its own declarations), for its importers'
 * {@link DefinitionEnvironment.imported}; undefined when `name` declares nothing (a function or
 * value: those cross modules as signatures).
 */
export function exportedDeclaration(
  declarations: FileDeclarations,
  name: string,
): ImportedDeclaration | undefined {
  const state = declarations.state;
  const binding = state.env.lookup(name);
  if (binding === undefined) return undefined;
  switch (binding.kind) {
    case "nominal":
    case "type":
    case "macro":
      return { binding };
    case "measure": {
      const measure = state.units.get(name);
      return measure === undefined ? undefined : { binding, measure };
    }
    case "namespace":
      return binding.origin === "trait" || binding.origin === "effect" ? { binding } : undefined;
    default:
      return undefined;
  }
}

/** The result of {@link declareFile}. */
export interface DeclarationsResult {
  readonly declarations: FileDeclarations;
  /** Problems in the declarations themselves (an invalid `struct` form, an unknown type). */
  readonly diagnostics: readonly Diagnostic[];
}

/** The type of one top-level name as the groups that use it see it. */
export interface Signature {
  /**
   * Its scheme, closed: every variable is quantified (a variable the group could not fix
   * becomes polymorphic for its users), and types carry no source positions.
   */
  readonly scheme: Scheme;
  /** For a name defined by `fn`: the function's name and parameter texts (arity notes). */
  readonly function?: { readonly name: string; readonly params: readonly string[] };
  /** `fn NAME = …` without parameters: using the name calls the function. */
  readonly zeroArity: boolean;
}

/** What a name used by a member of a group refers to (see {@link GroupInput.resolve}). */
export type GroupReference =
  | { readonly kind: "member"; readonly member: number }
  | { readonly kind: "signature"; readonly signature: Signature }
  | { readonly kind: "pending" }
  /**
   * A module imported under a qualified alias (`import m as q`, docs/spec/15-modules.md): its
   * exported signatures by name, and the names it defines without exporting them.
   */
  | {
      readonly kind: "namespace";
      readonly module: string;
      readonly members: ReadonlyMap<string, Signature>;
      readonly hidden: readonly string[];
      /** Its exported macros: `q.m` is an error (macros are imported by name). */
      readonly macros?: readonly string[];
      /** Its exported declarations (structs, enums, aliases, measures…), reached as `q.Name`. */
      readonly declarations?: ReadonlyMap<string, ImportedDeclaration>;
    }
  /** A name whose import failed (already reported): `Unknown`, with no further errors. */
  | { readonly kind: "unknown" };

/** The input of {@link checkGroup}. */
export interface GroupInput {
  /** The text the spans of `members` (and of the declarations) point into. */
  readonly source: SourceFile;
  /** The group's items, in file order (the evaluator's macro-expanded items, or parsed ones). */
  readonly members: readonly Node[];
  /**
   * When the members form several binding groups that must be inferred together (a unit of
   * {@link groupUnits}): those groups as member indexes, in inference order. Default: the
   * members are one binding group.
   */
  readonly order?: readonly (readonly number[])[];
  readonly declarations: FileDeclarations;
  /**
   * The names assigned anywhere in the file (`x = v`): a `let` of such a name is widened and
   * not generalised. Names the members never bind with `let` may be left out.
   */
  readonly reassigned: Iterable<string>;
  /**
   * Whether the file may define names the checker cannot see (it defines macros, or names
   * computed by unquotes): unknown names are then not reported. See {@link fileFacts}.
   */
  readonly opaque: boolean;
  /**
   * What a name used by member `member` refers to in the file, following the scoping of
   * top-level items (a `let` is seen by the items after it, functions by every item):
   * another member, the signature of a definition of another group, `pending` for a
   * definition without a signature, or undefined when no item of the file defines it (the
   * declarations and the library are searched next).
   */
  resolve(member: number, name: string): GroupReference | undefined;
  /**
   * Which source positions the signatures may keep (default none): those in text every
   * group that reads them shares — the declarations — so that a user's diagnostic can still
   * point at the declaration that fixed a type. A position is part of the signature's
   * {@link signatureKey}.
   */
  keepOrigin?(span: Span): boolean;
  /**
   * The names defined in the file that member `member` could have meant by an unknown
   * name, for the suggestion of `undefined variable`: those of groups inferred before this
   * one and of the group's own members (marked with `member`). Called only when a name is
   * unknown; defaults to none.
   */
  visibleNames?(member: number): readonly VisibleName[];
}

/** The result of {@link checkGroup}. */
export interface GroupResult {
  /** The signatures of the names each member defines, by member. */
  readonly exports: readonly ReadonlyMap<string, Signature>[];
  /** Node → type for the nodes of the members. */
  readonly types: ReadonlyMap<Node, Type>;
  /** `typeof` node → the type of its operand. */
  readonly typeofs: ReadonlyMap<Node, Type>;
  /** The group's diagnostics, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Whether a name the group defines has a type with variables that only the end of the file
   * would fix (a reassigned `let`, a `let` of a value with an undetermined type): in a
   * whole-file check the items that use it may still constrain them, so the group and those
   * items must be checked together (see {@link groupUnits}). Its signatures close them.
   */
  readonly open: boolean;
}

/**
 * Whether an item declares something every item of the file sees (SPEC.md §T9: declarations
 * are file-wide): a measure (also inside a top-level block or `for`), a struct, an enum, a
 * type alias, a macro, a trait, an effect, an implementation or a `use`. These are the items
 * {@link declareFile} needs.
 */
export function isDeclarationItem(item: Node): boolean {
  const { core } = unwrapItem(item);
  for (const form of ["struct", "enum", "measure", "use"]) if (isCall(core, form)) return true;
  for (const form of ["type", "measure", "macro", "trait", "effect", "impl", "use"]) {
    if (definitionHead(core, form) !== undefined) return true;
  }
  return (isCall(core, "__block__") || isCall(core, "for")) && declaresMeasure(core);
}

/** Whether a top-level block or `for` holds a measure the whole file sees (`collectMeasures`). */
function declaresMeasure(node: Node): boolean {
  const { core } = unwrapItem(node);
  if (isCall(core, "measure") || definitionHead(core, "measure") !== undefined) return true;
  if (!isCall(core, "__block__") && !isCall(core, "for")) return false;
  for (const a of core.args)
    if (isCall(a, "__block__") && a.args.some(declaresMeasure)) return true;
  return isCall(core, "__block__") && core.args.some(declaresMeasure);
}

/**
 * What an item contributes to the facts {@link checkGroup} needs about the whole file: the
 * names it assigns, and whether it makes the file opaque (defines a macro or a computed name).
 */
export function itemFacts(item: Node): { readonly assigned: string[]; readonly opaque: boolean } {
  return { assigned: [...reassignedNames([item])].sort(), opaque: definesOpaqueNames([item]) };
}

/** The facts of {@link itemFacts} for a whole file. */
export function fileFacts(items: readonly Node[]): {
  readonly reassigned: ReadonlySet<string>;
  readonly opaque: boolean;
} {
  return { reassigned: reassignedNames(items), opaque: definesOpaqueNames(items) };
}

/**
 * The top-level binding groups of a file and the graph they come from: `edges[i]` lists the
 * items item `i` uses (resolved with the scoping of top-level items), `order` the strongly
 * connected components in inference order — as a whole-file check infers them.
 */
export function topLevelGraph(items: readonly Node[]): {
  readonly order: number[][];
  readonly edges: number[][];
} {
  const infos = itemInfos(items);
  const index = new BlockIndex(infos);
  const edges: number[][] = infos.map((info, i) => {
    const deps = new Set<number>();
    for (const name of freeNames(info.core)) {
      const j = index.resolve(i, name);
      if (j !== undefined && j !== i) deps.add(j);
    }
    return [...deps];
  });
  return { order: componentsInOrder(infos.length, edges), edges };
}

/**
 * Gathers binding groups into the units {@link checkGroup} must infer at once. A group that
 * is `open` (see {@link GroupResult.open}) shares variables that stay open until the end of
 * the file with every group that uses it, directly or through other definitions: they form
 * one unit, inferred in order in one pass as a whole-file check does. Every other group is a
 * unit of its own. `order` lists the groups (item indexes) in inference order, `edges[i]` the
 * items item `i` uses, `open[k]` whether group `k` is open. Returns the units in an order
 * where what a unit uses comes first, each as its groups in inference order.
 */
export function groupUnits(
  order: readonly (readonly number[])[],
  edges: readonly (readonly number[])[],
  open: readonly boolean[],
): number[][][] {
  const groupOf = new Array<number>(edges.length).fill(0);
  order.forEach((g, k) => {
    for (const i of g) groupOf[i] = k;
  });
  const parent = order.map((_, k) => k);
  const find = (k: number): number => {
    let r = k;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[k] !== r) {
      const next = parent[k]!;
      parent[k] = r;
      k = next;
    }
    return r;
  };
  const users: number[][] = order.map(() => []);
  edges.forEach((deps, i) => {
    for (const j of deps) if (groupOf[j] !== groupOf[i]) users[groupOf[j]!]!.push(groupOf[i]!);
  });
  order.forEach((_, k) => {
    if (!open[k]) return;
    const seen = new Set<number>([k]);
    const work = [k];
    while (work.length > 0) {
      for (const u of users[work.pop()!]!) {
        if (seen.has(u)) continue;
        seen.add(u);
        work.push(u);
        parent[find(u)] = find(k);
      }
    }
  });
  const units = new Map<number, { groups: number[][]; last: number }>();
  order.forEach((g, k) => {
    const root = find(k);
    let unit = units.get(root);
    if (unit === undefined) units.set(root, (unit = { groups: [], last: k }));
    unit.groups.push([...g]);
    unit.last = k;
  });
  // Nothing outside a merged unit uses it (its users are in it), and whatever it uses comes
  // before its last group: ordering units by their last group keeps dependencies first.
  return [...units.values()].sort((a, b) => a.last - b.last).map((u) => u.groups);
}

/**
 * Collects the declarations of a file: pass the items for which {@link isDeclarationItem}
 * holds, in file order (passing others does no harm). Never throws.
 */
export function declareFile(
  source: SourceFile,
  items: readonly Node[],
  options: CheckOptions = {},
): DeclarationsResult {
  const ix = new Inferencer(
    source,
    options.environment === undefined ? {} : { environment: options.environment },
  );
  const state = ix.declareItems(items);
  return {
    declarations: { state },
    diagnostics: [...ix.diagnostics].sort((a, b) => a.primary.span.start - b.primary.span.start),
  };
}

/**
 * Infers one top-level binding group (a strongly connected component of the file's
 * definitions, SPEC.md §T5) on its own: the members are inferred together as in a whole-file
 * check, then what is left is solved and defaulted as at the end of a file. Never throws: an
 * internal failure becomes one diagnostic.
 */
export function checkGroup(input: GroupInput): GroupResult {
  const ix = new Inferencer(input.source, { declarations: input.declarations.state });
  const bindingOf = (s: Signature): Binding => {
    const fn: FunctionInfo | undefined = s.function;
    return fn === undefined
      ? { kind: "value", scheme: s.scheme, user: true, zeroArity: s.zeroArity }
      : { kind: "value", scheme: s.scheme, user: true, fn, zeroArity: s.zeroArity };
  };
  const resolveRef = (member: number, name: string): TopReference | undefined => {
    const r = input.resolve(member, name);
    if (r === undefined) return r;
    switch (r.kind) {
      case "signature":
        return { kind: "binding", binding: bindingOf(r.signature) };
      case "namespace": {
        const members = new Map<string, Scheme>();
        for (const [n, s] of r.members) members.set(n, usedScheme(s));
        return {
          kind: "binding",
          binding: {
            kind: "namespace",
            name: r.module,
            members,
            origin: "module",
            hidden: r.hidden,
            macros: r.macros ?? [],
            declared: new Map([...(r.declarations ?? [])].map(([n, d]) => [n, d.binding])),
          },
        };
      }
      case "unknown":
        return {
          kind: "binding",
          binding: { kind: "value", scheme: monoScheme(UNKNOWN), user: false },
        };
      default:
        return r;
    }
  };
  let frames: ReadonlyMap<string, Binding>[] = [];
  let open = false;
  const diagnostics: Diagnostic[] = [];
  try {
    ({ frames, open } = ix.inferTopGroup(
      input.members,
      input.declarations.state.env,
      { reassigned: input.reassigned, opaque: input.opaque },
      resolveRef,
      (member) => input.visibleNames?.(member) ?? [],
      input.order,
    ));
    diagnostics.push(...ix.diagnostics);
  } catch (error) {
    diagnostics.push(...ix.diagnostics);
    const at = input.members[0]?.span ?? { start: 0, end: 0 };
    diagnostics.push(
      diagnostic({
        code: "types/internal-error",
        message: "internal error in the type checker",
        file: input.source.name,
        primary: { span: { start: at.start, end: at.start }, message: "checking stopped here" },
        notes: [String(error instanceof Error ? error.message : error)],
        helps: ["please report this; the program may still be correct"],
      }),
    );
  }
  diagnostics.sort((a, b) => a.primary.span.start - b.primary.span.start);
  const keep = input.keepOrigin ?? ((): boolean => false);
  const exports = itemInfos(input.members).map((_, i) => {
    const out = new Map<string, Signature>();
    for (const [name, b] of frames[i] ?? []) {
      if (b.kind !== "value") continue;
      const s: Signature =
        b.fn === undefined
          ? { scheme: exportScheme(b.scheme, keep), zeroArity: b.zeroArity === true }
          : {
              scheme: exportScheme(b.scheme, keep),
              function: { name: b.fn.name, params: [...b.fn.params] },
              zeroArity: b.zeroArity === true,
            };
      out.set(name, s);
    }
    return out;
  });
  return { exports, types: ix.nodeTypes, typeofs: ix.typeofs, diagnostics, open };
}

const NO_SPAN: Span = { start: 0, end: 0 };

/**
 * A scheme as other groups see it: zonked, without source positions (they point into this
 * group's text) except those `keep` accepts (in the declarations every group shares), and
 * closed — variables left free become quantified, so that no user can bind them for the
 * others.
 */
function exportScheme(scheme: Scheme, keep: (span: Span) => boolean): Scheme {
  const free: TypeVar[] = [];
  const type = exportType(scheme.type, free, keep);
  const constraints = scheme.constraints.map((c) => exportConstraint(c, free, keep));
  for (const v of free) v.level = GENERIC;
  const vars = [...scheme.vars.map((v) => resolve(v)).filter(isVar), ...free];
  return { vars: [...new Set(vars)], constraints, type };
}

function isVar(t: Type): t is TypeVar {
  return t.kind === "var";
}

function exportConstraint(
  c: Constraint,
  free: TypeVar[],
  keep: (span: Span) => boolean,
): Constraint {
  const site = { span: NO_SPAN, operator: c.site.operator };
  const f = (t: Type): Type => exportType(t, free, keep);
  switch (c.kind) {
    case "join":
      return { kind: "join", args: c.args.map(f), c: f(c.c), site };
    case "add":
      return { kind: "add", left: f(c.left), right: f(c.right), result: f(c.result), site };
    case "order":
      return { kind: "order", left: f(c.left), right: f(c.right), site };
    case "equal":
      return { kind: "equal", left: f(c.left), right: f(c.right), site };
    case "trait":
      return { kind: "trait", trait: c.trait, type: f(c.type), site };
  }
}

function exportType(t: Type, free: TypeVar[], keep: (span: Span) => boolean): Type {
  const go = (x: Type): Type => exportType(x, free, keep);
  const r = resolve(t);
  const origin = "origin" in r && r.origin !== undefined && keep(r.origin) ? r.origin : undefined;
  switch (r.kind) {
    case "var":
      if (r.level !== GENERIC && !free.includes(r)) free.push(r);
      return r;
    case "num":
    case "unknown":
      return r;
    case "named":
      return namedType(r.decl, origin);
    case "dim": {
      const d = normalizeDimension(r);
      for (const [x] of d.vars) if (x.level !== GENERIC && !free.includes(x)) free.push(x);
      return d;
    }
    case "quantity":
      return quantity(go(r.magnitude), go(r.dim), r.units, origin);
    case "con":
      return con(r.name, r.args.map(go), origin);
    case "fn":
      return fnType(r.params.map(go), go(r.result), go(r.effects), origin);
    case "tuple":
      return tupleType(r.items.map(go), origin);
    case "list":
      return listType(go(r.element), origin);
    case "record":
      return recordType(
        r.fields.map((f) => ({ name: f.name, type: go(f.type) })),
        r.rest === undefined ? undefined : go(r.rest),
        origin,
      );
    case "effects":
      return {
        kind: "effects",
        labels: r.labels,
        rest: r.rest === undefined ? undefined : go(r.rest),
      };
  }
}

/**
 * A canonical text of a signature: equal for signatures that every user sees alike
 * (variables named by order of first appearance, declarations by name), different otherwise.
 * A driver compares signatures with it to stop propagating a change (early cut-off).
 */
export function signatureKey(signature: Signature): string {
  const names = new Map<TypeVar, number>();
  const quantified = new Set(signature.scheme.vars);
  const v = (x: TypeVar): string => {
    let n = names.get(x);
    if (n === undefined) names.set(x, (n = names.size));
    return `${x.varKind[0]}${quantified.has(x) ? "" : "!"}${n}`;
  };
  const go = (t: Type): string => {
    const r = resolve(t);
    const o = "origin" in r && r.origin !== undefined ? `@${r.origin.start}:${r.origin.end}` : "";
    return o + term(r);
  };
  const term = (r: Type): string => {
    switch (r.kind) {
      case "var":
        return v(r);
      case "num":
        return r.name;
      case "unknown":
        return "?";
      case "named":
        return `${r.decl.kind}:${r.decl.name}`;
      case "dim":
        return `[${r.bases.map(([b, e]) => `${b}^${e}`).join(" ")}|${r.vars.map(([x, e]) => `${go(x)}^${e}`).join(" ")}]`;
      case "quantity":
        return `Q(${go(r.magnitude)},${go(r.dim)},${r.units === undefined ? "-" : r.units.map((u) => `${u.unit}^${u.exponent}`).join(" ")})`;
      case "con":
        return `${r.name}(${r.args.map(go).join(",")})`;
      case "fn":
        return `fn(${r.params.map(go).join(",")})->${go(r.result)}!${go(r.effects)}`;
      case "tuple":
        return `(${r.items.map(go).join(",")})`;
      case "list":
        return `[${go(r.element)}]`;
      case "record":
        return `{${r.fields.map((f) => `${f.name}:${go(f.type)}`).join(",")}|${r.rest === undefined ? "" : go(r.rest)}}`;
      case "effects":
        return `<${r.labels.join(",")}|${r.rest === undefined ? "" : go(r.rest)}>`;
    }
  };
  const s = signature.scheme;
  const type = go(s.type);
  const constraints = s.constraints.map((c): string => {
    const parts =
      c.kind === "join"
        ? [...c.args.map(go), go(c.c)]
        : c.kind === "add"
          ? [go(c.left), go(c.right), go(c.result)]
          : c.kind === "trait"
            ? [c.trait, go(c.type)]
            : [go(c.left), go(c.right)];
    return `${c.kind}(${parts.join(",")};${c.site.operator})`;
  });
  const vars = s.vars.map(go).join(",");
  const fn = signature.function;
  return `${vars}.${type}[${constraints.join(";")}]${fn === undefined ? "" : `fn ${fn.name}(${fn.params.join(",")})`}${signature.zeroArity ? "/0" : ""}`;
}

/**
 * The scheme of a name as its uses see it: a function without parameters (`fn pi = …`) is
 * called where it is named, so `q.pi` has the type of its result.
 */
function usedScheme(s: Signature): Scheme {
  if (!s.zeroArity) return s.scheme;
  const t = resolve(s.scheme.type);
  return t.kind === "fn" ? { ...s.scheme, type: t.result } : s.scheme;
}
