/**
 * The S-expression printer of LANGUAGE.md §7, used by tests, by `quote` values
 * (`Syntax (+ 1 42)`) and by `cadenza parse --tree`.
 */
import type { LiteralValue, Node } from "./ast.js";

/**
 * Renders a Float the way §7 prescribes: shortest round-trip digits as
 * `Number#toString` gives them, with `.0` added when the mantissa has no `.` (`1.0`,
 * `1.0e+21`), and `-0.0`, `NaN`, `Infinity`, `-Infinity`.
 */
export function renderFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (Object.is(value, -0)) return "-0.0";
  const text = String(value);
  const e = text.indexOf("e");
  const mantissa = e < 0 ? text : text.slice(0, e);
  if (mantissa.includes(".")) return text;
  return e < 0 ? `${text}.0` : `${mantissa}.0${text.slice(e)}`;
}

/** A string as §7 prints it: `"…"` with `\` and `"` escaped, everything else raw. */
export function renderString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A character as §7 prints it: `'…'` with `\n \t \r \0 \\ \'` escaped. */
export function renderChar(value: string): string {
  const escaped = value.replace(/[\n\t\r\0\\']/g, (c) => CHAR_ESCAPES[c]!);
  return `'${escaped}'`;
}

const CHAR_ESCAPES: Readonly<Record<string, string>> = {
  "\n": "\\n",
  "\t": "\\t",
  "\r": "\\r",
  "\0": "\\0",
  "\\": "\\\\",
  "'": "\\'",
};

/** A symbol as §7 prints it: `:"name"`, escaped like a string. */
export function renderSymbol(value: string): string {
  return `:${renderString(value)}`;
}

/** The §7 rendering of a literal value. */
export function renderLiteral(value: LiteralValue): string {
  switch (value.type) {
    case "integer":
      return value.value.toString();
    case "float":
      return renderFloat(value.value);
    case "string":
      return renderString(value.value);
    case "char":
      return renderChar(value.value);
    case "symbol":
      return renderSymbol(value.value);
  }
}

/** Options of {@link printSExpr}. */
export interface SExprOptions {
  /**
   * Renders nodes the printer does not know (value nodes a macro expansion inserted, for
   * example) or overrides the rendering of any node; return `undefined` for the default.
   */
  readonly render?: (node: Node) => string | undefined;
}

/**
 * Prints a node as an S-expression (§7): applications flattened as `(callee arg…)`,
 * identifiers and operators by name, literals by their value rendering, the empty tuple as
 * `()`, error nodes as `<error>`. A `__block__` puts each child on its own line, indented two
 * spaces more than the line where `(__block__` starts, and closes after the last child.
 */
export function printSExpr(node: Node, options: SExprOptions = {}): string {
  const printer = new Printer(options);
  printer.print(node);
  return printer.out.join("");
}

class Printer {
  readonly out: string[] = [];
  readonly options: SExprOptions;
  /** Indentation of the line being written. */
  lineIndent = 0;

  constructor(options: SExprOptions) {
    this.options = options;
  }

  print(node: Node): void {
    const custom = this.options.render?.(node);
    if (custom !== undefined) {
      this.out.push(custom);
      return;
    }
    switch (node.kind) {
      case "ident":
        this.out.push(node.name);
        return;
      case "literal":
        this.out.push(renderLiteral(node.value));
        return;
      case "error":
        this.out.push("<error>");
        return;
      case "apply": {
        const { callee, args } = node;
        if (callee.kind === "ident" && callee.name === "__tuple__" && args.length === 0) {
          this.out.push("()");
          return;
        }
        if (callee.kind === "ident" && callee.name === "__block__" && args.length > 0) {
          this.out.push("(__block__");
          const inner = this.lineIndent + 2;
          for (const arg of args) {
            this.out.push(`\n${" ".repeat(inner)}`);
            this.lineIndent = inner;
            this.print(arg);
          }
          this.out.push(")");
          return;
        }
        this.out.push("(");
        this.print(callee);
        for (const arg of args) {
          this.out.push(" ");
          this.print(arg);
        }
        this.out.push(")");
        return;
      }
    }
  }
}
