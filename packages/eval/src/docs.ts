import type { Span } from "@cadenza/core";
import { apply, ident, literal, type Tree } from "./tree.js";

/** One Markdown block of a documentation comment. */
type Block =
  | { readonly kind: "heading"; readonly level: number; readonly text: string }
  | { readonly kind: "code"; readonly info: string; readonly content: string }
  | { readonly kind: "list"; readonly items: readonly string[] }
  | { readonly kind: "paragraph"; readonly text: string };

const FENCE = /^\s{0,3}```\s*(.*)$/;
const HEADING = /^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*$/;
const ITEM = /^\s{0,3}[-*]\s+(.*)$/;

function parseBlocks(text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const content: string[] = [];
      i++;
      while (i < lines.length && !/^\s{0,3}```\s*$/.test(lines[i]!)) content.push(lines[i++]!);
      i++; // the closing fence (or the end)
      blocks.push({ kind: "code", info: fence[1]!.trim(), content: content.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: "heading", level: heading[1]!.length, text: heading[2] ?? "" });
      i++;
      continue;
    }
    if (ITEM.test(line)) {
      const items: string[] = [];
      while (i < lines.length) {
        const m = ITEM.exec(lines[i]!);
        if (!m) break;
        items.push(m[1]!.trim());
        i++;
      }
      blocks.push({ kind: "list", items });
      continue;
    }
    const parts: string[] = [];
    while (i < lines.length) {
      const l = lines[i]!;
      if (l.trim() === "" || FENCE.test(l) || HEADING.test(l) || ITEM.test(l)) break;
      parts.push(l.trim());
      i++;
    }
    blocks.push({ kind: "paragraph", text: parts.join(" ") });
  }
  return blocks;
}

const WORD = /[\p{L}\p{N}_]/u;

/**
 * Inline Markdown: `` `c` `` → `(code_inline "c")`, `**s**` → `(strong "s")`, `*e*` and
 * `_e_` → `(em "e")` (underscores only at word boundaries, so `snake_case` stays text).
 * An opener without a closer is plain text.
 */
function parseInline(text: string, span: Span): Tree[] {
  const out: Tree[] = [];
  let buffer = "";
  const flush = (): void => {
    if (buffer !== "") out.push(literal({ type: "string", value: buffer }, span));
    buffer = "";
  };
  const node = (head: string, inner: string): void => {
    flush();
    out.push(apply(ident(head, span), [literal({ type: "string", value: inner }, span)], span));
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > i) {
        node("code_inline", text.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    } else if (c === "*" && text[i + 1] === "*") {
      const end = text.indexOf("**", i + 2);
      if (end > i + 2) {
        node("strong", text.slice(i + 2, end));
        i = end + 2;
        continue;
      }
    } else if (c === "*") {
      const end = text.indexOf("*", i + 1);
      if (end > i + 1) {
        node("em", text.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    } else if (c === "_" && (i === 0 || !WORD.test(text[i - 1]!))) {
      let end = text.indexOf("_", i + 1);
      while (end > 0 && end + 1 < text.length && WORD.test(text[end + 1]!))
        end = text.indexOf("_", end + 1);
      if (end > i + 1) {
        node("em", text.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    buffer += c;
    i++;
  }
  flush();
  return out;
}

function blockTree(b: Block, span: Span): Tree {
  const str = (s: string): Tree => literal({ type: "string", value: s }, span);
  switch (b.kind) {
    case "heading":
      return apply(ident(`h${b.level}`, span), parseInline(b.text, span), span);
    case "code":
      return apply(ident("code", span), [str(b.info), str(b.content)], span);
    case "list":
      return apply(
        ident("ul", span),
        b.items.map((item) => apply(ident("li", span), parseInline(item, span), span)),
        span,
      );
    case "paragraph":
      return apply(ident("p", span), parseInline(b.text, span), span);
  }
}

/**
 * The documentation of a binding as syntax (LANGUAGE.md §5.10): no blocks → `()`, one block
 * → that node, several → `(__block__ b1 … bn)`. Every node gets `span`.
 */
export function docToSyntax(text: string | undefined, span: Span): Tree {
  const blocks = text === undefined ? [] : parseBlocks(text);
  if (blocks.length === 0) return apply(ident("__tuple__", span), [], span);
  if (blocks.length === 1) return blockTree(blocks[0]!, span);
  return apply(
    ident("__block__", span),
    blocks.map((b) => blockTree(b, span)),
    span,
  );
}

/** How a doctest is run by `cadenza test`. */
export type DoctestMode = "run" | "must-panic" | "skip";

/** A fenced code block of a documentation comment that is (or is not) a doctest. */
export interface Doctest {
  /** The info string of the fence (`""`, `test`, `must_panic`, `no_test`, a language). */
  readonly info: string;
  readonly code: string;
  readonly mode: DoctestMode;
}

/**
 * The fenced blocks of a documentation text with their doctest modes: no info string or
 * `test` → run; `must_panic` → must fail; `no_test` and other languages → skipped.
 */
export function doctests(text: string): Doctest[] {
  return parseBlocks(text)
    .filter((b): b is Block & { kind: "code" } => b.kind === "code")
    .map((b) => ({
      info: b.info,
      code: b.content,
      mode:
        b.info === "" || b.info === "test"
          ? "run"
          : b.info === "must_panic"
            ? "must-panic"
            : "skip",
    }));
}

/**
 * Replaces the doctest placeholders: `$item` by the documented item's name, and the module
 * and package qualifiers `$module.` and `$pkg.` by nothing (a doctest runs inside its module).
 */
export function substitutePlaceholders(code: string, itemName: string): string {
  return code.replace(/\$item\b/g, itemName).replace(/\$(module|pkg)\./g, "");
}
