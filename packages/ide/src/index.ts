/**
 * `@cadenza/ide`: the editor-level analysis of Cadenza files as plain data (UTF-16 offsets,
 * spans and labels). Name resolution, hover, definitions, references, rename, completion,
 * signature help, semantic tokens, symbols, inlay hints, code actions, folding and selection
 * ranges. The language server maps these to LSP; the MCP server can reuse them as they are.
 *
 * @packageDocumentation
 */
export {
  type AnalyzeOptions,
  analyzeSource,
  type FileAnalysis,
  type ImportedModule,
  type ImportedSymbol,
  type ImportTable,
  mergeDiagnostics,
} from "./analysis.js";
export { BUILTINS, type Builtin, type BuiltinKind, builtin, namespaceMembers } from "./builtins.js";
export {
  actionsFor,
  type CodeAction,
  type CodeActionOptions,
  codeActions,
  derivedFixes,
} from "./code-actions.js";
export {
  type CompletionItem,
  type CompletionKind,
  type CompletionOptions,
  type CompletionResult,
  completion,
} from "./completion.js";
export { type DefinitionResult, definition } from "./definition.js";
export { type FoldingRange, foldingRanges } from "./folding.js";
export { type HoverInfo, hover } from "./hover.js";
export {
  describeExport,
  type ExportCandidate,
  importDecls,
  importEdit,
  importOffset,
  type ProjectRenameResult,
  type ProjectSymbol,
  referencesTo,
  renameAcross,
  symbolAt,
} from "./imports.js";
export { type InlayHint, type InlayHintOptions, inlayHints, unitsOf } from "./inlay-hints.js";
export { type Reference, references } from "./references.js";
export {
  isValidName,
  type PrepareRenameResult,
  prepareRename,
  type RenameResult,
  rename,
} from "./rename.js";
export {
  type Binding,
  type BindingKind,
  type Occurrence,
  type Resolution,
  resolveNames,
  type ScopeEntry,
  type Target,
} from "./resolve.js";
export { selectionRanges } from "./selection-range.js";
export {
  type SemanticToken,
  semanticTokens,
  TOKEN_MODIFIERS,
  TOKEN_TYPES,
  type TokenModifier,
  type TokenType,
} from "./semantic-tokens.js";
export { type ParameterInfo, type SignatureHelpInfo, signatureHelp } from "./signature-help.js";
export {
  type DocumentSymbol,
  documentSymbols,
  fuzzyMatch,
  type WorkspaceSymbol,
  workspaceSymbols,
} from "./symbols.js";
