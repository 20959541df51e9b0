/**
 * How bindings and builtins are described to a user: their declaration line (`fn speed d t`),
 * their inferred type (the generalised scheme for top-level definitions, the monotype for
 * local ones) and, for units, their dimension and factor. Shared by hover, completion,
 * symbols and signature help.
 */
import type { Node } from "@cadenza/syntax";
import {
  type FnType,
  renderType,
  resolve as resolveType,
  type Type,
  TypeNamer,
} from "@cadenza/types";
import type { FileAnalysis } from "./analysis.js";
import type { Builtin } from "./builtins.js";
import { type Binding, type Resolution, resolveNames } from "./resolve.js";

/** The inferred type of a binding, rendered; undefined when the checker did not type it. */
export function bindingType(file: FileAnalysis, binding: Binding): string | undefined {
  if (binding.imported !== undefined) return binding.imported.type;
  if (binding.fromImport) return undefined;
  const types = file.types;
  if (types === undefined) return undefined;
  if (binding.topLevel && isLastTopLevel(resolveNames(file), binding)) {
    const scheme = types.schemes.get(binding.name);
    if (scheme !== undefined) return scheme;
  }
  if (binding.kind === "field" || binding.kind === "variant") {
    return binding.declaredType === undefined ? undefined : slice(file, binding.declaredType);
  }
  return types.types.textOf(binding.site);
}

/** The inferred type term of a binding's site, if the checker typed it. */
export function bindingTypeTerm(file: FileAnalysis, binding: Binding): Type | undefined {
  return file.types?.types.typeOf(binding.site);
}

const lastTopLevel = new WeakMap<Resolution, Map<string, Binding>>();

/** Whether `binding` is the file's last top-level binding of its name (the one `schemes` describes). */
function isLastTopLevel(resolution: Resolution, binding: Binding): boolean {
  let last = lastTopLevel.get(resolution);
  if (last === undefined) {
    last = new Map();
    for (const b of resolution.bindings)
      if (b.topLevel && b.parent === undefined) last.set(b.name, b);
    lastTopLevel.set(resolution, last);
  }
  return last.get(binding.name) === binding;
}

/** The source text of a node, on one line, shortened to `max` characters. */
export function slice(file: FileAnalysis, node: Node, max = 80): string {
  const text = file.source.text.slice(node.span.start, node.span.end).replace(/\s*\n\s*/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A short noun for a binding kind, as hover and completion show it. */
export function kindLabel(binding: Binding): string {
  switch (binding.kind) {
    case "function":
      return "function";
    case "parameter":
      return "parameter";
    case "variable":
      return "variable";
    case "struct":
      return "struct";
    case "enum":
      return "enum";
    case "variant":
      return "variant";
    case "field":
      return "field";
    case "alias":
      return "type alias";
    case "unit":
      return "unit of measure";
    case "macro":
      return "macro";
    case "module":
      return "module";
  }
}

/** The declaration line of a binding, in Cadenza syntax: `fn speed d t`, `let v`, `measure inch = 25.4 millimeter`. */
export function declaration(file: FileAnalysis, binding: Binding): string {
  if (binding.imported !== undefined) return binding.imported.declaration;
  if (binding.kind === "module" || binding.fromImport) return slice(file, binding.definition);
  const params = (binding.params ?? []).map((p) => slice(file, p, 30)).join(" ");
  const withParams = (word: string): string =>
    params === "" ? `${word} ${binding.name}` : `${word} ${binding.name} ${params}`;
  switch (binding.kind) {
    case "function":
      return binding.definition.kind === "apply" && isLet(binding.definition)
        ? `let ${binding.name}`
        : withParams("fn");
    case "macro":
      return withParams("macro");
    case "parameter":
      return binding.name;
    case "variable":
      return `let ${binding.name}`;
    case "unit": {
      if (binding.prefix !== undefined && binding.parent !== undefined)
        return `measure ${binding.name} (@si ${binding.prefix} ${binding.parent.name})`;
      return slice(file, binding.definition);
    }
    case "struct":
    case "enum":
    case "alias":
      return slice(file, binding.definition);
    case "variant":
    case "field":
      return `${binding.parent?.name ?? "?"}.${binding.name}`;
  }
}

function isLet(node: Node): boolean {
  return (
    node.kind === "apply" &&
    node.args[0]?.kind === "apply" &&
    node.args[0].callee.kind === "ident" &&
    node.args[0].callee.name === "let"
  );
}

/** For a unit: its dimension in base units and its factor, from the evaluator's module state. */
export function unitInfo(file: FileAnalysis, name: string): string[] {
  const unit = file.module?.measures.get(name);
  if (unit === undefined) return [];
  const parts: string[] = [];
  const pos: string[] = [];
  const neg: string[] = [];
  for (const [base, exponent] of unit.dimension) {
    const text = Math.abs(exponent) === 1 ? base.name : `${base.name}^${Math.abs(exponent)}`;
    (exponent > 0 ? pos : neg).push(text);
  }
  const dim =
    pos.length === 0 && neg.length === 0
      ? "dimensionless"
      : `${pos.join("·") || "1"}${neg.length ? `/${neg.join("·")}` : ""}`;
  if (dim !== name) parts.push(`dimension: ${dim}`);
  const { num, den } = unit.factor;
  if (!(num === 1n && den === 1n && pos.length === 1 && neg.length === 0 && pos[0] === name))
    parts.push(`1 ${name} ${unit.inexact ? "≈" : "="} ${rationalText(num, den)} ${dim}`);
  return parts;
}

/** The rendered function type of a binding split into parameters and result, if it is a function. */
export function functionParts(
  file: FileAnalysis,
  binding: Binding,
): { params: string[]; result: string } | undefined {
  const t = bindingTypeTerm(file, binding);
  if (t === undefined) return undefined;
  const r = resolveType(t);
  if (r.kind !== "fn") return undefined;
  const fn = r as FnType;
  const namer = new TypeNamer();
  return {
    params: fn.params.map((p) => renderType(p, namer)),
    result: renderType(fn.result, namer),
  };
}

/** The declaration line of a builtin: `List.map : fn([a], fn(a) -> b) -> [b]`. */
export function builtinDeclaration(b: Builtin): string {
  switch (b.kind) {
    case "form":
      return b.signature;
    case "namespace":
      return `namespace ${b.name}`;
    case "type":
      return `type ${b.name}`;
    default:
      return `${b.name} : ${b.signature}`;
  }
}

/** An exact rational as a terminating decimal when it has one (`0.3048`), else `n/d`. */
export function rationalText(num: bigint, den: bigint): string {
  if (den === 1n) return `${num}`;
  let d = den;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return `${num}/${den}`;
  const digits = Math.max(twos, fives);
  const scaled = (num * 10n ** BigInt(digits)) / den;
  const negative = scaled < 0n;
  const text = (negative ? -scaled : scaled).toString().padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}
