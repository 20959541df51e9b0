export {
  type Doctest,
  type DoctestMode,
  docToSyntax,
  doctests,
  substitutePlaceholders,
} from "./docs.js";
export { type DoctestReport, type DoctestResult, runDoctests } from "./doctest.js";
export {
  type Budget,
  type CancelSignal,
  type EvalOptions,
  type EvalResult,
  type EvalStatus,
  evaluate,
  type ImportedName,
  type TranscriptEntry,
} from "./evaluate.js";
export { evaluateSource, type SourceResult } from "./evaluate-source.js";
export type {
  Definition,
  DefinitionKind,
  ItemRecord,
  ModuleState,
} from "./module.js";
export { formatFloat, INT_MAX, INT_MIN, type Int, type Num } from "./numbers.js";
export { renderEntry, renderSyntax, renderValue } from "./print.js";
export type { Rational } from "./rational.js";
export { EntryReader, entryIsOpen, type InputState, scanInput } from "./repl-input.js";
export {
  createSession,
  type EntryOptions,
  type EntryResult,
  type ImportResolution,
  type ItemResult,
  type ParseOutput,
  type Parser,
  type Session,
  type SessionOptions,
  sourceOrder,
} from "./session.js";
export type {
  ErrorNode,
  Ident,
  Literal,
  LiteralValue,
  Tree,
  TreeApply,
  ValueNode,
} from "./tree.js";
export {
  type EnumDef,
  type NamedTypeName,
  renderType,
  type StructDef,
  type Type,
  typeEquals,
  typeOf,
  type VariantDef,
  type VariantPayload,
} from "./types.js";
export type { Dimension, QuantityValue, UnitDef, UnitPower, UnitProduct } from "./units.js";
export type {
  BoolValue,
  BuiltinValue,
  CellValue,
  CharValue,
  ClosureValue,
  ConstructorValue,
  ErrorValue,
  FormValue,
  ListValue,
  MacroValue,
  ModuleValue,
  RecordValue,
  StringValue,
  StructValue,
  SymbolValue,
  SyntaxValue,
  TupleValue,
  TypeValue,
  UnitValue,
  Value,
  VariantValue,
} from "./values.js";
export { ERROR } from "./values.js";
