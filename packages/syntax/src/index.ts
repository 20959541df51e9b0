/**
 * `@cadenza/syntax`: the Cadenza parser. A lossless, incremental, error-tolerant Lezer tree,
 * and typed views over it in the uniform application model of LANGUAGE.md §1.
 *
 * @packageDocumentation
 */
export type { Apply, ErrorNode, Ident, Literal, LiteralValue, Node } from "./ast.js";
export { parseFast } from "./fast.js";
export {
  type FoldFunction,
  type FoldRange,
  foldDelimited,
  foldHangingBlock,
  foldNodes,
  foldRange,
  foldRanges,
} from "./folding.js";
export { closers, highlighting, openers } from "./highlight.js";
export { type IndentationOptions, indentation, type TextSource } from "./indentation.js";
export {
  type Decoded,
  decodeChar,
  decodeEscapes,
  decodeNumber,
  decodeString,
  decodeSymbol,
  endOfInput,
  MAX_INTEGER,
  MIN_INTEGER,
  type NumberValue,
  type QuoteKind,
} from "./literals.js";
export {
  type CachedItem,
  type ItemCache,
  type Lowered,
  type LowerOptions,
  lower,
} from "./lower.js";
export { changedItems, type ParseResult, parse, parser, reparse } from "./parse.js";
export {
  firstRefutable,
  type PatternApply,
  type PatternTree,
  type RecordPatternEntry,
  type Refutable,
  recordLiteralField,
  recordPatternEntries,
  tupleLiteralItems,
  type ValueLike,
} from "./patterns.js";
export {
  children,
  type Leaf,
  leaves,
  nodeAt,
  nodePathAt,
  syntaxNodeAt,
} from "./positions.js";
export {
  printSExpr,
  renderChar,
  renderFloat,
  renderLiteral,
  renderString,
  renderSymbol,
  type SExprOptions,
} from "./sexpr.js";
export { SI_PREFIXES, unitProductText } from "./units.js";
