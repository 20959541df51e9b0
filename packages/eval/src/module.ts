import type { Vector } from "@cadenza/core";
import type { Binding, Scope } from "./env.js";
import { headName, isCall, isIdent, type Tree } from "./tree.js";
import type { EnumDef, StructDef, Type } from "./types.js";
import type { UnitDef } from "./units.js";
import type { ClosureValue, MacroValue, Value } from "./values.js";

/** A top-level item as the evaluator saw it. */
export interface ItemRecord {
  /** The item as parsed, with its `@` and `##` wrappers. */
  readonly node: Tree;
  /** The item without wrappers. */
  readonly core: Tree;
  /** The attribute expressions (`@export` gives the identifier `export`), outermost first. */
  readonly attributes: readonly Tree[];
  /** The documentation text of its `##` lines. */
  readonly doc: string | undefined;
}

/** What kind of definition a top-level name holds. */
export type DefinitionKind =
  | "function"
  | "struct"
  | "enum"
  | "alias"
  | "measure"
  | "macro"
  | "value";

/** One top-level name and its final value. */
export interface Definition {
  readonly name: string;
  readonly kind: DefinitionKind;
  readonly value: Value;
  readonly doc: string | undefined;
}

/**
 * The compile-time products of evaluation that later phases read (ARCHITECTURE.md
 * principle 1): every top-level definition, the items with their attributes, the macro
 * expansions (keyed by the invocation node, spans pointing back into the source), and the
 * branches that never ran so the type checker can still check them.
 */
export interface ModuleState {
  readonly items: readonly ItemRecord[];
  /** Every top-level name visible at the end, in definition order. */
  readonly definitions: ReadonlyMap<string, Definition>;
  readonly functions: ReadonlyMap<string, ClosureValue>;
  readonly structs: ReadonlyMap<string, StructDef>;
  readonly enums: ReadonlyMap<string, EnumDef>;
  readonly aliases: ReadonlyMap<string, Type>;
  readonly measures: ReadonlyMap<string, UnitDef>;
  readonly macros: ReadonlyMap<string, MacroValue>;
  /** Names defined by items carrying `@export`. */
  readonly exports: readonly string[];
  /** Macro invocation node → the syntax it expanded to (the first expansion if it ran often). */
  readonly expansions: ReadonlyMap<Tree, Tree>;
  /** `if` branches and `match` arms whose condition ran but which were never taken. */
  readonly untakenBranches: readonly Tree[];
  /** The tree of `node` with every recorded macro invocation replaced by its expansion. */
  expanded(node: Tree): Tree;
}

/** Collects the module state while evaluation runs. */
export interface ModuleRecorder {
  /** Notes a top-level item before it runs, and returns its record. */
  beginItem(node: Tree, core: Tree): ItemRecord;
  /** Notes the expansion of a macro invocation. */
  recordExpansion(call: Tree, expansion: Tree): void;
  /** Notes that a branch was reached (`taken`) or considered and skipped. */
  recordBranch(branch: Tree, taken: boolean): void;
  /** Builds the module state from the top-level scope. */
  finish(scope: Scope): ModuleState;
}

/** The record of a top-level item: its attributes and documentation. */
export function itemRecord(node: Tree, core: Tree): ItemRecord {
  const attributes: Tree[] = [];
  let doc: string | undefined;
  let t = node;
  while (t !== core && t.kind === "apply" && t.args.length === 2) {
    if (isIdent(t.callee, "@")) attributes.push(t.args[0]!);
    else if (isIdent(t.callee, "__doc__")) {
      const d = t.args[0]!;
      if (d.kind === "literal" && d.value.type === "string") doc = d.value.value;
    }
    t = t.args[1]!;
  }
  return { node, core, attributes, doc };
}

/** The names exported by items carrying `@export`, in item order. */
export function exportedNames(items: readonly ItemRecord[]): string[] {
  const exports: string[] = [];
  for (const item of items) {
    if (item.attributes.some((a) => isIdent(a, "export"))) exports.push(...definedNames(item.core));
  }
  return exports;
}

/** A fresh recorder. */
export function moduleRecorder(): ModuleRecorder {
  const items: ItemRecord[] = [];
  const expansions = new Map<Tree, Tree>();
  const taken = new Set<Tree>();
  const seen = new Set<Tree>();
  return {
    beginItem(node: Tree, core: Tree): ItemRecord {
      const record = itemRecord(node, core);
      items.push(record);
      return record;
    },
    recordExpansion(call: Tree, expansion: Tree): void {
      if (!expansions.has(call)) expansions.set(call, expansion);
    },
    recordBranch(branch: Tree, wasTaken: boolean): void {
      seen.add(branch);
      if (wasTaken) taken.add(branch);
    },
    finish(scope: Scope): ModuleState {
      return moduleState(
        scope,
        [...items],
        exportedNames(items),
        new Map(expansions),
        [...seen].filter((b) => !taken.has(b)),
      );
    },
  };
}

/**
 * The module state of a finished evaluation. The definitions and the maps per kind are
 * computed from the top-level scope when first read (the driver's check path never reads them),
 * and so is the array of item records when they come as a vector (an incremental run).
 */
export function moduleState(
  scope: Scope,
  items: readonly ItemRecord[] | Vector<ItemRecord>,
  exports: readonly string[],
  expansions: ReadonlyMap<Tree, Tree>,
  untakenBranches: readonly Tree[] | (() => readonly Tree[]),
): ModuleState {
  let definitions: Map<string, Definition> | undefined;
  const defs = (): Map<string, Definition> => {
    definitions ??= collectDefinitions(scope);
    return definitions;
  };
  const picked = new Map<DefinitionKind, Map<string, unknown>>();
  const pick = <T>(kind: DefinitionKind, get: (v: Value) => T | undefined): Map<string, T> => {
    let out = picked.get(kind) as Map<string, T> | undefined;
    if (out !== undefined) return out;
    out = new Map<string, T>();
    for (const d of defs().values()) {
      if (d.kind !== kind) continue;
      const x = get(d.value);
      if (x !== undefined) out.set(d.name, x);
    }
    picked.set(kind, out);
    return out;
  };
  let untaken = typeof untakenBranches === "function" ? undefined : untakenBranches;
  const untakenOf = untakenBranches;
  return {
    get items() {
      return Array.isArray(items)
        ? (items as readonly ItemRecord[])
        : (items as Vector<ItemRecord>).toArray();
    },
    get definitions() {
      return defs();
    },
    get functions() {
      return pick("function", (v) => (v.kind === "closure" ? v : undefined));
    },
    get structs() {
      return pick("struct", (v) =>
        v.kind === "type" && v.type.kind === "struct" ? v.type.def : undefined,
      );
    },
    get enums() {
      return pick("enum", (v) =>
        v.kind === "type" && v.type.kind === "enum" ? v.type.def : undefined,
      );
    },
    get aliases() {
      return pick("alias", (v) => (v.kind === "type" ? v.type : undefined));
    },
    get measures() {
      return pick("measure", (v) => (v.kind === "unit" ? v.unit : undefined));
    },
    get macros() {
      return pick("macro", (v) => (v.kind === "macro" ? v : undefined));
    },
    exports,
    expansions,
    get untakenBranches() {
      if (untaken === undefined && typeof untakenOf === "function") untaken = untakenOf();
      return untaken!;
    },
    expanded: (node: Tree): Tree => expandTree(node, expansions, 0),
  };
}

function classify(name: string, b: Binding): DefinitionKind {
  const v = b.value!;
  if (v.kind === "closure" && (b.origin === "fn" || b.origin === "hoisted")) return "function";
  if (v.kind === "macro") return "macro";
  if (b.origin === "definition") {
    if (v.kind === "unit") return "measure";
    if (v.kind === "type") {
      if (v.type.kind === "struct" && v.type.def.name === name) return "struct";
      if (v.type.kind === "enum" && v.type.def.name === name) return "enum";
      return "alias";
    }
  }
  return "value";
}

function collectDefinitions(scope: Scope): Map<string, Definition> {
  const found: Definition[] = [];
  const seen = new Set<string>();
  const visit = (name: string, b: Binding): void => {
    if (seen.has(name)) return;
    seen.add(name);
    // Imported names belong to the modules that define them (and reading one would force it).
    if (b.origin === "import") return;
    if (b.value === undefined || b.value.kind === "error") return;
    found.push({ name, kind: classify(name, b), value: b.value, doc: b.doc });
  };
  for (let e: Scope["env"] | undefined = scope.env; e !== undefined; e = e.parent) {
    if (e.kind === "single") visit(e.name, e.binding);
    // Entries are reversed at the end, so a table's entries are visited backwards here.
    else if (!e.base) for (const [name, b] of [...e.table].reverse()) visit(name, b);
  }
  return new Map(found.reverse().map((d) => [d.name, d]));
}

function expandTree(node: Tree, expansions: ReadonlyMap<Tree, Tree>, depth: number): Tree {
  if (depth > 200) return node;
  const replaced = expansions.get(node);
  if (replaced !== undefined) return expandTree(replaced, expansions, depth + 1);
  if (node.kind !== "apply") return node;
  const callee = expandTree(node.callee, expansions, depth + 1);
  let changed = callee !== node.callee;
  const args = node.args.map((a) => {
    const x = expandTree(a, expansions, depth + 1);
    if (x !== a) changed = true;
    return x;
  });
  return changed ? { kind: "apply", callee, args, span: node.span } : node;
}

/** The names a top-level item would bind if it succeeded (for poisoning on error). */
export function definedNames(core: Tree): string[] {
  if (isCall(core, "=") && core.args.length === 2) {
    const lhs = core.args[0]!;
    const head = headName(lhs);
    if (head === "let" && lhs.kind === "apply") return lhs.args.flatMap(patternNames);
    if (
      (head === "fn" || head === "macro" || head === "measure" || head === "type") &&
      lhs.kind === "apply"
    ) {
      const n = lhs.args[0];
      return isIdent(n) ? [n.name] : [];
    }
    return [];
  }
  const head = headName(core);
  if ((head === "struct" || head === "enum" || head === "measure") && core.kind === "apply") {
    const n = core.args[0];
    return isIdent(n) ? [n.name] : [];
  }
  return [];
}

/** The names a pattern binds, in order. */
export function patternNames(p: Tree): string[] {
  switch (p.kind) {
    case "ident":
      return p.name === "_" || p.name === "..." || p.name === "true" || p.name === "false"
        ? []
        : [p.name];
    case "apply": {
      const head = headName(p);
      if (head === "=" && p.args.length === 2) return patternNames(p.args[1]!);
      if (head === ":" && p.args.length === 2) return patternNames(p.args[0]!);
      return p.args.flatMap(patternNames);
    }
    default:
      return [];
  }
}
