import { type Diagnostic, diagnostic, type Span } from "@cadenza/core";
import type { ImportDecl } from "./imports.js";
import { closestName } from "./suggest.js";

/** `unknown module`: no file for an import's path. */
export function unknownModule(
  file: string,
  decl: Pick<ImportDecl, "path" | "pathSpan">,
  searched: readonly string[],
  suggestion: string | undefined,
): Diagnostic {
  const name = decl.path.join(".");
  const helps: string[] = [];
  const fixes = [];
  if (suggestion !== undefined) {
    helps.push(`did you mean \`${suggestion}\`?`);
    fixes.push({
      message: `import \`${suggestion}\``,
      edits: [{ span: decl.pathSpan, newText: suggestion }],
    });
  }
  return diagnostic({
    code: "modules/unknown-module",
    message: `unknown module \`${name}\``,
    file,
    primary: { span: decl.pathSpan, message: "no module has this name" },
    notes: [`looked for ${searched.map((s) => `\`${s}\``).join(" and ")}`],
    helps,
    fixes,
  });
}

/**
 * `import cycle`: the import closes a cycle; `cycle` names the modules from the importing one
 * back to it (first = last), as {@link importCycles} gives it.
 */
export function importCycle(
  file: string,
  decl: Pick<ImportDecl, "pathSpan">,
  cycle: readonly string[],
): Diagnostic {
  const self = cycle.length <= 2;
  const through = cycle.slice(2, -1).map((m) => `\`${m}\``);
  return diagnostic({
    code: "modules/import-cycle",
    message: "import cycle",
    file,
    primary: {
      span: decl.pathSpan,
      message: self
        ? "this module imports itself"
        : `\`${cycle[1]}\` imports this module back${through.length > 0 ? ` through ${through.join(", ")}` : ""}`,
    },
    notes: [`the cycle: ${cycle.join(" → ")}`],
    helps: [
      self
        ? "remove this import: a module sees its own names without importing them"
        : "modules must form a hierarchy: move what they share into a module that none of them imports",
    ],
  });
}

/** `unknown import`: the module defines no such name. */
export function unknownImport(
  file: string,
  span: Span,
  name: string,
  module: string,
  suggestion: string | undefined,
): Diagnostic {
  return diagnostic({
    code: "modules/unknown-import",
    message: `module \`${module}\` has no export \`${name}\``,
    file,
    primary: { span, message: "not defined there" },
    helps: suggestion === undefined ? [] : [`did you mean \`${suggestion}\`?`],
    fixes:
      suggestion === undefined
        ? []
        : [{ message: `use \`${suggestion}\``, edits: [{ span, newText: suggestion }] }],
  });
}

/** `private name`: the name exists in the module but is not exported. */
export function privateName(
  file: string,
  span: Span,
  name: string,
  module: string,
  definedIn?: string,
): Diagnostic {
  return diagnostic({
    code: "modules/private-name",
    message: `\`${name}\` is private to module \`${module}\``,
    file,
    primary: { span, message: "not exported" },
    notes:
      definedIn === undefined ? [] : [`\`${name}\` is defined in ${definedIn} without \`@export\``],
    helps: [`add \`@export\` on the line before its definition to use it from other modules`],
  });
}

/** `conflicting import`: two imports bind one name to different things. */
export function conflictingImport(
  file: string,
  span: Span,
  name: string,
  previous: Span,
  previousModule: string,
): Diagnostic {
  return diagnostic({
    code: "modules/conflicting-import",
    message: `\`${name}\` is already imported from \`${previousModule}\``,
    file,
    primary: { span, message: "imported again here, from another module" },
    secondary: [{ span: previous, message: "first imported here" }],
    helps: ["import one of the modules under a qualified alias (`import m as q`, then `q.name`)"],
  });
}

/** `q.name` where `q` is an imported module and `name` one of its macros. */
export function macroThroughAlias(
  file: string,
  span: Span,
  name: string,
  module: string,
): Diagnostic {
  return diagnostic({
    code: "modules/macro-through-alias",
    message: `macro \`${name}\` must be imported by name`,
    file,
    primary: { span, message: "a macro cannot be reached through a module alias" },
    helps: [`import it by name: \`import ${module} (${name})\``],
  });
}

/**
 * `q.name` where `q` is an imported module that does not export `name`: `private name` when
 * the module defines it without exporting it, `unknown import` (with the closest export)
 * otherwise. Evaluation and type checking report it alike, so the driver shows it once.
 */
export function missingExport(
  file: string,
  span: Span,
  name: string,
  module: string,
  exported: Iterable<string>,
  hidden: readonly string[],
): Diagnostic {
  if (hidden.includes(name)) return privateName(file, span, name, module);
  return unknownImport(file, span, name, module, closestName(name, exported));
}
