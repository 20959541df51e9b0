/**
 * Splitting REPL input into entries (LANGUAGE.md §9, last paragraph): lines join the current
 * entry while a delimiter or string is open, after a line ending in an infix operator, and
 * while they are indented; an empty line ends the entry.
 */

/** What the lexical state is at the end of some text. */
export interface InputState {
  /** A string, symbol or interpolated string is still open. */
  readonly inString: boolean;
  /** Brackets opened and not closed (including `${` inside interpolations). */
  readonly openDelimiters: number;
  /** The last token of the last non-blank line is an infix operator (or `then`/`else`/`,`). */
  readonly endsWithOperator: boolean;
}

const TRAILING_OPERATORS: ReadonlySet<string> = new Set([
  "=",
  "->",
  "=>",
  "<-",
  "+",
  "-",
  "*",
  "/",
  "%",
  "**",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "&&",
  "||",
  "|>",
  "..",
  "..=",
  "&",
  "|",
  "^",
  "<<",
  ">>",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "<<=",
  ">>=",
  ":",
  "::",
  ".",
  ",",
  "\\",
]);

const OPERATOR_CHARS = /[=\-+*/%<>!&|^.:,\\?~@$]/;

/** Scans text and reports whether an entry made of it is still open. */
export function scanInput(text: string): InputState {
  // A stack of contexts: "code" (with a bracket count), "string" (plain, no interpolation),
  // "interp" (a `$"…"` or `:"…"` string, where `${` opens code).
  type Frame = { kind: "code"; depth: number } | { kind: "string" } | { kind: "interp" };
  const stack: Frame[] = [{ kind: "code", depth: 0 }];
  let lastToken = "";
  let i = 0;
  while (i < text.length) {
    const top = stack[stack.length - 1]!;
    const c = text[i]!;
    if (top.kind === "string" || top.kind === "interp") {
      if (c === "\\") i += 2;
      else if (c === '"') {
        stack.pop();
        lastToken = '"';
        i++;
      } else if (top.kind === "interp" && c === "$" && text[i + 1] === "{") {
        stack.push({ kind: "code", depth: 1 });
        i += 2;
      } else i++;
      continue;
    }
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "\n") {
      i++;
      continue;
    }
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === '"') {
      const interpolating = text[i - 1] === "$" || text[i - 1] === ":";
      stack.push({ kind: interpolating ? "interp" : "string" });
      i++;
      continue;
    }
    if (c === "'") {
      // A character literal stays on its line.
      let j = i + 1;
      while (j < text.length && text[j] !== "'" && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      i = j + 1;
      lastToken = "'";
      continue;
    }
    if (c === "(" || c === "[" || c === "{") {
      top.depth++;
      lastToken = c;
      i++;
      continue;
    }
    if (c === ")" || c === "]" || c === "}") {
      top.depth--;
      if (top.depth <= 0 && stack.length > 1) stack.pop();
      else if (top.depth < 0) top.depth = 0;
      lastToken = c;
      i++;
      continue;
    }
    if (OPERATOR_CHARS.test(c)) {
      let j = i;
      while (j < text.length && OPERATOR_CHARS.test(text[j]!)) j++;
      lastToken = text.slice(i, j);
      i = j;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()[\]{}"'#,]/.test(text[j]!) && !OPERATOR_CHARS.test(text[j]!))
      j++;
    if (j === i) j++;
    lastToken = text.slice(i, j);
    i = j;
  }
  const top = stack[stack.length - 1]!;
  const inString = top.kind !== "code" || stack.some((f) => f.kind !== "code");
  const openDelimiters = stack.reduce((n, f) => n + (f.kind === "code" ? f.depth : 0), 0);
  const endsWithOperator =
    (TRAILING_OPERATORS.has(lastToken) || lastToken === "then" || lastToken === "else") &&
    !(lastToken === "*" && isImportLine(text));
  return { inString, openDelimiters, endsWithOperator };
}

/**
 * Whether the last non-blank line is an import (`import m *` ends in the wildcard, not in a
 * multiplication waiting for its operand; docs/spec/15-modules.md).
 */
function isImportLine(text: string): boolean {
  const lines = text.trimEnd().split("\n");
  return /^[ \t]*import[ \t]/.test(lines[lines.length - 1] ?? "");
}

/** Whether text ends inside a string or delimiter, or after an infix operator. */
export function entryIsOpen(text: string): boolean {
  const s = scanInput(text);
  return s.inString || s.openDelimiters > 0 || s.endsWithOperator;
}

/**
 * Collects REPL lines into entries. `push` returns the entries a line completes; `end`
 * flushes the last one. Used as is for piped input.
 */
export class EntryReader {
  private lines: string[] = [];

  /** Adds one line (without its line break). */
  push(line: string): string[] {
    if (this.lines.length === 0) {
      if (line.trim() !== "") this.lines.push(line);
      return [];
    }
    const current = this.lines.join("\n");
    const open = entryIsOpen(current);
    if (line.trim() === "") {
      if (scanInput(current).inString) {
        this.lines.push(line);
        return [];
      }
      return this.flush();
    }
    if (open || /^[ \t]/.test(line)) {
      this.lines.push(line);
      return [];
    }
    const done = this.flush();
    this.lines.push(line);
    return done;
  }

  /** The lines collected so far for the current entry. */
  get pending(): string {
    return this.lines.join("\n");
  }

  /**
   * Whether the current entry may be evaluated right away in an interactive session: it is
   * complete, and its first line does not start a form that usually takes an indented body
   * (`match`, `quote`, `for`, an attribute or a doc comment).
   */
  readyInteractively(): boolean {
    if (this.lines.length === 0) return false;
    if (entryIsOpen(this.pending)) return false;
    const first = this.lines[0]!.trim();
    if (/^(match|quote|for)\b/.test(first) || first.startsWith("@") || first.startsWith("##"))
      return false;
    return this.lines.length === 1;
  }

  /** Ends the current entry and returns it (if any). */
  flush(): string[] {
    const text = this.lines.join("\n");
    this.lines = [];
    return text.trim() === "" ? [] : [text];
  }

  /** Ends the input. */
  end(): string[] {
    return this.flush();
  }
}
