import {
  conformanceDir,
  loadCases,
  loadSyntaxCases,
  MISSING_CONFORMANCE,
} from "@cadenza/test-support";
import { describe, expect, it } from "vitest";
import { dump, type Token, tokenize } from "./textmate.ts";

/** Every shared `.cdz` program: the executable cases and the parser inputs. */
interface Program {
  readonly id: string;
  readonly text: string;
  /** Whether the program may contain lexically invalid tokens. */
  readonly mayBeInvalid: boolean;
  /** Whether the expected output reports an error the lexer finds. */
  readonly lexicalError: boolean;
  /** Whether the expected output reports a string without closing quote. */
  readonly unterminatedString: boolean;
}

const dir = conformanceDir();
const LEXICAL =
  /^error: (unknown escape sequence|invalid unicode escape|unterminated character literal|empty character literal|character literal contains multiple characters)/m;

const programs: Program[] = dir
  ? [
      ...loadCases(dir).map((c) => ({
        id: c.id,
        text: c.input,
        mayBeInvalid: c.kind === "error",
        lexicalError: c.kind === "error" && LEXICAL.test(c.expected ?? ""),
        unterminatedString:
          c.kind === "error" && /^error: unterminated string literal/m.test(c.expected ?? ""),
      })),
      ...loadSyntaxCases(dir).map((c) => ({
        id: `syntax/${c.file}`,
        text: c.text,
        mayBeInvalid: !c.valid,
        lexicalError: false,
        unterminatedString: false,
      })),
    ]
  : [];

const has = (t: Token, scope: string): boolean => t.scopes.some((s) => s.includes(scope));
const inText = (t: Token): boolean =>
  has(t, "string.") || has(t, "constant.other.symbol") || has(t, "comment.");
const NUMBER = /^\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?$/;

/** What is wrong with the tokens of one program; empty when nothing is. */
function problems(program: Program, tokens: readonly Token[]): string[] {
  const found: string[] = [];
  const report = (what: string, bad: readonly Token[]): void => {
    if (bad.length > 0) found.push(`${what}:\n${dump(bad)}`);
  };
  report(
    "non-blank text with no scope",
    tokens.filter((t) => t.text.trim() !== "" && t.scopes.length < 2),
  );
  // Outside strings, symbols and comments a token starts with a digit exactly when it is a number.
  const code = tokens.filter(
    (t) => !inText(t) || has(t, "meta.embedded") || has(t, "meta.unquote"),
  );
  report(
    "digits without a numeric scope",
    code.filter((t) => /^\d/.test(t.text) && !has(t, "constant.numeric")),
  );
  report(
    "numeric scope on a non-number",
    code.filter((t) => has(t, "constant.numeric") && !NUMBER.test(t.text)),
  );
  report(
    "`#` outside a string or comment",
    tokens.filter((t) => t.text.includes("#") && !inText(t)),
  );
  // A comment runs to the end of its line.
  report(
    "code after a comment on the same line",
    tokens.filter((t, i) =>
      tokens
        .slice(0, i)
        .some(
          (c) =>
            has(c, "comment.") &&
            !has(t, "comment.") &&
            !program.text.slice(c.end, t.start).includes("\n"),
        ),
    ),
  );
  if (!program.mayBeInvalid)
    report(
      "invalid token in a valid program",
      tokens.filter((t) => has(t, "invalid")),
    );
  if (program.lexicalError && !tokens.some((t) => has(t, "invalid")))
    found.push("a lexical error the grammar does not mark invalid");
  // An unterminated string runs to the end of the input (LANGUAGE.md §2).
  const last = tokens.filter((t) => t.text.trim() !== "").at(-1);
  if (program.unterminatedString && !(last && has(last, "string.quoted")))
    found.push("an unterminated string that does not run to the end of the input");
  return found;
}

describe.skipIf(!dir)("TextMate grammar on every shared conformance program", () => {
  it("has programs, numbers and comments to check", async () => {
    expect(programs.length).toBeGreaterThan(250);
    expect(programs.filter((p) => p.lexicalError).length).toBeGreaterThanOrEqual(2);
    expect(programs.filter((p) => p.unterminatedString)).toHaveLength(1);
    let numbers = 0;
    let docComments = 0;
    let lineComments = 0;
    for (const p of programs) {
      const { tokens } = await tokenize(p.text);
      numbers += tokens.filter((t) => has(t, "constant.numeric")).length;
      docComments += tokens.filter((t) => has(t, "comment.block.documentation")).length;
      lineComments += tokens.filter((t) => has(t, "comment.line")).length;
    }
    expect(numbers).toBeGreaterThan(300);
    expect(docComments).toBeGreaterThan(20);
    expect(lineComments).toBeGreaterThan(3);
  });

  it.each(programs.map((p) => [p.id, p] as const))("%s", async (_id, program) => {
    const { tokens } = await tokenize(program.text);
    expect(problems(program, tokens)).toEqual([]);
  });

  it("marks every doc-comment line of the documentation cases", async () => {
    for (const p of programs.filter((p) => p.id.startsWith("07-documentation/"))) {
      const { text, tokens } = await tokenize(p.text);
      let offset = 0;
      for (const line of text.split("\n")) {
        const at = offset + line.indexOf("##");
        if (line.trimStart().startsWith("##"))
          expect(
            tokens.find((t) => t.start === at)?.scopes,
            `${p.id}: ${JSON.stringify(line)}`,
          ).toContain("comment.block.documentation.cadenza");
        offset += line.length + 1;
      }
    }
  });
});

if (!dir) console.warn(`vscode-extension grammar: ${MISSING_CONFORMANCE}`);
