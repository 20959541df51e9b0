/**
 * Editor metadata that lives on the node types of the parser itself: highlighting tags
 * (`@lezer/highlight`) and the pairs of matching delimiters (`NodeProp.openedBy`/`closedBy`
 * of `@lezer/common`). The grammar attaches both with `@external propSource`, so every tree
 * the exported `parser` builds carries them: CodeMirror's `syntaxHighlighting` and
 * `bracketMatching`, and `highlightTree` outside an editor, work on it without configuration.
 */
import { NodeProp, type NodePropSource } from "@lezer/common";
import { styleTags, tags as t } from "@lezer/highlight";

/**
 * The highlighting tags of the Cadenza node types, for `@lezer/highlight`. Cadenza has no
 * keywords besides `if`/`then`/`else` (LANGUAGE.md §1): `let`, `fn` or `match` are ordinary
 * names and highlight as such; meaning-based colouring (definitions, types, the field in
 * `p.x`, whose name is an `Identifier` like `p`) belongs to the language server's semantic
 * tokens, which know the environment.
 */
export const highlighting: NodePropSource = styleTags({
  Comment: t.lineComment,
  DocComment: t.docComment,
  "If Then Else": t.controlKeyword,
  Identifier: t.variableName,
  "CalleeName Callee/Identifier": t.function(t.variableName),
  "Params/Identifier": t.definition(t.variableName),
  Number: t.number,
  Unit: t.unit,
  "String StringContent": t.string,
  "InterpolationStart Interpolated/StringEnd": t.special(t.string),
  Char: t.character,
  "Symbol SymbolStart SymbolInterpolated/StringEnd": t.atom,
  "UnquoteOpen Unquote/BraceClose": t.special(t.brace),
  "AddOp MulOp PowOp": t.arithmeticOperator,
  "OrOp AndOp": t.logicOperator,
  "EqOp CompareOp": t.compareOperator,
  "BitOrOp XorOp BitAndOp ShiftOp": t.bitwiseOperator,
  AssignOp: t.definitionOperator,
  ColonOp: t.typeOperator,
  "Dot PathSep": t.derefOperator,
  "PipeOp PipeTryOp RangeOp TryOp PrefixOp OperatorName": t.operator,
  "Arrow ArmOp Backslash": t.punctuation,
  "Attribute/At Attribute/Identifier": t.meta,
  Comma: t.separator,
  "ParenOpen ParenClose": t.paren,
  "ListOpen IndexOpen BracketClose": t.squareBracket,
  "BraceOpen BraceClose": t.brace,
  Invalid: t.invalid,
});

/**
 * Matching delimiters, for bracket matching: each opener names the token that closes it.
 * A closer the guard of §3.4 inserted is zero-length, so an unclosed delimiter matches nothing
 * visible.
 */
export const closers: NodePropSource = NodeProp.closedBy.add({
  ParenOpen: ["ParenClose"],
  "ListOpen IndexOpen": ["BracketClose"],
  "BraceOpen UnquoteOpen": ["BraceClose"],
});

/** The other direction of {@link closers}: each closer names the tokens that open it. */
export const openers: NodePropSource = NodeProp.openedBy.add({
  ParenClose: ["ParenOpen"],
  BracketClose: ["ListOpen", "IndexOpen"],
  BraceClose: ["BraceOpen", "UnquoteOpen"],
});
