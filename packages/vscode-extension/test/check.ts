import { expect } from "vitest";
import { dump, type Token, tokenize } from "./textmate.ts";

/**
 * `[text, scope, …]`: the next occurrence of `text` (after the previous expectation's) must
 * be exactly a run of whole tokens, and every token of the run must carry each listed scope
 * (as a substring of one of its scopes). A scope written `!name` must appear on none of them.
 */
export type Expectation = readonly [text: string, ...scopes: string[]];

/** The problems found when checking `expectations` against the tokens of `source`. */
export async function scopeProblems(
  source: string,
  expectations: readonly Expectation[],
): Promise<string[]> {
  const { text, tokens } = await tokenize(source);
  const problems: string[] = [];
  let cursor = 0;
  for (const [needle, ...scopes] of expectations) {
    const start = text.indexOf(needle, cursor);
    if (start < 0) {
      problems.push(`${JSON.stringify(needle)}: not found after offset ${cursor}`);
      continue;
    }
    const end = start + needle.length;
    cursor = end;
    const run = tokens.filter((t) => t.end > start && t.start < end);
    const where = `${JSON.stringify(needle)} at ${start}`;
    if (run[0]?.start !== start || run.at(-1)?.end !== end) {
      problems.push(`${where}: not a whole run of tokens:\n${dump(run)}`);
      continue;
    }
    for (const scope of scopes) {
      const negated = scope.startsWith("!");
      const name = negated ? scope.slice(1) : scope;
      const bad = run.filter((t: Token) => t.scopes.some((s) => s.includes(name)) === negated);
      if (bad.length > 0)
        problems.push(`${where}: ${negated ? "unexpected" : "missing"} ${name}:\n${dump(bad)}`);
    }
  }
  return problems;
}

/** Asserts `expectations` against the tokens of `source`, reporting every problem at once. */
export async function check(source: string, expectations: readonly Expectation[]): Promise<void> {
  expect(await scopeProblems(source, expectations)).toEqual([]);
}
