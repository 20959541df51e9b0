import type { FormValue, SpecialForm } from "../values.js";
import { annotationForm } from "./annotation.js";
import { assertForm } from "./assert.js";
import { assignForm, COMPOUND_OPERATORS, compoundForm } from "./assign.js";
import { wrapperForm } from "./attribute.js";
import { blockForm } from "./block.js";
import { docofForm } from "./docof.js";
import { enumForm } from "./enum.js";
import { fieldForm } from "./field.js";
import { arrowForm, fnForm } from "./fn.js";
import { forForm } from "./for.js";
import { ifForm } from "./if.js";
import { importForm } from "./import.js";
import { indexForm } from "./index-access.js";
import { interpolateForm, symbolForm } from "./interpolate.js";
import { letForm } from "./let.js";
import { listForm } from "./list.js";
import { logicForm } from "./logic.js";
import { macroForm } from "./macro.js";
import { matchForm } from "./match.js";
import { measureForm } from "./measure.js";
import { pipeForm } from "./pipe.js";
import { quoteForm } from "./quote.js";
import { recordForm } from "./record.js";
import { structForm } from "./struct.js";
import { tupleForm } from "./tuple.js";
import { typeForm } from "./type.js";
import { typeofForm } from "./typeof.js";
import { UNSUPPORTED_OPERATORS, unquoteForm, unsupportedForm } from "./unsupported.js";
import { useForm } from "./use.js";

let table: ReadonlyMap<string, FormValue> | undefined;

/** Every special form of the base environment (LANGUAGE.md §5.12), by name. */
export function formTable(): ReadonlyMap<string, FormValue> {
  if (table) return table;
  const forms: [string, SpecialForm][] = [
    ["let", letForm],
    ["fn", fnForm],
    ["macro", macroForm],
    ["measure", measureForm],
    ["struct", structForm],
    ["enum", enumForm],
    ["type", typeForm],
    ["use", useForm],
    ["import", importForm],
    ["=", assignForm],
    ["match", matchForm],
    ["if", ifForm],
    ["for", forForm],
    ["quote", quoteForm],
    ["typeof", typeofForm],
    ["docof", docofForm],
    ["assert", assertForm],
    ["&&", logicForm("&&")],
    ["||", logicForm("||")],
    ["|>", pipeForm],
    [".", fieldForm],
    ["@", wrapperForm],
    ["__doc__", wrapperForm],
    ["__block__", blockForm],
    ["__list__", listForm],
    ["__record__", recordForm],
    ["__tuple__", tupleForm],
    ["__index__", indexForm],
    ["__interpolate__", interpolateForm],
    ["__symbol__", symbolForm],
    ["__unquote__", unquoteForm],
    ["->", arrowForm],
    [":", annotationForm],
    ...COMPOUND_OPERATORS.map((op): [string, SpecialForm] => [op, compoundForm(op)]),
    ...UNSUPPORTED_OPERATORS.map((op): [string, SpecialForm] => [op, unsupportedForm(op)]),
  ];
  table = new Map(forms.map(([name, form]) => [name, { kind: "form", name, form }]));
  return table;
}
