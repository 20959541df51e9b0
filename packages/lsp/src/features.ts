/**
 * The LSP side of each feature: converts LSP parameters to offsets of the analysed text, calls
 * `@cadenza/ide`, and converts its plain data back to LSP results. Runs in the engine, next to
 * the text the offsets refer to. Only types are imported from the LSP libraries, so the
 * engine's bundle stays small; the numeric constants are the protocol's.
 */
import type { Diagnostic as CoreDiagnostic, SourceFile, Span } from "@cadenza/core";
import {
  type BindingKind,
  type CompletionKind,
  codeActions,
  completion,
  definition,
  documentSymbols,
  type ExportCandidate,
  type FileAnalysis,
  foldingRanges,
  hover,
  inlayHints,
  type ProjectSymbol,
  prepareRename,
  references,
  referencesTo,
  rename,
  renameAcross,
  resolveNames,
  selectionRanges,
  semanticTokens,
  signatureHelp,
  symbolAt,
  TOKEN_MODIFIERS,
  TOKEN_TYPES,
  workspaceSymbols,
} from "@cadenza/ide";
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DiagnosticRelatedInformation,
  DocumentHighlight,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InlayHint,
  Location,
  Position,
  Range,
  SelectionRange,
  SemanticTokens,
  SignatureHelp,
  SymbolInformation,
  TextEdit,
  WorkspaceEdit,
} from "vscode-languageserver";
import type { Settings } from "./settings.js";

/** What the client can take, as far as the features care. */
export interface ClientFeatures {
  /** `textDocument.publishDiagnostics.relatedInformation`. */
  readonly relatedInformation: boolean;
  /** Whether hover and completion docs may be Markdown. */
  readonly markdown: boolean;
}

/** Reported as the request's error when its parameters are not what the method takes. */
export class InvalidParams extends Error {}

/**
 * The other files of the project, for the features that cross files (definitions in other
 * modules, references and rename across importers, completion and quick fixes that import).
 * Paths are the compiler's; `analysis.source.name` is the path of an analysis.
 */
export interface Project {
  /** The URI of a path. */
  uriOf(path: string): string;
  /** A file's current text, for converting offsets in it. */
  source(path: string): SourceFile | undefined;
  /** The analyses of the files that may refer to `symbol`: its file and its importers. */
  filesFor(symbol: ProjectSymbol): FileAnalysis[];
  /** The exported names of the project's other modules. */
  exports(path: string): readonly ExportCandidate[];
}

function position(source: SourceFile, offset: number): Position {
  return source.utf16Position(offset);
}

/** The LSP range of a span of the analysed text. */
export function range(source: SourceFile, span: Span): Range {
  return { start: position(source, span.start), end: position(source, span.end) };
}

function isPosition(p: unknown): p is Position {
  const q = p as Position | undefined;
  return (
    typeof q === "object" &&
    q !== null &&
    Number.isInteger(q.line) &&
    Number.isInteger(q.character) &&
    q.line >= 0 &&
    q.character >= 0
  );
}

function offsetOf(source: SourceFile, p: unknown): number {
  if (!isPosition(p)) throw new InvalidParams("expected a position { line, character }");
  return source.offsetOfUtf16(p);
}

function spanOf(source: SourceFile, r: unknown): Span {
  const q = r as Range | undefined;
  if (typeof q !== "object" || q === null) throw new InvalidParams("expected a range");
  return { start: offsetOf(source, q.start), end: offsetOf(source, q.end) };
}

const SEVERITY = { error: 1, warning: 2, info: 3, hint: 4 } as const;

/** An LSP diagnostic of a Cadenza diagnostic: notes and helps in the message, secondary labels as related information. */
export function toLspDiagnostic(
  d: CoreDiagnostic,
  source: SourceFile,
  uri: string,
  client: ClientFeatures,
): Diagnostic {
  const lines = [d.message];
  if (d.primary.message !== "" && d.primary.message !== d.message)
    lines[0] += `: ${d.primary.message}`;
  const related: DiagnosticRelatedInformation[] = [];
  for (const label of d.secondary) {
    if (client.relatedInformation) {
      related.push({ location: { uri, range: range(source, label.span) }, message: label.message });
    } else {
      const { line, column } = source.lineColumn(label.span.start);
      lines.push(`${line}:${column}: ${label.message}`);
    }
  }
  for (const n of d.notes) lines.push(`${n.kind}: ${n.message}`);
  const out: Diagnostic = {
    range: range(source, d.primary.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: "cadenza",
    message: lines.join("\n"),
  };
  return related.length > 0 ? { ...out, relatedInformation: related } : out;
}

/** Every diagnostic of an analysis, as LSP diagnostics. */
export function diagnosticsOf(
  analysis: FileAnalysis,
  uri: string,
  client: ClientFeatures,
): Diagnostic[] {
  return analysis.diagnostics.map((d) => toLspDiagnostic(d, analysis.source, uri, client));
}

// ---- kinds --------------------------------------------------------------------------------

const COMPLETION_KIND: Record<CompletionKind, number> = {
  function: 3,
  parameter: 6,
  variable: 6,
  struct: 22,
  enum: 13,
  variant: 20,
  field: 5,
  alias: 7,
  unit: 11,
  macro: 3,
  module: 9,
  keyword: 14,
  type: 7,
  namespace: 9,
  value: 21,
};

const SYMBOL_KIND: Record<BindingKind, number> = {
  function: 12,
  parameter: 13,
  variable: 13,
  struct: 23,
  enum: 10,
  variant: 22,
  field: 8,
  alias: 26,
  unit: 14,
  macro: 12,
  module: 2,
};

// ---- requests -----------------------------------------------------------------------------

interface DocParams {
  readonly position?: unknown;
  readonly range?: unknown;
  readonly context?: { readonly includeDeclaration?: boolean; readonly diagnostics?: unknown };
  readonly newName?: unknown;
  readonly positions?: unknown;
}

/** Answers one document request on an analysis. */
export function answer(
  method: string,
  analysis: FileAnalysis,
  uri: string,
  raw: unknown,
  settings: Settings,
  client: ClientFeatures,
  project?: Project,
): unknown {
  const params = (typeof raw === "object" && raw !== null ? raw : {}) as DocParams;
  const source = analysis.source;
  const loc = (span: Span): Location => ({ uri, range: range(source, span) });
  /** A location in another file (or this one). */
  const locIn = (path: string, span: Span): Location | null => {
    if (path === source.name) return loc(span);
    const other = project?.source(path);
    if (other === undefined || project === undefined) return null;
    return { uri: project.uriOf(path), range: range(other, span) };
  };
  /** The file's path → URI, this file's being the request's. */
  const uriOfPath = (path: string): string =>
    path === source.name ? uri : (project?.uriOf(path) ?? path);
  switch (method) {
    case "textDocument/hover": {
      const h = hoverAt(analysis, offsetOf(source, params.position), client);
      return h === undefined
        ? null
        : ({ contents: h.contents, range: range(source, h.span) } satisfies Hover);
    }
    case "textDocument/definition": {
      const d = definition(analysis, offsetOf(source, params.position));
      if (d === undefined) return null;
      return d.file === undefined ? loc(d.target) : locIn(d.file, d.target);
    }
    case "textDocument/references": {
      const include = params.context?.includeDeclaration !== false;
      const offset = offsetOf(source, params.position);
      const symbol = project === undefined ? undefined : symbolAt(analysis, offset);
      if (symbol !== undefined && project !== undefined) {
        const out: Location[] = [];
        for (const file of project.filesFor(symbol)) {
          const path = file.source.name;
          const fileUri = uriOfPath(path);
          for (const r of referencesTo(file, symbol, include))
            out.push({ uri: fileUri, range: range(file.source, r.span) });
        }
        return out;
      }
      const refs = references(analysis, offset, include);
      return refs === undefined ? null : refs.map((r) => loc(r.span));
    }
    case "textDocument/documentHighlight": {
      const refs = references(analysis, offsetOf(source, params.position), true);
      return (refs ?? []).map(
        (r): DocumentHighlight => ({
          range: range(source, r.span),
          kind: r.kind === "write" ? 3 : r.kind === "definition" ? 3 : 2,
        }),
      );
    }
    case "textDocument/prepareRename": {
      const offset = offsetOf(source, params.position);
      const symbol = project === undefined ? undefined : symbolAt(analysis, offset);
      if (symbol !== undefined && project !== undefined) {
        const r = renameAcross(project.filesFor(symbol), symbol, symbol.name);
        if (r.kind === "error") throw new RenameRefused(r.message);
        const o = resolveNames(analysis).occurrenceAt(offset)!;
        return { range: range(source, o.ident.span), placeholder: symbol.name };
      }
      const p = prepareRename(analysis, offset);
      if (p.kind === "error") throw new RenameRefused(p.message);
      return { range: range(source, p.span), placeholder: p.placeholder };
    }
    case "textDocument/rename": {
      if (typeof params.newName !== "string") throw new InvalidParams("expected newName");
      const offset = offsetOf(source, params.position);
      const symbol = project === undefined ? undefined : symbolAt(analysis, offset);
      if (symbol !== undefined && project !== undefined) {
        const files = project.filesFor(symbol);
        const r = renameAcross(files, symbol, params.newName);
        if (r.kind === "error") throw new RenameRefused(r.message);
        const changes: Record<string, TextEdit[]> = {};
        for (const [path, edits] of r.edits) {
          const file = files.find((f) => f.source.name === path);
          if (file === undefined) continue;
          changes[uriOfPath(path)] = edits.map((e) => ({
            range: range(file.source, e.span),
            newText: e.newText,
          }));
        }
        return { changes } satisfies WorkspaceEdit;
      }
      const r = rename(analysis, offset, params.newName);
      if (r.kind === "error") throw new RenameRefused(r.message);
      const edits: TextEdit[] = r.edits.map((e) => ({
        range: range(source, e.span),
        newText: e.newText,
      }));
      return { changes: { [uri]: edits } } satisfies WorkspaceEdit;
    }
    case "textDocument/completion": {
      const exports = project?.exports(source.name);
      const c = completion(
        analysis,
        offsetOf(source, params.position),
        exports === undefined ? {} : { exports },
      );
      const replace = range(source, c.span);
      const items = c.items.map(
        (i): CompletionItem => ({
          label: i.label,
          kind: COMPLETION_KIND[i.kind] as CompletionItem["kind"],
          ...(i.detail === undefined ? {} : { detail: i.detail }),
          ...(i.documentation === undefined
            ? {}
            : {
                documentation: client.markdown
                  ? { kind: "markdown", value: i.documentation }
                  : i.documentation,
              }),
          sortText: i.sortText,
          textEdit: { range: replace, newText: i.label },
          ...(i.additionalEdits === undefined
            ? {}
            : {
                additionalTextEdits: i.additionalEdits.map((e) => ({
                  range: range(source, e.span),
                  newText: e.newText,
                })),
              }),
        }),
      );
      return { isIncomplete: false, items } satisfies CompletionList;
    }
    case "textDocument/signatureHelp": {
      const s = signatureHelp(analysis, offsetOf(source, params.position));
      if (s === undefined) return null;
      return {
        signatures: [
          {
            label: s.label,
            ...(s.documentation === undefined
              ? {}
              : {
                  documentation: client.markdown
                    ? { kind: "markdown", value: s.documentation }
                    : s.documentation,
                }),
            parameters: s.parameters.map((p) => ({
              label: [p.label[0], p.label[1]] as [number, number],
            })),
          },
        ],
        activeSignature: 0,
        activeParameter: s.activeParameter,
      } satisfies SignatureHelp;
    }
    case "textDocument/semanticTokens/full":
    case "textDocument/semanticTokens/range": {
      const span = method.endsWith("range") ? spanOf(source, params.range) : undefined;
      return encodeTokens(source, semanticTokens(analysis, span));
    }
    case "textDocument/documentSymbol": {
      const convert = (s: ReturnType<typeof documentSymbols>[number]): DocumentSymbol => ({
        name: s.name,
        kind: SYMBOL_KIND[s.kind] as DocumentSymbol["kind"],
        ...(s.detail === undefined ? {} : { detail: s.detail }),
        range: range(source, s.span),
        selectionRange: range(source, s.selectionSpan),
        children: s.children.map(convert),
      });
      return documentSymbols(analysis).map(convert);
    }
    case "textDocument/inlayHint": {
      const span = spanOf(source, params.range);
      return inlayHints(analysis, span, settings.inlayHints).map(
        (h): InlayHint => ({
          position: position(source, h.offset),
          label: h.label,
          kind: h.kind === "parameterType" ? 2 : 1,
          paddingLeft: h.label.startsWith("->"),
          ...(h.tooltip === undefined ? {} : { tooltip: h.tooltip }),
        }),
      );
    }
    case "textDocument/codeAction": {
      const span = spanOf(source, params.range);
      // The project's exports only matter for an `undefined variable` (import it).
      const undefinedName = analysis.diagnostics.some(
        (d) =>
          d.code.endsWith("/undefined-variable") &&
          d.primary.span.start <= span.end &&
          span.start <= d.primary.span.end,
      );
      const exports = undefinedName ? project?.exports(source.name) : undefined;
      return codeActions(analysis, span, exports === undefined ? {} : { exports }).flatMap(
        (a): CodeAction[] => {
          // A fix in another file (exporting a definition of an imported module).
          const target = a.file === undefined ? source : project?.source(a.file);
          if (target === undefined) return [];
          return [
            {
              title: a.title,
              kind: "quickfix",
              diagnostics: [toLspDiagnostic(a.diagnostic, source, uri, client)],
              isPreferred: a.preferred,
              edit: {
                changes: {
                  [a.file === undefined ? uri : uriOfPath(a.file)]: a.edits.map((e) => ({
                    range: range(target, e.span),
                    newText: e.newText,
                  })),
                },
              },
            },
          ];
        },
      );
    }
    case "textDocument/foldingRange":
      return foldingRanges(analysis).map(
        (f): FoldingRange => ({
          startLine: source.lineIndexAt(f.start),
          endLine: source.lineIndexAt(f.end),
          kind: f.kind === "comment" ? "comment" : "region",
        }),
      );
    case "textDocument/selectionRange": {
      if (!Array.isArray(params.positions)) throw new InvalidParams("expected positions");
      return params.positions.map((p): SelectionRange => {
        const spans = selectionRanges(analysis, offsetOf(source, p));
        let parent: SelectionRange | undefined;
        for (let i = spans.length - 1; i >= 0; i--) {
          parent = { range: range(source, spans[i]!), ...(parent === undefined ? {} : { parent }) };
        }
        return parent ?? { range: { start: p as Position, end: p as Position } };
      });
    }
  }
  throw new InvalidParams(`unsupported method ${method}`);
}

/** Hover at an offset of the analysed text: the contents and the span they are about. */
export function hoverAt(
  analysis: FileAnalysis,
  offset: number,
  client: ClientFeatures,
): { contents: Hover["contents"]; span: Span } | undefined {
  const h = hover(analysis, offset);
  if (h === undefined) return undefined;
  const value = client.markdown
    ? h.markdown
    : [h.type === undefined ? h.title : `${h.title} : ${h.type}`, h.doc ?? ""].join("\n\n").trim();
  return { contents: { kind: client.markdown ? "markdown" : "plaintext", value }, span: h.span };
}

/** The UTF-16 offset of an LSP position in a text (for requests on a newer text than analysed). */
export function offsetAt(source: SourceFile, p: unknown): number {
  return offsetOf(source, p);
}

/** A rename the analysis refuses; answered as a request error with its message. */
export class RenameRefused extends Error {}

/** Workspace symbols over every analysis. */
export function answerWorkspaceSymbols(
  analyses: readonly { readonly uri: string; readonly analysis: FileAnalysis }[],
  raw: unknown,
): SymbolInformation[] {
  const query =
    typeof (raw as { query?: unknown })?.query === "string" ? (raw as { query: string }).query : "";
  const byName = new Map(analyses.map((a) => [a.analysis.source.name, a]));
  return workspaceSymbols(
    analyses.map((a) => a.analysis),
    query,
  ).flatMap((s) => {
    const a = byName.get(s.file);
    if (a === undefined) return [];
    return [
      {
        name: s.name,
        kind: SYMBOL_KIND[s.kind] as SymbolInformation["kind"],
        location: { uri: a.uri, range: range(a.analysis.source, s.span) },
        ...(s.container === undefined ? {} : { containerName: s.container }),
      },
    ];
  });
}

/** The legend the server advertises; token indices refer to it. */
export const SEMANTIC_LEGEND: { tokenTypes: string[]; tokenModifiers: string[] } = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

function encodeTokens(
  source: SourceFile,
  tokens: ReturnType<typeof semanticTokens>,
): SemanticTokens {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const t of tokens) {
    const p = source.utf16Position(t.start);
    const deltaLine = p.line - line;
    const deltaStart = deltaLine === 0 ? p.character - character : p.character;
    let modifiers = 0;
    for (const m of t.modifiers) modifiers |= 1 << TOKEN_MODIFIERS.indexOf(m);
    data.push(deltaLine, deltaStart, t.length, TOKEN_TYPES.indexOf(t.type), modifiers);
    line = p.line;
    character = p.character;
  }
  return { data };
}
