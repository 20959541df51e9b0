/**
 * The base environment as the checker sees it (LANGUAGE.md §5.12–§5.13): special forms,
 * operators with their schemes (used when an operator is a value, `let add = +`), built-in
 * types and the library namespaces with the signatures of §5.13.
 */
import type { Constraint, Site } from "./constraints.js";
import { divDimensions, mulDimensions } from "./dimension.js";
import { type Binding, Env } from "./env.js";
import { GENERIC, type Scheme } from "./scheme.js";
import {
  BOOL,
  CHAR,
  con,
  fnType,
  freshVar,
  listType,
  MEASURE,
  MODULE,
  num,
  numberType,
  quantity,
  STRING,
  SYMBOL,
  SYNTAX,
  TYPE,
  type Type,
  type TypeVar,
  tupleType,
  UNIT,
  UNKNOWN,
  type VarKind,
} from "./types.js";

/** The special forms: names whose applications the checker types by their syntax. */
export const FORMS: readonly string[] = [
  "let",
  "fn",
  "macro",
  "measure",
  "struct",
  "enum",
  "type",
  "use",
  "import",
  "=",
  "match",
  "if",
  "for",
  "quote",
  "typeof",
  "docof",
  "assert",
  "&&",
  "||",
  "|>",
  ".",
  "@",
  "__doc__",
  "__block__",
  "__list__",
  "__record__",
  "__tuple__",
  "__index__",
  "__unquote__",
  "__interpolate__",
  "__symbol__",
  "->",
  ":",
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
  "trait",
  "impl",
  "effect",
  "handle",
];

const NO_SITE: Site = { span: { start: 0, end: 0 }, operator: "" };

/** Builds a scheme whose variables are created by `build` through `g`. */
function scheme(
  build: (g: (kind?: VarKind) => TypeVar) => { type: Type; constraints?: Constraint[] },
): Scheme {
  const vars: TypeVar[] = [];
  const g = (kind: VarKind = "type"): TypeVar => {
    const v = freshVar(kind, GENERIC);
    vars.push(v);
    return v;
  };
  const { type, constraints = [] } = build(g);
  return { vars, constraints, type };
}

/** A function type of the library: every arrow of one signature shares the effect `e`. */
function libraryFn(
  build: (
    g: (kind?: VarKind) => TypeVar,
    f: (params: Type[], result: Type) => Type,
  ) => {
    type: Type;
    constraints?: Constraint[];
  },
): Scheme {
  return scheme((g) => {
    const e = g("effect");
    return build(g, (params, result) => fnType(params, result, e));
  });
}

const INTEGER = numberType("Integer");
const FLOAT = numberType("Float");

/** `fn(Quantity a 1) -> Float`: accepts any plain number. */
function anyNumberToFloat(): Scheme {
  return libraryFn((g, f) => ({ type: f([numberType(g("num"))], FLOAT) }));
}

function arithmeticScheme(op: string): Scheme {
  return libraryFn((g, f) => {
    const a = g("num");
    const b = g("num");
    const c = g("num");
    const u = g("dim");
    const v = g("dim");
    const site: Site = { ...NO_SITE, operator: op };
    const join: Constraint = { kind: "join", args: [a, b], c, site };
    switch (op) {
      case "*":
        return {
          type: f([quantity(a, u), quantity(b, v)], quantity(c, mulDimensions(u, v))),
          constraints: [join],
        };
      case "/": {
        const d = g("num");
        return {
          type: f([quantity(a, u), quantity(b, v)], quantity(d, divDimensions(u, v))),
          constraints: [{ kind: "join", args: [a, b, num("Rational")], c: d, site }],
        };
      }
      case "**":
        return { type: f([numberType(a), INTEGER], numberType(a)) };
      default:
        return { type: f([quantity(a, u), quantity(b, u)], quantity(c, u)), constraints: [join] };
    }
  });
}

function operators(): Map<string, Scheme> {
  const out = new Map<string, Scheme>();
  out.set(
    "+",
    libraryFn((g, f) => {
      const [a, b, c] = [g(), g(), g()];
      return {
        type: f([a, b], c),
        constraints: [
          { kind: "add", left: a, right: b, result: c, site: { ...NO_SITE, operator: "+" } },
        ],
      };
    }),
  );
  for (const op of ["-", "*", "/", "%", "**"]) out.set(op, arithmeticScheme(op));
  for (const op of ["==", "!="]) {
    out.set(
      op,
      libraryFn((g, f) => {
        const [a, b] = [g(), g()];
        return {
          type: f([a, b], BOOL),
          constraints: [{ kind: "equal", left: a, right: b, site: { ...NO_SITE, operator: op } }],
        };
      }),
    );
  }
  for (const op of ["<", "<=", ">", ">="]) {
    out.set(
      op,
      libraryFn((g, f) => {
        const [a, b] = [g(), g()];
        return {
          type: f([a, b], BOOL),
          constraints: [{ kind: "order", left: a, right: b, site: { ...NO_SITE, operator: op } }],
        };
      }),
    );
  }
  for (const op of ["&", "|", "^", "<<", ">>"]) {
    out.set(
      op,
      libraryFn((_, f) => ({ type: f([INTEGER, INTEGER], INTEGER) })),
    );
  }
  out.set(
    "!",
    libraryFn((_, f) => ({ type: f([BOOL], BOOL) })),
  );
  out.set(
    "~",
    libraryFn((_, f) => ({ type: f([INTEGER], INTEGER) })),
  );
  for (const op of ["..", "..="]) {
    out.set(
      op,
      libraryFn((_, f) => ({ type: f([INTEGER, INTEGER], listType(INTEGER)) })),
    );
  }
  return out;
}

/** The operator names of the base environment. */
export const OPERATORS: ReadonlySet<string> = new Set([
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
  "&",
  "|",
  "^",
  "<<",
  ">>",
  "!",
  "~",
  "..",
  "..=",
]);

function namespaces(): Map<string, Map<string, Scheme>> {
  const ns = new Map<string, Map<string, Scheme>>();
  const put = (space: string, name: string, s: Scheme): void => {
    let m = ns.get(space);
    if (m === undefined) ns.set(space, (m = new Map()));
    m.set(name, s);
  };
  put("Float", "from_rational", anyNumberToFloat());
  put("Float", "sqrt", anyNumberToFloat());
  put(
    "String",
    "len",
    libraryFn((_, f) => ({ type: f([STRING], INTEGER) })),
  );
  put(
    "String",
    "from_int",
    libraryFn((_, f) => ({ type: f([INTEGER], STRING) })),
  );
  put(
    "List",
    "len",
    libraryFn((g, f) => ({ type: f([listType(g())], INTEGER) })),
  );
  put(
    "List",
    "last",
    libraryFn((g, f) => {
      const a = g();
      return { type: f([listType(a)], a) };
    }),
  );
  put(
    "List",
    "map",
    libraryFn((g, f) => {
      const [a, b] = [g(), g()];
      return { type: f([listType(a), f([a], b)], listType(b)) };
    }),
  );
  put(
    "List",
    "fold",
    libraryFn((g, f) => {
      const [a, b] = [g(), g()];
      return { type: f([listType(a), b, f([b, a], b)], b) };
    }),
  );
  // Record helpers depend on field names known only from values; `infer.ts` types them
  // precisely when it can (see `intrinsics`), these schemes are the fallback.
  put(
    "Record",
    "from_struct",
    libraryFn((g, f) => ({ type: f([g()], UNKNOWN) })),
  );
  put(
    "Record",
    "split",
    libraryFn((g, f) => ({ type: f([g(), listType(SYMBOL)], tupleType([UNKNOWN, UNKNOWN])) })),
  );
  put(
    "Record",
    "merge",
    libraryFn((g, f) => ({ type: f([g(), g()], UNKNOWN) })),
  );
  put(
    "Cell",
    "new",
    libraryFn((g, f) => {
      const a = g();
      return { type: f([a], con("Cell", [a])) };
    }),
  );
  put(
    "Cell",
    "get",
    libraryFn((g, f) => {
      const a = g();
      return { type: f([con("Cell", [a])], a) };
    }),
  );
  put(
    "Cell",
    "set",
    libraryFn((g, f) => {
      const a = g();
      return { type: f([con("Cell", [a]), a], UNIT) };
    }),
  );
  put(
    "Cell",
    "update",
    libraryFn((g, f) => {
      const a = g();
      return { type: f([con("Cell", [a]), f([a], a)], UNIT) };
    }),
  );
  put(
    "Type",
    "fields",
    libraryFn((_, f) => ({ type: f([TYPE], listType(tupleType([SYMBOL, TYPE]))) })),
  );
  put(
    "Type",
    "name",
    libraryFn((_, f) => ({ type: f([TYPE], SYMBOL) })),
  );
  put(
    "Type",
    "variant_of",
    libraryFn((_, f) => ({ type: f([TYPE, SYMBOL], BOOL) })),
  );
  put(
    "Syntax",
    "literal",
    libraryFn((g, f) => ({ type: f([g()], SYNTAX) })),
  );
  put(
    "Syntax",
    "ident",
    libraryFn((_, f) => ({ type: f([SYMBOL], SYNTAX) })),
  );
  put(
    "Syntax",
    "apply",
    libraryFn((g, f) => ({ type: f([g(), listType(SYNTAX)], SYNTAX) })),
  );
  put(
    "Quantity",
    "to_string",
    libraryFn((g, f) => ({ type: f([g()], STRING) })),
  );
  return ns;
}

const NAMESPACE_TYPES: Readonly<Record<string, Type>> = {
  Float: FLOAT,
  String: STRING,
  Type: TYPE,
  Syntax: SYNTAX,
};

/** The base environment. */
export function baseEnv(): Env {
  const frame = new Map<string, Binding>();
  for (const name of FORMS) frame.set(name, { kind: "form", name });
  for (const [name, s] of operators()) frame.set(name, { kind: "operator", name, scheme: s });
  const types: Record<string, Type> = {
    Integer: INTEGER,
    Rational: numberType("Rational"),
    Float: FLOAT,
    Bool: BOOL,
    String: STRING,
    Char: CHAR,
    Symbol: SYMBOL,
    Unit: UNIT,
    Type: TYPE,
    Syntax: SYNTAX,
    Unknown: UNKNOWN,
    Measure: MEASURE,
    Module: MODULE,
  };
  for (const [name, type] of Object.entries(types)) frame.set(name, { kind: "type", type });
  for (const [name, members] of namespaces()) {
    const type = NAMESPACE_TYPES[name];
    frame.set(name, {
      kind: "namespace",
      name,
      members,
      origin: "library",
      ...(type === undefined ? {} : { type }),
    });
  }
  // The output functions of the standard library (docs/spec: they print any value and
  // yield `()`); what they print is the host's business, not the checker's.
  for (const name of ["println", "print"]) {
    frame.set(name, {
      kind: "value",
      scheme: libraryFn((g, f) => ({ type: f([g()], UNIT) })),
      user: false,
    });
  }
  frame.set("true", {
    kind: "value",
    scheme: { vars: [], constraints: [], type: BOOL },
    user: false,
  });
  frame.set("false", {
    kind: "value",
    scheme: { vars: [], constraints: [], type: BOOL },
    user: false,
  });
  return Env.root(frame);
}
