import { renderDiagnostic, SourceFile } from "@cadenza/core";
import { type Node, parse } from "@cadenza/syntax";
import { conformanceDir, loadCases } from "@cadenza/test-support";
import { describe, expect, it } from "vitest";
import {
  BlockIndex,
  check,
  checkGroup,
  declareFile,
  fileFacts,
  groupUnits,
  isDeclarationItem,
  itemInfos,
  renderScheme,
  type Signature,
  signatureKey,
  type Type,
  topLevelGraph,
} from "../src/index.js";
import { renderType } from "../src/print.js";

/**
 * Checks a file one binding group at a time, as an incremental driver does (without the
 * driver's rebasing of positions): declarations once, then every group in inference order
 * from the signatures of the groups before it; then the groups that turned out open are
 * checked again together with their users, as one unit.
 */
function checkByGroups(source: SourceFile, items: readonly Node[]) {
  const infos = itemInfos(items);
  const index = new BlockIndex(infos);
  const { order, edges } = topLevelGraph(items);
  const declared = declareFile(source, items.filter(isDeclarationItem));
  const declarationSpans = items.filter(isDeclarationItem).map((i) => i.span);
  const facts = fileFacts(items);
  const position = new Map<number, number>();
  order.forEach((g, p) => {
    for (const i of g) position.set(i, p);
  });
  const check = (
    unit: readonly (readonly number[])[],
    exports: Map<number, ReadonlyMap<string, Signature>>,
  ) => {
    const group = unit.flat().sort((a, b) => a - b);
    const r = checkGroup({
      source,
      members: group.map((i) => items[i]!),
      order: unit.map((g) => g.map((i) => group.indexOf(i))),
      declarations: declared.declarations,
      keepOrigin: (span) =>
        declarationSpans.some((d) => d.start <= span.start && span.end <= d.end),
      reassigned: facts.reassigned,
      opaque: facts.opaque,
      resolve(member, name) {
        const j = index.resolve(group[member]!, name);
        if (j === undefined) return undefined;
        const k = group.indexOf(j);
        if (k >= 0) return { kind: "member", member: k };
        const s = exports.get(j)?.get(name);
        if (s !== undefined) return { kind: "signature", signature: s };
        return infos[j]!.kind === "other" ? undefined : { kind: "pending" };
      },
      visibleNames(member) {
        const i = group[member]!;
        const out: { name: string; member?: number }[] = [];
        const seen = new Set<string>();
        const consider = (n: string): void => {
          if (seen.has(n)) return;
          seen.add(n);
          const j = index.resolve(i, n);
          if (j === undefined) return;
          const k = group.indexOf(j);
          if (k >= 0) out.push({ name: n, member: k });
          else if (position.get(j)! < position.get(i)!) out.push({ name: n });
        };
        for (let j = i - 1; j >= 0; j--) for (const n of infos[j]!.defines) consider(n);
        for (const info of infos) if (info.kind === "fn") for (const n of info.defines) consider(n);
        return out;
      },
    });
    group.forEach((i, m) => {
      exports.set(i, r.exports[m]!);
    });
    return r;
  };
  // First every binding group on its own, to learn which are open.
  const probed = new Map<number, ReturnType<typeof checkGroup>>();
  const probeExports = new Map<number, ReadonlyMap<string, Signature>>();
  order.forEach((g, k) => {
    probed.set(k, check([g], probeExports));
  });
  const units = groupUnits(
    order,
    edges,
    order.map((_, k) => probed.get(k)!.open),
  );
  const exports = new Map<number, ReadonlyMap<string, Signature>>();
  const types = new Map<Node, Type>();
  const diagnostics = [...declared.diagnostics];
  const schemes = new Map<string, Signature>();
  for (const unit of units) {
    const r =
      unit.length === 1
        ? probed.get(order.findIndex((g) => g[0] === unit[0]![0]))!
        : check(unit, exports);
    if (unit.length === 1) {
      unit[0]!.forEach((i, m) => {
        exports.set(i, r.exports[m]!);
      });
    }
    for (const [n, t] of r.types) types.set(n, t);
    diagnostics.push(...r.diagnostics);
  }
  infos.forEach((_, i) => {
    for (const [name, s] of exports.get(i) ?? []) schemes.set(name, s);
  });
  diagnostics.sort((a, b) => a.primary.span.start - b.primary.span.start);
  return { types, diagnostics, schemes };
}

/** What a whole-file check and a check by groups must agree on. */
function compare(text: string): void {
  const source = new SourceFile("test.cdz", text);
  const { items } = parse(source);
  const whole = check(source, items);
  const byGroups = checkByGroups(source, items);
  const render = (ds: readonly Parameters<typeof renderDiagnostic>[0][]) =>
    ds.map((d) => renderDiagnostic(d, source)).join("\n");
  expect(render(byGroups.diagnostics)).toBe(render(whole.diagnostics));
  const schemes = (m: ReadonlyMap<string, string>) => Object.fromEntries(m);
  expect(
    schemes(new Map([...byGroups.schemes].map(([n, s]) => [n, renderScheme(s.scheme)]))),
  ).toEqual(schemes(whole.schemes));
  items.forEach((item, i) => {
    const t = byGroups.types.get(item);
    expect(`${i}: ${t === undefined ? "-" : renderType(t)}`).toBe(
      `${i}: ${whole.types.textOf(item) ?? "-"}`,
    );
  });
}

describe("checking by binding groups agrees with a whole-file check", () => {
  const programs: Record<string, string> = {
    polymorphism: 'fn id x = x\nlet a = id 1\nlet b = id "s"\n(a, b)\n',
    "mutual recursion":
      "fn even n = if n == 0 then true else odd (n - 1)\nfn odd n = if n == 0 then false else even (n - 1)\neven 10\n",
    units:
      "measure meter\nmeasure second\nfn speed d t = d / t\n(speed 100meter 9.58second) + 5meter\n",
    "reassigned variables": "let total = 0\ntotal = total + 0.5\ntotal\n",
    structs:
      "struct Point { x = Float, y = Float }\nfn norm p = Float.sqrt (p.x * p.x + p.y * p.y)\nnorm (Point { x = 3.0, y = 4.0 })\nPoint { x = 1 }\n",
    "undefined names": "let value = 1\nvlaue + 1\nfn f x = x + valeu\n",
    traits:
      "trait Shape a = { area: fn(a) -> Float }\nstruct Sq { side = Float }\nimpl Shape Sq = { area = \\s -> s.side * s.side }\nfn describe s = Shape.area s\ndescribe (Sq { side = 2.0 })\ndescribe 3\n",
    effects:
      'effect Log = { log: fn(String) -> Unit }\nfn greet name = Log.log name\ngreet "Ada"\nhandle Log { log = \\m -> () }\n    greet "Bob"\n',
    shadowing: 'let x = 1\nfn f = x + 1\nlet x = "s"\nfn g = x + "t"\n(f, g)\n',
    physics: `@si kilo milli
measure gram
measure meter
measure second
fn speed d t = d / t
fn kinetic m v = m * v * v / 2
let v = speed 100meter 9.58second
let e = kinetic 80kilogram v
let total = List.fold [1meter, 2meter, 3meter] 0meter \\acc x -> acc + x
total > 5meter
fn clamp x lo hi = if x < lo then lo else if x > hi then hi else x
clamp 5 0 10
clamp 1.5meter 0meter 1meter
`,
    shapes: `struct Point { x = Float, y = Float }
enum Shape { Circle { center: Point, radius: Float }, Polygon [Point] }
fn area s =
    match s
        (Shape.Circle { radius }) => 3.14159 * radius * radius
        (Shape.Polygon points) => 0.0
let shapes = [Shape.Circle { center = Point { x = 0.0, y = 0.0 }, radius = 1.0 }, Shape.Polygon []]
let areas = List.map shapes area
fn norm p = Float.sqrt (p.x * p.x + p.y * p.y)
norm (Point { x = 3.0, y = 4.0 })
norm { x = 1, y = 2 }
`,
    "counters in functions": "let count = 0\nfn bump = count = count + 1\nbump\ncount\n",
    "variables widened through functions":
      "let total = 0\nfn add x = total = total + x\nfn twice = add 0.5\ntwice\ntotal\n",
    "labels into declarations":
      'struct P { v = Integer }\nfn mk x = P { v = x }\nmk "s"\nfn get p = p.v\nget (P { v = 1 }) + "t"\n',
    "errors in several groups":
      'fn f x = x + "s"\nfn g y = f y * 2\nlet z = g 1\n100 + "t"\nfn h = undefined_name\n',
  };
  for (const [name, text] of Object.entries(programs)) it(name, () => compare(text));

  const dir = conformanceDir();
  describe.skipIf(dir === undefined)("the shared conformance programs", () => {
    const cases = dir === undefined ? [] : loadCases(dir);
    for (const c of cases) it(c.id, () => compare(c.input));
  });
});

describe("signatureKey", () => {
  const signatures = (text: string) => {
    const source = new SourceFile("test.cdz", text);
    return checkByGroups(source, parse(source).items).schemes;
  };
  const key = (text: string, name: string) => signatureKey(signatures(text).get(name)!);

  it("is the same for alpha-equivalent schemes and bodies that keep the type", () => {
    expect(key("fn f x y = (x, y)", "f")).toBe(key("fn f x y = ((x), y)", "f"));
    expect(key("fn f x = x + 1", "f")).toBe(key("fn f x =\n    x + 1", "f"));
  });

  it("differs when the type changes", () => {
    expect(key("fn f x y = (x, y)", "f")).not.toBe(key("fn f x y = (y, x)", "f"));
    expect(key("fn f x = x + 1", "f")).not.toBe(key("fn f x = x + 1.5", "f"));
    // Parameter names are part of a signature: arity notes at the uses show them.
    expect(key("fn f x = x", "f")).not.toBe(key("fn f y = y", "f"));
  });

  it("closes what a group leaves free, so that users cannot bind it for each other", () => {
    const s = signatures("fn f x = x.name\nlet r = f\n").get("r")!;
    expect(s.scheme.vars.length).toBeGreaterThan(0);
  });
});
