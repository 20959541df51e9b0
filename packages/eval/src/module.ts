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
  /** Notes a top-level item before it runs. */
  beginItem(node: Tree, core: Tree): void;
  /** Notes the expansion of a macro invocation. */
  recordExpansion(call: Tree, expansion: Tree): void;
  /** Notes that a branch was reached (`taken`) or considered and skipped. */
  recordBranch(branch: Tree, taken: boolean): void;
  /** Builds the module state from the top-level scope. */
  finish(scope: Scope): ModuleState;
}

/** A fresh recorder. */
export function moduleRecorder(): ModuleRecorder {
  const items: ItemRecord[] = [];
  const expansions = new Map<Tree, Tree>();
  const taken = new Set<Tree>();
  const seen = new Set<Tree>();
  return {
    beginItem(node: Tree, core: Tree): void {
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
      items.push({ node, core, attributes, doc });
    },
    recordExpansion(call: Tree, expansion: Tree): void {
      if (!expansions.has(call)) expansions.set(call, expansion);
    },
    recordBranch(branch: Tree, wasTaken: boolean): void {
      seen.add(branch);
      if (wasTaken) taken.add(branch);
    },
    finish(scope: Scope): ModuleState {
      const definitions = collectDefinitions(scope);
      const pick = <T>(kind: DefinitionKind, get: (v: Value) => T | undefined): Map<string, T> => {
        const out = new Map<string, T>();
        for (const d of definitions.values()) {
          if (d.kind !== kind) continue;
          const x = get(d.value);
          if (x !== undefined) out.set(d.name, x);
        }
        return out;
      };
      const exports: string[] = [];
      for (const item of items) {
        if (item.attributes.some((a) => isIdent(a, "export")))
          exports.push(...definedNames(item.core));
      }
      const expanded = (node: Tree): Tree => expandTree(node, expansions, 0);
      return {
        items: [...items],
        definitions,
        functions: pick("function", (v) => (v.kind === "closure" ? v : undefined)),
        structs: pick("struct", (v) =>
          v.kind === "type" && v.type.kind === "struct" ? v.type.def : undefined,
        ),
        enums: pick("enum", (v) =>
          v.kind === "type" && v.type.kind === "enum" ? v.type.def : undefined,
        ),
        aliases: pick("alias", (v) => (v.kind === "type" ? v.type : undefined)),
        measures: pick("measure", (v) => (v.kind === "unit" ? v.unit : undefined)),
        macros: pick("macro", (v) => (v.kind === "macro" ? v : undefined)),
        exports,
        expansions: new Map(expansions),
        untakenBranches: [...seen].filter((b) => !taken.has(b)),
        expanded,
      };
    },
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
