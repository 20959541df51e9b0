import { SourceFile } from "@cadenza/core";
import { type EvalOptions, type EvalResult, evaluate } from "../../src/evaluate.js";
import type { Tree } from "../../src/tree.js";

/**
 * Reads S-expressions into trees, so that evaluator tests do not depend on the parser:
 * `(= (let x) 1)` is the tree the parser makes for `let x = 1`. Literals: `42`, `1.5`,
 * `"text"` (escapes `\n \t \\ \"`), `'c'`, `:"sym"`; anything else is an identifier.
 * Spans are offsets into the text.
 */
export function sexpr(text: string): Tree[] {
  let i = 0;
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const decode = (s: string): string =>
    s.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", r: "\r", "0": "\0" })[c] ?? c);
  const readQuoted = (quote: string): string => {
    const start = ++i;
    while (i < text.length && text[i] !== quote) i += text[i] === "\\" ? 2 : 1;
    const raw = text.slice(start, i);
    i++;
    return decode(raw);
  };
  const read = (): Tree => {
    skip();
    const start = i;
    const c = text[i];
    if (c === "(") {
      i++;
      const parts: Tree[] = [];
      skip();
      while (i < text.length && text[i] !== ")") {
        parts.push(read());
        skip();
      }
      i++;
      const span = { start, end: i };
      if (parts.length === 0) throw new Error(`empty application at ${start}`);
      return { kind: "apply", callee: parts[0]!, args: parts.slice(1), span };
    }
    if (c === '"') {
      const value = readQuoted('"');
      return { kind: "literal", value: { type: "string", value }, span: { start, end: i } };
    }
    if (c === "'") {
      const value = readQuoted("'");
      return { kind: "literal", value: { type: "char", value }, span: { start, end: i } };
    }
    if (c === ":" && text[i + 1] === '"') {
      i++;
      const value = readQuoted('"');
      return { kind: "literal", value: { type: "symbol", value }, span: { start, end: i } };
    }
    while (i < text.length && !/[\s()]/.test(text[i]!)) i++;
    const word = text.slice(start, i);
    const span = { start, end: i };
    if (/^\d[\d_]*$/.test(word)) {
      return {
        kind: "literal",
        value: { type: "integer", value: BigInt(word.replace(/_/g, "")) },
        span,
      };
    }
    if (/^\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?$/.test(word)) {
      return {
        kind: "literal",
        value: { type: "float", value: Number(word.replace(/_/g, "")) },
        span,
      };
    }
    if (word === "<error>") return { kind: "error", span };
    return { kind: "ident", name: word, span };
  };
  const out: Tree[] = [];
  skip();
  while (i < text.length) {
    out.push(read());
    skip();
  }
  return out;
}

/** Evaluates S-expression items; the source text is the S-expression text itself. */
export function evalSexpr(text: string, options?: EvalOptions): EvalResult {
  return evaluate(new SourceFile("test.cdz", text), sexpr(text), options);
}

/** The transcript lines of an S-expression program, or the diagnostic messages when it fails. */
export function run(text: string): string[] {
  const r = evalSexpr(text);
  if (r.diagnostics.length > 0)
    return r.diagnostics.map((d) => `error: ${d.message} [${d.primary.message}]`);
  return r.entries.map((e) => e.text);
}
