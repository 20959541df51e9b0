import { type Diagnostic, SourceFile } from "@cadenza/core";
import { evaluateSource } from "@cadenza/eval";
import { parse } from "@cadenza/syntax";
import {
  type ConformanceCase,
  conformanceDir,
  loadCases,
  MISSING_CONFORMANCE,
} from "@cadenza/test-support";
import { describe, expect, it } from "vitest";
import { check } from "../src/index.js";

/**
 * The checker sees every path (SPEC.md §T1): each static error of the shared conformance cases
 * is reported at the same line when the offending item is moved into the body of a function
 * that is never called, or into a branch that is never taken, where the evaluator never
 * raises it.
 */
const dir = conformanceDir();

/** The §8.2 messages about types (and scope) that the checker reports before running. */
const STATIC_MESSAGES = [
  "type mismatch",
  "type mismatch in struct field",
  "type mismatch in list",
  "incompatible dimensions",
  "incompatible dimensions in comparison",
  "field not found",
  "cannot access field on non-record type",
  "missing struct field",
  "unknown struct field",
  "pattern match failed",
  "fallible pattern in let binding",
  "undefined variable",
  "arity mismatch",
  "not callable",
];

/** An error message at a 1-based line and column. */
interface Located {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/** The first error of an expected output: its message and 1-based line and column. */
function firstError(output: string): Located | undefined {
  const m = /^error: ([^\n]*)\n\s*--> [^:\n]*:(\d+):(\d+)/m.exec(output);
  if (m === null) return undefined;
  return { message: m[1]!, line: Number(m[2]), column: Number(m[3]) };
}

function isStatic(message: string): boolean {
  return STATIC_MESSAGES.some((s) => message === s || message.startsWith(`${s}:`));
}

/** The cases whose expected error is a static one, with that error. */
function staticCases(): { c: ConformanceCase; error: Located }[] {
  if (dir === undefined) return [];
  const out: { c: ConformanceCase; error: Located }[] = [];
  for (const c of loadCases(dir)) {
    if (c.kind !== "error" || c.expected === undefined) continue;
    // Output before the error means items ran first; the first line must be the error.
    if (!c.expected.startsWith("error: ")) continue;
    const error = firstError(c.expected);
    if (error !== undefined && isStatic(error.message)) out.push({ c, error });
  }
  return out;
}

/** Checks a program; its error diagnostics with 1-based positions. */
function errorsOf(text: string): { parseErrors: readonly Diagnostic[]; errors: Located[] } {
  const source = new SourceFile("test.cdz", text);
  const parsed = parse(source);
  const result = check(source, parsed.items);
  const errors = result.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => {
      const p = source.lineColumn(d.primary.span.start);
      return { message: d.message, line: p.line, column: p.column };
    });
  return { parseErrors: parsed.diagnostics, errors };
}

/**
 * The program with the top-level item that covers 1-based line `line` moved under `header`:
 * the header is inserted on the line before the item, and the item's lines are indented by
 * four spaces.
 */
function wrapItem(text: string, line: number, header: string): string {
  const source = new SourceFile("test.cdz", text);
  const { items } = parse(source);
  const start = source.lineStart(line);
  const end = source.lineEnd(line);
  const item = items.find((i) => i.span.start <= end && i.span.end >= start);
  if (item === undefined) throw new Error(`no item covers line ${line}`);
  const first = source.lineColumn(item.span.start).line;
  const last = source.lineColumn(Math.max(item.span.start, item.span.end - 1)).line;
  const lines = text.split("\n");
  const moved = lines.slice(first - 1, last).map((l) => (l.length === 0 ? l : `    ${l}`));
  return [...lines.slice(0, first - 1), header, ...moved, ...lines.slice(last)].join("\n");
}

/**
 * Type errors the shared cases do not show, each raised by the evaluator at the same line with
 * the same message (checked below, so that the list stays honest).
 */
const LOCAL_CASES: readonly { readonly id: string; readonly input: string }[] = [
  { id: "not callable", input: "let n = 5\nn 3\n" },
  { id: "a list is not callable", input: "let xs = [1, 2]\nxs 0\n" },
  { id: "too many arguments", input: "fn add x y = x + y\nadd 1 2 3\n" },
  { id: "a lambda with too many arguments", input: "(\\x -> x) 1 2\n" },
  { id: "adding a string and a number", input: '"a" + 1\n' },
  { id: "adding a list and a number", input: "[1, 2] + 3\n" },
  { id: "comparing a number and a string", input: '1 < "a"\n' },
  { id: "not on a number", input: "!5\n" },
  { id: "a condition that is not a Bool", input: "if 1 then 2 else 3\n" },
  { id: "a library function given a number", input: "String.len 5\n" },
  {
    id: "dimensions of variables",
    input: "measure meter\nmeasure second\nlet d = 1meter\nlet t = 2second\nd + t\n",
  },
  { id: "comparing a quantity with a number", input: "measure meter\n5meter < 3\n" },
  {
    id: "a missing struct field",
    input: "struct Point { x = Integer, y = Integer }\nlet p = Point { x = 1, y = 2 }\np.z\n",
  },
  {
    id: "an unknown struct field",
    input: "struct Point { x = Integer, y = Integer }\nPoint { x = 1, y = 2, z = 3 }\n",
  },
  { id: "a field of a number", input: "let r = { x = 1 }\nr.x.y\n" },
  { id: "a field of a string", input: 'let s = "abc"\ns.len\n' },
  { id: "an unknown variant", input: "enum Color { Red, Green }\nColor.Blue\n" },
  { id: "a tuple pattern of the wrong size", input: "let t = (1, 2)\nlet (a, b, c) = t\n" },
];

/** The evaluator's errors, with 1-based positions. */
function evaluatorErrors(text: string): Located[] {
  const source = new SourceFile("test.cdz", text);
  return evaluateSource(source).allDiagnostics.map((d) => {
    const p = source.lineColumn(d.primary.span.start);
    return { message: d.message, line: p.line, column: p.column };
  });
}

const TRANSFORMS = [
  { name: "in a function that is never called", header: "fn never_called _ =" },
  { name: "in a branch that is never taken", header: "if false then" },
];

describe.skipIf(dir === undefined)("static errors are found on every path", () => {
  const cases = staticCases();

  it("the shared cases include type errors", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const { c, error } of cases) {
    describe(`${c.id} (${error.message})`, () => {
      movedErrorTests(c.input, error, c.status !== "suspect");
    });
  }
});

describe("more type errors, as the evaluator raises them", () => {
  for (const c of LOCAL_CASES) {
    describe(c.id, () => {
      const error = evaluatorErrors(c.input)[0]!;
      it("the evaluator raises it", () => {
        expect(error).toBeDefined();
        expect(isStatic(error.message), error.message).toBe(true);
      });
      movedErrorTests(c.input, error, true);
    });
  }
});

/**
 * The tests of one program whose first error is `error`: the checker reports it as written
 * (at the expected column too when `exactColumn`: two suspect shared cases print the program
 * differently from their input), and still does, one line lower and four columns right, when
 * the offending item is moved where it never runs — where the evaluator raises nothing.
 */
function movedErrorTests(input: string, error: Located, exactColumn: boolean): void {
  const original = (): Located => {
    const { parseErrors, errors } = errorsOf(input);
    expect(parseErrors).toEqual([]);
    const found = errors.find((e) => e.message === error.message && e.line === error.line);
    expect(found, JSON.stringify(errors)).toBeDefined();
    if (exactColumn) expect(found!.column).toBe(error.column);
    return found!;
  };
  it("as written", () => {
    original();
  });
  for (const t of TRANSFORMS) {
    it(t.name, () => {
      const at = original();
      const moved = wrapItem(input, error.line, t.header);
      const { parseErrors, errors } = errorsOf(moved);
      expect(parseErrors, moved).toEqual([]);
      expect(evaluatorErrors(moved), `the evaluator runs it:\n${moved}`).toEqual([]);
      // One line (the header) is inserted before the item; its lines are indented by 4.
      expect(errors, moved).toContainEqual({
        message: error.message,
        line: at.line + 1,
        column: at.column + 4,
      });
    });
  }
}

it.skipIf(dir !== undefined)("conformance data", () => {
  console.log(MISSING_CONFORMANCE);
});
