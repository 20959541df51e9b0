/**
 * The base environment as an editor shows it (LANGUAGE.md §5.12–§5.13): special forms, values,
 * types, namespaces and their functions, and operators, each with a signature and a sentence
 * of documentation for hover, completion and signature help.
 */

/** What a name of the base environment is. */
export type BuiltinKind = "form" | "value" | "type" | "namespace" | "function" | "operator";

/** One name of the base environment (or one member of a library namespace). */
export interface Builtin {
  /** The name as written: `let`, `List`, `List.map`, `+`. */
  readonly name: string;
  readonly kind: BuiltinKind;
  /** How it is used, or its type: `fn(List a, fn(a) -> b) -> [b]`, `let PATTERN = EXPR`. */
  readonly signature: string;
  /** Parameter names of functions (for signature help), in order. */
  readonly params?: readonly string[];
  /** Parameter types, rendered, in order (functions only). */
  readonly paramTypes?: readonly string[];
  /** The result type, rendered (functions only). */
  readonly result?: string;
  /** One or two sentences of documentation. */
  readonly doc: string;
}

const forms: readonly [string, string, string][] = [
  [
    "let",
    "let PATTERN = EXPR",
    "Binds the names of an infallible pattern for the code that follows.",
  ],
  ["fn", "fn NAME P1 … Pn = BODY", "Defines a function; functions of a block are hoisted."],
  ["macro", "macro NAME P1 … Pn = BODY", "Defines a macro: its parameters receive syntax."],
  [
    "measure",
    "measure NAME [= QUANTITY]",
    "Defines a base unit, or a unit derived from a quantity.",
  ],
  [
    "struct",
    "struct NAME { field = Type, … }",
    "Defines a nominal record type and its constructor.",
  ],
  ["enum", "enum NAME { A, B Type, C { f: Type } }", "Defines a nominal sum type."],
  ["type", "type NAME = TYPE", "Binds a transparent type alias."],
  ["use", "use { A, B } = ENUM / use ENUM", "Binds variants of an enum as plain names."],
  ["match", "match SCRUTINEE ARM…", "Tries each `PATTERN => BODY` arm in order."],
  ["if", "if COND then A else B", "Yields the chosen branch; without `else`, `()`."],
  ["for", "for PATTERN in LIST BODY", "Runs BODY once per element of LIST."],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Cadenza's unquote, not a template.
  ["quote", "quote EXPR", "The syntax of EXPR, with `${e}` replaced by values."],
  ["typeof", "typeof EXPR", "The type of EXPR as a `Type` value."],
  ["docof", "docof NAME", "The documentation of NAME's binding as Syntax."],
  ["assert", "assert COND [MESSAGE]", "Fails with `assertion failed` when COND is false."],
  ["&&", "A && B", "Short-circuit and (Bool only)."],
  ["||", "A || B", "Short-circuit or (Bool only)."],
  ["trait", "trait NAME a = { … }", "Declares a trait (see the types package's SPEC.md)."],
  ["impl", "impl TRAIT TYPE = { … }", "Implements a trait for a type."],
  ["effect", "effect NAME = { … }", "Declares an effect and its operations."],
  ["handle", "handle EFFECT { … } BODY", "Handles the operations of an effect in BODY."],
  [
    "import",
    "import PATH (a, b) / import PATH * / import PATH as q",
    "Binds exported names of another module (hoisted; docs/spec/15-modules.md).",
  ],
];

const types: readonly [string, string][] = [
  ["Integer", "Exact integers in [−2¹²⁷, 2¹²⁷−1]."],
  ["Rational", "Exact fractions."],
  ["Float", "IEEE 754 doubles; also the namespace of float functions."],
  ["Bool", "`true` or `false`."],
  ["String", "Unicode text; also the namespace of string functions."],
  ["Char", "One Unicode scalar value."],
  ["Symbol", "An interned name such as `:red`."],
  ["Unit", "The type of `()`."],
  ["Type", "The type of types; also the namespace of type functions."],
  ["Syntax", "Syntax trees, as macros see them; also the namespace of syntax constructors."],
  ["Unknown", "The type of values nothing is known about; it is compatible with every type."],
];

const namespaces: readonly [string, string][] = [
  ["Float", "Float functions."],
  ["String", "String functions."],
  ["List", "List functions."],
  ["Record", "Record helpers."],
  ["Cell", "Shared mutable boxes."],
  ["Type", "Reflection on types."],
  ["Syntax", "Building syntax in macros."],
  ["Quantity", "Quantities and their units."],
];

type Fn = readonly [name: string, params: string, types: string, result: string, doc: string];

const functions: readonly Fn[] = [
  [
    "Float.from_rational",
    "value",
    "Rational",
    "Float",
    "The nearest double; also accepts Integer and Float.",
  ],
  ["Float.sqrt", "value", "Float", "Float", "The square root; accepts any number."],
  ["String.len", "string", "String", "Integer", "The number of Unicode scalar values."],
  ["String.from_int", "value", "Integer", "String", "Decimal text."],
  ["List.len", "list", "[a]", "Integer", "The number of elements."],
  ["List.last", "list", "[a]", "a", "The last element; `index out of bounds` on `[]`."],
  ["List.map", "list function", "[a]|fn(a) -> b", "[b]", "Applies the function to each element."],
  [
    "List.fold",
    "list initial function",
    "[a]|b|fn(b, a) -> b",
    "b",
    "Left fold: combines the elements from the first to the last.",
  ],
  ["Record.from_struct", "struct", "S", "{ … }", "The same fields as a structural record."],
  [
    "Record.split",
    "record fields",
    "{ … }|[Symbol]",
    "({ … }, { … })",
    "The named fields and the other fields, both in their original order.",
  ],
  ["Record.merge", "left right", "{ … }|{ … }", "{ … }", "Like `{ ...left, ...right }`."],
  ["Cell.new", "value", "a", "Cell a", "A new cell holding the value."],
  ["Cell.get", "cell", "Cell a", "a", "The content of the cell."],
  ["Cell.set", "cell value", "Cell a|a", "Unit", "Replaces the content of the cell."],
  [
    "Cell.update",
    "cell function",
    "Cell a|fn(a) -> a",
    "Unit",
    "Stores the function applied to the content.",
  ],
  [
    "Type.fields",
    "type",
    "Type",
    "[(Symbol, Type)]",
    "The fields of a record or struct type, in order.",
  ],
  ["Type.name", "type", "Type", "Symbol", "The name of a named type."],
  [
    "Type.variant_of",
    "type name",
    "Type|Symbol",
    "Bool",
    "Whether the type's head name is the symbol.",
  ],
  ["Syntax.literal", "value", "a", "Syntax", "A value node."],
  ["Syntax.ident", "name", "Symbol", "Syntax", "An identifier node."],
  [
    "Syntax.apply",
    "callee arguments",
    "Syntax|[Syntax]",
    "Syntax",
    "An application node; the callee may be a Symbol.",
  ],
  ["Quantity.to_string", "type", "Type", "String", "The unit text of a quantity type."],
];

const operators: readonly [string, string, string][] = [
  ["+", "fn(a, a) -> a", "Addition (dimensions must match)."],
  ["-", "fn(a, a) -> a", "Subtraction; with one argument, negation."],
  ["*", "fn(a, b) -> c", "Multiplication; units multiply. With one argument, clone."],
  ["/", "fn(a, b) -> c", "Division; Integer operands give a Rational."],
  ["%", "fn(a, a) -> a", "Remainder."],
  ["**", "fn(a, Integer) -> a", "Power with an Integer exponent."],
  ["==", "fn(a, a) -> Bool", "Equality."],
  ["!=", "fn(a, a) -> Bool", "Inequality."],
  ["<", "fn(a, a) -> Bool", "Less than."],
  ["<=", "fn(a, a) -> Bool", "Less than or equal."],
  [">", "fn(a, a) -> Bool", "Greater than."],
  [">=", "fn(a, a) -> Bool", "Greater than or equal."],
  ["&", "fn(Integer, Integer) -> Integer", "Bitwise and."],
  ["|", "fn(Integer, Integer) -> Integer", "Bitwise or."],
  ["^", "fn(Integer, Integer) -> Integer", "Bitwise xor."],
  ["<<", "fn(Integer, Integer) -> Integer", "Shift left."],
  [">>", "fn(Integer, Integer) -> Integer", "Shift right."],
  ["!", "fn(Bool) -> Bool", "Negation."],
  ["~", "fn(Integer) -> Integer", "Bitwise not."],
  ["..", "fn(Integer, Integer) -> [Integer]", "The Integers from a up to b, exclusive."],
  ["..=", "fn(Integer, Integer) -> [Integer]", "The Integers from a up to b, inclusive."],
  ["|>", "x |> f a", "Pipeline: passes x as the first argument of f."],
];

function build(): Map<string, Builtin> {
  const out = new Map<string, Builtin>();
  for (const [name, signature, doc] of forms) out.set(name, { name, kind: "form", signature, doc });
  for (const [name, doc] of namespaces)
    out.set(name, { name, kind: "namespace", signature: `${name}.…`, doc });
  // `Float`, `String`, `Type` and `Syntax` are types and namespaces: the type entry wins,
  // and `NAMESPACES` still lists them for completion after `.`.
  for (const [name, doc] of types) out.set(name, { name, kind: "type", signature: name, doc });
  for (const [name, doc] of [
    ["true", "The Bool value true."],
    ["false", "The Bool value false."],
  ] as const)
    out.set(name, { name, kind: "value", signature: "Bool", doc });
  for (const [name, paramText, typeText, result, doc] of functions) {
    const params = paramText.split(" ");
    const paramTypes = typeText.split("|");
    out.set(name, {
      name,
      kind: "function",
      signature: `fn(${paramTypes.join(", ")}) -> ${result}`,
      params,
      paramTypes,
      result,
      doc,
    });
  }
  for (const [name, signature, doc] of operators)
    out.set(name, { name, kind: "operator", signature, doc });
  return out;
}

/** Every builtin by name; namespace members are keyed `Namespace.member`. */
export const BUILTINS: ReadonlyMap<string, Builtin> = build();

/** The names that are namespaces (accessed with `.`), including those that are also types. */
export const NAMESPACES: ReadonlySet<string> = new Set(namespaces.map(([n]) => n));

/** The members of a namespace, in the order of LANGUAGE.md §5.13. */
export function namespaceMembers(namespace: string): Builtin[] {
  const prefix = `${namespace}.`;
  return [...BUILTINS.values()].filter((b) => b.name.startsWith(prefix));
}

/** The builtin named `name`, or the member `member` of namespace `name`. */
export function builtin(name: string, member?: string): Builtin | undefined {
  return BUILTINS.get(member === undefined ? name : `${name}.${member}`);
}
