/**
 * Definitions: the top-level items of a file (as the evaluator expanded them), each with a
 * stable id and a position-independent view of its syntax, so that an edit in one function
 * does not "change" the others even though their offsets moved.
 */
import { type Span, Vector } from "@cadenza/core";
import type { Node } from "@cadenza/syntax";
import { freeNames, isDeclarationItem, itemFacts, itemInfos, patternNames } from "@cadenza/types";

/** How a definition takes part in binding groups (the checker's item kinds). */
export type DefinitionKind = "fn" | "let" | "other";

/** One top-level item of a file, where it is now and what its syntax is. */
export interface Definition {
  /**
   * The stable id: `file#name` for the names defined by `fn`, `let`, `struct`, `enum`,
   * `type`, `measure`, `macro`, `trait` and `effect`, `file#impl Trait Type` for an
   * implementation, and `file#expr:N` for the N-th other item, counted among those only (so
   * that adding a function elsewhere does not renumber them). A name defined again gets
   * `@2`, `@3`…
   */
  readonly id: string;
  readonly kind: DefinitionKind;
  /** The names it defines (a function's name, a `let` pattern's names). */
  readonly defines: readonly string[];
  /** The item as the checker reads it: macro invocations replaced by their expansions. */
  readonly node: Node;
  /** The item as parsed (the same object as `node` when nothing in it was expanded). */
  readonly item: Node;
  /** Where the item starts in the file (UTF-16 offset; `text` is the source from there). */
  readonly start: number;
  /** The item's source text. */
  readonly text: string;
  /**
   * Whether some node of the expanded item points outside the item (syntax a macro copied
   * from its definition): such a definition is compared and checked at its absolute
   * position, since its meaning depends on text elsewhere.
   */
  readonly anchored: boolean;
  /**
   * What the checker sees of the definition, position-independently: for an item without
   * macro expansions its text (the parser's tree of an item is a function of its text); for
   * an expanded one the structure of `node` with spans relative to `start` (absolute when
   * anchored). Equal fingerprints and texts mean the checker sees the same definition.
   */
  readonly fingerprint: string;
  /** The number of nodes of `node` (the unit of work of progress reports). */
  readonly size: number;
  /** Whether the item declares something the whole file sees (struct, measure, …). */
  readonly declaration: boolean;
}

/** What the grouping of a file needs to know about one definition. */
export interface DefinitionInterface {
  readonly kind: DefinitionKind;
  readonly defines: readonly string[];
  /** The names it uses without binding them, sorted. */
  readonly free: readonly string[];
  /** The names it assigns (`x = v`), sorted. */
  readonly assigns: readonly string[];
  /** The names it binds with `let` anywhere, sorted (for the file's reassigned names). */
  readonly lets: readonly string[];
  /** Whether it makes the file opaque to the checker (a macro, a computed name). */
  readonly opaque: boolean;
  readonly declaration: boolean;
}

/** The file a definition id belongs to. */
export function fileOf(id: string): string {
  return id.slice(0, id.lastIndexOf("#"));
}

/** A file split into definitions, with what a later split of the same file can reuse. */
export interface Split {
  readonly items: Vector<Node>;
  readonly expanded: Vector<Node>;
  readonly definitions: Vector<Definition>;
  /** Each definition's name for its id (undefined: an expression). */
  readonly locals: readonly (string | undefined)[];
  /**
   * When this split was made from the previous one: the indexes whose definitions may differ
   * from it (every other definition is the same object).
   */
  readonly changed: readonly number[] | undefined;
  /**
   * What was made of each expanded item, by index (its facts, its definition, and what its id
   * was made of), for the next split: an item the parser hands back unchanged (the same
   * object, at the same index) is not analysed again.
   */
  readonly made: Vector<Made>;
}

/** What a split made of one expanded item. */
interface Made {
  readonly node: Node;
  readonly item: Node;
  readonly file: string;
  readonly seen: number;
  readonly expression: number;
  readonly facts: ItemFacts;
  readonly definition: Definition;
}

/**
 * Splits a file's items into definitions. `items` are the parsed items (their spans give
 * each definition's place), `expanded` the same items after macro expansion. With the split
 * of the file before an edit, the items the edit did not reach keep their definitions, and
 * when the edited items keep their names (a body edit), nothing else is looked at.
 */
export function splitDefinitions(
  file: string,
  text: string,
  items: Vector<Node>,
  expanded: Vector<Node>,
  previous?: Split,
  changed?: readonly number[],
): Split {
  if (previous !== undefined && previous.items.length === items.length) {
    const again = resplit(file, text, items, expanded, previous, changed);
    if (again !== undefined) return { items, expanded, ...again, locals: previous.locals, changed };
  }
  const before = previous?.made;
  const made: Made[] = new Array(expanded.length);
  const used = new Map<string, number>();
  let expressions = 0;
  const itemList = items.toArray();
  const expandedList = expanded.toArray();
  const out: Definition[] = new Array(expandedList.length);
  const locals: (string | undefined)[] = new Array(expandedList.length);
  for (let i = 0; i < expandedList.length; i++) {
    const node = expandedList[i]!;
    const item = itemList[i]!;
    const kept = before?.get(i);
    const old = kept !== undefined && kept.node === node && kept.item === item ? kept : undefined;
    const facts = old !== undefined ? old.facts : factsOf(node, item, text);
    const local = facts.local;
    locals[i] = local;
    const expression = local === undefined ? expressions++ : -1;
    let seen = 1;
    if (local !== undefined) {
      seen = (used.get(local) ?? 0) + 1;
      used.set(local, seen);
    }
    // `reparse` hands back the same item objects for the items an edit neither touched nor
    // moved: their definitions are the same objects too (same file, place and id).
    if (
      old !== undefined &&
      old.file === file &&
      old.seen === seen &&
      old.expression === expression &&
      old.definition.start === item.span.start
    ) {
      out[i] = old.definition;
      made[i] = old;
      continue;
    }
    const name = local ?? `expr:${expression}`;
    const id = `${file}#${seen === 1 ? name : `${name}@${seen}`}`;
    const definition = makeDefinition(id, node, item, facts);
    made[i] = { node, item, file, seen, expression, facts, definition };
    out[i] = definition;
  }
  return {
    items,
    expanded,
    definitions: Vector.from(out),
    locals,
    changed: undefined,
    made: Vector.from(made),
  };
}

/**
 * The definitions of `items` (and what was made of each) from the split before an edit with
 * as many items, when every
 * item that is not the same object as before keeps its name (so every id stays); undefined
 * otherwise. `changed`, when known, lists the indexes where items may differ (the others are
 * not looked at).
 */
function resplit(
  file: string,
  text: string,
  items: Vector<Node>,
  expanded: Vector<Node>,
  previous: Split,
  changed: readonly number[] | undefined,
): { definitions: Vector<Definition>; made: Vector<Made> } | undefined {
  const at: number[] = [];
  const definitions: Definition[] = [];
  const made: Made[] = [];
  const count = changed === undefined ? items.length : changed.length;
  for (let k = 0; k < count; k++) {
    const i = changed === undefined ? k : changed[k]!;
    const node = expanded.get(i)!;
    const item = items.get(i)!;
    const oldNode = previous.expanded.get(i)!;
    if (item === previous.items.get(i) && node === oldNode) continue;
    const old = previous.made.get(i)!;
    // An item the edit only moved has the same text, and the parser's tree of an item is a
    // function of its text: without expansions (before and now), its facts are the same.
    const moved =
      node === item &&
      oldNode === previous.items.get(i) &&
      text.slice(item.span.start, item.span.end) === old.facts.text;
    const facts = moved ? old.facts : factsOf(node, item, text);
    if (facts.local !== previous.locals[i]) return undefined;
    const definition = makeDefinition(old.definition.id, node, item, facts);
    const { seen, expression } = old;
    made.push({ node, item, file, seen, expression, facts, definition });
    at.push(i);
    definitions.push(definition);
  }
  return {
    definitions: previous.definitions.patch(at, definitions),
    made: previous.made.patch(at, made),
  };
}

function makeDefinition(id: string, node: Node, item: Node, facts: ItemFacts): Definition {
  return {
    id,
    kind: facts.kind,
    defines: facts.defines,
    node,
    item,
    start: item.span.start,
    text: facts.text,
    anchored: facts.anchored,
    fingerprint: facts.fingerprint,
    size: facts.size,
    declaration: facts.declaration,
  };
}

/** What a definition is, apart from its id. */
interface ItemFacts {
  readonly kind: DefinitionKind;
  readonly defines: readonly string[];
  /** Its name for the id (undefined: an expression, numbered among expressions). */
  readonly local: string | undefined;
  readonly text: string;
  readonly anchored: boolean;
  readonly fingerprint: string;
  readonly size: number;
  readonly declaration: boolean;
}

/** What a definition is, from its expanded node and parsed item. */
function factsOf(node: Node, item: Node, text: string): ItemFacts {
  const info = itemInfos([node])[0]!;
  const span = item.span;
  const anchored = node !== item && !within(node, span);
  const source = text.slice(span.start, span.end);
  let print: string;
  let size: number;
  if (node === item) {
    // Nothing was expanded: the parser's tree of an item is a function of its text (spans
    // relative to its start included), so the text is the fingerprint.
    print = source;
    size = count(node);
  } else {
    const parts: string[] = ["expanded:"];
    size = fingerprint(node, anchored ? 0 : span.start, parts);
    print = parts.join("");
  }
  const facts: ItemFacts = {
    kind: info.kind,
    defines: info.defines,
    local: localName(info.core, info.kind, info.defines, text),
    text: source,
    anchored,
    fingerprint: print,
    size,
    declaration: isDeclarationItem(node),
  };
  return facts;
}

function localName(
  core: Node,
  kind: DefinitionKind,
  defines: readonly string[],
  text: string,
): string | undefined {
  if (kind === "fn" || kind === "let") return defines.length > 0 ? defines.join(",") : undefined;
  if (core.kind !== "apply" || core.callee.kind !== "ident") return undefined;
  const head = core.callee.name;
  if (["struct", "enum", "measure"].includes(head)) return identName(core.args[0]);
  if (head === "=" && core.args.length === 2) {
    const lhs = core.args[0]!;
    if (lhs.kind !== "apply" || lhs.callee.kind !== "ident") return undefined;
    const form = lhs.callee.name;
    if (["type", "measure", "macro", "trait", "effect"].includes(form))
      return identName(lhs.args[0]);
    if (form === "impl" && lhs.args.length > 0) {
      const first = lhs.args[0]!.span;
      const last = lhs.args[lhs.args.length - 1]!.span;
      return `impl ${text.slice(first.start, last.end).replace(/\s+/g, " ")}`;
    }
  }
  return undefined;
}

function identName(n: Node | undefined): string | undefined {
  return n !== undefined && n.kind === "ident" ? n.name : undefined;
}

/** Whether every span of `node` lies inside `span`. */
function within(node: Node, span: Span): boolean {
  if (node.span.start < span.start || node.span.end > span.end) return false;
  if (node.kind !== "apply") return true;
  if (!within(node.callee, span)) return false;
  for (const a of node.args) if (!within(a, span)) return false;
  return true;
}

/**
 * Appends the structure of `node` (kinds, names, literal values, spans relative to `base`)
 * to `out`; returns the number of nodes.
 */
function fingerprint(node: Node, base: number, out: string[]): number {
  const at = `@${node.span.start - base},${node.span.end - base}`;
  switch (node.kind) {
    case "ident":
      out.push("i", JSON.stringify(node.name), at);
      return 1;
    case "literal":
      out.push(
        "l",
        node.value.type[0]!,
        JSON.stringify(
          typeof node.value.value === "bigint" ? `${node.value.value}` : node.value.value,
        ),
        at,
      );
      return 1;
    case "apply": {
      out.push("(", at);
      let n = 1 + fingerprint(node.callee, base, out);
      for (const a of node.args) n += fingerprint(a, base, out);
      out.push(")");
      return n;
    }
    default:
      // Error nodes, and the evaluator's value nodes, which the checker types as Unknown.
      out.push((node as { kind: string }).kind[0]!, at);
      return 1;
  }
}

/** The number of nodes of a tree. */
function count(node: Node): number {
  if (node.kind !== "apply") return 1;
  let n = 1 + count(node.callee);
  for (const a of node.args) n += count(a);
  return n;
}

/** A copy of `node` with every span moved by `delta`. */
export function shift(node: Node, delta: number): Node {
  if (delta === 0) return node;
  const span = { start: node.span.start + delta, end: node.span.end + delta };
  if (node.kind !== "apply") return { ...node, span } as Node;
  return {
    kind: "apply",
    callee: shift(node.callee, delta),
    args: node.args.map((a) => shift(a, delta)),
    span,
  };
}

/** Calls `visit` on every node of `node` in preorder (node, callee, arguments). */
export function preorder(node: Node, visit: (n: Node) => void): void {
  visit(node);
  if (node.kind !== "apply") return;
  preorder(node.callee, visit);
  for (const a of node.args) preorder(a, visit);
}

/** What the grouping needs from one definition. */
export function definitionInterface(def: Definition): DefinitionInterface {
  const info = itemInfos([def.node])[0]!;
  const facts = itemFacts(def.node);
  return {
    kind: def.kind,
    defines: def.defines,
    free: [...freeNames(info.core)].sort(),
    assigns: facts.assigned,
    lets: [...letNames(def.node)].sort(),
    opaque: facts.opaque,
    declaration: def.declaration,
  };
}

function letNames(node: Node): Set<string> {
  const out = new Set<string>();
  preorder(node, (n) => {
    if (
      n.kind === "apply" &&
      n.callee.kind === "ident" &&
      n.callee.name === "=" &&
      n.args.length === 2
    ) {
      const lhs = n.args[0]!;
      if (lhs.kind === "apply" && lhs.callee.kind === "ident" && lhs.callee.name === "let")
        for (const p of lhs.args) for (const name of patternNames(p)) out.add(name);
    }
  });
  return out;
}
