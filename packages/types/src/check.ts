/**
 * The public entry point: check a parsed file and return the side tables (node → type,
 * definition → scheme) and the diagnostics. Never throws on user input.
 */
import { type Diagnostic, diagnostic, type SourceFile, spanContains } from "@cadenza/core";
import { type Node, parse } from "@cadenza/syntax";
import { type DefinitionEnvironment, Inferencer } from "./infer.js";
import { RenderedSchemes, renderType } from "./print.js";
import type { Scheme } from "./scheme.js";
import type { Type } from "./types.js";

/** Options of {@link check}. */
export interface CheckOptions {
  /** Definitions the items do not show (from the evaluator's module state, or imports). */
  readonly environment?: DefinitionEnvironment;
}

/** The inferred type at a source position, for hover. */
export interface TypeAtResult {
  /** The innermost node with a type that covers the offset. */
  readonly node: Node;
  readonly type: Type;
  /** The type rendered per LANGUAGE.md §7. */
  readonly text: string;
}

/** Node → type side table. */
export interface TypeTable {
  /** The inferred type of a node of the checked items, if it has one. */
  typeOf(node: Node): Type | undefined;
  /** The inferred type of a node, rendered per LANGUAGE.md §7. */
  textOf(node: Node): string | undefined;
  /** The innermost typed node covering a UTF-16 offset. */
  typeAt(offset: number): TypeAtResult | undefined;
  /** For a `typeof e` node: the type inferred for `e` (what `typeof` reports). */
  typeofOperand(node: Node): Type | undefined;
  /** Every typed node. */
  entries(): IterableIterator<[Node, Type]>;
}

/** The result of {@link check}. */
export interface CheckResult {
  readonly types: TypeTable;
  /** Top-level definition name → its scheme, rendered (`forall a. fn(a) -> a`). */
  readonly schemes: ReadonlyMap<string, string>;
  /** Top-level definition name → its scheme as a term. */
  readonly schemeTerms: ReadonlyMap<string, Scheme>;
  /** Type diagnostics, in source order. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Type-checks the items of one file. The items are the parser's (or the evaluator's
 * macro-expanded ones); nothing is evaluated. Never throws: an internal failure becomes one
 * diagnostic.
 *
 * The diagnostics come from a run that keeps no per-node types. The node → type table and
 * the schemes are made by a second run over the same items when one of them is first read
 * (inference is deterministic: the same items give the same types, schemes and problems), so
 * a check that is only asked for its diagnostics — `cadenza check`, a build — never pays for
 * them. Types the caller passes in (values, imported declarations) are defaulted as the table
 * is built, so then the one run records and builds the table at once, as it always did.
 */
export function check(
  source: SourceFile,
  items: readonly Node[],
  options: CheckOptions = {},
): CheckResult {
  const given = options.environment;
  const eager = given?.values !== undefined || given?.imported !== undefined;
  const first = infer(source, items, given, eager);
  if (eager) void first.ix.nodeTypes;
  let full: Inferencer | undefined = eager ? first.ix : undefined;
  const tables = (): Inferencer => {
    full ??= infer(source, items, given, true).ix;
    return full;
  };
  const types = lazyTypeTable(() => {
    const ix = tables();
    return { types: ix.nodeTypes, typeofs: ix.typeofs };
  });
  const schemeTerms = new SchemeTable(first.ix.schemes, tables);
  return {
    types,
    schemes: new RenderedSchemes(schemeTerms),
    schemeTerms,
    diagnostics: first.diagnostics,
  };
}

/** The maps behind a {@link TypeTable}: node → type, and `typeof` node → operand type. */
export interface NodeTypeMaps {
  readonly types: ReadonlyMap<Node, Type>;
  readonly typeofs: ReadonlyMap<Node, Type>;
}

/**
 * A {@link TypeTable} over maps that `maps` makes when first asked (and may keep): the table
 * of {@link check}, and of a driver that assembles one from the results of binding groups.
 */
export function lazyTypeTable(maps: () => NodeTypeMaps): TypeTable {
  return {
    typeOf: (node) => maps().types.get(node),
    textOf: (node) => {
      const t = maps().types.get(node);
      return t === undefined ? undefined : renderType(t);
    },
    typeAt: (offset) => {
      let best: [Node, Type] | undefined;
      for (const [node, type] of maps().types) {
        if (!spanContains(node.span, offset)) continue;
        const len = node.span.end - node.span.start;
        if (best === undefined || len < best[0].span.end - best[0].span.start) best = [node, type];
      }
      return best === undefined
        ? undefined
        : { node: best[0], type: best[1], text: renderType(best[1]) };
    },
    typeofOperand: (node) => maps().typeofs.get(node),
    entries: () => maps().types.entries(),
  };
}

/** One inference run over the items: the inferencer and its diagnostics, in source order. */
function infer(
  source: SourceFile,
  items: readonly Node[],
  environment: DefinitionEnvironment | undefined,
  recordTypes: boolean,
): { ix: Inferencer; diagnostics: Diagnostic[] } {
  const ix = new Inferencer(
    source,
    environment === undefined ? { recordTypes } : { environment, recordTypes },
  );
  const diagnostics: Diagnostic[] = [];
  try {
    ix.run(items);
    diagnostics.push(...ix.diagnostics);
  } catch (error) {
    diagnostics.push(...ix.diagnostics);
    const at = items[0]?.span ?? { start: 0, end: 0 };
    diagnostics.push(
      diagnostic({
        code: "types/internal-error",
        message: "internal error in the type checker",
        file: source.name,
        primary: { span: { start: at.start, end: at.start }, message: "checking stopped here" },
        notes: [String(error instanceof Error ? error.message : error)],
        helps: ["please report this; the program may still be correct"],
      }),
    );
  }
  diagnostics.sort((a, b) => a.primary.span.start - b.primary.span.start);
  return { ix, diagnostics };
}

/**
 * The schemes of a checked file. A monomorphic binding's scheme may hold a variable that
 * the end of the file defaults when the node → type table is built: the schemes are read from
 * the run that builds the table (see {@link check}), after building it, so a scheme reads the
 * same whenever it is read. Names are the same in every run: they are answered from the
 * first.
 */
class SchemeTable implements ReadonlyMap<string, Scheme> {
  private readonly names: ReadonlyMap<string, Scheme>;
  private readonly tables: () => Inferencer;
  private terms: ReadonlyMap<string, Scheme> | undefined;

  constructor(names: ReadonlyMap<string, Scheme>, tables: () => Inferencer) {
    this.names = names;
    this.tables = tables;
  }

  private read(): ReadonlyMap<string, Scheme> {
    if (this.terms === undefined) {
      const ix = this.tables();
      void ix.nodeTypes;
      this.terms = ix.schemes;
    }
    return this.terms;
  }

  get size(): number {
    return this.names.size;
  }

  get(name: string): Scheme | undefined {
    return this.read().get(name);
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  entries(): MapIterator<[string, Scheme]> {
    return this.read().entries();
  }

  keys(): MapIterator<string> {
    return this.names.keys();
  }

  values(): MapIterator<Scheme> {
    return this.read().values();
  }

  forEach(f: (value: Scheme, key: string, map: ReadonlyMap<string, Scheme>) => void): void {
    for (const [name, scheme] of this.read()) f(scheme, name, this);
  }

  [Symbol.iterator](): MapIterator<[string, Scheme]> {
    return this.read().entries();
  }
}

/** The result of {@link checkSource}: parse diagnostics first, then type diagnostics. */
export interface CheckSourceResult extends CheckResult {
  /** The parsed items. */
  readonly items: readonly Node[];
}

/** Parses and type-checks a file (what `cadenza check` does). */
export function checkSource(source: SourceFile, options: CheckOptions = {}): CheckSourceResult {
  const parsed = parse(source);
  const result = check(source, parsed.items, options);
  return {
    ...result,
    items: parsed.items,
    diagnostics: [...parsed.diagnostics, ...result.diagnostics],
  };
}
