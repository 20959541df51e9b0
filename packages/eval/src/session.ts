import {
  type Diagnostic,
  type Label,
  renderDiagnostic,
  SourceFile,
  type Span,
} from "@cadenza/core";
import { parse } from "@cadenza/syntax";
import { type Env, lookup, Scope, visibleUserNames } from "./env.js";
import {
  type EvalOptions,
  type EvalStatus,
  type ImportedName,
  Interpreter,
  importedBinding,
  statusOf,
  type TranscriptEntry,
} from "./evaluate.js";
import { fieldsOf, membersOf } from "./forms/field.js";
import type { ModuleState } from "./module.js";
import type { Tree } from "./tree.js";

/** What a parser gives the evaluator: top-level items and parse diagnostics. */
export interface ParseOutput {
  readonly items: readonly Tree[];
  readonly diagnostics: readonly Diagnostic[];
}

/** A parser: `parse` of `@cadenza/syntax`, or any function with its shape. */
export type Parser = (source: SourceFile) => ParseOutput;

/** One item of a REPL entry with what it reported. */
export interface ItemResult {
  readonly entry: TranscriptEntry;
  readonly diagnostics: readonly Diagnostic[];
}

/** The result of one REPL entry. */
export interface EntryResult {
  /** The entry as a source file (lines count within the entry). */
  readonly source: SourceFile;
  /** One transcript entry per item of the entry; spans are relative to the entry. */
  readonly entries: readonly TranscriptEntry[];
  /**
   * Parse diagnostics (in source order), then evaluation diagnostics (in order). Spans are
   * relative to the entry they point into, usually this one; see {@link sourceOf}.
   */
  readonly diagnostics: readonly Diagnostic[];
  /** Each item's transcript entry with the diagnostics reported while it ran, in order. */
  readonly items: readonly ItemResult[];
  /** The parse diagnostics of the entry, in source order. */
  readonly parseDiagnostics: readonly Diagnostic[];
  /** A diagnostic that stopped the entry (budget, cancellation), if any. */
  readonly haltDiagnostics: readonly Diagnostic[];
  /** The entry a diagnostic of this result points into (an error inside a function defined earlier). */
  sourceOf(diagnostic: Diagnostic): SourceFile;
  /**
   * What the REPL prints: each item's `value : Type` line, and for a failed item its
   * diagnostics rendered per §8.1 instead.
   */
  readonly output: string;
  readonly status: EvalStatus;
}

/**
 * A REPL session (LANGUAGE.md §9): entries are evaluated one after the other in one
 * top-level scope, so bindings persist; a diagnostic does not end the session.
 */
export interface Session {
  /** Parses and evaluates one entry. */
  evalEntry(text: string, options?: EntryOptions): EntryResult;
  /** Evaluates already parsed items of `source` as one entry. */
  evalItems(
    source: SourceFile,
    items: readonly Tree[],
    parseDiagnostics?: readonly Diagnostic[],
    options?: EntryOptions,
  ): EntryResult;
  /** The definitions made so far. */
  module(): ModuleState;
  /**
   * Every name visible at the top of the session: user bindings, most recent first, then the
   * base environment's names in alphabetical order (for completion).
   */
  names(): string[];
  /**
   * The names reachable with `.` after a path of names (`["List"]` → `fold`, `map`, …; a
   * record's fields; an enum's variants), without evaluating anything; empty when the path
   * does not name such a value.
   */
  members(path: readonly string[]): string[];
}

/** Options of one entry. */
export interface EntryOptions {
  /**
   * Run the entry in a child scope of the session's: it sees every binding made so far, and
   * its own bindings are dropped afterwards (doctests run this way).
   */
  readonly isolated?: boolean;
}

/** Options of {@link createSession}. */
export interface SessionOptions extends EvalOptions {
  /** The parser used by `evalEntry` (default: `parse` of `@cadenza/syntax`). */
  readonly parse?: Parser;
  /** The file name diagnostics show (default `repl`). */
  readonly fileName?: string;
  /**
   * Resolves the imports of an entry (docs/spec/15-modules.md) before it runs: the names they
   * bind, added to the session, and the module errors, at positions of the entry. Without it
   * an `import` entry is the error `imports need a module host`.
   */
  readonly resolveImports?: (source: SourceFile, items: readonly Tree[]) => ImportResolution;
}

/** What {@link SessionOptions.resolveImports} found for one entry. */
export interface ImportResolution {
  readonly names: ReadonlyMap<string, ImportedName>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Orders diagnostics by position, keeping the order of equal positions. */
export function sourceOrder(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i, at: d.position ?? d.primary.span.start }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.d);
}

/** A copy of a tree with every span moved by `delta`. */
export function shiftTree(node: Tree, delta: number): Tree {
  const span = { start: node.span.start + delta, end: node.span.end + delta };
  if (node.kind !== "apply") return { ...node, span } as Tree;
  return {
    kind: "apply",
    callee: shiftTree(node.callee, delta),
    args: node.args.map((a) => shiftTree(a, delta)),
    span,
  };
}

function shiftSpan(s: Span, delta: number): Span {
  return { start: s.start + delta, end: s.end + delta };
}

interface EntrySource {
  readonly start: number;
  readonly source: SourceFile;
}

/**
 * Creates a REPL session. Budgets and the signal apply to each entry separately. Entries
 * are laid out one after the other in one virtual text so that every span stays unique;
 * diagnostics are mapped back to the entry they point into.
 */
export function createSession(options: SessionOptions = {}): Session {
  const fileName = options.fileName ?? "repl";
  const sources: EntrySource[] = [];
  let end = 0;
  const resolveImports = options.resolveImports;
  // With a resolver, imports are answered per entry (the import items themselves yield `()`).
  const interp = new Interpreter(
    new SourceFile(fileName, ""),
    resolveImports === undefined || options.imports !== undefined
      ? options
      : { ...options, imports: new Map() },
  );
  const scope: Scope = interp.topScope();
  interp.locate = (offset: number): string => {
    const entry = entryAt(offset);
    const at = entry.source.lineColumn(offset - entry.start);
    return `${entry.source.name}:${at.line}:${at.column}`;
  };
  interp.text = (span: Span): string => {
    const entry = entryAt(span.start);
    return entry.source.text.slice(span.start - entry.start, span.end - entry.start);
  };

  /** The entry holding an offset of the virtual text (binary search over entry starts). */
  function entryAt(offset: number): EntrySource {
    let lo = 0;
    let hi = sources.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sources[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return sources[lo]!;
  }

  function localize(d: Diagnostic): { diagnostic: Diagnostic; source: SourceFile } {
    const entry = entryAt(d.primary.span.start);
    const entryEnd = entry.start + entry.source.text.length;
    const inEntry = (l: Label): boolean => l.span.start >= entry.start && l.span.start <= entryEnd;
    const move = (l: Label): Label => ({
      span: shiftSpan(l.span, -entry.start),
      message: l.message,
    });
    const diagnostic: Diagnostic = {
      ...d,
      primary: move(d.primary),
      secondary: d.secondary.filter(inEntry).map(move),
      ...(d.position === undefined ? {} : { position: d.position - entry.start }),
    };
    return { diagnostic, source: entry.source };
  }

  const evalItems = (
    source: SourceFile,
    items: readonly Tree[],
    parseDiagnostics: readonly Diagnostic[] = [],
    entryOptions: EntryOptions = {},
  ): EntryResult => {
    // Entries are laid out one after the other, one offset apart, in a virtual text.
    const start = end === 0 ? 0 : end + 1;
    end = start + source.text.length;
    sources.push({ start, source });
    interp.source = source;
    interp.resetBudget();
    const before = interp.diagnostics.length;
    const shifted = items.map((item) => shiftTree(item, start));
    const target = entryOptions.isolated ? new Scope(scope.env, "block") : scope;
    const resolved = resolveImports?.(source, items);
    for (const [name, imported] of resolved?.names ?? [])
      target.bind(name, importedBinding(imported));
    const { entries, halted, perItem } = interp.runTopLevel(shifted, target);
    const sourceByDiagnostic = new Map<Diagnostic, SourceFile>();
    const local = (d: Diagnostic): Diagnostic => {
      const x = localize(d);
      sourceByDiagnostic.set(x.diagnostic, x.source);
      return x.diagnostic;
    };
    const ownDiagnostics = perItem.map((ds) => ds.map(local));
    const attributed = new Set(perItem.flat());
    const rest = interp.diagnostics
      .slice(before)
      .filter((d) => !attributed.has(d))
      .map(local);
    const ordered = sourceOrder(
      resolved === undefined || resolved.diagnostics.length === 0
        ? parseDiagnostics
        : [...parseDiagnostics, ...resolved.diagnostics],
    );
    for (const d of ordered) sourceByDiagnostic.set(d, source);
    const sourceOf = (d: Diagnostic): SourceFile => sourceByDiagnostic.get(d) ?? source;
    const render = (ds: readonly Diagnostic[]): string =>
      ds.map((d) => renderDiagnostic(d, sourceOf(d))).join("\n");
    // Transcript lines and diagnostics in order; consecutive diagnostics get a blank line
    // between them, as §8.1 separates diagnostics.
    let output = "";
    let lastWasDiagnostic = false;
    const emit = (text: string, diagnostic: boolean): void => {
      output += (diagnostic && lastWasDiagnostic ? "\n" : "") + text;
      lastWasDiagnostic = diagnostic;
    };
    if (ordered.length > 0) emit(render(ordered), true);
    entries.forEach((e, k) => {
      const own = ownDiagnostics[k] ?? [];
      if (own.length > 0) emit(render(own), true);
      else if (e.ok) emit(`${e.text}\n`, false);
    });
    if (rest.length > 0) emit(render(rest), true);
    const status = statusOf(halted);
    const localEntries = entries.map((e) => ({ ...e, span: shiftSpan(e.span, -start) }));
    return {
      source,
      entries: localEntries,
      items: localEntries.map((entry, k) => ({ entry, diagnostics: ownDiagnostics[k] ?? [] })),
      parseDiagnostics: ordered,
      haltDiagnostics: rest,
      diagnostics: [...ordered, ...ownDiagnostics.flat(), ...rest],
      sourceOf,
      output,
      status,
    };
  };

  return {
    evalItems,
    evalEntry(text: string, entryOptions?: EntryOptions): EntryResult {
      const source = SourceFile.fromRaw(fileName, text);
      const parsed = (options.parse ?? parse)(source);
      return evalItems(source, parsed.items, parsed.diagnostics, entryOptions);
    },
    module(): ModuleState {
      return interp.recorder.finish(scope);
    },
    names(): string[] {
      const base: string[] = [];
      for (let e: Env | undefined = scope.env; e !== undefined; e = e.parent) {
        if (e.kind === "table" && e.base) base.push(...e.table.keys());
      }
      return [...visibleUserNames(scope.env), ...base.sort()];
    },
    members(path: readonly string[]): string[] {
      let v = path.length === 0 ? undefined : lookup(scope.env, path[0]!)?.value;
      for (const name of path.slice(1)) {
        v = v === undefined ? undefined : (fieldsOf(v) ?? membersOf(interp, v))?.get(name);
      }
      if (v === undefined) return [];
      return [...(fieldsOf(v) ?? membersOf(interp, v) ?? new Map()).keys()];
    },
  };
}
