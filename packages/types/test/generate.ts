/**
 * Random well-scoped Cadenza programs for property tests: numbers of the tower, quantities
 * with units, strings, records, lists, tuples, functions and lambdas, `if` and `match`,
 * reassignment and field assignment. Generation is type-directed (each expression is built
 * for a target type, so most programs are well typed and the checker has something to accept)
 * with a small rate of deliberate mistakes (an expression of another type, any variable, a
 * wrong number of arguments), so that the checker also has something to reject.
 *
 * Choices are drawn from fast-check's `gen()`, so failures are reproducible and shrink.
 */
import fc from "fast-check";

/** The generator's own notion of types (what it means to build, not what is inferred). */
export type GenType =
  | { readonly k: "num"; readonly m: "Integer" | "Rational" | "Float"; readonly d: Dim }
  | { readonly k: "bool" }
  | { readonly k: "str" }
  | { readonly k: "rec"; readonly fields: readonly (readonly [string, GenType])[] }
  | { readonly k: "list"; readonly el: GenType }
  | { readonly k: "tuple"; readonly items: readonly GenType[] }
  | { readonly k: "fn"; readonly params: readonly GenType[]; readonly res: GenType };

type Dim = "" | "meter" | "second" | "meter/second";

interface Var {
  readonly name: string;
  readonly type: GenType;
  /** Top-level functions: called by name with arguments (zero parameters: by name alone). */
  readonly fn?: { readonly params: readonly GenType[]; readonly res: GenType };
  /** Whether a later statement may reassign it (a `let` at the top level). */
  readonly mutable?: boolean;
}

/** What the generator draws from: fast-check's imperative generator. */
export type Draw = fc.GeneratorValue;

/** Options of {@link generateProgram}. */
export interface GenerateOptions {
  /** The number of top-level items after the measures. */
  readonly items: number;
  /**
   * The most deliberate mistakes one program may contain (the number is drawn between 0 and
   * this); each expression node is a mistake with a small probability until they are used.
   */
  readonly mistakes: number;
  /** The nesting depth of expressions (default 2). */
  readonly depth?: number;
}

const FIELDS = ["a", "b", "c"];

export function typeEq(x: GenType, y: GenType): boolean {
  if (x.k !== y.k) return false;
  switch (x.k) {
    case "num": {
      const o = y as typeof x;
      return x.m === o.m && x.d === o.d;
    }
    case "bool":
    case "str":
      return true;
    case "rec": {
      const o = y as typeof x;
      return (
        x.fields.length === o.fields.length &&
        x.fields.every(([n, t]) => o.fields.some(([m, u]) => m === n && typeEq(t, u)))
      );
    }
    case "list":
      return typeEq(x.el, (y as typeof x).el);
    case "tuple": {
      const o = y as typeof x;
      return x.items.length === o.items.length && x.items.every((t, i) => typeEq(t, o.items[i]!));
    }
    case "fn": {
      const o = y as typeof x;
      return (
        x.params.length === o.params.length &&
        x.params.every((t, i) => typeEq(t, o.params[i]!)) &&
        typeEq(x.res, o.res)
      );
    }
  }
}

class Generator {
  private counter = 0;
  private readonly lines: string[] = ["measure meter", "measure second"];
  private mistakesLeft = 0;

  constructor(
    private readonly draw: Draw,
    private readonly options: GenerateOptions,
  ) {}

  private int(min: number, max: number): number {
    return this.draw(fc.integer, { min, max });
  }

  private chance(p: number): boolean {
    return this.int(0, 999) < p * 1000;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  // ------------------------------------------------------------------------- types

  genType(depth: number): GenType {
    const r = this.int(0, 99);
    if (r < 45 || depth <= 0) {
      if (r % 5 === 0) return { k: "bool" };
      if (r % 7 === 0) return { k: "str" };
      const d = this.pick<Dim>(["", "", "meter", "second", "meter/second"]);
      const m =
        d === "meter/second"
          ? this.pick(["Rational", "Float"] as const)
          : this.pick(["Integer", "Integer", "Rational", "Float"] as const);
      return { k: "num", m, d };
    }
    if (r < 57) return { k: "bool" };
    if (r < 65) return { k: "str" };
    if (r < 77) {
      const n = this.int(1, 2);
      const names = n === 1 ? [this.pick(FIELDS)] : ["a", this.pick(["b", "c"])];
      return { k: "rec", fields: names.map((f) => [f, this.genType(depth - 1)] as const) };
    }
    if (r < 88) return { k: "list", el: this.dataType(depth - 1) };
    if (r < 93) return { k: "tuple", items: [this.genType(depth - 1), this.genType(depth - 1)] };
    const n = this.int(1, 2);
    return {
      k: "fn",
      params: Array.from({ length: n }, () => this.genType(depth - 1)),
      res: this.genType(depth - 1),
    };
  }

  /**
   * A type without functions, for list elements and `==`: the evaluator compares function
   * values by the types §5.7 infers for them, which differ from the static types once units
   * or the tower are involved (SPEC.md §T9).
   */
  dataType(depth: number): GenType {
    const t = this.genType(depth);
    return hasFunctions(t) ? this.genType(0) : t;
  }

  // ------------------------------------------------------------------------- expressions

  /** An expression of type `t` (or, by mistake, of another one). */
  expr(t: GenType, scope: readonly Var[], depth: number): string {
    if (this.mistakesLeft > 0 && this.chance(0.04)) {
      this.mistakesLeft--;
      if (this.chance(0.3) && scope.length > 0) return this.pick(scope).name;
      t = this.genType(1);
    }
    const options: (() => string)[] = [];
    const sameType = scope.filter((v) => v.fn === undefined && typeEq(v.type, t));
    if (sameType.length > 0) options.push(() => this.pick(sameType).name);
    const calls = scope.filter((v) => v.fn !== undefined && typeEq(v.fn.res, t));
    if (calls.length > 0 && depth > 0)
      options.push(() => this.call(this.pick(calls), scope, depth));
    // Compound forms are parenthesised, so that every expression is an atom.
    if (depth > 0)
      for (const c of this.compound(t, scope, depth - 1)) options.push(() => `(${c()})`);
    // Literals and constructions are always possible; weigh them less as depth allows more.
    options.push(() => this.literal(t, scope, depth));
    return this.pick(options)();
  }

  private call(f: Var, scope: readonly Var[], depth: number): string {
    const params = f.fn!.params;
    if (params.length === 0) return f.name;
    let args = params.map((p) => this.atom(p, scope, depth - 1));
    if (this.mistakesLeft > 0 && this.chance(0.1)) {
      this.mistakesLeft--;
      args = this.chance(0.5) ? args.slice(1) : [...args, this.atom(this.genType(0), scope, 0)];
      if (args.length === 0) return `(${f.name} ())`;
    }
    return `(${f.name} ${args.join(" ")})`;
  }

  /** An expression that can stand as an argument (every expression is one). */
  private atom(t: GenType, scope: readonly Var[], depth: number): string {
    return this.expr(t, scope, depth);
  }

  private literal(t: GenType, scope: readonly Var[], depth: number): string {
    switch (t.k) {
      case "num": {
        const n = this.int(0, 20);
        const unit = t.d === "meter/second" ? "" : t.d;
        if (t.d === "meter/second") {
          return t.m === "Float" ? `(${n}.5meter / 2second)` : `(${n}meter / ${n + 1}second)`;
        }
        if (t.m === "Integer") return `${n}${unit}`;
        if (t.m === "Float") return `${n}.25${unit}`;
        return `(${n}${unit} / ${this.pick([2, 3, 4])})`;
      }
      case "bool":
        return this.pick(["true", "false"]);
      case "str":
        return `"s${this.int(0, 9)}"`;
      case "rec":
        return `{ ${t.fields.map(([f, ft]) => `${f} = ${this.expr(ft, scope, depth - 1)}`).join(", ")} }`;
      case "list": {
        if (this.chance(0.15)) return "[]";
        const n = this.int(1, 3);
        return `[${Array.from({ length: n }, () => this.expr(t.el, scope, depth - 1)).join(", ")}]`;
      }
      case "tuple":
        return `(${t.items.map((x) => this.expr(x, scope, depth - 1)).join(", ")})`;
      case "fn": {
        const params = t.params.map((p) => ({ name: this.fresh("p"), type: p }));
        const body = this.expr(t.res, [...scope, ...params], Math.max(depth - 1, 0));
        return `(\\${params.map((p) => p.name).join(" ")} -> ${body})`;
      }
    }
  }

  private compound(t: GenType, scope: readonly Var[], depth: number): (() => string)[] {
    const out: (() => string)[] = [];
    const bool: GenType = { k: "bool" };
    const int: GenType = { k: "num", m: "Integer", d: "" };
    // Generic forms: branches, field reads, lambdas applied, list elements.
    out.push(
      () =>
        `if ${this.atom(bool, scope, depth)} then ${this.expr(t, scope, depth)} else ${this.expr(t, scope, depth)}`,
    );
    out.push(
      () =>
        `match ${this.atom(int, scope, depth)} (${this.int(0, 2)} => ${this.expr(t, scope, depth)}) (_ => ${this.expr(t, scope, depth)})`,
    );
    out.push(() => {
      const field = this.pick(FIELDS);
      const other = this.pick(FIELDS.filter((f) => f !== field));
      const rec: GenType = {
        k: "rec",
        fields: this.chance(0.5)
          ? [[field, t]]
          : [
              [field, t],
              [other, this.genType(0)],
            ],
      };
      return `${this.atom(rec, scope, depth)}.${field}`;
    });
    out.push(() => {
      const pt = this.genType(1);
      const p = { name: this.fresh("x"), type: pt };
      return `(\\${p.name} -> ${this.expr(t, [...scope, p], depth)}) ${this.atom(pt, scope, depth)}`;
    });
    if (!hasFunctions(t))
      out.push(() => `List.last ${this.atom({ k: "list", el: t }, scope, depth)}`);
    out.push(() => {
      const other = this.genType(0);
      const a = this.fresh("t");
      const b = this.fresh("t");
      const tuple = `(${this.expr(t, scope, depth)}, ${this.expr(other, scope, depth)})`;
      // A block in parentheses is not an expression: destructure through a lambda instead.
      return `(\\${a} -> (\\(${b}, _) -> ${b}) ${a}) ${tuple}`;
    });
    switch (t.k) {
      case "num": {
        const same = (): string => this.atom(t, scope, depth);
        out.push(() => `${same()} + ${same()}`);
        out.push(() => `${same()} - ${same()}`);
        out.push(() => `${same()} * ${this.atom({ k: "num", m: "Integer", d: "" }, scope, depth)}`);
        if (t.m !== "Integer") {
          out.push(() => `${same()} / ${this.int(1, 5)}`);
          out.push(() => `${this.atom({ ...t, m: "Integer" }, scope, depth)} / ${this.int(1, 5)}`);
        }
        if (t.d === "meter/second") {
          const m = t.m === "Float" ? "Float" : "Integer";
          out.push(
            () =>
              `${this.atom({ k: "num", m, d: "meter" }, scope, depth)} / ${this.int(1, 4)}second`,
          );
        }
        if (t.d === "" && t.m === "Integer") {
          out.push(
            () => `List.len ${this.atom({ k: "list", el: this.dataType(1) }, scope, depth)}`,
          );
          out.push(() => `String.len ${this.atom({ k: "str" }, scope, depth)}`);
        }
        out.push(() => {
          const acc = this.fresh("acc");
          const y = this.fresh("y");
          return `List.fold ${this.atom({ k: "list", el: t }, scope, depth)} ${this.atom(t, scope, depth)} \\${acc} ${y} -> ${acc} + ${y}`;
        });
        break;
      }
      case "bool": {
        out.push(() => {
          const n = this.genType(0);
          const ordered: GenType = n.k === "num" || n.k === "str" ? n : { k: "str" };
          const op = this.pick(["<", "<=", ">", ">="]);
          return `${this.atom(ordered, scope, depth)} ${op} ${this.atom(ordered, scope, depth)}`;
        });
        out.push(() => {
          const any = this.dataType(1);
          const op = this.pick(["==", "!="]);
          return `${this.atom(any, scope, depth)} ${op} ${this.atom(any, scope, depth)}`;
        });
        out.push(() => `!${this.atom(t, scope, depth)}`);
        out.push(() => `${this.atom(t, scope, depth)} && ${this.atom(t, scope, depth)}`);
        break;
      }
      case "str":
        out.push(() => `${this.atom(t, scope, depth)} + ${this.atom(t, scope, depth)}`);
        out.push(
          () => `String.from_int ${this.atom({ k: "num", m: "Integer", d: "" }, scope, depth)}`,
        );
        break;
      case "rec":
        out.push(
          () =>
            `{ ...${this.atom(t, scope, depth)}, ${t.fields[0]![0]} = ${this.expr(t.fields[0]![1], scope, depth)} }`,
        );
        break;
      case "list":
        out.push(() => {
          const from = this.dataType(1);
          const x = this.fresh("x");
          return `List.map ${this.atom({ k: "list", el: from }, scope, depth)} \\${x} -> ${this.expr(t.el, [...scope, { name: x, type: from }], depth)}`;
        });
        out.push(() => `[${this.expr(t.el, scope, depth)}, ...${this.atom(t, scope, depth)}]`);
        break;
      case "fn": {
        const named = scope.filter(
          (v) =>
            v.fn !== undefined &&
            v.fn.params.length > 0 &&
            typeEq({ k: "fn", params: v.fn.params, res: v.fn.res }, t),
        );
        if (named.length > 0) out.push(() => this.pick(named).name);
        break;
      }
      default:
        break;
    }
    return out;
  }

  // ------------------------------------------------------------------------- items

  program(): string {
    this.mistakesLeft = this.int(0, this.options.mistakes);
    const scope: Var[] = [];
    for (let i = 0; i < this.options.items; i++) this.item(scope);
    return `${this.lines.join("\n")}\n`;
  }

  private item(scope: Var[]): void {
    const r = this.int(0, 99);
    const depth = this.options.depth ?? 2;
    if (r < 30) {
      const t = this.genType(2);
      const name = this.fresh("v");
      this.lines.push(`let ${name} = ${this.expr(t, scope, depth)}`);
      scope.push({ name, type: t, mutable: true });
      return;
    }
    if (r < 55) {
      const params = Array.from({ length: this.int(0, 2) }, () => ({
        name: this.fresh("q"),
        type: this.genType(1),
      }));
      const res = this.genType(1);
      const name = this.fresh("f");
      const inner = [...scope.filter((v) => v.fn !== undefined || !v.mutable), ...params];
      const head = `fn ${name}${params.map((p) => ` ${p.name}`).join("")} =`;
      if (this.chance(0.4)) {
        const lt = this.genType(1);
        const local = this.fresh("l");
        this.lines.push(head);
        this.lines.push(`    let ${local} = ${this.expr(lt, inner, depth)}`);
        this.lines.push(`    ${this.expr(res, [...inner, { name: local, type: lt }], depth)}`);
      } else {
        this.lines.push(`${head} ${this.expr(res, inner, depth)}`);
      }
      const fn = { params: params.map((p) => p.type), res };
      scope.push({ name, type: { k: "fn", ...fn }, fn });
      return;
    }
    if (r < 65) {
      const mutable = scope.filter((v) => v.mutable);
      if (mutable.length > 0) {
        const v = this.pick(mutable);
        if (v.type.k === "rec" && this.chance(0.5)) {
          const [f, ft] = this.pick(v.type.fields);
          this.lines.push(`${v.name}.${f} = ${this.expr(ft, scope, depth)}`);
          return;
        }
        if (v.type.k === "num" && this.chance(0.5)) {
          this.lines.push(`${v.name} += ${this.expr(v.type, scope, depth)}`);
          return;
        }
        // A wider magnitude may be assigned: the variable then holds the wider type.
        const t: GenType =
          v.type.k === "num" && this.chance(0.3) ? { ...v.type, m: "Float" } : v.type;
        this.lines.push(`${v.name} = ${this.expr(t, scope, depth)}`);
        if (t !== v.type) scope[scope.indexOf(v)] = { ...v, type: t };
        return;
      }
    }
    if (r < 72) {
      const a = this.genType(1);
      const b = this.genType(1);
      const [x, y] = [this.fresh("d"), this.fresh("d")];
      if (this.chance(0.5)) {
        this.lines.push(
          `let (${x}, ${y}) = ${this.atom({ k: "tuple", items: [a, b] }, scope, depth)}`,
        );
      } else {
        const rec: GenType = {
          k: "rec",
          fields: [
            ["a", a],
            ["b", b],
          ],
        };
        this.lines.push(`let { a = ${x}, b = ${y} } = ${this.atom(rec, scope, depth)}`);
      }
      scope.push({ name: x, type: a }, { name: y, type: b });
      return;
    }
    this.lines.push(this.expr(this.genType(2), scope, depth));
  }
}

function hasFunctions(t: GenType): boolean {
  switch (t.k) {
    case "fn":
      return true;
    case "num":
    case "bool":
    case "str":
      return false;
    case "rec":
      return t.fields.some(([, f]) => hasFunctions(f));
    case "list":
      return hasFunctions(t.el);
    case "tuple":
      return t.items.some(hasFunctions);
  }
}

/** A random program (text ending in a newline). */
export function generateProgram(draw: Draw, options: GenerateOptions): string {
  return new Generator(draw, options).program();
}
