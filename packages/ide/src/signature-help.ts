/**
 * Signature help: inside an application `f a b`, the parameters of `f` with their types and
 * which one the cursor is at. Application is juxtaposition, so the active parameter is the
 * number of arguments that end before the cursor; after `x |> f a`, the piped value is the
 * first argument.
 */
import type { Node } from "@cadenza/syntax";
import { nodePathAt } from "@cadenza/syntax";
import type { FileAnalysis } from "./analysis.js";
import type { Builtin } from "./builtins.js";
import { functionParts, slice } from "./describe.js";
import { type Binding, resolveNames } from "./resolve.js";

/** One parameter: its label as offsets into the signature label. */
export interface ParameterInfo {
  readonly label: readonly [number, number];
  readonly name: string;
  readonly type: string | undefined;
}

/** The signature of the function being applied at the cursor. */
export interface SignatureHelpInfo {
  /** `speed (d: Quantity a u) (t: Quantity b v) -> Quantity c u/v`. */
  readonly label: string;
  readonly parameters: readonly ParameterInfo[];
  /** Index into `parameters`. */
  readonly activeParameter: number;
  readonly documentation: string | undefined;
}

interface Callable {
  readonly name: string;
  readonly params: readonly string[];
  readonly types: readonly (string | undefined)[];
  readonly result: string | undefined;
  readonly doc: string | undefined;
}

function fromBinding(file: FileAnalysis, b: Binding): Callable | undefined {
  const imported = b.imported;
  if (imported !== undefined) {
    // A name of another module: its parameters as that file writes them.
    if (imported.params === undefined || imported.params.length === 0) return undefined;
    if (b.kind !== "function" && b.kind !== "macro") return undefined;
    return { name: b.name, params: imported.params, types: [], result: undefined, doc: b.doc };
  }
  if (b.params === undefined || b.params.length === 0) return undefined;
  if (b.kind !== "function" && b.kind !== "macro") return undefined;
  const parts = b.kind === "function" ? functionParts(file, b) : undefined;
  return {
    name: b.name,
    params: b.params.map((p) =>
      // `(w: Integer)` shows as `w`: its type comes from the checker like the others'.
      p.kind === "apply" && p.callee.kind === "ident" && p.callee.name === ":" && p.args[0]
        ? slice(file, p.args[0], 30)
        : slice(file, p, 30),
    ),
    types: b.params.map((_, i) => parts?.params[i]),
    result: parts?.result,
    doc: b.doc,
  };
}

function fromBuiltin(b: Builtin): Callable | undefined {
  if (b.kind !== "function" || b.params === undefined) return undefined;
  return {
    name: b.name,
    params: b.params,
    types: b.paramTypes ?? [],
    result: b.result,
    doc: b.doc,
  };
}

/** The signature help at a UTF-16 offset, if the cursor is in an application of a function. */
export function signatureHelp(file: FileAnalysis, offset: number): SignatureHelpInfo | undefined {
  const text = file.source.text;
  let p = offset;
  while (p > 0 && (text[p - 1] === " " || text[p - 1] === "\t")) p--;
  const path = nodePathAt(file.parse.items, p);
  const resolution = resolveNames(file);
  const callableAt = (callee: Node): Callable | undefined => {
    const name = callee.kind === "apply" && callee.args.length === 2 ? callee.args[1] : callee;
    if (name?.kind !== "ident") return undefined;
    const o = resolution.occurrenceAt(name.span.start);
    if (o === undefined || o.ident !== name) return undefined;
    if (o.target.kind === "binding") return fromBinding(file, o.target.binding);
    if (o.target.kind === "builtin") return fromBuiltin(o.target.builtin);
    return undefined;
  };
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i]!;
    let callable: Callable | undefined;
    let args: readonly Node[] = [];
    if (node.kind === "apply" && offset > node.callee.span.end) {
      callable = callableAt(node.callee);
      args = node.args;
    } else if (i === path.length - 1 && offset > node.span.end && node.kind !== "literal") {
      // `f ` with no argument yet: the name alone.
      callable = callableAt(node);
    }
    if (callable === undefined) continue;
    const parent = path[i - 1];
    const piped =
      parent?.kind === "apply" &&
      parent.callee.kind === "ident" &&
      parent.callee.name === "|>" &&
      parent.args[1] === node;
    const before = args.filter((a) => a.span.end < offset).length;
    const touching = args.some((a) => a.span.start <= offset && offset <= a.span.end);
    let active = touching
      ? args.findIndex((a) => a.span.start <= offset && offset <= a.span.end)
      : before;
    if (piped) active++;
    return build(callable, Math.min(active, Math.max(callable.params.length - 1, 0)));
  }
  return undefined;
}

function build(c: Callable, active: number): SignatureHelpInfo {
  let label = c.name;
  const parameters: ParameterInfo[] = [];
  c.params.forEach((name, i) => {
    const type = c.types[i];
    const text = type === undefined ? name : `${name}: ${type}`;
    label += " (";
    const start = label.length;
    label += text;
    parameters.push({ label: [start, label.length], name, type });
    label += ")";
  });
  if (c.result !== undefined) label += ` -> ${c.result}`;
  return { label, parameters, activeParameter: active, documentation: c.doc };
}
