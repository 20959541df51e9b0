/**
 * The typing environment: what a name means at one point of the program. Environments are
 * persistent linked frames, like the evaluator's scope chain, so a `let` costs one frame and a
 * closure's environment is just a pointer.
 */
import type { Span } from "@cadenza/core";
import type { Scheme } from "./scheme.js";
import type { NominalDecl, Type, VariantDecl } from "./types.js";

/** What the checker knows about a named function, for `arity mismatch` notes. */
export interface FunctionInfo {
  readonly name: string;
  readonly params: readonly string[];
}

/** One operation of a user-declared effect or method of a trait. */
export interface Member {
  readonly name: string;
  readonly scheme: Scheme;
}

/** What a name is bound to. */
export type Binding =
  | {
      /** A value with a (possibly polymorphic) type. */
      readonly kind: "value";
      readonly scheme: Scheme;
      /** Set for names defined by `fn`: their parameters, for arity notes. */
      readonly fn?: FunctionInfo;
      /** `fn NAME = …` without parameters: evaluating the name calls the function. */
      readonly zeroArity?: boolean;
      /** Whether the user defined it (suggestions only offer user names). */
      readonly user: boolean;
      readonly span?: Span;
    }
  | { readonly kind: "measure"; readonly unit: string }
  /** A type name: a built-in type or an alias; evaluating it gives a `Type`. */
  | { readonly kind: "type"; readonly type: Type }
  /** A struct or enum name: a type, a constructor (structs) and a namespace (enums). */
  | { readonly kind: "nominal"; readonly decl: NominalDecl }
  /** A variant brought into scope by `use`, or reached as `Enum.Variant`. */
  | {
      readonly kind: "variant";
      readonly decl: NominalDecl & { readonly kind: "enum" };
      readonly variant: VariantDecl;
    }
  /**
   * A namespace of the base environment (`List`, `String`, …), a user trait or effect, or an
   * imported module (`import m as q`).
   */
  | {
      readonly kind: "namespace";
      readonly name: string;
      readonly members: ReadonlyMap<string, Scheme>;
      /** What declared it: the base library, a trait or an effect. */
      readonly origin: "library" | "trait" | "effect" | "module";
      /** For a module namespace (`import m as q`): its names that are not exported. */
      readonly hidden?: readonly string[];
      /** For a module namespace: its exported macros (they must be imported by name). */
      readonly macros?: readonly string[];
      /**
       * For a module namespace: its exported declarations (structs, enums, aliases, measures,
       * traits, effects) as the declaring module binds them, reached as `q.Name`.
       */
      readonly declared?: ReadonlyMap<string, Binding>;
      /** The type the name also denotes (`Float`, `String`, `Type`, `Syntax`). */
      readonly type?: Type;
    }
  /** An operator of the base environment (`+`, `==`, …); as a value it has `scheme`. */
  | { readonly kind: "operator"; readonly name: string; readonly scheme: Scheme }
  | { readonly kind: "macro"; readonly arity: number }
  /** A special form of the base environment (`let`, `if`, `match`, …). */
  | { readonly kind: "form"; readonly name: string }
  /**
   * A name whose binding group has not been inferred yet (only reachable through an imprecise
   * dependency); it has a fresh monomorphic type so that nothing fails.
   */
  | { readonly kind: "pending"; readonly type: Type };

/** The frame of a resolver frame (shared: frames are never written). */
const NO_BINDINGS: ReadonlyMap<string, Binding> = new Map();

/** A persistent chain of frames. */
export class Env {
  private constructor(
    private readonly parent: Env | undefined,
    private readonly frame: ReadonlyMap<string, Binding>,
    private readonly resolver: ((name: string) => Binding | undefined) | undefined,
    private readonly resolverNames: (() => readonly string[]) | undefined = undefined,
  ) {}

  /** The root environment. */
  static root(frame: ReadonlyMap<string, Binding>): Env {
    return new Env(undefined, frame, undefined);
  }

  /** A child frame with some bindings. */
  with(frame: ReadonlyMap<string, Binding>): Env {
    return frame.size === 0 ? this : new Env(this, frame, undefined);
  }

  /** A child frame with one binding. */
  bind(name: string, binding: Binding): Env {
    return new Env(this, new Map([[name, binding]]), undefined);
  }

  /**
   * A child frame whose bindings are computed on lookup; `undefined` falls through to the
   * parent. Blocks use it to see the binding that is visible at one item's position. `names`
   * lists the user values it can resolve, for suggestions.
   */
  withResolver(
    resolver: (name: string) => Binding | undefined,
    names?: () => readonly string[],
  ): Env {
    return new Env(this, NO_BINDINGS, resolver, names);
  }

  /** The innermost binding of `name`. */
  lookup(name: string): Binding | undefined {
    for (let e: Env | undefined = this; e !== undefined; e = e.parent) {
      const b = e.frame.get(name) ?? e.resolver?.(name);
      if (b !== undefined) return b;
    }
    return undefined;
  }

  /** Every user-defined value name visible here, innermost first (for suggestions). */
  userNames(): string[] {
    const out: string[] = [];
    for (let e: Env | undefined = this; e !== undefined; e = e.parent) {
      for (const [name, b] of e.frame)
        if (b.kind === "value" && b.user && !out.includes(name)) out.push(name);
      // The names a resolver frame lists are its user values: looking them up to check
      // would make a check that only wants suggestions read every definition's type.
      for (const name of e.resolverNames?.() ?? []) if (!out.includes(name)) out.push(name);
    }
    return out;
  }
}
