// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for unquotes.
import fc from "fast-check";

/**
 * Small random Cadenza programs for property tests: a few functions, variables,
 * reassignments, structs and expressions over a small pool of names, so that items refer to
 * each other (and sometimes to nothing: undefined names, type errors and recursion happen).
 */
const FNS = ["f", "g", "h"];
const VARS = ["x", "y", "z"];

const literal: fc.Arbitrary<string> = fc.constantFrom("1", "2", "0.5", "3meter", '"s"', "true");

function expr(params: readonly string[], depth: number): fc.Arbitrary<string> {
  const names = fc.constantFrom(...VARS, ...params, "missing");
  const leaf = fc.oneof(literal, names);
  if (depth <= 0) return leaf;
  const sub = expr(params, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    {
      weight: 2,
      arbitrary: fc
        .tuple(sub, fc.constantFrom("+", "*", "-", "==", "<"), sub)
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...FNS), sub, sub).map(([f, a, b]) => `(${f} ${a} ${b})`),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(sub, sub, sub).map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
    },
    { weight: 1, arbitrary: sub.map((a) => `[${a}, ${a}]`) },
    { weight: 1, arbitrary: sub.map((a) => `(dbl ${a})`) },
    { weight: 1, arbitrary: sub.map((a) => `{ v = ${a} }.v`) },
  );
}

/** One top-level item (one line). */
export const item: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...FNS), expr(["a", "b"], 2))
      .map(([f, e]) => `fn ${f} a b = ${e}`),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom(...VARS), expr([], 2)).map(([v, e]) => `let ${v} = ${e}`),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...VARS), expr([], 1)).map(([v, e]) => `${v} = ${e}`),
  },
  { weight: 3, arbitrary: expr([], 2) },
  { weight: 1, arbitrary: fc.constant("measure meter") },
  { weight: 1, arbitrary: fc.constantFrom("struct P { v = Integer }", "struct P { v = Float }") },
  { weight: 1, arbitrary: fc.constant("P { v = 1 }") },
  // Macros: one whose expansion copies syntax from its definition into the call site, one
  // that defines a function (so that definitions come from expansions).
  { weight: 1, arbitrary: fc.constant("macro dbl e = quote (${e} + ${e})") },
  { weight: 1, arbitrary: fc.constant("macro mk n = quote (fn ${n} a b = a * 2)") },
  { weight: 1, arbitrary: fc.constantFrom(...FNS).map((f) => `mk ${f}`) },
);

/** A program: some items. */
export const program: fc.Arbitrary<string[]> = fc.array(item, { minLength: 1, maxLength: 8 });

/** An edit of a program, as a change of its list of items. */
export type Edit =
  | { readonly kind: "replace"; readonly at: number; readonly item: string }
  | { readonly kind: "insert"; readonly at: number; readonly item: string }
  | { readonly kind: "delete"; readonly at: number }
  | { readonly kind: "text"; readonly at: number; readonly offset: number; readonly text: string };

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), item }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), item }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("text" as const),
    at: fc.nat(),
    offset: fc.nat(),
    text: fc.constantFrom(" ", "1", "+ 1", ".5", "(", ")", "# c", "\n", "x"),
  }),
);

/** Applies an edit to a list of items (indexes taken modulo the length). */
export function applyEdit(items: readonly string[], e: Edit): string[] {
  const out = [...items];
  const at = out.length === 0 ? 0 : e.at % (out.length + (e.kind === "insert" ? 1 : 0));
  switch (e.kind) {
    case "replace":
      if (out.length > 0) out[at] = e.item;
      else out.push(e.item);
      return out;
    case "insert":
      out.splice(at, 0, e.item);
      return out;
    case "delete":
      if (out.length > 1) out.splice(at, 1);
      return out;
    case "text": {
      if (out.length === 0) return out;
      const line = out[at]!;
      const offset = e.offset % (line.length + 1);
      out[at] = line.slice(0, offset) + e.text + line.slice(offset);
      return out;
    }
  }
}

/** The text of a program. */
export function textOf(items: readonly string[]): string {
  return `${items.join("\n")}\n`;
}

/**
 * Small random multi-module programs: modules `m0…m3` that import each other (cycles and
 * self-imports happen, and imports of a module that does not exist), export some of their
 * definitions, re-export imports, and use what they import by name, through `*` and through
 * a qualified alias `q`.
 */
export const MODULES = ["m0", "m1", "m2", "m3"];
const MODULE_FNS = ["f", "g", "h"];

function moduleExpr(depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(
    fc.constantFrom("1", "2", "0.5", '"s"', "a", "v", "missing"),
    fc.constantFrom(...MODULE_FNS).map((f) => `(${f} 1)`),
    fc.constantFrom(...MODULE_FNS, "v").map((f) => `q.${f}`),
  );
  if (depth <= 0) return leaf;
  const sub = moduleExpr(depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    {
      weight: 2,
      arbitrary: fc
        .tuple(sub, fc.constantFrom("+", "*", "=="), sub)
        .map(([x, op, y]) => `(${x} ${op} ${y})`),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...MODULE_FNS), sub).map(([f, x]) => `(${f} ${x})`),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...MODULE_FNS), sub).map(([f, x]) => `(q.${f} ${x})`),
    },
    { weight: 1, arbitrary: sub.map((x) => `(dbl ${x})`) },
    { weight: 1, arbitrary: sub.map((x) => `(P { v = ${x} }).v`) },
  );
}

const exported = fc.boolean().map((e) => (e ? "@export\n" : ""));
const target = fc.constantFrom(...MODULES, ...MODULES, "nowhere");

/** One top-level item of a module (possibly two lines: `@export` and the item). */
export const moduleItem: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(exported, fc.constantFrom(...MODULE_FNS), moduleExpr(2))
      .map(([e, f, x]) => `${e}fn ${f} a = ${x}`),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(exported, moduleExpr(1)).map(([e, x]) => `${e}let v = ${x}`),
  },
  { weight: 3, arbitrary: moduleExpr(2) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        exported,
        target,
        fc.oneof(
          fc
            .subarray([...MODULE_FNS, "v", "P", "dbl", "nope"], { minLength: 1 })
            .map((ns) => ` (${ns.join(", ")})`),
          fc.constant(" *"),
          fc.constant(" as q"),
        ),
      )
      .map(([e, m, form]) => `${e}import ${m}${form}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(exported, fc.constantFrom("Integer", "Float"))
      .map(([e, t]) => `${e}struct P { v = ${t} }`),
  },
  { weight: 1, arbitrary: exported.map((e) => `${e}macro dbl e = quote (\${e} + \${e})`) },
  { weight: 1, arbitrary: exported.map((e) => `${e}measure meter`) },
);

/** A program of several modules: the items of each. */
export const modulesProgram: fc.Arbitrary<string[][]> = fc.array(
  fc.array(moduleItem, { minLength: 0, maxLength: 6 }),
  { minLength: MODULES.length, maxLength: MODULES.length },
);

/** An edit of one module: an edit of its items, or the file removed (and set again later). */
export type ModuleEdit =
  | { readonly module: number; readonly edit: Edit }
  | { readonly module: number; readonly remove: true };

export const moduleEdit: fc.Arbitrary<ModuleEdit> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      module: fc.nat({ max: MODULES.length - 1 }),
      edit: fc.oneof(
        edit,
        fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), item: moduleItem }),
        fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), item: moduleItem }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      module: fc.nat({ max: MODULES.length - 1 }),
      remove: fc.constant(true as const),
    }),
  },
);
