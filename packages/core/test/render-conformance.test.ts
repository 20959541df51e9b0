import { conformanceDir, loadCases, MISSING_CONFORMANCE } from "@cadenza/test-support";
import { describe, expect, it } from "vitest";
import { type Diagnostic, diagnostic, type Label } from "../src/diagnostic.js";
import { renderDiagnostics } from "../src/render.js";
import { normalizeSource, SourceFile } from "../src/source.js";
import { codePointWidth } from "../src/width.js";

/**
 * Reads a rendering of LANGUAGE.md §8.1 back into diagnostics: spans come from the marker runs
 * (mapped from display columns to offsets in `source`), label texts from the text after the
 * markers and from the connector lines, the position from the `-->` line. Rendering the result
 * must give back the expected text exactly.
 */
function parseRendering(text: string, source: SourceFile): Diagnostic[] {
  const blocks = text.replace(/\n$/, "").split(/\n\n(?=(?:error|warning|info|hint): )/);
  return blocks.map((block) => parseOne(block.split("\n"), source));
}

function parseOne(lines: string[], source: SourceFile): Diagnostic {
  const header = /^(error|warning|info|hint): (.*)$/.exec(lines[0]!)!;
  const arrow = /^( *)--> (.*):(\d+):(\d+)$/.exec(lines[1]!)!;
  const gutter = arrow[1]!.length + 1;
  type Parsed = { span: Label["span"]; message: string; primary: boolean };
  const labels: Parsed[] = [];
  const notes: { kind: "note" | "help"; message: string }[] = [];
  let currentLine = 0;
  let pending: { column: number; label: Parsed }[] = [];
  for (const line of lines.slice(2)) {
    const sourceLine = /^ *(\d+) \|(?: (.*))?$/.exec(line);
    const note = /^ *= (note|help): (.*)$/.exec(line);
    if (sourceLine) {
      currentLine = Number(sourceLine[1]);
      pending = [];
    } else if (note) {
      notes.push({ kind: note[1] as "note" | "help", message: note[2]! });
    } else if (line.startsWith(`${" ".repeat(gutter)}|`) && currentLine > 0) {
      const content = line.slice(gutter + 2);
      if (pending.length === 0 && /[\^-]/.test(content)) {
        // The marker line: runs of ^ or -, then the rightmost label's text.
        const markers = /^[ ^-]*[\^-]/.exec(content)![0];
        const runs = [...markers.matchAll(/\^+|-+/g)];
        for (const run of runs) {
          const column = run.index!;
          const start = offsetOfDisplayColumn(source, currentLine, column);
          const end = offsetOfDisplayColumn(source, currentLine, column + run[0].length);
          const label = { span: { start, end }, message: "", primary: run[0][0] === "^" };
          labels.push(label);
          pending.push({ column, label });
        }
        const last = runs[runs.length - 1]!;
        const rest = content.slice(last.index! + last[0].length);
        if (rest.startsWith(" ")) pending[pending.length - 1]!.label.message = rest.slice(1);
      } else {
        const textAt = /^[ |]*([^ |].*)$/.exec(content);
        if (textAt) {
          const column = content.length - textAt[1]!.length;
          const target = pending.find((p) => p.column === column);
          if (target) target.label.message = textAt[1]!;
        }
      }
    }
  }
  const primary = labels.find((l) => l.primary)!;
  const position = source.offsetAt({ line: Number(arrow[3]), column: Number(arrow[4]) });
  return diagnostic({
    severity: header[1] as Diagnostic["severity"],
    code: "conformance/expected",
    message: header[2]!,
    file: arrow[2]!,
    primary: { span: primary.span, message: primary.message },
    secondary: labels.filter((l) => !l.primary).map((l) => ({ span: l.span, message: l.message })),
    notes,
    ...(position === primary.span.start ? {} : { position }),
  });
}

/** The offset in `line` whose display column (tabs 4, wide characters 2) is `column`. */
function offsetOfDisplayColumn(source: SourceFile, line: number, column: number): number {
  let offset = source.lineStart(line);
  const end = source.lineEnd(line);
  let width = 0;
  while (width < column && offset < end) {
    const cp = source.text.codePointAt(offset)!;
    width += codePointWidth(cp);
    offset += cp > 0xffff ? 2 : 1;
  }
  // Markers past the end of the line stand for the end of the line (an empty span there).
  return offset;
}

const dir = conformanceDir();
// Non-suspect error cases whose expected output is only diagnostics (D8).
const cases = dir
  ? loadCases(dir).filter(
      (c) => c.kind === "error" && c.status !== "suspect" && c.expected?.startsWith("error: "),
    )
  : [];

describe.skipIf(!dir)("renderer against the conformance error outputs", () => {
  it("has error cases to compare", () => {
    expect(cases.length).toBeGreaterThan(15);
  });
  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const source = new SourceFile("test.cdz", normalizeSource(c.input));
    const expected = c.expected ?? "";
    const diagnostics = parseRendering(expected, source);
    expect(renderDiagnostics(diagnostics, () => source)).toBe(expected);
  });
});

if (!dir) console.warn(`render-conformance: ${MISSING_CONFORMANCE}`);
