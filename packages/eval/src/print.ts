import { renderChar, renderString, renderSymbol } from "@cadenza/syntax";
import { formatFloat, formatNum } from "./numbers.js";
import type { Tree } from "./tree.js";
import { renderType, typeOf } from "./types.js";
import { unitText } from "./units.js";
import type { Value } from "./values.js";

function fields(map: ReadonlyMap<string, Value>): string {
  if (map.size === 0) return "{}";
  return `{ ${[...map].map(([n, v]) => `${n} = ${renderValue(v)}`).join(", ")} }`;
}

/** Whether a rendering delimits itself (brackets, quotes), so it needs no parentheses. */
function selfDelimited(text: string): boolean {
  const first = text[0];
  const last = text[text.length - 1];
  return (
    (first === "(" && last === ")") ||
    (first === "[" && last === "]") ||
    (first === "{" && last === "}") ||
    (first === '"' && last === '"') ||
    (first === ":" && text[1] === '"' && last === '"')
  );
}

/**
 * A value as the REPL prints it (LANGUAGE.md §7). An enum payload is parenthesised when its
 * rendering contains a space and does not delimit itself (`Some (Ok 1)`, but
 * `Err "no way"` and `Circle { radius = 5.0 }`).
 */
export function renderValue(v: Value): string {
  switch (v.kind) {
    case "integer":
    case "rational":
      return formatNum(v);
    case "float":
      return formatFloat(v.value);
    case "bool":
      return v.value ? "true" : "false";
    case "string":
      return renderString(v.value);
    case "char":
      return renderChar(v.value);
    case "symbol":
      return renderSymbol(v.name);
    case "tuple":
      if (v.items.length === 1) return `(${renderValue(v.items[0]!)},)`;
      return `(${v.items.map(renderValue).join(", ")})`;
    case "list":
      return `[${v.items.map(renderValue).join(", ")}]`;
    case "record":
      return fields(v.fields);
    case "struct":
      return `${v.def.name} ${fields(v.fields)}`;
    case "variant": {
      if (v.payload === undefined) return v.variant.name;
      const payload = renderValue(v.payload);
      const wrapped = payload.includes(" ") && !selfDelimited(payload) ? `(${payload})` : payload;
      return `${v.variant.name} ${wrapped}`;
    }
    case "quantity":
      return formatNum(v.magnitude) + unitText(v.units);
    case "unit":
      return v.unit.name;
    case "type":
      return renderType(v.type);
    case "syntax":
      return `Syntax ${renderSyntax(v.node, 0)}`;
    case "closure":
      return v.name === undefined ? "<fn>" : `<fn ${v.name}>`;
    case "builtin":
      return `<builtin ${v.name}>`;
    case "constructor":
      return `<fn ${v.def.name}.${v.variant.name}>`;
    case "macro":
      return `<macro ${v.name}>`;
    case "cell":
      return `Cell(${renderValue(v.value)})`;
    case "module":
      return `<module ${v.name}>`;
    case "form":
      return `<special form ${v.name}>`;
    case "error":
      return "<error>";
  }
}

/**
 * A tree as an S-expression (LANGUAGE.md §7): applications as `(callee args…)`, identifiers
 * by name, literals and value nodes by their value rendering, the empty tuple as `()`, and a
 * `__block__` with one child per line indented two spaces more than `indent`, the
 * indentation of the line where the block starts.
 */
export function renderSyntax(node: Tree, indent = 0): string {
  switch (node.kind) {
    case "ident":
      return node.name;
    case "literal": {
      const l = node.value;
      switch (l.type) {
        case "integer":
          return String(l.value);
        case "float":
          return formatFloat(l.value);
        case "string":
          return renderString(l.value);
        case "char":
          return renderChar(l.value);
        case "symbol":
          return renderSymbol(l.value);
      }
      break;
    }
    case "value":
      return renderValue(node.value);
    case "error":
      return "<error>";
    case "apply": {
      if (
        node.callee.kind === "ident" &&
        node.callee.name === "__tuple__" &&
        node.args.length === 0
      ) {
        return "()";
      }
      if (node.callee.kind === "ident" && node.callee.name === "__block__") {
        const inner = " ".repeat(indent + 2);
        return `(__block__${node.args.map((c) => `\n${inner}${renderSyntax(c, indent + 2)}`).join("")})`;
      }
      const parts = [node.callee, ...node.args].map((c) => renderSyntax(c, indent));
      return `(${parts.join(" ")})`;
    }
  }
}

/** One transcript entry: `value : Type`. */
export function renderEntry(v: Value): string {
  return `${renderValue(v)} : ${renderType(typeOf(v))}`;
}
