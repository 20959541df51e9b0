export {
  type Catalogue,
  catalogueFor,
  help,
  note,
  type Problem,
  type UndefinedReason,
} from "./catalogue.js";
export {
  applyEdits,
  type Diagnostic,
  type DiagnosticInit,
  type DiagnosticNote,
  diagnostic,
  type Fix,
  hasErrors,
  type Label,
  type Result,
  type Severity,
  type TextEdit,
} from "./diagnostic.js";
export { levenshtein } from "./distance.js";
export {
  type RenderOptions,
  renderDiagnostic,
  renderDiagnostics,
  shouldUseColor,
} from "./render.js";
export { SideTable } from "./side.js";
export {
  countScalars,
  type LineColumn,
  normalizeSource,
  SourceFile,
  type Utf16Position,
} from "./source.js";
export { joinSpans, type Span, span, spanContains, spanLength } from "./span.js";
export { commonEnds, textChange } from "./text.js";
export { VECTOR_CHUNK, Vector } from "./vector.js";
export { codePointWidth, displayWidth, expandTabs, TAB_DISPLAY_WIDTH } from "./width.js";
