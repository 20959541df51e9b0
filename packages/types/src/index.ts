/**
 * `@cadenza/types`: the Cadenza type checker. Hindley–Milner inference per binding group with
 * units of measure (dimensions unified as an abelian group), the numeric tower typed by
 * constrained promotion, row-polymorphic records, and inferred traits and effects.
 *
 * @packageDocumentation
 */
export {
  type CheckOptions,
  type CheckResult,
  type CheckSourceResult,
  check,
  checkSource,
  lazyTypeTable,
  type NodeTypeMaps,
  type TypeAtResult,
  type TypeTable,
} from "./check.js";
export {
  type Constraint,
  defaultJoins,
  type Site,
  type StepResult,
  stepJoin,
} from "./constraints.js";
export {
  baseDimension,
  dimensionsEqual,
  divDimensions,
  isDimensionless,
  mulDimensions,
  normalizeDimension,
  powDimension,
  unifyDimensions,
} from "./dimension.js";
export {
  checkGroup,
  type DeclarationsResult,
  declareFile,
  exportedDeclaration,
  type FileDeclarations,
  fileFacts,
  type GroupInput,
  type GroupReference,
  type GroupResult,
  groupUnits,
  type ImportedDeclaration,
  isDeclarationItem,
  itemFacts,
  type Signature,
  signatureKey,
  topLevelGraph,
} from "./group.js";
export {
  BlockIndex,
  bindingGroups,
  componentsInOrder,
  freeNames,
  type ItemInfo,
  itemInfos,
  patternNames,
  stronglyConnected,
} from "./groups.js";
export type { DefinitionEnvironment, VisibleName } from "./infer.js";
export { type MeasureInfo, type Ratio, UnitRegistry } from "./measures.js";
export {
  factorText,
  RenderedSchemes,
  renderConstraint,
  renderDimension,
  renderScheme,
  renderType,
  TypeNamer,
  unitText,
} from "./print.js";
export {
  GENERIC,
  generalize,
  type Instance,
  instantiate,
  monoScheme,
  type Scheme,
} from "./scheme.js";
export { formatSignatures } from "./signatures.js";
export {
  type ConType,
  type DeclaredField,
  type Dimension,
  type EffectRow,
  type Field,
  type FnType,
  freshVar,
  type ListType,
  type NamedType,
  type NominalDecl,
  type NumName,
  type NumType,
  type QuantityType,
  type RecordType,
  resolve,
  type TupleType,
  type Type,
  type TypeVar,
  type UnitPower,
  type UnknownType,
  type VariantDecl,
  type VariantPayload,
  type VarKind,
  zonk,
} from "./types.js";
export { typesEqual, type UnifyFailure, unify } from "./unify.js";
