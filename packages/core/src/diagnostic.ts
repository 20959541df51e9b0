import type { Span } from "./span.js";

/** How serious a diagnostic is. Only errors make a program fail. */
export type Severity = "error" | "warning" | "info" | "hint";

/** A span with the text written beside its markers. */
export interface Label {
  readonly span: Span;
  readonly message: string;
}

/** A trailing `= note:` or `= help:` line. Order is kept as written. */
export interface DiagnosticNote {
  readonly kind: "note" | "help";
  readonly message: string;
}

/** One replacement of source text. */
export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/**
 * A machine-applicable fix: applying all of its edits (which never overlap) to the source
 * gives a corrected program. Editors offer it as a code action.
 */
export interface Fix {
  readonly message: string;
  readonly edits: readonly TextEdit[];
}

/**
 * A diagnostic of any phase: message, stable code, a primary label, secondary labels,
 * notes and helps, and optional fixes.
 *
 * Every span refers to the file named by `file`.
 */
export interface Diagnostic {
  readonly severity: Severity;
  /** A stable identifier, `phase/kebab-name` (for example `syntax/unterminated-string`). */
  readonly code: string;
  readonly message: string;
  /** The name of the file all spans refer to. */
  readonly file: string;
  readonly primary: Label;
  readonly secondary: readonly Label[];
  readonly notes: readonly DiagnosticNote[];
  readonly fixes: readonly Fix[];
  /**
   * The offset reported after `-->` when it is not the start of the primary span
   * (LANGUAGE.md §8.1: an unterminated string reports its opening quote).
   */
  readonly position?: number;
}

/** The parts of a diagnostic a phase supplies; the rest get defaults. */
export interface DiagnosticInit {
  readonly severity?: Severity;
  readonly code: string;
  readonly message: string;
  readonly file: string;
  readonly primary: Label;
  readonly secondary?: readonly Label[];
  readonly notes?: readonly (DiagnosticNote | string)[];
  readonly helps?: readonly string[];
  readonly fixes?: readonly Fix[];
  readonly position?: number;
}

/**
 * Builds a diagnostic. Plain strings in `notes` are notes; `helps` are appended after them,
 * which is the order the language's catalogue uses. Pass `DiagnosticNote` objects in `notes`
 * to interleave notes and helps freely.
 */
export function diagnostic(init: DiagnosticInit): Diagnostic {
  const notes: DiagnosticNote[] = (init.notes ?? []).map((n) =>
    typeof n === "string" ? { kind: "note", message: n } : n,
  );
  for (const h of init.helps ?? []) notes.push({ kind: "help", message: h });
  const d: Diagnostic = {
    severity: init.severity ?? "error",
    code: init.code,
    message: init.message,
    file: init.file,
    primary: init.primary,
    secondary: init.secondary ?? [],
    notes,
    fixes: init.fixes ?? [],
  };
  return init.position === undefined ? d : { ...d, position: init.position };
}

/** Whether any diagnostic in the list is an error. */
export function hasErrors(diagnostics: Iterable<Diagnostic>): boolean {
  for (const d of diagnostics) if (d.severity === "error") return true;
  return false;
}

/**
 * The result of a phase function: phases never throw on user input, they return a value
 * together with everything they found wrong.
 */
export interface Result<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

/** Applies non-overlapping edits to `text`, in any order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}
