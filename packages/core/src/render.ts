import { createColors } from "picocolors";
import type { Diagnostic, Label, Severity } from "./diagnostic.js";
import type { SourceFile } from "./source.js";
import { displayWidth, expandTabs } from "./width.js";

/** Options of the terminal renderer. */
export interface RenderOptions {
  /** Emit ANSI colours. Decide with {@link shouldUseColor}; the default is no colour. */
  readonly color?: boolean;
}

type Colors = ReturnType<typeof createColors>;

interface PlacedLabel {
  readonly label: Label;
  readonly primary: boolean;
  /** 1-based line where the label starts. */
  readonly line: number;
  /** 0-based display column of the first marker. */
  readonly column: number;
  /** Number of markers (at least one). */
  readonly width: number;
}

/**
 * Renders one diagnostic in the format of LANGUAGE.md §8.1, ending with a newline.
 *
 * `source` must be the file the diagnostic's spans refer to.
 */
export function renderDiagnostic(
  diagnostic: Diagnostic,
  source: SourceFile,
  options: RenderOptions = {},
): string {
  const c = createColors(options.color ?? false);
  const placed = [
    ...diagnostic.secondary.map((label) => place(source, label, false)),
    place(source, diagnostic.primary, true),
  ];
  const shownLines = [...new Set(placed.map((p) => p.line))].sort((a, b) => a - b);
  const gutterWidth = String(shownLines[shownLines.length - 1]).length;
  const pad = " ".repeat(gutterWidth + 1);
  const bar = c.bold(c.blue("|"));
  const position = source.lineColumn(diagnostic.position ?? diagnostic.primary.span.start);

  const out: string[] = [
    `${severityText(c, diagnostic.severity)}${c.bold(`: ${diagnostic.message}`)}`,
    `${" ".repeat(gutterWidth)}${c.bold(c.blue("-->"))} ${source.name}:${position.line}:${position.column}`,
    `${pad}${bar}`,
  ];
  let previous = 0;
  for (const line of shownLines) {
    if (previous !== 0 && line > previous + 1) out.push(c.bold(c.blue("...")));
    previous = line;
    const text = expandTabs(source.lineText(line)).trimEnd();
    const number = c.bold(c.blue(String(line).padStart(gutterWidth)));
    out.push(text === "" ? `${number} ${bar}` : `${number} ${bar} ${text}`);
    const onLine = placed.filter((p) => p.line === line);
    for (const row of labelRows(onLine, diagnostic.severity, c)) {
      out.push(row === "" ? `${pad}${bar}` : `${pad}${bar} ${row}`);
    }
  }
  out.push(`${pad}${bar}`);
  for (const note of diagnostic.notes) {
    out.push(`${pad}${c.bold(c.blue("="))} ${c.bold(note.kind)}: ${note.message}`);
  }
  return `${out.join("\n")}\n`;
}

/**
 * Renders several diagnostics, separated by one empty line. `sourceOf` returns the file a
 * diagnostic refers to (by its `file` name).
 */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sourceOf: (file: string) => SourceFile,
  options: RenderOptions = {},
): string {
  return diagnostics.map((d) => renderDiagnostic(d, sourceOf(d.file), options)).join("\n");
}

/**
 * Whether to colour output written to a stream: never when `NO_COLOR` is set (to anything
 * non-empty), always when `FORCE_COLOR` is set to something other than `0`, else only on a TTY.
 */
export function shouldUseColor(
  mode: "auto" | "always" | "never",
  isTTY: boolean,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (mode !== "auto") return mode === "always";
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return isTTY && env.TERM !== "dumb";
}

function severityText(c: Colors, severity: Severity): string {
  switch (severity) {
    case "error":
      return c.bold(c.red("error"));
    case "warning":
      return c.bold(c.yellow("warning"));
    case "info":
      return c.bold(c.cyan("info"));
    case "hint":
      return c.bold(c.green("hint"));
  }
}

function place(source: SourceFile, label: Label, primary: boolean): PlacedLabel {
  const start = Math.max(0, Math.min(label.span.start, source.text.length));
  const { line } = source.lineColumn(start);
  const lineStart = source.lineStart(line);
  const end = Math.min(Math.max(label.span.end, start), source.lineEnd(line));
  const column = displayWidth(source.text.slice(lineStart, start));
  const width = Math.max(1, displayWidth(source.text.slice(start, end)));
  return { label, primary, line, column, width };
}

/**
 * The marker line and the label lines below it for the labels starting on one source line
 * (LANGUAGE.md §8.1): the rightmost label follows its markers; the others are written
 * below from right to left, each under a line of `|` connectors.
 */
function labelRows(labels: readonly PlacedLabel[], severity: Severity, c: Colors): string[] {
  const sorted = [...labels].sort(
    (a, b) => a.column - b.column || Number(a.primary) - Number(b.primary),
  );
  const primaryColor = severity === "error" ? c.red : severity === "warning" ? c.yellow : c.cyan;
  const paint = (p: PlacedLabel, s: string): string =>
    c.bold(p.primary ? primaryColor(s) : c.blue(s));

  // The marker line: secondaries first so that a primary marker wins where spans overlap.
  const cells: { text: string; owner: PlacedLabel | undefined }[] = [];
  const ensure = (n: number): void => {
    while (cells.length < n) cells.push({ text: " ", owner: undefined });
  };
  for (const p of [...sorted].sort((a, b) => Number(a.primary) - Number(b.primary))) {
    ensure(p.column + p.width);
    for (let i = p.column; i < p.column + p.width; i++) {
      cells[i] = { text: p.primary ? "^" : "-", owner: p };
    }
  }
  let markerLine = joinCells(cells, paint);
  const rightmost = sorted[sorted.length - 1]!;
  if (rightmost.label.message !== "") {
    markerLine += ` ${paint(rightmost, rightmost.label.message)}`;
  }
  const rows = [markerLine];

  const pending = sorted.slice(0, -1).filter((p) => p.label.message !== "");
  while (pending.length > 0) {
    const current = pending[pending.length - 1]!;
    rows.push(connectorLine(pending, paint));
    const left = pending.slice(0, -1);
    const textCells: { text: string; owner: PlacedLabel | undefined }[] = [];
    for (const p of left) {
      while (textCells.length < p.column) textCells.push({ text: " ", owner: undefined });
      textCells[p.column] = { text: "|", owner: p };
    }
    while (textCells.length < current.column) textCells.push({ text: " ", owner: undefined });
    rows.push(joinCells(textCells, paint) + paint(current, current.label.message));
    pending.pop();
  }
  return rows.map((r) => r.trimEnd());
}

function connectorLine(
  labels: readonly PlacedLabel[],
  paint: (p: PlacedLabel, s: string) => string,
): string {
  const cells: { text: string; owner: PlacedLabel | undefined }[] = [];
  for (const p of labels) {
    while (cells.length <= p.column) cells.push({ text: " ", owner: undefined });
    cells[p.column] = { text: "|", owner: p };
  }
  return joinCells(cells, paint);
}

/** Joins cells, painting runs that belong to the same label together. */
function joinCells(
  cells: readonly { text: string; owner: PlacedLabel | undefined }[],
  paint: (p: PlacedLabel, s: string) => string,
): string {
  let out = "";
  let i = 0;
  while (i < cells.length) {
    const owner = cells[i]!.owner;
    let run = "";
    while (i < cells.length && cells[i]!.owner === owner) run += cells[i++]!.text;
    out += owner ? paint(owner, run) : run;
  }
  return out;
}
