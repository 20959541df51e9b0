import type { FastFunction } from "./compile.js";
import type { Binding, Env } from "./env.js";
import { catalogue, indexOutOfBounds } from "./errors.js";
import { type CallFrame, callFrame } from "./evaluate.js";
import { formTable } from "./forms/index.js";
import { interpolationText } from "./forms/interpolate.js";
import { toSyntaxNode } from "./macros.js";
import { float, int, toFloat } from "./numbers.js";
import {
  arithmetic,
  bitNot,
  bitwise,
  equality,
  negate,
  not,
  ordering,
  range,
} from "./operators.js";
import { apply as applyNode, ident } from "./tree.js";
import {
  BOOL,
  FLOAT,
  fnType,
  freshVar,
  INTEGER,
  isNamedType,
  listType,
  type NamedTypeName,
  named,
  RATIONAL,
  renderType,
  STRING,
  type Type,
  typeFields,
  typeHeadName,
  typeOf,
  UNIT_TYPE,
} from "./types.js";
import { unitText } from "./units.js";
import {
  type BuiltinValue,
  bool,
  type CallInfo,
  type CellValue,
  type ClosureValue,
  ERROR,
  isNum,
  list,
  type ModuleValue,
  record,
  str,
  sym,
  syntax,
  tuple,
  typeValue,
  UNIT,
  type Value,
} from "./values.js";

/** The standard library of LANGUAGE.md §5.12–§5.13. Immutable; shared by evaluations. */
export interface Stdlib {
  /** Namespaces that are only namespaces: `List`, `Record`, `Cell`, `Quantity`. */
  readonly namespaces: ReadonlyMap<string, ModuleValue>;
  /** Members of the types that are also namespaces: `Float`, `String`, `Type`, `Syntax`. */
  readonly typeNamespaces: ReadonlyMap<string, ModuleValue>;
  /** The operators bound to builtins (`+`, `==`, `..`, …). */
  readonly operators: ReadonlyMap<string, BuiltinValue>;
  /** Functions bound directly in the base environment: `println`, `print`. */
  readonly functions: ReadonlyMap<string, BuiltinValue>;
}

function builtin(
  name: string,
  params: readonly string[],
  type: Type,
  impl: BuiltinValue["impl"],
  alsoArity?: readonly number[],
): BuiltinValue {
  return alsoArity === undefined
    ? { kind: "builtin", name, params, type, impl }
    : { kind: "builtin", name, params, type, impl, alsoArity };
}

/** Fails with `expected T, found U` on argument `i`. */
function wrongArg(info: CallInfo, i: number, expected: string, v: Value): never {
  return info.interp.fail(
    catalogue.expectedFound(info.argSpans[i] ?? info.span, expected, info.interp.typeName(v)),
  );
}

function operators(): Map<string, BuiltinValue> {
  const ops = new Map<string, BuiltinValue>();
  const a = freshVar();
  const same = fnType([a, a], a);
  for (const op of ["+", "*", "/", "%", "**"] as const) {
    ops.set(
      op,
      builtin(
        op,
        ["left", "right"],
        same,
        (args, info) => {
          if (args.length === 1) return args[0]!; // `*x` is clone (LANGUAGE.md §5.2)
          return arithmetic(info.interp, op, args[0]!, args[1]!, info.span);
        },
        op === "*" ? [1] : undefined,
      ),
    );
  }
  ops.set(
    "-",
    builtin(
      "-",
      ["left", "right"],
      same,
      (args, info) =>
        args.length === 1
          ? negate(info.interp, args[0]!, info.span)
          : arithmetic(info.interp, "-", args[0]!, args[1]!, info.span),
      [1],
    ),
  );
  const cmp = fnType([a, a], BOOL);
  for (const op of ["==", "!="] as const) {
    ops.set(
      op,
      builtin(op, ["left", "right"], cmp, (args, info) =>
        equality(info.interp, op === "!=", args[0]!, args[1]!, info.span),
      ),
    );
  }
  for (const op of ["<", "<=", ">", ">="] as const) {
    ops.set(
      op,
      builtin(op, ["left", "right"], cmp, (args, info) =>
        ordering(info.interp, op, args[0]!, args[1]!, info.span),
      ),
    );
  }
  const intOp = fnType([INTEGER, INTEGER], INTEGER);
  for (const op of ["&", "|", "^", "<<", ">>"] as const) {
    ops.set(
      op,
      builtin(op, ["left", "right"], intOp, (args, info) =>
        bitwise(info.interp, op, args[0]!, args[1]!, info.span),
      ),
    );
  }
  ops.set(
    "!",
    builtin("!", ["value"], fnType([BOOL], BOOL), (args, info) =>
      not(info.interp, args[0]!, info.span),
    ),
  );
  ops.set(
    "~",
    builtin("~", ["value"], fnType([INTEGER], INTEGER), (args, info) =>
      bitNot(info.interp, args[0]!, info.span),
    ),
  );
  const rangeType = fnType([INTEGER, INTEGER], listType(INTEGER));
  ops.set(
    "..",
    builtin("..", ["from", "to"], rangeType, (args, info) =>
      range(info.interp, false, args[0]!, args[1]!, info.span),
    ),
  );
  ops.set(
    "..=",
    builtin("..=", ["from", "to"], rangeType, (args, info) =>
      range(info.interp, true, args[0]!, args[1]!, info.span),
    ),
  );
  return ops;
}

function namespace(name: string, members: readonly BuiltinValue[]): ModuleValue {
  return {
    kind: "module",
    name,
    members: new Map(members.map((m) => [m.name.slice(name.length + 1), m])),
  };
}

function floatNamespace(): ModuleValue {
  return namespace("Float", [
    builtin("Float.from_rational", ["value"], fnType([RATIONAL], FLOAT), (args, info) => {
      const v = args[0]!;
      return isNum(v) ? float(toFloat(v)) : wrongArg(info, 0, "Rational", v);
    }),
    builtin("Float.sqrt", ["value"], fnType([FLOAT], FLOAT), (args, info) => {
      const v = args[0]!;
      return isNum(v) ? float(Math.sqrt(toFloat(v))) : wrongArg(info, 0, "Float", v);
    }),
  ]);
}

function stringNamespace(): ModuleValue {
  return namespace("String", [
    builtin("String.len", ["string"], fnType([STRING], INTEGER), (args, info) => {
      const v = args[0]!;
      if (v.kind !== "string") return wrongArg(info, 0, "String", v);
      let n = 0;
      for (const _ of v.value) n++;
      return int(n);
    }),
    builtin("String.from_int", ["value"], fnType([INTEGER], STRING), (args, info) => {
      const v = args[0]!;
      return v.kind === "integer" ? str(String(v.value)) : wrongArg(info, 0, "Integer", v);
    }),
  ]);
}

function listNamespace(): ModuleValue {
  const a = freshVar();
  const b = freshVar();
  const asList = (info: CallInfo, v: Value): readonly Value[] =>
    v.kind === "list" ? v.items : wrongArg(info, 0, "a list", v);
  return namespace("List", [
    builtin("List.len", ["list"], fnType([listType(a)], INTEGER), (args, info) =>
      int(asList(info, args[0]!).length),
    ),
    builtin("List.last", ["list"], fnType([listType(a)], a), (args, info) => {
      const items = asList(info, args[0]!);
      if (items.length === 0)
        return info.interp.fail(indexOutOfBounds(info.argSpans[0] ?? info.span, "0", 0));
      return items[items.length - 1]!;
    }),
    builtin(
      "List.map",
      ["list", "function"],
      fnType([listType(a), fnType([a], b)], listType(b)),
      (args, info) => {
        const items = asList(info, args[0]!);
        info.interp.allocate(items.length + 1, info.span);
        const f = args[1]!;
        const fnInfo = { ...info, calleeSpan: info.argSpans[1] ?? info.span };
        const frame = callFrame(f.kind === "closure" ? f.name : undefined, info.span);
        if (f.kind === "closure" && f.params.length === 1) {
          const fast = info.interp.fastOf(f);
          if (fast.generic !== true) return list(mapCompiled(fast, f, frame, items));
        }
        return list(items.map((x) => info.interp.callBack(f, frame, fnInfo, x)));
      },
    ),
    builtin(
      "List.fold",
      ["list", "initial", "function"],
      fnType([listType(a), b, fnType([b, a], b)], b),
      (args, info) => {
        const items = asList(info, args[0]!);
        const f = args[2]!;
        const fnInfo = { ...info, calleeSpan: info.argSpans[2] ?? info.span };
        const frame = callFrame(f.kind === "closure" ? f.name : undefined, info.span);
        const interp = info.interp;
        let acc = args[1]!;
        if (f.kind === "closure" && f.params.length === 2) {
          // The common case, a user function: its compiled code in a tight loop.
          const fast = interp.fastOf(f);
          if (fast.generic !== true) return foldCompiled(fast, f, frame, items, acc);
        }
        for (const x of items) acc = interp.callBack(f, frame, fnInfo, acc, x);
        return acc;
      },
    ),
  ]);
}

// The loops of `List.fold` and `List.map` over compiled user functions, kept apart from the
// builtins so that V8 optimizes them on their own (and inlines small functions into them).

function foldCompiled(
  fast: FastFunction,
  f: ClosureValue,
  frame: CallFrame,
  items: readonly Value[],
  initial: Value,
): Value {
  let acc = initial;
  for (let i = 0; i < items.length; i++) {
    const x = items[i]!;
    // An error value makes every later call give the error value (as `applyWith` does).
    if (acc.kind === "error" || x.kind === "error") return ERROR;
    acc = fast(f, frame, acc, x);
  }
  return acc;
}

function mapCompiled(
  fast: FastFunction,
  f: ClosureValue,
  frame: CallFrame,
  items: readonly Value[],
): Value[] {
  const out: Value[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const x = items[i]!;
    out[i] = x.kind === "error" ? ERROR : fast(f, frame, x);
  }
  return out;
}

function recordNamespace(): ModuleValue {
  const r = named("Unknown");
  return namespace("Record", [
    builtin("Record.from_struct", ["struct"], fnType([freshVar()], r), (args, info) => {
      const v = args[0]!;
      if (v.kind !== "struct") return wrongArg(info, 0, "a struct", v);
      return record(v.fields);
    }),
    builtin(
      "Record.split",
      ["record", "fields"],
      fnType([r, listType(named("Symbol"))], { kind: "tuple", items: [r, r] }),
      (args, info) => {
        const v = args[0]!;
        const names = args[1]!;
        if (v.kind !== "record") return wrongArg(info, 0, "a record", v);
        if (names.kind !== "list" || names.items.some((n) => n.kind !== "symbol")) {
          return wrongArg(info, 1, "[Symbol]", names);
        }
        const wanted = new Set(names.items.map((n) => (n.kind === "symbol" ? n.name : "")));
        for (const n of wanted) {
          if (!v.fields.has(n)) {
            info.interp.fail(
              catalogue.fieldNotFound(
                info.argSpans[1] ?? info.span,
                n,
                [...v.fields.keys()],
                false,
              ),
            );
          }
        }
        const picked = new Map<string, Value>();
        const rest = new Map<string, Value>();
        for (const [n, x] of v.fields) (wanted.has(n) ? picked : rest).set(n, x);
        return tuple([record(picked), record(rest)]);
      },
    ),
    builtin("Record.merge", ["left", "right"], fnType([r, r], r), (args, info) => {
      const [x, y] = [args[0]!, args[1]!];
      if (x.kind !== "record") return wrongArg(info, 0, "a record", x);
      if (y.kind !== "record") return wrongArg(info, 1, "a record", y);
      info.interp.allocate(x.fields.size + y.fields.size, info.span);
      return record(new Map([...x.fields, ...y.fields]));
    }),
  ]);
}

function cellNamespace(): ModuleValue {
  const a = freshVar();
  const cellA: Type = { kind: "cell", content: a };
  const asCell = (info: CallInfo, v: Value): CellValue =>
    v.kind === "cell" ? v : wrongArg(info, 0, "a Cell", v);
  return namespace("Cell", [
    builtin("Cell.new", ["value"], fnType([a], cellA), (args, info) => {
      info.interp.allocate(1, info.span);
      return { kind: "cell", value: args[0]! };
    }),
    builtin("Cell.get", ["cell"], fnType([cellA], a), (args, info) => asCell(info, args[0]!).value),
    builtin("Cell.set", ["cell", "value"], fnType([cellA, a], UNIT_TYPE), (args, info) => {
      info.interp.noteMutation();
      asCell(info, args[0]!).value = args[1]!;
      return UNIT;
    }),
    builtin(
      "Cell.update",
      ["cell", "function"],
      fnType([cellA, fnType([a], a)], UNIT_TYPE),
      (args, info) => {
        const c = asCell(info, args[0]!);
        info.interp.noteMutation();
        const f = args[1]!;
        const frame = callFrame(f.kind === "closure" ? f.name : undefined, info.span);
        c.value = info.interp.callBack(
          f,
          frame,
          { ...info, calleeSpan: info.argSpans[1] ?? info.span },
          c.value,
        );
        return UNIT;
      },
    ),
  ]);
}

function typeNamespace(): ModuleValue {
  const T = named("Type");
  const asType = (info: CallInfo, v: Value): Type =>
    v.kind === "type" ? v.type : wrongArg(info, 0, "Type", v);
  return namespace("Type", [
    builtin(
      "Type.fields",
      ["type"],
      fnType([T], listType({ kind: "tuple", items: [named("Symbol"), T] })),
      (args, info) => {
        const t = asType(info, args[0]!);
        const fields = typeFields(t);
        if (fields === undefined) {
          return info.interp.fail(
            catalogue.typeMismatch(
              info.argSpans[0] ?? info.span,
              `expected a record or struct type, found ${renderType(t)}`,
            ),
          );
        }
        return list(fields.map(([n, ft]) => tuple([sym(n), typeValue(ft)])));
      },
    ),
    builtin("Type.name", ["type"], fnType([T], named("Symbol")), (args, info) => {
      const t = asType(info, args[0]!);
      if (!isNamedType(t)) {
        return info.interp.fail(
          catalogue.typeMismatch(
            info.argSpans[0] ?? info.span,
            `expected a named type, found ${renderType(t)}`,
          ),
        );
      }
      return sym(typeHeadName(t));
    }),
    builtin(
      "Type.variant_of",
      ["type", "name"],
      fnType([T, named("Symbol")], BOOL),
      (args, info) => {
        const t = asType(info, args[0]!);
        const s = args[1]!;
        if (s.kind !== "symbol") return wrongArg(info, 1, "Symbol", s);
        return bool(typeHeadName(t) === s.name);
      },
    ),
  ]);
}

function syntaxNamespace(): ModuleValue {
  const a = freshVar();
  const S = named("Syntax");
  return namespace("Syntax", [
    builtin("Syntax.literal", ["value"], fnType([a], S), (args, info) =>
      syntax(toSyntaxNode(args[0]!, info.span)),
    ),
    builtin("Syntax.ident", ["name"], fnType([named("Symbol")], S), (args, info) => {
      const v = args[0]!;
      if (v.kind !== "symbol" && v.kind !== "string") return wrongArg(info, 0, "Symbol", v);
      return syntax(ident(v.kind === "symbol" ? v.name : v.value, info.span));
    }),
    builtin("Syntax.apply", ["callee", "arguments"], fnType([S, listType(S)], S), (args, info) => {
      const callee = args[0]!;
      const rest = args[1]!;
      if (callee.kind !== "syntax" && callee.kind !== "symbol")
        return wrongArg(info, 0, "Syntax", callee);
      if (rest.kind !== "list") return wrongArg(info, 1, "[Syntax]", rest);
      return syntax(
        applyNode(
          toSyntaxNode(callee, info.span),
          rest.items.map((x) => toSyntaxNode(x, info.span)),
          info.span,
        ),
      );
    }),
  ]);
}

function quantityNamespace(): ModuleValue {
  return namespace("Quantity", [
    builtin("Quantity.to_string", ["type"], fnType([named("Type")], STRING), (args, info) => {
      const v = args[0]!;
      const t = v.kind === "type" ? v.type : typeOf(v);
      if (t.kind !== "quantity") return wrongArg(info, 0, "a quantity type", v);
      return str(unitText(t.units));
    }),
  ]);
}

/**
 * `println v` and `print v`: write the text of `v` (strings and symbols without quotes, any
 * other value as the REPL renders it, as in `$"…"`) to the host's output sink, with and
 * without a line break; both yield `()`. The text counts against the allocation budget.
 */
function outputFunctions(): Map<string, BuiltinValue> {
  const out = new Map<string, BuiltinValue>();
  for (const [name, end] of [
    ["println", "\n"],
    ["print", ""],
  ] as const) {
    out.set(
      name,
      builtin(name, ["value"], fnType([freshVar()], UNIT_TYPE), (args, info) => {
        const text = interpolationText(args[0]!) + end;
        info.interp.allocate(text.length, info.span);
        info.interp.write(text);
        return UNIT;
      }),
    );
  }
  return out;
}

let shared: Stdlib | undefined;

/** The standard library (built once; every member is immutable). */
export function stdlib(): Stdlib {
  if (shared) return shared;
  const typeNamespaces = new Map<string, ModuleValue>([
    ["Float", floatNamespace()],
    ["String", stringNamespace()],
    ["Type", typeNamespace()],
    ["Syntax", syntaxNamespace()],
  ]);
  const namespaces = new Map<string, ModuleValue>([
    ["List", listNamespace()],
    ["Record", recordNamespace()],
    ["Cell", cellNamespace()],
    ["Quantity", quantityNamespace()],
  ]);
  shared = {
    namespaces,
    typeNamespaces,
    operators: operators(),
    functions: outputFunctions(),
  };
  return shared;
}

const TYPE_NAMES: readonly NamedTypeName[] = [
  "Integer",
  "Rational",
  "Float",
  "Bool",
  "String",
  "Char",
  "Symbol",
  "Type",
  "Syntax",
  "Unknown",
];

/**
 * A fresh base environment (LANGUAGE.md §5.12): special forms, `true`/`false`, the built-in
 * types, the namespaces and the operators. Fresh per evaluation because bindings are
 * mutable cells.
 */
export function baseEnvironment(lib: Stdlib): Env {
  const table = new Map<string, Binding>();
  const put = (name: string, value: Value): void => {
    table.set(name, { value, origin: "base" });
  };
  for (const [name, form] of formTable()) put(name, form);
  put("true", bool(true));
  put("false", bool(false));
  for (const name of TYPE_NAMES) put(name, typeValue(named(name)));
  put("Unit", typeValue(UNIT_TYPE));
  for (const [name, ns] of lib.namespaces) put(name, ns);
  for (const [name, op] of lib.operators) put(name, op);
  for (const [name, f] of lib.functions) put(name, f);
  return { kind: "table", table, parent: undefined, base: true };
}
