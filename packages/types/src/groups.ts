/**
 * Binding groups (ARCHITECTURE.md principle 2): the items of a block or file are ordered by
 * their dependencies and mutually dependent ones grouped as the strongly connected components
 * of the reference graph (Tarjan), inferred in dependency order so that every group is
 * generalised before its users see it (let-polymorphism across top-level definitions).
 */
import type { Node } from "@cadenza/syntax";
import { definitionHead, headName, isCall, isIdent, unwrapItem } from "./syntax.js";
import { mapPacked } from "./types.js";

/** The names a pattern binds. */
export function patternNames(p: Node): string[] {
  switch (p.kind) {
    case "ident":
      return p.name === "_" || p.name === "true" || p.name === "false" || p.name === "..."
        ? []
        : [p.name];
    case "literal":
    case "error":
      return [];
    case "apply": {
      const head = headName(p);
      if (head === ":" && p.args.length === 2) return patternNames(p.args[0]!);
      if (head === "=" && p.args.length === 2) return patternNames(p.args[1]!);
      if (head === "." || head === "-" || head === "__unquote__") return [];
      if (head === "__tuple__" || head === "__list__" || head === "__record__" || head === "...") {
        return p.args.flatMap(patternNames);
      }
      // A constructor pattern `(C p)`: the callee is a reference, the arguments bind.
      return p.args.flatMap(patternNames);
    }
    default:
      return [];
  }
}

/** What one item of a block defines. */
export interface ItemInfo {
  readonly node: Node;
  /** The item without `@`/`##` wrappers. */
  readonly core: Node;
  readonly kind: "fn" | "let" | "other";
  /** Names defined: the function name, or the names of a `let` (or `use`) pattern. */
  readonly defines: readonly string[];
}

/** Classifies the items of a block. */
export function itemInfos(items: readonly Node[]): ItemInfo[] {
  return mapPacked(items, (node) => {
    const { core } = unwrapItem(node);
    const fn = definitionHead(core, "fn");
    if (fn !== undefined && isIdent(fn.args[0]))
      return { node, core, kind: "fn", defines: [fn.args[0].name] };
    const lt = definitionHead(core, "let");
    if (lt !== undefined && lt.args.length === 1)
      return { node, core, kind: "let", defines: patternNames(lt.args[0]!) };
    return { node, core, kind: "other", defines: [] };
  });
}

/**
 * The names `node` refers to that it does not bind itself. Binders are respected (function
 * parameters, lambdas, `let` in blocks, `match` arms, `for`), field names after `.` and
 * quoted code are not references. Over-approximations only cost polymorphism, never
 * soundness, because every reference is still resolved when it is inferred.
 */
export function freeNames(node: Node): Set<string> {
  const out = new Set<string>();
  visit(node, new Set(), out);
  return out;
}

function visit(node: Node, bound: ReadonlySet<string>, out: Set<string>): void {
  switch (node.kind) {
    case "ident":
      if (!bound.has(node.name)) out.add(node.name);
      return;
    case "literal":
    case "error":
      return;
    case "apply":
      break;
    default:
      return;
  }
  const head = headName(node);
  const args = node.args;
  switch (head) {
    // A module path and the names an import lists are not references (docs/spec/15-modules.md).
    case "import":
      return;
    case "=": {
      const lhs = args[0];
      const fn = isCall(lhs, "fn") ? lhs : undefined;
      if (fn !== undefined && args.length === 2) {
        // The function's name and parameters are bound in its body (added directly, without
        // the intermediate arrays of `patternNames`: every function of a file goes through here).
        const inner = new Set(bound);
        if (isIdent(fn.args[0])) inner.add(fn.args[0].name);
        for (let i = 1; i < fn.args.length; i++) {
          visitPatternRefs(fn.args[i]!, bound, out);
          addPatternNames(fn.args[i]!, inner);
        }
        visit(args[1]!, inner, out);
        return;
      }
      if (isCall(lhs, "let") && args.length === 2) {
        for (let i = 0; i < lhs.args.length; i++) visitPatternRefs(lhs.args[i]!, bound, out);
        visit(args[1]!, bound, out);
        return;
      }
      if (
        isCall(lhs, "type") ||
        isCall(lhs, "measure") ||
        isCall(lhs, "macro") ||
        isCall(lhs, "use") ||
        isCall(lhs, "trait") ||
        isCall(lhs, "impl") ||
        isCall(lhs, "effect")
      ) {
        if (isCall(lhs, "use") || isCall(lhs, "impl")) visit(args[1]!, bound, out);
        if (isCall(lhs, "measure")) visit(args[1]!, bound, out);
        return;
      }
      break;
    }
    case "->":
      if (isCall(args[0], "\\") && args.length === 2) {
        const params = args[0].args.flatMap(patternNames);
        visit(args[1]!, extended(bound, params), out);
        return;
      }
      break;
    case "match": {
      const [scrutinee, ...rest] = args;
      if (scrutinee !== undefined) visit(scrutinee, bound, out);
      const arms = rest.length === 1 && isCall(rest[0], "__block__") ? rest[0].args : rest;
      for (const arm of arms) {
        if (isCall(arm, "=>") && arm.args.length === 2) {
          visitPatternRefs(arm.args[0]!, bound, out);
          visit(arm.args[1]!, extended(bound, patternNames(arm.args[0]!)), out);
        } else visit(arm, bound, out);
      }
      return;
    }
    case "for": {
      // (for PAT in LIST BODY)
      if (args.length === 4) {
        visit(args[2]!, bound, out);
        visit(args[3]!, extended(bound, patternNames(args[0]!)), out);
        return;
      }
      break;
    }
    case "__block__": {
      const infos = itemInfos(args);
      let inner = extended(
        bound,
        infos.filter((i) => i.kind === "fn").flatMap((i) => i.defines),
      );
      for (const info of infos) {
        visit(info.core, inner, out);
        if (info.kind === "let") inner = extended(inner, info.defines);
      }
      return;
    }
    case ".":
      if (args.length === 2) {
        visit(args[0]!, bound, out);
        if (isCall(args[1], "__unquote__")) visit(args[1], bound, out);
        return;
      }
      break;
    case "quote":
      for (let i = 0; i < args.length; i++) visitUnquotes(args[i]!, bound, out);
      return;
    case "struct":
    case "enum":
    case "measure":
    case "macro":
    case "docof":
      return;
    case "__record__":
      for (let i = 0; i < args.length; i++) {
        const entry = args[i]!;
        if (isCall(entry, "=") && entry.args.length === 2 && isIdent(entry.args[0]))
          visit(entry.args[1]!, bound, out);
        else visit(entry, bound, out);
      }
      return;
    default:
      break;
  }
  visit(node.callee, bound, out);
  for (let i = 0; i < args.length; i++) visit(args[i]!, bound, out);
}

/** `bound` with `names` added (a new set). */
function extended(bound: ReadonlySet<string>, names: readonly string[]): Set<string> {
  const out = new Set(bound);
  for (let i = 0; i < names.length; i++) out.add(names[i]!);
  return out;
}

/** Adds the names `p` binds to `out` ({@link patternNames} without the arrays). */
function addPatternNames(p: Node, out: Set<string>): void {
  switch (p.kind) {
    case "ident":
      if (p.name !== "_" && p.name !== "true" && p.name !== "false" && p.name !== "...")
        out.add(p.name);
      return;
    case "apply": {
      const head = headName(p);
      if (head === ":" && p.args.length === 2) addPatternNames(p.args[0]!, out);
      else if (head === "=" && p.args.length === 2) addPatternNames(p.args[1]!, out);
      else if (head !== "." && head !== "-" && head !== "__unquote__")
        for (let i = 0; i < p.args.length; i++) addPatternNames(p.args[i]!, out);
      return;
    }
    default:
      return;
  }
}

/** References inside a pattern: annotation types, constructor and enum names. */
function visitPatternRefs(p: Node, bound: ReadonlySet<string>, out: Set<string>): void {
  if (p.kind !== "apply") return;
  const head = headName(p);
  if (head === ":" && p.args.length === 2) {
    visitPatternRefs(p.args[0]!, bound, out);
    visit(p.args[1]!, bound, out);
    return;
  }
  if (head === ".") {
    visit(p, bound, out);
    return;
  }
  if (head === "=" && p.args.length === 2) {
    visitPatternRefs(p.args[1]!, bound, out);
    return;
  }
  if (
    head !== "__tuple__" &&
    head !== "__list__" &&
    head !== "__record__" &&
    head !== "..." &&
    head !== "-"
  ) {
    visit(p.callee, bound, out);
  }
  for (let i = 0; i < p.args.length; i++) visitPatternRefs(p.args[i]!, bound, out);
}

function visitUnquotes(n: Node, bound: ReadonlySet<string>, out: Set<string>): void {
  if (n.kind !== "apply") return;
  if (isCall(n, "__unquote__")) {
    for (let i = 0; i < n.args.length; i++) visit(n.args[i]!, bound, out);
    return;
  }
  if (isCall(n, "quote")) return;
  visitUnquotes(n.callee, bound, out);
  for (let i = 0; i < n.args.length; i++) visitUnquotes(n.args[i]!, bound, out);
}

/** The latest index in an ascending list that is below `limit` (or at most, when `inclusive`). */
function latestBefore(
  list: readonly number[],
  limit: number,
  inclusive: boolean,
): number | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inclusive ? list[mid]! <= limit : list[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : list[lo - 1];
}

/**
 * Where each name is defined in a block, for resolving references by position in O(log n).
 */
export class BlockIndex {
  private readonly lets = new Map<string, number[]>();
  private readonly fns = new Map<string, number[]>();

  constructor(infos: readonly ItemInfo[]) {
    infos.forEach((info, i) => {
      const table = info.kind === "let" ? this.lets : info.kind === "fn" ? this.fns : undefined;
      if (table === undefined) return;
      for (const name of info.defines) {
        let list = table.get(name);
        if (list === undefined) table.set(name, (list = []));
        list.push(i);
      }
    });
  }

  /**
   * Which item's definition a reference to `name` from item `from` sees: the latest `let`
   * before it, else the block's function of that name (functions are hoisted: the latest one
   * up to `from`, else the first after it), else none (the name comes from outside).
   */
  resolve(from: number, name: string): number | undefined {
    const l = this.lets.get(name);
    const viaLet = l === undefined ? undefined : latestBefore(l, from, false);
    if (viaLet !== undefined) return viaLet;
    const f = this.fns.get(name);
    if (f === undefined) return undefined;
    return latestBefore(f, from, true) ?? f[0];
  }
}

/** {@link BlockIndex.resolve} without an index (for one-off lookups). */
export function resolveInBlock(
  infos: readonly ItemInfo[],
  from: number,
  name: string,
): number | undefined {
  return new BlockIndex(infos).resolve(from, name);
}

/** Strongly connected components of a graph, each listed in increasing index order. */
export function stronglyConnected(
  count: number,
  edges: readonly (readonly number[])[],
): number[][] {
  // Typed arrays, two parallel work stacks instead of `[node, next edge]` pairs, and no
  // destructuring: this runs over every item of a file before anything is inferred, in
  // unoptimised code on a first check, where each pair and each `const [v, i] = frame`
  // (an iterator) is paid for.
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const workNode: number[] = [];
  const workEdge: number[] = [];
  const out: number[][] = [];
  let next = 0;
  // Iterative Tarjan: deep dependency chains must not overflow the JavaScript stack.
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    workNode.push(root);
    workEdge.push(0);
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (workNode.length > 0) {
      const top = workNode.length - 1;
      const v = workNode[top]!;
      const i = workEdge[top]!;
      const succ = edges[v];
      if (succ !== undefined && i < succ.length) {
        workEdge[top] = i + 1;
        const w = succ[i]!;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          workNode.push(w);
          workEdge.push(0);
        } else if (onStack[w] === 1 && index[w]! < low[v]!) low[v] = index[w]!;
        continue;
      }
      workNode.pop();
      workEdge.pop();
      if (workNode.length > 0) {
        const parent = workNode[workNode.length - 1]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        // Sorted by insertion (components are mostly single items; `sort` allocates).
        for (let k = 1; k < component.length; k++) {
          const x = component[k]!;
          let j = k - 1;
          for (; j >= 0 && component[j]! > x; j--) component[j + 1] = component[j]!;
          component[j + 1] = x;
        }
        out.push(component);
      }
    }
  }
  return out;
}

/**
 * The binding groups of a block in inference order: dependencies first, and otherwise in
 * source order (a group is ready when everything it refers to is done; among ready groups
 * the one that starts first in the source goes first). `index` is the block's
 * {@link BlockIndex}, when the caller has already built it.
 */
export function bindingGroups(
  infos: readonly ItemInfo[],
  index: BlockIndex = new BlockIndex(infos),
): number[][] {
  // Without functions, an item can only refer to the `let`s before it: every item is its own
  // group, in source order (what the general case computes, without reading any item).
  if (!infos.some((info) => info.kind === "fn")) return singletons(infos.length);
  // The same when no item mentions a function defined only further down: then no item can
  // depend on a later one (below), and the free names need not be computed at all.
  if (!mentionsLaterFunction(infos)) return singletons(infos.length);
  // `seen[j] === i + 1`: item `i` already depends on `j` (each dependency listed once, in the
  // order of first reference, without a set per item).
  const seen = new Int32Array(infos.length);
  let forward = false;
  const edges: number[][] = mapPacked(infos, (info, i) => {
    const deps: number[] = [];
    for (const name of freeNames(info.core)) {
      const j = index.resolve(i, name);
      if (j !== undefined && j !== i && seen[j] !== i + 1) {
        seen[j] = i + 1;
        deps.push(j);
        if (j > i) forward = true;
      }
    }
    return deps;
  });
  // When every item depends only on items before it (no use of a function defined further
  // down, the usual shape of a file), the graph has no cycle and the dependencies-first,
  // source-order-otherwise order is the source order: the components need not be computed.
  if (!forward) return singletons(infos.length);
  return componentsInOrder(infos.length, edges);
}

/**
 * Whether some item has an identifier anywhere in its tree that names a function first
 * defined after the item. Every free name of an item is one of its identifiers, and a name
 * resolves to a later item only through a function hoisted from further down
 * ({@link BlockIndex.resolve}), so when this is false no item depends on a later one. One
 * lookup per identifier instead of computing the free names of every item, which is most of
 * the cost of grouping the top level of a long file.
 */
function mentionsLaterFunction(infos: readonly ItemInfo[]): boolean {
  const firstDefinition = new Map<string, number>();
  for (let i = infos.length - 1; i >= 0; i--) {
    const info = infos[i]!;
    if (info.kind === "fn") firstDefinition.set(info.defines[0]!, i);
  }
  for (let i = 0; i < infos.length; i++)
    if (mentionsDefinedAfter(infos[i]!.core, firstDefinition, i)) return true;
  return false;
}

function mentionsDefinedAfter(n: Node, firstDefinition: Map<string, number>, i: number): boolean {
  if (n.kind === "ident") {
    const j = firstDefinition.get(n.name);
    return j !== undefined && j > i;
  }
  if (n.kind !== "apply") return false;
  if (mentionsDefinedAfter(n.callee, firstDefinition, i)) return true;
  for (let k = 0; k < n.args.length; k++)
    if (mentionsDefinedAfter(n.args[k]!, firstDefinition, i)) return true;
  return false;
}

/** `[[0], [1], …, [count − 1]]`: every item its own group, in source order. */
function singletons(count: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < count; i++) out.push([i]);
  return out;
}

/**
 * The strongly connected components of a dependency graph (`edges[i]` lists what `i`
 * depends on) in inference order: dependencies first, and otherwise in source order (among
 * the components that are ready, the one whose first item comes first goes first).
 */
export function componentsInOrder(
  count: number,
  edges: readonly (readonly number[])[],
): number[][] {
  const components = stronglyConnected(count, edges);
  // Indexed loops and typed arrays, for the reason given in `stronglyConnected`.
  const componentOf = new Int32Array(count);
  for (let k = 0; k < components.length; k++) {
    const c = components[k]!;
    for (let n = 0; n < c.length; n++) componentOf[c[n]!] = k;
  }
  // Kahn's algorithm with the ready components in a heap keyed by their first item.
  const waiting = new Int32Array(components.length);
  const users: number[][] = mapPacked(components, () => []);
  // `seen[d] === k + 1`: component `k` already waits on `d` (no set per component).
  const seen = new Int32Array(components.length);
  for (let k = 0; k < components.length; k++) {
    const c = components[k]!;
    let count = 0;
    for (let n = 0; n < c.length; n++) {
      const deps = edges[c[n]!]!;
      for (let m = 0; m < deps.length; m++) {
        const d = componentOf[deps[m]!]!;
        if (d !== k && seen[d] !== k + 1) {
          seen[d] = k + 1;
          count++;
          users[d]!.push(k);
        }
      }
    }
    waiting[k] = count;
  }
  const first = (k: number): number => components[k]![0]!;
  const heap: number[] = [];
  const push = (k: number): void => {
    heap.push(k);
    for (let i = heap.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (first(heap[p]!) <= first(heap[i]!)) break;
      const t = heap[p]!;
      heap[p] = heap[i]!;
      heap[i] = t;
      i = p;
    }
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && first(heap[l]!) < first(heap[m]!)) m = l;
        if (r < heap.length && first(heap[r]!) < first(heap[m]!)) m = r;
        if (m === i) break;
        const t = heap[m]!;
        heap[m] = heap[i]!;
        heap[i] = t;
        i = m;
      }
    }
    return top;
  };
  for (let k = 0; k < components.length; k++) if (waiting[k] === 0) push(k);
  const order: number[][] = [];
  while (heap.length > 0) {
    const k = pop();
    order.push(components[k]!);
    const ready = users[k]!;
    for (let n = 0; n < ready.length; n++) if (--waiting[ready[n]!]! === 0) push(ready[n]!);
  }
  return order;
}
