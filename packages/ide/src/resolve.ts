/**
 * Name resolution for editors: which binding each identifier of a file refers to.
 *
 * The walk follows LANGUAGE.md §5.1 over the uniform tree: a block (and the file) opens a
 * scope in which `fn` names are hoisted; every `let` makes a new binding visible after its
 * item, shadowing earlier ones; function, macro and lambda parameters, match-arm patterns and
 * `for` patterns bind for their body; `use` brings variants into scope; record field names are
 * not references, but a shorthand field `{ x }` is both a field and a use of `x`. Inside
 * `quote`, identifiers are syntax and only `${…}` is resolved. Names the file does not define
 * resolve to the base environment (`builtins.ts`) or stay unresolved (the phases report them).
 *
 * The result is a pair of side tables: bindings (with the span where each is visible) and
 * occurrences (each identifier → its target, in source order). Nothing here mutates the tree.
 */
import type { Span } from "@cadenza/core";
import { type ImportDecl, isImportItem, readImports } from "@cadenza/modules";
import { type Ident, type Node, SI_PREFIXES } from "@cadenza/syntax";
import { resolve as resolveType } from "@cadenza/types";
import type { FileAnalysis, ImportedModule, ImportedSymbol } from "./analysis.js";
import { BUILTINS, type Builtin, builtin } from "./builtins.js";

/** What kind of thing a name of the file denotes. */
export type BindingKind =
  | "function"
  | "parameter"
  | "variable"
  | "struct"
  | "enum"
  | "variant"
  | "field"
  | "alias"
  | "unit"
  | "macro"
  /** `q` of `import m as q`: a module namespace. */
  | "module";

/** A name the file defines. */
export interface Binding {
  /** Unique within one resolution, in the order bindings were made. */
  readonly id: number;
  readonly name: string;
  readonly kind: BindingKind;
  /** The identifier that introduces the name. */
  readonly site: Ident;
  /**
   * The node that defines it: the whole item for definitions (`(= (fn f x) …)`), the pattern's
   * binder for `let`, parameters and arms.
   */
  readonly definition: Node;
  /** The `##` documentation of the defining item. */
  readonly doc: string | undefined;
  /** Whether it is defined by a top-level item of the file. */
  readonly topLevel: boolean;
  /** The enum of a variant, the struct of a field, the measure of an `@si` prefixed unit. */
  readonly parent: Binding | undefined;
  /** Variants of an enum and fields of a struct, in declaration order. */
  readonly members: Binding[];
  /** Parameter patterns of functions, macros and `let`-bound lambdas. */
  readonly params: readonly Node[] | undefined;
  /** The declared type expression of a field or a variant's payload, if any. */
  readonly declaredType: Node | undefined;
  /** For an `@si` unit: its prefix (`kilo`). */
  readonly prefix: string | undefined;
  /** Why the name cannot be renamed by itself, when it cannot. */
  readonly fixed: string | undefined;
  /**
   * A name bound by an import: what it refers to in the other file, when the host said
   * (`FileAnalysis.imports`). Namespace members (`q.a`) have it too.
   */
  readonly imported: ImportedSymbol | undefined;
  /** `q` of `import m as q`: the module, when the host resolved it. */
  readonly module: ImportedModule | undefined;
  /** For a name an import binds (and `q.a`): the module it is imported from, when resolved. */
  readonly from: ImportedModule | undefined;
  /** Whether an import binds it (an imported name, a namespace or one of its members). */
  readonly fromImport: boolean;
}

/** What an occurrence of a name refers to. */
export type Target =
  | { readonly kind: "binding"; readonly binding: Binding }
  | { readonly kind: "builtin"; readonly builtin: Builtin }
  /** A field name: `r.f`, `{ f = e }`; `node` is the access or the record. */
  | { readonly kind: "field"; readonly node: Node; readonly receiver: Node | undefined }
  /** An attribute name (`export` in `@export`) or argument (`kilo` in `@si kilo`). */
  | { readonly kind: "attribute"; readonly argument: boolean }
  /** A segment of an import's module path (`geometry`, `shapes.circle`). */
  | {
      readonly kind: "module";
      /** The path as written (`shapes.circle`). */
      readonly path: string;
      /** The module it resolved to, when the host said. */
      readonly module: ImportedModule | undefined;
    }
  | { readonly kind: "unresolved" };

/** One identifier of the file with what it refers to. */
export interface Occurrence {
  readonly ident: Ident;
  readonly target: Target;
  /** `definition` at the binding site, `write` for reassignments, else `reference`. */
  readonly role: "definition" | "reference" | "write";
  /** `{ x }` in a record or record pattern: the identifier is also the field name. */
  readonly shorthand: boolean;
}

/** A name in scope over a span of offsets (before shadowing). */
export interface ScopeEntry {
  readonly name: string;
  readonly binding: Binding;
  readonly visible: Span;
}

/** The side tables of name resolution for one file. */
export interface Resolution {
  /** Every binding the file makes, in order. */
  readonly bindings: readonly Binding[];
  /** Every identifier the walk saw, in source order. */
  readonly occurrences: readonly Occurrence[];
  /** Where each name is in scope. */
  readonly scope: readonly ScopeEntry[];
  /** The occurrence at `offset` (one that ends exactly there counts, for a cursor after it). */
  occurrenceAt(offset: number): Occurrence | undefined;
  /** Every occurrence that refers to `binding`, its definition included, in source order. */
  referencesOf(binding: Binding): Occurrence[];
  /**
   * The bindings in scope at `offset`, shadowing applied, innermost first. With `atEnd`, the
   * offset is taken as the end of the code before it, so that bindings made by an item ending
   * exactly there count too (completion on a new line after them).
   */
  visibleAt(offset: number, atEnd?: boolean): Binding[];
  /** The binding `name` denotes at `offset`, if the file binds it there. */
  lookup(name: string, offset: number): Binding | undefined;
  /** The scope entries of one name, in order. */
  entriesNamed(name: string): readonly ScopeEntry[];
}

const memo = new WeakMap<FileAnalysis, Resolution>();

/** Resolves the names of an analysed file (memoised per analysis). */
export function resolveNames(file: FileAnalysis): Resolution {
  let r = memo.get(file);
  if (r === undefined) {
    r = new Resolver(file).run();
    memo.set(file, r);
  }
  return r;
}

/** A persistent chain of frames. */
interface Env {
  readonly parent: Env | undefined;
  readonly names: Map<string, Binding>;
}

function lookupEnv(env: Env | undefined, name: string): Binding | undefined {
  for (let e = env; e !== undefined; e = e.parent) {
    const b = e.names.get(name);
    if (b !== undefined) return b;
  }
  return undefined;
}

const WORD = /^[^\s\d!"#$%&'()*+,\-./:;<=>?@[\\\]^`{|}~][^\s!"#$%&'()*+,\-./:;<=>?@[\\\]^`{|}~]*$/u;

/** The definition forms `=` re-dispatches to (LANGUAGE.md §1). */
const DEFINITION_HEADS = new Set(["let", "fn", "macro", "measure", "type", "use", "quote"]);

function isIdent(node: Node | undefined, name?: string): node is Ident {
  return node?.kind === "ident" && (name === undefined || node.name === name);
}

function headName(node: Node | undefined): string | undefined {
  return node?.kind === "apply" && node.callee.kind === "ident" ? node.callee.name : undefined;
}

function isLambda(node: Node | undefined): boolean {
  return (
    node?.kind === "apply" &&
    isIdent(node.callee, "->") &&
    node.args.length === 2 &&
    headName(node.args[0]) === "\\"
  );
}

interface PatternMode {
  readonly kind: BindingKind;
  readonly visible: Span;
  readonly definition: Node;
  readonly doc: string | undefined;
  readonly topLevel: boolean;
  /** Match patterns: a name bound to a variant matches it instead of binding. */
  readonly match: boolean;
  /** Parameters of a lambda bound by `let f = \x -> …`. */
  readonly params?: readonly Node[];
}

class Resolver {
  private readonly bindings: Binding[] = [];
  private readonly occurrences: Occurrence[] = [];
  private readonly scope: ScopeEntry[] = [];
  private readonly text: string;
  /** `fn` name identifiers hoisted by their block → their binding. */
  private readonly hoisted = new Map<Ident, Binding>();
  /** Macro invocations the evaluator expanded, by span. */
  private readonly expansions = new Map<string, Node>();
  /** The top-level imports (their `import …` applications), resolved before the walk. */
  private readonly importNodes = new Set<Node>();

  constructor(private readonly file: FileAnalysis) {
    this.text = file.source.text;
    for (const [call, expansion] of file.module?.expansions ?? []) {
      this.expansions.set(`${call.span.start}:${call.span.end}`, expansion as Node);
    }
  }

  run(): Resolution {
    const items = this.file.parse.items;
    const imported = this.imports(items);
    this.block(items, imported, { start: 0, end: this.text.length }, true);
    this.linkFields();
    return makeResolution(this.bindings, this.occurrences, this.scope);
  }

  // ---- bookkeeping -------------------------------------------------------------------------

  private occur(ident: Ident, target: Target, role: Occurrence["role"], shorthand = false): void {
    if (ident.span.end <= ident.span.start) return;
    if (!WORD.test(ident.name)) return;
    if (this.text.slice(ident.span.start, ident.span.end) !== ident.name) return;
    this.occurrences.push({ ident, target, role, shorthand });
  }

  private bind(
    site: Ident,
    kind: BindingKind,
    init: {
      definition: Node;
      doc?: string | undefined;
      topLevel?: boolean;
      parent?: Binding;
      params?: readonly Node[];
      declaredType?: Node;
      prefix?: string;
      fixed?: string;
      name?: string;
      imported?: ImportedSymbol;
      module?: ImportedModule;
      from?: ImportedModule;
      fromImport?: boolean;
    },
  ): Binding {
    const b: Binding = {
      id: this.bindings.length,
      name: init.name ?? site.name,
      kind,
      site,
      definition: init.definition,
      doc: init.doc,
      topLevel: init.topLevel ?? false,
      parent: init.parent,
      members: [],
      params: init.params,
      declaredType: init.declaredType,
      prefix: init.prefix,
      fixed: init.fixed,
      imported: init.imported,
      module: init.module,
      from: init.from,
      fromImport: init.fromImport ?? false,
    };
    this.bindings.push(b);
    return b;
  }

  private enter(env: Env | undefined, frame: Map<string, Binding>): Env | undefined {
    return frame.size === 0 ? env : { parent: env, names: frame };
  }

  private declare(frame: Map<string, Binding>, b: Binding, visible: Span, name = b.name): void {
    frame.set(name, b);
    this.scope.push({ name, binding: b, visible });
  }

  /** Whether `name` still means the special form (no user binding shadows it). */
  private isForm(name: string | undefined, env: Env | undefined): boolean {
    return name !== undefined && lookupEnv(env, name) === undefined;
  }

  // ---- imports ----------------------------------------------------------------------------

  /**
   * The file's imports (docs/spec/15-modules.md): the names they bind, in a frame under the
   * file's own top level (a definition of the file shadows an imported name) and visible in
   * the whole file (imports are hoisted). When two imports bind one name the first wins (the
   * second is a `conflicting import`). What each name refers to comes from the host's
   * import table; without one the names are bound with nothing known about them.
   */
  private imports(items: readonly Node[]): Env | undefined {
    const decls = readImports(this.file.source.name, items.filter(isImportItem)).imports;
    if (decls.length === 0) return undefined;
    const table = this.file.imports;
    const frame = new Map<string, Binding>();
    const visible = { start: -1, end: this.text.length };
    const add = (b: Binding): void => {
      if (!frame.has(b.name)) this.declare(frame, b, visible);
    };
    decls.forEach((decl, i) => {
      this.importNodes.add(decl.node);
      const module = table?.modules[i];
      const callee = decl.node.kind === "apply" ? decl.node.callee : undefined;
      if (isIdent(callee))
        this.occur(callee, { kind: "builtin", builtin: BUILTINS.get("import")! }, "reference");
      const path = decl.node.kind === "apply" ? decl.node.args[0] : undefined;
      if (path !== undefined) this.modulePath(path, decl, module);
      const form = decl.form;
      const args = decl.node.kind === "apply" ? decl.node.args : [];
      switch (form.kind) {
        case "names": {
          const idents = identsIn(args[1]);
          for (const n of form.names) {
            const ident = idents.find((x) => x.span.start === n.span.start);
            if (ident === undefined) continue;
            const symbol = module?.exports.get(n.name);
            const b = this.bind(ident, symbol?.kind ?? "variable", {
              definition: decl.item,
              doc: symbol?.doc,
              fromImport: true,
              ...(module === undefined ? {} : { from: module }),
              ...(symbol === undefined
                ? {
                    fixed:
                      module === undefined
                        ? `module \`${decl.path.join(".")}\` is not known, so \`${n.name}\` cannot be renamed`
                        : `\`${n.name}\` is not exported by module \`${module.module}\``,
                  }
                : { imported: symbol }),
            });
            add(b);
            this.occur(ident, { kind: "binding", binding: b }, "definition");
          }
          return;
        }
        case "all": {
          const star = args[1];
          if (!isIdent(star)) return;
          for (const [name, symbol] of module?.exports ?? []) {
            add(
              this.bind(star, symbol.kind, {
                name,
                definition: decl.item,
                doc: symbol.doc,
                imported: symbol,
                from: module!,
                fromImport: true,
              }),
            );
          }
          return;
        }
        case "alias": {
          const alias = args[2];
          if (!isIdent(alias)) return;
          const b = this.bind(alias, "module", {
            definition: decl.item,
            fromImport: true,
            ...(module === undefined ? {} : { module, from: module }),
          });
          for (const [name, symbol] of module?.exports ?? []) {
            b.members.push(
              this.bind(alias, symbol.kind, {
                name,
                definition: decl.item,
                doc: symbol.doc,
                parent: b,
                imported: symbol,
                from: module!,
                fromImport: true,
              }),
            );
          }
          add(b);
          this.occur(alias, { kind: "binding", binding: b }, "definition");
          return;
        }
      }
    });
    return { parent: undefined, names: frame };
  }

  /** The identifiers of an import's module path. */
  private modulePath(node: Node, decl: ImportDecl, module: ImportedModule | undefined): void {
    const target: Target = { kind: "module", path: decl.path.join("."), module };
    const visit = (n: Node): void => {
      if (n.kind === "ident") this.occur(n, target, "reference");
      else if (n.kind === "apply") for (const a of n.args) visit(a);
    };
    visit(node);
  }

  // ---- blocks and items --------------------------------------------------------------------

  private block(items: readonly Node[], env: Env | undefined, span: Span, topLevel: boolean): void {
    const frame = new Map<string, Binding>();
    for (const item of items) {
      const { core, doc } = unwrap(item);
      const lhs = core.kind === "apply" && isIdent(core.callee, "=") ? core.args[0] : undefined;
      if (headName(lhs) === "fn" && this.isForm("fn", env) && lhs?.kind === "apply") {
        const name = lhs.args[0];
        if (isIdent(name)) {
          const b = this.bind(name, "function", {
            definition: core,
            doc,
            topLevel,
            params: lhs.args.slice(1),
          });
          // Visible from the very start of the block (the start is exclusive).
          this.declare(frame, b, { start: span.start - 1, end: span.end });
          this.hoisted.set(name, b);
        }
      }
    }
    // One frame for the whole block, filled item by item: the body of each item is resolved
    // when the walk reaches it, so it sees exactly the bindings made before it (and the
    // hoisted functions), and lookups cost the nesting depth, not the number of lets.
    const scope: Env = { parent: env, names: frame };
    for (const item of items) {
      const made = this.item(item, scope, span.end, topLevel);
      if (made !== scope && made !== undefined) for (const [n, b] of made.names) frame.set(n, b);
    }
  }

  /**
   * Resolves one item of a block; returns the scope for the items after it (a frame with the
   * item's bindings over `env`, or `env` itself when it binds nothing).
   */
  private item(
    node: Node,
    env: Env | undefined,
    scopeEnd: number,
    topLevel: boolean,
  ): Env | undefined {
    const { core, doc, attributes } = unwrap(node);
    for (const a of attributes) this.attribute(a);
    // Imports were resolved before the walk (they are hoisted).
    if (topLevel && this.importNodes.has(core)) return env;
    const visible = { start: node.span.end, end: scopeEnd };
    const frame = new Map<string, Binding>();
    const ctx = { doc, topLevel, visible, frame, item: node };
    if (core.kind !== "apply") {
      this.expr(core, env);
      return env;
    }
    const head = headName(core);
    if (head === "=" && core.args.length === 2) {
      const [lhs, rhs] = core.args as [Node, Node];
      const form = headName(lhs);
      if (lhs.kind === "apply" && form !== undefined && DEFINITION_HEADS.has(form)) {
        if (this.isForm(form, env)) {
          this.occur(
            lhs.callee as Ident,
            { kind: "builtin", builtin: BUILTINS.get(form)! },
            "reference",
          );
          this.occur(
            core.callee as Ident,
            { kind: "builtin", builtin: BUILTINS.get("=")! },
            "reference",
          );
          this.definition(form, lhs.args, rhs, core, env, ctx, attributes);
          return this.enter(env, frame);
        }
      }
    }
    if (
      (head === "struct" || head === "enum" || head === "measure" || head === "use") &&
      this.isForm(head, env)
    ) {
      this.occur(
        core.callee as Ident,
        { kind: "builtin", builtin: BUILTINS.get(head)! },
        "reference",
      );
      this.definition(head, core.args, undefined, core, env, ctx, attributes);
      return this.enter(env, frame);
    }
    const expansion = this.expansions.get(`${core.span.start}:${core.span.end}`);
    if (expansion !== undefined) {
      this.macroCall(core, expansion, env, ctx);
      return this.enter(env, frame);
    }
    this.expr(core, env);
    return env;
  }

  private attribute(a: Node): void {
    if (isIdent(a)) this.occur(a, { kind: "attribute", argument: false }, "reference");
    else if (a.kind === "apply") {
      if (isIdent(a.callee))
        this.occur(a.callee, { kind: "attribute", argument: false }, "reference");
      for (const x of a.args)
        if (isIdent(x)) this.occur(x, { kind: "attribute", argument: true }, "reference");
    }
  }

  private definition(
    form: string,
    args: readonly Node[],
    rhs: Node | undefined,
    core: Node,
    env: Env | undefined,
    ctx: {
      doc: string | undefined;
      topLevel: boolean;
      visible: Span;
      frame: Map<string, Binding>;
      item: Node;
    },
    attributes: readonly Node[],
  ): void {
    const { doc, topLevel, visible, frame } = ctx;
    switch (form) {
      case "let": {
        if (rhs !== undefined) this.expr(rhs, env);
        const kind: BindingKind = isLambda(rhs) ? "function" : "variable";
        const params =
          kind === "function" && rhs?.kind === "apply" && rhs.args[0]?.kind === "apply"
            ? rhs.args[0].args
            : undefined;
        for (const p of args) {
          this.pattern(p, env, frame, {
            kind,
            visible,
            definition: core,
            doc,
            topLevel,
            match: false,
            ...(params === undefined ? {} : { params }),
          });
        }
        return;
      }
      case "fn":
      case "macro": {
        const name = args[0];
        let self: Binding | undefined;
        const own = new Map<string, Binding>();
        if (isIdent(name)) {
          self = form === "fn" ? this.hoisted.get(name) : undefined;
          if (self === undefined) {
            self = this.bind(name, form === "fn" ? "function" : "macro", {
              definition: core,
              doc,
              topLevel,
              params: args.slice(1),
            });
            // An `fn` that was not hoisted (not directly in a block) still sees itself.
            if (form === "fn") this.declare(own, self, core.span);
            this.declare(frame, self, visible);
          }
          this.occur(name, { kind: "binding", binding: self }, "definition");
        } else if (name !== undefined) this.expr(name, env);
        const body = rhs;
        const paramsEnd = args[args.length - 1]?.span.end ?? core.span.start;
        const paramFrame = new Map<string, Binding>();
        const inner = this.enter(env, own);
        for (const p of args.slice(1)) {
          this.pattern(p, inner, paramFrame, {
            kind: "parameter",
            visible: { start: paramsEnd, end: core.span.end },
            definition: p,
            doc: undefined,
            topLevel: false,
            match: false,
          });
        }
        if (body !== undefined) {
          const bodyEnv = this.enter(inner, paramFrame);
          this.expr(body, bodyEnv);
        }
        return;
      }
      case "measure": {
        if (rhs !== undefined) this.expr(rhs, env);
        const name = args[0];
        if (!isIdent(name)) {
          if (name !== undefined) this.expr(name, env);
          return;
        }
        const unit = this.bind(name, "unit", { definition: core, doc, topLevel });
        this.declare(frame, unit, visible);
        this.occur(name, { kind: "binding", binding: unit }, "definition");
        for (const a of attributes) {
          if (a.kind !== "apply" || !isIdent(a.callee, "si")) continue;
          for (const p of a.args) {
            if (!isIdent(p) || !SI_PREFIXES.has(p.name)) continue;
            const prefixed = this.bind(name, "unit", {
              name: p.name + name.name,
              definition: core,
              doc,
              topLevel,
              parent: unit,
              prefix: p.name,
              fixed: `\`${p.name}${name.name}\` is defined by \`@si ${p.name}\`; rename \`${name.name}\` instead`,
            });
            this.declare(frame, prefixed, visible);
          }
        }
        return;
      }
      case "type": {
        if (rhs !== undefined) this.expr(rhs, env);
        const name = args[0];
        if (isIdent(name)) {
          const b = this.bind(name, "alias", { definition: core, doc, topLevel });
          this.declare(frame, b, visible);
          this.occur(name, { kind: "binding", binding: b }, "definition");
        }
        return;
      }
      case "struct":
      case "enum": {
        const name = args[0];
        if (!isIdent(name)) {
          for (const a of args) this.expr(a, env);
          return;
        }
        const b = this.bind(name, form, { definition: core, doc, topLevel });
        this.declare(frame, b, visible);
        this.occur(name, { kind: "binding", binding: b }, "definition");
        // The type may refer to itself (`struct Tree { children = [Tree] }`).
        const self = this.enter(env, new Map([[name.name, b]]));
        const body = args[1];
        const entries = headName(body) === "__record__" && body?.kind === "apply" ? body.args : [];
        for (const e of entries) {
          if (form === "struct") this.fieldDeclaration(e, b, self);
          else this.variantDeclaration(e, b, self);
        }
        for (const a of args.slice(2)) this.expr(a, env);
        return;
      }
      case "use": {
        const source = rhs ?? args[0];
        if (source === undefined) return;
        this.expr(source, env);
        const owner = isIdent(source) ? lookupEnv(env, source.name) : undefined;
        const enumB = owner?.kind === "enum" ? owner : undefined;
        if (rhs === undefined) {
          for (const v of enumB?.members ?? []) this.declare(frame, v, visible);
          return;
        }
        const list = args[0];
        const names = headName(list) === "__record__" && list?.kind === "apply" ? list.args : [];
        for (const n of names) {
          if (!isIdent(n)) continue;
          const v = enumB?.members.find((m) => m.name === n.name);
          if (v === undefined) {
            this.occur(n, { kind: "unresolved" }, "reference");
            continue;
          }
          this.occur(n, { kind: "binding", binding: v }, "reference");
          this.declare(frame, v, visible);
        }
        return;
      }
      case "quote": {
        for (const a of args) this.quoted(a, env);
        if (rhs !== undefined) this.quoted(rhs, env);
        return;
      }
    }
  }

  private fieldDeclaration(entry: Node, owner: Binding, env: Env | undefined): void {
    const [name, type] =
      entry.kind === "apply" &&
      (isIdent(entry.callee, "=") || isIdent(entry.callee, ":")) &&
      entry.args.length === 2
        ? [entry.args[0], entry.args[1]]
        : [entry, undefined];
    if (isIdent(name)) {
      const f = this.bind(name, "field", {
        definition: entry,
        parent: owner,
        topLevel: owner.topLevel,
        ...(type === undefined ? {} : { declaredType: type }),
      });
      owner.members.push(f);
      this.occur(name, { kind: "binding", binding: f }, "definition");
    } else if (name !== undefined) this.expr(name, env);
    if (type !== undefined) this.expr(type, env);
  }

  private variantDeclaration(entry: Node, owner: Binding, env: Env | undefined): void {
    const name = entry.kind === "apply" ? entry.callee : entry;
    const payload = entry.kind === "apply" ? entry.args : [];
    if (!isIdent(name)) {
      this.expr(entry, env);
      return;
    }
    const v = this.bind(name, "variant", {
      definition: entry,
      parent: owner,
      topLevel: owner.topLevel,
      ...(payload[0] === undefined ? {} : { declaredType: payload[0] }),
    });
    owner.members.push(v);
    this.occur(name, { kind: "binding", binding: v }, "definition");
    for (const p of payload) {
      if (headName(p) === "__record__" && p.kind === "apply") {
        for (const f of p.args) this.fieldDeclaration(f, v, env);
      } else this.expr(p, env);
    }
  }

  /**
   * A macro invocation the evaluator expanded: names the expansion defines are bound after
   * it, at the argument that spells them when there is one (`make_counter count`), else at
   * the macro's name.
   */
  private macroCall(
    core: Node & { kind: "apply" },
    expansion: Node,
    env: Env | undefined,
    ctx: { doc: string | undefined; topLevel: boolean; visible: Span; frame: Map<string, Binding> },
  ): void {
    const defined = definitionsIn(expansion);
    const args = new Map<string, Ident>();
    for (const a of core.args) if (isIdent(a)) args.set(a.name, a);
    this.expr(core.callee, env);
    const sites = new Set<Ident>();
    for (const d of defined) {
      const site = args.get(d.name);
      const at = site ?? (isIdent(core.callee) ? core.callee : undefined);
      if (at === undefined) continue;
      const b = this.bind(at, d.kind, {
        name: d.name,
        definition: core,
        doc: ctx.doc,
        topLevel: ctx.topLevel,
        fixed: `\`${d.name}\` is defined by a macro expansion`,
      });
      this.declare(ctx.frame, b, ctx.visible);
      if (site !== undefined) {
        sites.add(site);
        this.occur(site, { kind: "binding", binding: b }, "definition");
      }
    }
    for (const a of core.args) if (!(isIdent(a) && sites.has(a))) this.expr(a, env);
  }

  // ---- expressions -------------------------------------------------------------------------

  private expr(node: Node, env: Env | undefined): void {
    switch (node.kind) {
      case "literal":
      case "error":
        return;
      case "ident":
        this.reference(node, env, "reference");
        return;
      case "apply":
        break;
    }
    const head = headName(node);
    const callee = node.callee;
    const args = node.args;
    if (head !== undefined && this.isForm(head, env)) {
      switch (head) {
        case "=": {
          const lhs = args[0];
          const form = headName(lhs);
          if (form !== undefined && DEFINITION_HEADS.has(form) && this.isForm(form, env)) {
            this.item(node, env, node.span.end, false);
            return;
          }
          this.target(lhs, env);
          for (const a of args.slice(1)) this.expr(a, env);
          return;
        }
        case "__doc__":
        case "@":
          // A doc comment or an attribute with nothing to apply to (`@si` being typed): only
          // the attribute itself (`item` would come back here with the same node).
          if (unwrap(node).core === node) {
            if (head === "@" && args[0] !== undefined) this.attribute(args[0]);
            return;
          }
          this.item(node, env, node.span.end, false);
          return;
        case "struct":
        case "enum":
        case "measure":
        case "use":
          this.item(node, env, node.span.end, false);
          return;
        case "__block__":
          this.block(args, env, node.span, false);
          return;
        case "->":
          if (headName(args[0]) === "\\" && args[0]?.kind === "apply") {
            this.lambda(args[0].args, args[0].span.end, args[1], node, env);
            return;
          }
          break;
        case "match":
          this.occur(
            callee as Ident,
            { kind: "builtin", builtin: BUILTINS.get("match")! },
            "reference",
          );
          this.match(args, env);
          return;
        case "for":
          if (args.length === 4 && isIdent(args[1], "in")) {
            this.occur(
              callee as Ident,
              { kind: "builtin", builtin: BUILTINS.get("for")! },
              "reference",
            );
            this.expr(args[2]!, env);
            const body = args[3]!;
            const frame = new Map<string, Binding>();
            this.pattern(args[0]!, env, frame, {
              kind: "variable",
              visible: { start: body.span.start - 1, end: body.span.end },
              definition: args[0]!,
              doc: undefined,
              topLevel: false,
              match: false,
            });
            this.expr(body, this.enter(env, frame));
            return;
          }
          break;
        case "quote":
          this.occur(
            callee as Ident,
            { kind: "builtin", builtin: BUILTINS.get("quote")! },
            "reference",
          );
          for (const a of args) this.quoted(a, env);
          return;
        case ".":
          this.access(node, env);
          return;
        case "__record__":
          this.record(node, env, undefined);
          return;
        case "+=":
        case "-=":
        case "*=":
        case "/=":
        case "%=":
        case "&=":
        case "|=":
        case "^=":
        case "<<=":
        case ">>=":
          this.target(args[0], env);
          for (const a of args.slice(1)) this.expr(a, env);
          return;
        case ":":
          // `e: T` in an expression, or `f: T` declaring a field inside a record type.
          for (const a of args) this.expr(a, env);
          return;
      }
    }
    this.expr(callee, env);
    // A struct constructor's record names the struct's fields.
    const ctor = isIdent(callee) ? lookupEnv(env, callee.name) : undefined;
    for (const a of args) {
      if (ctor?.kind === "struct" && headName(a) === "__record__" && a.kind === "apply") {
        this.record(a, env, ctor);
      } else this.expr(a, env);
    }
  }

  /** The left side of a reassignment: a name is written, anything else is read. */
  private target(lhs: Node | undefined, env: Env | undefined): void {
    if (lhs === undefined) return;
    if (isIdent(lhs)) this.reference(lhs, env, "write");
    else this.expr(lhs, env);
  }

  private reference(ident: Ident, env: Env | undefined, role: "reference" | "write"): void {
    const b = lookupEnv(env, ident.name);
    if (b !== undefined) {
      this.occur(ident, { kind: "binding", binding: b }, role);
      return;
    }
    const builtinValue = BUILTINS.get(ident.name);
    if (builtinValue !== undefined && builtinValue.kind !== "function") {
      this.occur(ident, { kind: "builtin", builtin: builtinValue }, "reference");
      return;
    }
    this.occur(ident, { kind: "unresolved" }, role);
  }

  private lambda(
    params: readonly Node[],
    paramsEnd: number,
    body: Node | undefined,
    node: Node,
    env: Env | undefined,
  ): void {
    const frame = new Map<string, Binding>();
    for (const p of params) {
      this.pattern(p, env, frame, {
        kind: "parameter",
        visible: { start: paramsEnd, end: node.span.end },
        definition: p,
        doc: undefined,
        topLevel: false,
        match: false,
      });
    }
    if (body !== undefined) this.expr(body, this.enter(env, frame));
  }

  private match(args: readonly Node[], env: Env | undefined): void {
    const [scrutinee, ...rest] = args;
    if (scrutinee !== undefined) this.expr(scrutinee, env);
    const arms =
      rest.length === 1 && headName(rest[0]) === "__block__" && rest[0]?.kind === "apply"
        ? rest[0].args
        : rest;
    for (const arm of arms) {
      if (arm.kind === "apply" && isIdent(arm.callee, "=>") && arm.args.length === 2) {
        const [pattern, body] = arm.args as [Node, Node];
        const frame = new Map<string, Binding>();
        this.pattern(pattern, env, frame, {
          kind: "variable",
          visible: { start: pattern.span.end, end: arm.span.end },
          definition: pattern,
          doc: undefined,
          topLevel: false,
          match: true,
        });
        this.expr(body, this.enter(env, frame));
      } else this.expr(arm, env);
    }
  }

  private access(node: Node & { kind: "apply" }, env: Env | undefined): void {
    const [receiver, member] = node.args;
    if (receiver !== undefined) this.expr(receiver, env);
    if (member === undefined) return;
    if (!isIdent(member)) {
      if (headName(member) === "__unquote__" && member.kind === "apply")
        for (const a of member.args) this.expr(a, env);
      else this.expr(member, env);
      return;
    }
    if (isIdent(receiver)) {
      const owner = lookupEnv(env, receiver.name);
      if (owner?.kind === "module") {
        const m = owner.members.find((x) => x.name === member.name);
        this.occur(
          member,
          m ? { kind: "binding", binding: m } : { kind: "unresolved" },
          "reference",
        );
        return;
      }
      if (owner?.kind === "enum") {
        const v = owner.members.find((m) => m.name === member.name);
        this.occur(
          member,
          v ? { kind: "binding", binding: v } : { kind: "unresolved" },
          "reference",
        );
        return;
      }
      if (owner === undefined) {
        const b = builtin(receiver.name, member.name);
        if (b !== undefined) {
          this.occur(member, { kind: "builtin", builtin: b }, "reference");
          return;
        }
      }
    }
    this.occur(member, { kind: "field", node, receiver }, "reference");
  }

  /** A record literal; `struct` is the struct a constructor builds, when known. */
  private record(
    node: Node & { kind: "apply" },
    env: Env | undefined,
    struct: Binding | undefined,
  ): void {
    const field = (ident: Ident): Target => {
      const f = struct?.members.find((m) => m.name === ident.name);
      return f ? { kind: "binding", binding: f } : { kind: "field", node, receiver: undefined };
    };
    for (const e of node.args) {
      if (isIdent(e)) {
        this.reference(e, env, "reference");
        const last = this.occurrences[this.occurrences.length - 1];
        if (last?.ident === e)
          this.occurrences[this.occurrences.length - 1] = { ...last, shorthand: true };
      } else if (
        e.kind === "apply" &&
        (isIdent(e.callee, "=") || isIdent(e.callee, ":")) &&
        e.args.length === 2 &&
        isIdent(e.args[0])
      ) {
        this.occur(e.args[0], field(e.args[0]), "reference");
        this.expr(e.args[1]!, env);
      } else this.expr(e, env);
    }
  }

  /** Inside `quote`: identifiers are syntax; only unquoted expressions are resolved. */
  private quoted(node: Node, env: Env | undefined): void {
    if (node.kind !== "apply") return;
    if (isIdent(node.callee, "__unquote__")) {
      for (const a of node.args) {
        if (a.kind === "apply" && isIdent(a.callee, "..."))
          for (const x of a.args) this.expr(x, env);
        else this.expr(a, env);
      }
      return;
    }
    if (isIdent(node.callee, "quote")) return; // unquotes inside a nested quote belong to it
    this.quoted(node.callee, env);
    for (const a of node.args) this.quoted(a, env);
  }

  // ---- patterns ----------------------------------------------------------------------------

  private pattern(
    p: Node,
    env: Env | undefined,
    frame: Map<string, Binding>,
    mode: PatternMode,
    shorthand = false,
  ): void {
    switch (p.kind) {
      case "literal":
      case "error":
        return;
      case "ident": {
        if (p.name === "_" || p.name === "...") return;
        if (p.name === "true" || p.name === "false") {
          this.occur(p, { kind: "builtin", builtin: BUILTINS.get(p.name)! }, "reference");
          return;
        }
        if (mode.match) {
          const existing = lookupEnv(env, p.name);
          if (existing?.kind === "variant") {
            this.occur(p, { kind: "binding", binding: existing }, "reference");
            return;
          }
        }
        const b = this.bind(p, mode.kind, {
          definition: mode.definition,
          doc: mode.doc,
          topLevel: mode.topLevel,
          ...(mode.params === undefined || shorthand ? {} : { params: mode.params }),
        });
        this.declare(frame, b, mode.visible);
        this.occur(p, { kind: "binding", binding: b }, "definition", shorthand);
        return;
      }
      case "apply":
        break;
    }
    const head = headName(p);
    switch (head) {
      case ":":
        if (p.args[0] !== undefined) this.pattern(p.args[0], env, frame, mode);
        for (const t of p.args.slice(1)) this.expr(t, env);
        return;
      case "__tuple__":
      case "__list__":
      case "...":
        for (const a of p.args) this.pattern(a, env, frame, mode);
        return;
      case "__record__":
        for (const e of p.args) {
          if (isIdent(e)) this.pattern(e, env, frame, mode, true);
          else if (
            e.kind === "apply" &&
            isIdent(e.callee, "=") &&
            e.args.length === 2 &&
            isIdent(e.args[0])
          ) {
            this.occur(e.args[0], { kind: "field", node: p, receiver: undefined }, "reference");
            this.pattern(e.args[1]!, env, frame, mode);
          } else this.pattern(e, env, frame, mode);
        }
        return;
      case "-":
        if (p.args.length === 1 && p.args[0]?.kind === "literal") return;
        break;
    }
    // A constructor pattern: `(Shape.Circle r)`, `(Point { x, y })`, `(Ok v)`.
    this.expr(p.callee, env);
    for (const a of p.args) this.pattern(a, env, frame, mode);
  }

  // ---- fields through types ----------------------------------------------------------------

  /** Links `r.f` to the declared field when the checker knows `r` is a struct. */
  private linkFields(): void {
    const types = this.file.types?.types;
    if (types === undefined) return;
    const structs = this.bindings.filter((b) => b.kind === "struct");
    if (structs.length === 0) return;
    for (let i = 0; i < this.occurrences.length; i++) {
      const o = this.occurrences[i]!;
      if (o.target.kind !== "field" || o.target.receiver === undefined) continue;
      const t = types.typeOf(o.target.receiver);
      if (t === undefined) continue;
      const r = resolveType(t);
      if (r.kind !== "named" || r.decl.kind !== "struct") continue;
      const decl = r.decl;
      const owner =
        structs.find(
          (s) =>
            decl.span !== undefined &&
            s.definition.span.start <= decl.span.start &&
            decl.span.end <= s.definition.span.end,
        ) ?? structs.filter((s) => s.name === decl.name).pop();
      const field = owner?.members.find((m) => m.name === o.ident.name);
      if (field !== undefined)
        this.occurrences[i] = { ...o, target: { kind: "binding", binding: field } };
    }
  }
}

/** The identifiers of an import list: `(a, b)` or `(a)`. */
function identsIn(node: Node | undefined): Ident[] {
  if (node === undefined) return [];
  if (node.kind === "ident") return [node];
  if (node.kind === "apply") return node.args.filter((a): a is Ident => a.kind === "ident");
  return [];
}

/** The core of an item and what wraps it: `##` documentation and `@` attributes. */
export function unwrap(node: Node): { core: Node; doc: string | undefined; attributes: Node[] } {
  let doc: string | undefined;
  const attributes: Node[] = [];
  let t = node;
  for (;;) {
    if (t.kind !== "apply" || t.args.length !== 2) break;
    if (isIdent(t.callee, "__doc__")) {
      const d = t.args[0];
      if (d?.kind === "literal" && d.value.type === "string") doc = d.value.value;
      t = t.args[1]!;
    } else if (isIdent(t.callee, "@")) {
      attributes.push(t.args[0]!);
      t = t.args[1]!;
    } else break;
  }
  return { core: t, doc, attributes };
}

/** Names a (macro-expanded) tree defines at its top, with their kinds. */
function definitionsIn(tree: Node): { name: string; kind: BindingKind }[] {
  const out: { name: string; kind: BindingKind }[] = [];
  const visit = (t: Node, depth: number): void => {
    if (depth > 50 || t.kind !== "apply") return;
    const { core } = unwrap(t);
    if (core.kind !== "apply") return;
    const head = headName(core);
    if (head === "__block__") {
      for (const x of core.args) visit(x, depth + 1);
      return;
    }
    if (head === "=" && core.args.length === 2) {
      const lhs = core.args[0]!;
      const form = headName(lhs);
      if (lhs.kind !== "apply") return;
      const name = lhs.args[0];
      if (form === "fn" && isIdent(name)) out.push({ name: name.name, kind: "function" });
      else if (form === "macro" && isIdent(name)) out.push({ name: name.name, kind: "macro" });
      else if (form === "measure" && isIdent(name)) out.push({ name: name.name, kind: "unit" });
      else if (form === "type" && isIdent(name)) out.push({ name: name.name, kind: "alias" });
      return;
    }
    const name = core.args[0];
    if (head === "struct" && isIdent(name)) out.push({ name: name.name, kind: "struct" });
    else if (head === "enum" && isIdent(name)) out.push({ name: name.name, kind: "enum" });
    else if (head === "measure" && isIdent(name)) out.push({ name: name.name, kind: "unit" });
  };
  visit(tree, 0);
  return out;
}

/**
 * Whether a name visible over `span` is in scope at `offset`. The start is exclusive: a `let`
 * becomes visible after the end of its item, so a cursor at the end of its own right side
 * does not see it.
 */
export function inside(span: Span, offset: number): boolean {
  return offset > span.start && offset <= span.end;
}

function makeResolution(
  bindings: readonly Binding[],
  unsorted: readonly Occurrence[],
  scope: readonly ScopeEntry[],
): Resolution {
  const occurrences = [...unsorted].sort((a, b) => a.ident.span.start - b.ident.span.start);
  const byBinding = new Map<Binding, Occurrence[]>();
  for (const o of occurrences) {
    if (o.target.kind !== "binding") continue;
    let list = byBinding.get(o.target.binding);
    if (list === undefined) byBinding.set(o.target.binding, (list = []));
    list.push(o);
  }
  const byName = new Map<string, ScopeEntry[]>();
  for (const e of scope) {
    let list = byName.get(e.name);
    if (list === undefined) byName.set(e.name, (list = []));
    list.push(e);
  }
  const visibleAt = (offset: number, atEnd = false): Binding[] => {
    const best = new Map<string, ScopeEntry>();
    for (const e of scope) {
      if (!inside(e.visible, offset) && !(atEnd && e.visible.start === offset)) continue;
      const current = best.get(e.name);
      if (current === undefined || e.visible.start >= current.visible.start) best.set(e.name, e);
    }
    return [...best.values()]
      .sort((a, b) => b.visible.start - a.visible.start)
      .map((e) => e.binding);
  };
  return {
    bindings,
    occurrences,
    scope,
    occurrenceAt(offset: number): Occurrence | undefined {
      let lo = 0;
      let hi = occurrences.length - 1;
      let candidate: Occurrence | undefined;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const o = occurrences[mid]!;
        if (o.ident.span.start > offset) hi = mid - 1;
        else {
          if (offset < o.ident.span.end) return o;
          if (offset === o.ident.span.end) candidate = o;
          lo = mid + 1;
        }
      }
      return candidate;
    },
    referencesOf(binding: Binding): Occurrence[] {
      return byBinding.get(binding) ?? [];
    },
    visibleAt,
    entriesNamed: (name: string): readonly ScopeEntry[] => byName.get(name) ?? [],
    lookup(name: string, offset: number): Binding | undefined {
      let found: ScopeEntry | undefined;
      for (const e of byName.get(name) ?? []) {
        if (!inside(e.visible, offset)) continue;
        if (found === undefined || e.visible.start >= found.visible.start) found = e;
      }
      return found?.binding;
    },
  };
}
