/**
 * Code actions: the machine-applicable fixes of the diagnostics under the cursor. Fixes a
 * phase attaches to a diagnostic (`Diagnostic.fixes`) come first; for the diagnostics whose
 * phase gives only a help text today, the same fix is derived here from the help and the
 * primary span: `did you mean \`x\`?` replaces the name, the reassignment help inserts `let `,
 * and `field not found` offers the available fields that are close to the misspelt one.
 */
import type { Diagnostic, Fix, SourceFile, Span, TextEdit } from "@cadenza/core";
import type { FileAnalysis } from "./analysis.js";
import { type ExportCandidate, importEdit } from "./imports.js";
import { resolveNames } from "./resolve.js";

/** One quick fix. */
export interface CodeAction {
  readonly title: string;
  readonly kind: "quickfix";
  /** The diagnostic it fixes. */
  readonly diagnostic: Diagnostic;
  readonly edits: readonly TextEdit[];
  /**
   * The file the edits apply to when it is another one (a path, as in the import table):
   * exporting a definition of the imported module.
   */
  readonly file?: string;
  /** Whether it is the obvious fix (editors apply it with one key). */
  readonly preferred: boolean;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * The edit distance between two short strings, counting a swap of adjacent characters as one
 * edit (optimal string alignment), since transposed letters are the commonest typo.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Fixes derived from a diagnostic's help text when the phase did not attach them. */
export function derivedFixes(d: Diagnostic, source: SourceFile): Fix[] {
  const span = d.primary.span;
  const written = source.text.slice(span.start, span.end);
  const fixes: Fix[] = [];
  for (const note of d.notes) {
    if (note.kind !== "help") continue;
    const mean = /^did you mean `([^`]+)`\?$/.exec(note.message);
    if (mean !== null && written !== "" && !written.includes("\n")) {
      fixes.push({ message: `Replace with \`${mean[1]}\``, edits: [{ span, newText: mean[1]! }] });
      continue;
    }
    const letHelp = /^use `let ([^ ]+) = .*` to create a new binding$/.exec(note.message);
    if (letHelp !== null && written === letHelp[1]) {
      fixes.push({
        message: `Create a new binding with \`let ${letHelp[1]}\``,
        edits: [{ span: { start: span.start, end: span.start }, newText: "let " }],
      });
      continue;
    }
    const fields = /^available fields are: (.+)$/.exec(note.message);
    if (fields !== null && /^[^\s.]+$/u.test(written)) {
      const names = fields[1]!.split(/,\s*/).map((f) => f.replace(/`/g, "").trim());
      const limit = Math.max(1, Math.floor(written.length / 3));
      for (const name of names) {
        if (name !== "" && editDistance(name, written) <= limit)
          fixes.push({ message: `Replace with \`${name}\``, edits: [{ span, newText: name }] });
      }
    }
  }
  return fixes;
}

/** Options of {@link codeActions}. */
export interface CodeActionOptions {
  /**
   * Exported names of the project's other modules: an `undefined variable` whose name one of
   * them exports gets a fix that imports it.
   */
  readonly exports?: readonly ExportCandidate[];
}

/** The quick fixes of the diagnostics that overlap `range`. */
export function codeActions(
  file: FileAnalysis,
  range: Span,
  options: CodeActionOptions = {},
): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of file.diagnostics) {
    if (!overlaps(d.primary.span, range)) continue;
    out.push(...importFixes(file, d, options.exports ?? []));
    out.push(...exportFixes(file, d));
    out.push(...actionsFor(d, file.source));
  }
  return out;
}

/**
 * `private name` (an import of a name its module does not export, or `q.name`): add
 * `@export` before the definition in that module, when the import table says where it is.
 */
function exportFixes(file: FileAnalysis, d: Diagnostic): CodeAction[] {
  if (d.code !== "modules/private-name") return [];
  const { start, end } = d.primary.span;
  const text = file.source.text;
  const name = text.slice(start, end);
  const resolution = resolveNames(file);
  const o = resolution.occurrenceAt(start);
  let module = o?.target.kind === "binding" ? o.target.binding.from : undefined;
  if (module === undefined) {
    // `q.name`: the module of `q`.
    const receiver = /([\p{L}_][\p{L}\p{N}_]*)\.$/u.exec(
      text.slice(Math.max(0, start - 200), start),
    );
    if (receiver !== null) module = resolution.lookup(receiver[1]!, start)?.module;
  }
  const at = module?.privates?.get(name);
  if (module === undefined || at === undefined) return [];
  return [
    {
      title: `Export \`${name}\` from \`${module.module}\``,
      kind: "quickfix",
      diagnostic: d,
      edits: [{ span: { start: at, end: at }, newText: "@export\n" }],
      file: module.file,
      preferred: true,
    },
  ];
}

/**
 * `undefined variable` on a name another module of the project exports: import it (the
 * preferred fix when exactly one module exports it).
 */
function importFixes(
  file: FileAnalysis,
  d: Diagnostic,
  exports: readonly ExportCandidate[],
): CodeAction[] {
  if (!d.code.endsWith("/undefined-variable") || exports.length === 0) return [];
  const name = file.source.text.slice(d.primary.span.start, d.primary.span.end);
  const modules = [...new Set(exports.filter((e) => e.name === name).map((e) => e.module))];
  return modules.map((module) => ({
    title: `Import \`${name}\` from \`${module}\``,
    kind: "quickfix",
    diagnostic: d,
    edits: [importEdit(file, module, name)],
    preferred: modules.length === 1,
  }));
}

/** The quick fixes of one diagnostic: its own fixes, or the derived ones when it has none. */
export function actionsFor(d: Diagnostic, source: SourceFile): CodeAction[] {
  const fixes = d.fixes.length > 0 ? d.fixes : derivedFixes(d, source);
  return fixes.map((f, i) => ({
    title: f.message,
    kind: "quickfix",
    diagnostic: d,
    edits: f.edits,
    preferred: i === 0 && fixes.length === 1,
  }));
}
