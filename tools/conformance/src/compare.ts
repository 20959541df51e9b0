import { stripVTControlCharacters } from "node:util";
import { diffLines } from "diff";

/**
 * Normalises an output for comparison (LANGUAGE.md §9 and the runner's contract): ANSI escapes
 * removed, trailing whitespace removed from every line, trailing empty lines dropped.
 */
export function normalizeOutput(text: string): string {
  return stripVTControlCharacters(text)
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n+$/, "");
}

/** Whether `actual` matches `expected` once both are normalised. */
export function outputsMatch(expected: string, actual: string): boolean {
  return normalizeOutput(expected) === normalizeOutput(actual);
}

/**
 * A short line diff of the normalised outputs: `-` expected, `+` actual, with one line of
 * context around each change and at most `maxLines` lines.
 */
export function shortDiff(expected: string, actual: string, maxLines = 12): string[] {
  const parts = diffLines(`${normalizeOutput(expected)}\n`, `${normalizeOutput(actual)}\n`);
  const out: string[] = [];
  parts.forEach((part, i) => {
    const lines = part.value.replace(/\n$/, "").split("\n");
    if (part.added) out.push(...lines.map((l) => `+ ${l}`));
    else if (part.removed) out.push(...lines.map((l) => `- ${l}`));
    else {
      // Unchanged: keep the line next to each neighbouring change.
      const before = i > 0 ? lines.slice(0, 1) : [];
      const after = i < parts.length - 1 ? lines.slice(-1) : [];
      if (lines.length > 2 && before.length && after.length) {
        out.push(`  ${before[0]}`, "  …", `  ${after[0]}`);
      } else {
        out.push(...[...new Set([...before, ...after])].map((l) => `  ${l}`));
      }
    }
  });
  return out.length > maxLines
    ? [...out.slice(0, maxLines), `  … (${out.length - maxLines} more lines)`]
    : out;
}
