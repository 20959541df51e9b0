import { eastAsianWidth } from "get-east-asian-width";

/** How many terminal columns a tab takes in a rendered source line (LANGUAGE.md §8.1). */
export const TAB_DISPLAY_WIDTH = 4;

const combiningMark = /^[\p{Mn}\p{Me}]$/u;

/** Zero-width spaces, joiners, direction marks, the word joiner and variation selectors. */
function isZeroWidthFormat(cp: number): boolean {
  return (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 || (cp >= 0xfe00 && cp <= 0xfe0f);
}

/**
 * The number of terminal columns one code point takes: 4 for a tab, 0 for combining marks
 * and other zero-width characters, 2 for East Asian wide and full-width characters (which
 * include emoji with emoji presentation), 1 otherwise.
 */
export function codePointWidth(codePoint: number): number {
  if (codePoint === 9) return TAB_DISPLAY_WIDTH;
  if (codePoint < 0x300) return 1;
  if (isZeroWidthFormat(codePoint) || combiningMark.test(String.fromCodePoint(codePoint))) return 0;
  return eastAsianWidth(codePoint);
}

/** The number of terminal columns `text` takes when printed on one line. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += codePointWidth(ch.codePointAt(0)!);
  return width;
}

/** `text` with each tab replaced by {@link TAB_DISPLAY_WIDTH} spaces. */
export function expandTabs(text: string): string {
  return text.includes("\t") ? text.replace(/\t/g, " ".repeat(TAB_DISPLAY_WIDTH)) : text;
}
