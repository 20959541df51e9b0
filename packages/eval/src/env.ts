import { levenshtein, type Span } from "@cadenza/core";
import type { Tree } from "./tree.js";
import type { Value } from "./values.js";

/** Where a binding came from; used for the notes of `undefined variable`. */
export type BindingOrigin =
  | "base"
  | "let"
  | "fn"
  | "param"
  | "definition"
  | "hoisted"
  /** Bound by an import of the file (docs/spec/15-modules.md); its value is read on demand. */
  | "import";

/**
 * A mutable cell holding one binding (LANGUAGE.md §5.1, D3). `let` makes a new one; `x = v`
 * writes into the innermost visible one. A hoisted function's cell is empty until its `fn`
 * item runs.
 */
export interface Binding {
  value: Value | undefined;
  readonly origin: BindingOrigin;
  /** The documentation attached with `##` lines. */
  doc?: string;
  /** For a macro parameter: the argument syntax and the caller's scope (for `typeof`). */
  macroArgument?: { readonly node: Tree; readonly scope: Scope };
  /** Where the name was bound (for tooling). */
  readonly span?: Span;
}

/**
 * A persistent chain of frames. `let` pushes a one-name frame; hoisting and the base
 * environment use table frames. Closures keep the frame current at their creation.
 */
export type Env = SingleFrame | TableFrame;

/** A frame binding one name. */
export interface SingleFrame {
  readonly kind: "single";
  readonly name: string;
  readonly binding: Binding;
  readonly parent: Env | undefined;
}

/** A frame binding several names at once (hoisted functions, the base environment). */
export interface TableFrame {
  readonly kind: "table";
  readonly table: Map<string, Binding>;
  readonly parent: Env | undefined;
  /** The base environment: names here are not user-defined. */
  readonly base: boolean;
}

/** Looks up the innermost binding of `name`. */
export function lookup(env: Env | undefined, name: string): Binding | undefined {
  for (let e = env; e !== undefined; e = e.parent) {
    if (e.kind === "single") {
      if (e.name === name) return e.binding;
    } else {
      const b = e.table.get(name);
      if (b !== undefined) return b;
    }
  }
  return undefined;
}

/** Every visible user-defined name, innermost (most recently bound) first, without repeats. */
export function visibleUserNames(env: Env | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let e = env; e !== undefined; e = e.parent) {
    if (e.kind === "single") {
      if (!seen.has(e.name)) {
        seen.add(e.name);
        out.push(e.name);
      }
    } else if (!e.base) {
      for (const name of e.table.keys()) {
        if (!seen.has(name)) {
          seen.add(name);
          out.push(name);
        }
      }
    }
  }
  return out;
}

/** What kind of scope a {@link Scope} is; only informational except for `expansion`. */
export type ScopeKind = "top" | "block" | "call" | "arm" | "expansion" | "for";

/**
 * The mutable head of an environment chain while a sequence of items runs. Blocks, calls,
 * match arms, `for` iterations and hygienic expansions each open one. Definitions made in a
 * scope with an `exportTo` target are also bound there (LANGUAGE.md §5.9).
 */
export class Scope {
  env: Env;
  readonly kind: ScopeKind;
  readonly exportTo: Scope | undefined;
  /** Names bound by `let` in this scope, reported when they are used after it ends. */
  readonly letNames: Set<string> = new Set();
  /** The functions hoisted for the items currently running in this scope (§5.1). */
  hoisted: Map<string, Binding> | undefined;

  constructor(env: Env, kind: ScopeKind, exportTo?: Scope) {
    this.env = env;
    this.kind = kind;
    this.exportTo = exportTo;
  }

  /** Binds `name` to a new cell in this scope and returns the cell. */
  bind(name: string, binding: Binding): Binding {
    this.env = { kind: "single", name, binding, parent: this.env };
    if (binding.origin === "let") this.letNames.add(name);
    return binding;
  }

  /**
   * Binds a definition (`fn`, `struct`, `macro`, …): in this scope and, through `exportTo`,
   * in every scope this one exports to.
   */
  define(name: string, binding: Binding): void {
    this.bind(name, binding);
    for (let s = this.exportTo; s !== undefined; s = s.exportTo) s.bind(name, binding);
  }

  /** Declares names at once in a table frame (hoisting) and returns the table. */
  declare(names: Iterable<string>): Map<string, Binding> {
    const table = new Map<string, Binding>();
    for (const name of names) table.set(name, { value: undefined, origin: "hoisted" });
    if (table.size > 0) this.env = { kind: "table", table, parent: this.env, base: false };
    return table;
  }
}

/**
 * The did-you-mean suggestion of LANGUAGE.md §8.2: a visible user-defined name at distance at
 * most 2 and less than the length of `name`; the smallest distance wins, then the most
 * recently bound.
 */
export function suggestName(env: Env | undefined, name: string): string | undefined {
  const length = [...name].length;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of visibleUserNames(env)) {
    if (candidate === name) continue;
    const d = levenshtein(name, candidate);
    if (d <= 2 && d < length && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
