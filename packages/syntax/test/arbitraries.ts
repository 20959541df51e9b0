// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza source text uses `${…}`.
import fc from "fast-check";

/** Fragments of Cadenza source: tokens, layout, and the pieces of broken tokens. */
const PIECES: readonly string[] = [
  "a",
  "b",
  "f",
  "x1",
  "_",
  "λ",
  "你好",
  "🎉",
  "1",
  "2.5",
  "3e4",
  "1_000",
  "25meter",
  "if",
  "then",
  "else",
  "let",
  "fn",
  "match",
  "quote",
  "for",
  "in",
  " ",
  " ",
  " ",
  "  ",
  "\t",
  "\n",
  "\n",
  "\n    ",
  "\n  ",
  "\n        ",
  "\n\t",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ",",
  ";",
  "`",
  "+",
  "-",
  "*",
  "/",
  "**",
  "=",
  "==",
  "=>",
  "->",
  "<-",
  "|>",
  "|?",
  "?",
  ".",
  "..",
  "..=",
  "...",
  "::",
  ":",
  "!",
  "~",
  "$",
  "@",
  "\\",
  '"',
  "'",
  "'a'",
  "''",
  "'ab'",
  '"s"',
  '"a\\nb"',
  '"\\x"',
  '"\\u{1F30D}"',
  '"\\u{zz}"',
  ':"',
  ':"s"',
  '$"',
  "${",
  "#",
  "## ",
  "# c",
  "&&",
  "||",
  "<",
  ">=",
  "%",
  "^",
  "&",
  "|",
  "<<=",
  "\r",
  "é",
  "\u00a0",
  "0",
  "999999999999999999999999999999999999999999",
];

/** Arbitrary soup of Cadenza fragments: mostly nonsense, but in the language's vocabulary. */
export const cadenzaSoup: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 60 })
  .map((parts) => parts.join(""));

/** Well-formed little programs built from templates, so that edits hit real structure. */
export const cadenzaProgram: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      "let x = 1\n",
      "fn add x y = x + y\n",
      "fn f n =\n    match n\n        0 => 1\n        n => n * f n - 1\n",
      "let r = { a = 1, b = [1, 2, 3] }\n",
      "## Docs.\n@attr\nfn g = 42\n",
      "if a then\n    b\nelse\n    c\n",
      "xs |> List.map \\x -> x * 2\n",
      'let s = $"a ${b} c"\n',
      "foo (\n    a + b\n) c d\n",
      "quote\n    ${x} + ${y}\n",
      "# a comment\n",
      "\n",
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

/** Any string at all, including lone surrogates and control characters. */
export const anyText: fc.Arbitrary<string> = fc.string({ unit: "binary", maxLength: 80 });

/** A text with a list of non-overlapping edits against it (offsets into the text). */
export interface Edited {
  readonly text: string;
  readonly edits: readonly {
    readonly span: { readonly start: number; readonly end: number };
    readonly newText: string;
  }[];
}

/** Builds random edits for `text`, from fragments of the soup vocabulary. */
export function editsFor(text: string): fc.Arbitrary<Edited["edits"]> {
  return fc
    .array(
      fc.record({
        at: fc.nat({ max: text.length }),
        length: fc.nat({ max: 6 }),
        newText: fc.oneof(
          cadenzaSoup.map((s) => s.slice(0, 8)),
          fc.constantFrom("", " ", "\n", "    "),
        ),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((raw) => {
      const sorted = [...raw].sort((a, b) => a.at - b.at);
      const edits: { span: { start: number; end: number }; newText: string }[] = [];
      let floor = 0;
      for (const r of sorted) {
        const start = Math.max(r.at, floor);
        if (start > text.length) break;
        const end = Math.min(text.length, start + r.length);
        edits.push({ span: { start, end }, newText: r.newText });
        floor = end + 1;
      }
      return edits;
    });
}
