import { readFileSync } from "node:fs";
import { SourceFile, type Span } from "@cadenza/core";
import { analyzeSource, type FileAnalysis } from "../src/index.ts";

/** A source with its markers removed and analysed. */
export interface Fixture {
  readonly file: FileAnalysis;
  readonly text: string;
  /** The offset of `$0`, the cursor (0 when absent). */
  readonly cursor: number;
  /** The offsets of `$0`, `$1`, … by number. */
  readonly markers: ReadonlyMap<number, number>;
}

/**
 * Analyses `marked`, a Cadenza source where `$0` marks the cursor and `$1`, `$2`, … other
 * positions (none of these is valid Cadenza, so they never clash with the program).
 */
export function fixture(marked: string, name = "test.cdz"): Fixture {
  const markers = new Map<number, number>();
  let text = "";
  let last = 0;
  for (const m of marked.matchAll(/\$(\d)/g)) {
    text += marked.slice(last, m.index);
    markers.set(Number(m[1]), text.length);
    last = m.index + m[0].length;
  }
  text += marked.slice(last);
  return {
    file: analyzeSource(new SourceFile(name, text)),
    text,
    cursor: markers.get(0) ?? 0,
    markers,
  };
}

/** The text of a fixture file in `test/fixtures/`. */
export function readFixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}

/** The source text of a span. */
export function textOf(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

/** `line:column` (1-based) of an offset, for readable expectations. */
export function where(file: FileAnalysis, offset: number): string {
  const { line, column } = file.source.lineColumn(offset);
  return `${line}:${column}`;
}
