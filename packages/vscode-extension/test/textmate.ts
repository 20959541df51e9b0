import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";

/** One token of a whole document: UTF-16 offsets into the source and the TextMate scopes. */
export interface Token {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

const require = createRequire(import.meta.url);
const grammarPath = fileURLToPath(new URL("../syntaxes/cadenza.tmLanguage.json", import.meta.url));

let grammarPromise: Promise<textmate.IGrammar> | undefined;

/** Loads the grammar once, with Oniguruma's WebAssembly build read from the installed package. */
export function loadGrammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
    await oniguruma.loadWASM(
      wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
    );
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === "source.cadenza"
          ? textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath)
          : null,
    });
    const grammar = await registry.loadGrammar("source.cadenza");
    if (!grammar) throw new Error("source.cadenza did not load");
    return grammar;
  })();
  return grammarPromise;
}

/**
 * Tokenises a whole document line by line, as the editor does (LANGUAGE.md §2 line breaks:
 * `\r\n` and `\r` count as `\n`). Offsets are UTF-16 code units into the normalised text.
 */
export async function tokenize(source: string): Promise<{ text: string; tokens: Token[] }> {
  const grammar = await loadGrammar();
  const text = source.replace(/\r\n?/g, "\n");
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  let offset = 0;
  for (const line of text.split("\n")) {
    const result = grammar.tokenizeLine(line, state);
    for (const t of result.tokens) {
      const start = Math.min(t.startIndex, line.length);
      const end = Math.min(t.endIndex, line.length);
      if (end > start)
        tokens.push({
          start: offset + start,
          end: offset + end,
          text: line.slice(start, end),
          scopes: t.scopes,
        });
    }
    state = result.ruleStack;
    offset += line.length + 1;
  }
  return { text, tokens };
}

/** A readable dump of the tokens, one per line: `text  scope scope …`. */
export function dump(tokens: readonly Token[]): string {
  return tokens.map((t) => `${JSON.stringify(t.text)}  ${t.scopes.slice(1).join(" ")}`).join("\n");
}
