// CodeMirror uses the grammar directly: the parser as an LRLanguage, its own highlighting and
// bracket props, `foldNodes` through foldNodeProp and `indentation` as an indent service.
// CodeMirror is a devDependency only; the package itself does not depend on it.
import {
  ensureSyntaxTree,
  foldable,
  foldNodeProp,
  getIndentation,
  HighlightStyle,
  indentService,
  indentUnit,
  LRLanguage,
  matchBrackets,
  syntaxTree,
} from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { highlightTree, tags as t } from "@lezer/highlight";
import { describe, expect, it } from "vitest";
import { foldNodes, indentation, parser } from "../src/index.js";

const cadenza = LRLanguage.define({
  name: "cadenza",
  parser: parser.configure({ props: [foldNodeProp.add(foldNodes)] }),
});
const cadenzaIndent = indentService.of((cx, pos) =>
  indentation(syntaxTree(cx.state), cx.state.doc, pos, { unit: cx.unit }),
);

function editor(doc: string): EditorState {
  const state = EditorState.create({
    doc,
    extensions: [cadenza, cadenzaIndent, indentUnit.of("    ")],
  });
  ensureSyntaxTree(state, doc.length, 5000);
  return state;
}

const DOC = `fn f x =
    match x
        0 => [
            1,
            2,
        ]
        _ => x
let y = f 1
`;

describe("CodeMirror", () => {
  it("folds a block and a bracket pair through foldNodeProp", () => {
    const state = editor(DOC);
    const fold = (n: number) => {
      const line = state.doc.line(n);
      const range = foldable(state, line.from, line.to);
      return range && state.sliceDoc(range.from, range.to);
    };
    expect(fold(1)).toBe(DOC.slice(8, DOC.indexOf("_ => x") + 6));
    expect(fold(2)).toBe(DOC.slice(DOC.indexOf("match x") + 7, DOC.indexOf("_ => x") + 6));
    expect(fold(3)).toBe("\n            1,\n            2,\n        ");
    expect(fold(8)).toBeNull();
  });

  it("asks indentation() for the indentation of a line", () => {
    const state = editor(DOC);
    expect(getIndentation(state, state.doc.line(2).from)).toBe(4);
    expect(getIndentation(state, state.doc.line(4).from)).toBe(12);
    expect(getIndentation(state, state.doc.line(6).from)).toBe(8);
    expect(getIndentation(state, state.doc.length)).toBe(0);
  });

  it("matches brackets through the parser's openedBy/closedBy props", () => {
    const state = editor(DOC);
    const open = DOC.indexOf("[");
    const match = matchBrackets(state, open, 1);
    expect(match?.matched).toBe(true);
    expect(match?.end?.from).toBe(DOC.indexOf("]"));
  });

  it("highlights with the parser's own style tags", () => {
    const state = editor("if a then 1 else 2\n");
    const style = HighlightStyle.define([
      { tag: t.controlKeyword, fontWeight: "bold" },
      { tag: t.number, color: "green" },
    ]);
    const spans: string[] = [];
    highlightTree(syntaxTree(state), style, (from, to, cls) => {
      spans.push(
        `${state.sliceDoc(from, to)}:${cls === style.style([t.controlKeyword]) ? "keyword" : cls === style.style([t.number]) ? "number" : cls}`,
      );
    });
    expect(spans).toEqual(["if:keyword", "then:keyword", "1:number", "else:keyword", "2:number"]);
  });
});
