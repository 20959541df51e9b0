/**
 * Folding ranges from the Lezer tree: indented blocks (folded under the line that opens
 * them), brackets that span lines, and runs of comment or documentation lines.
 */
import type { FileAnalysis } from "./analysis.js";

/** A foldable region, as offsets; editors fold the lines after the first. */
export interface FoldingRange {
  readonly start: number;
  readonly end: number;
  readonly kind: "region" | "comment";
}

const BRACKETS = new Set(["List", "Record", "Group", "Params"]);

/** The folding ranges of a file, in source order, each spanning at least two lines. */
export function foldingRanges(file: FileAnalysis): FoldingRange[] {
  const { source } = file;
  const out: FoldingRange[] = [];
  const line = (offset: number): number => source.lineIndexAt(offset);
  const add = (start: number, end: number, kind: FoldingRange["kind"]): void => {
    if (line(end) > line(start)) out.push({ start, end, kind });
  };
  let commentRun: { start: number; end: number; line: number; doc: boolean } | undefined;
  const flush = (): void => {
    if (commentRun !== undefined) add(commentRun.start, commentRun.end, "comment");
    commentRun = undefined;
  };
  const cursor = file.parse.tree.cursor();
  do {
    const name = cursor.type.name;
    if (name === "Comment" || name === "DocComment") {
      const doc = name === "DocComment";
      const l = line(cursor.from);
      if (commentRun !== undefined && commentRun.line === l - 1 && commentRun.doc === doc) {
        commentRun = { ...commentRun, end: cursor.to, line: l };
      } else {
        flush();
        commentRun = { start: cursor.from, end: cursor.to, line: l, doc };
      }
      continue;
    }
    if (name === "Block" && cursor.to > cursor.from) {
      // Fold from the end of the line that opens the block (the line before its first item).
      let first = cursor.from;
      while (first < cursor.to && /\s/.test(source.text[first]!)) first++;
      const opener = line(first) - 1;
      if (opener >= 0) add(source.lineEnd(opener + 1), trimEnd(source.text, cursor.to), "region");
    } else if (BRACKETS.has(name)) {
      add(cursor.from, cursor.to, "region");
    }
  } while (cursor.next());
  flush();
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

function trimEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1]!)) e--;
  return e;
}
