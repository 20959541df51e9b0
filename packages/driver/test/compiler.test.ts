// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for unquotes.
import { describe, expect, it } from "vitest";
import { createCompiler } from "../src/index.js";

describe("files", () => {
  it("are inputs: set, listed, removed", () => {
    const c = createCompiler();
    c.setFile("b.cdz", "1");
    c.setFile("a.cdz", "2");
    expect(c.files()).toEqual(["a.cdz", "b.cdz"]);
    c.removeFile("b.cdz");
    expect(c.files()).toEqual(["a.cdz"]);
    expect(c.evaluation("b.cdz").entries).toEqual([]);
  });

  it("a file never set reads as an empty file, without throwing", () => {
    const c = createCompiler();
    expect(c.source("nope.cdz").text).toBe("");
    expect(c.diagnostics("nope.cdz")).toEqual([]);
    expect(c.definitions("nope.cdz")).toEqual([]);
    expect(c.files()).toEqual([]);
  });

  it("the text is kept as given", () => {
    const c = createCompiler();
    c.setFile("a.cdz", "let x = 1\n\n1 + 1");
    expect(c.source("a.cdz").text).toBe("let x = 1\n\n1 + 1");
    expect(c.source("a.cdz").name).toBe("a.cdz");
  });
});

describe("parse", () => {
  it("reuses the previous tree: unchanged items are the same objects", () => {
    const c = createCompiler();
    c.setFile("a.cdz", "fn f x = x\nfn g y = y + 1\nf 2\n");
    const before = c.parse("a.cdz");
    c.setFile("a.cdz", "fn f x = x\nfn g y = y + 1\nf 3\n");
    const after = c.parse("a.cdz");
    expect(after.items[0]).toBe(before.items[0]);
    expect(after.items[1]).toBe(before.items[1]);
    expect(after.items[2]).not.toBe(before.items[2]);
  });

  it("is memoised until the text changes", () => {
    const c = createCompiler();
    c.setFile("a.cdz", "1 + 1");
    expect(c.parse("a.cdz")).toBe(c.parse("a.cdz"));
    c.setFile("a.cdz", "1 + 1");
    expect(c.stats().queries.parse!.executions).toBe(1);
  });
});

describe("evaluation and types", () => {
  it("evaluates the file and types it over the macro-expanded items", () => {
    const c = createCompiler();
    const text = "macro twice e =\n    quote\n        ${e} + ${e}\nlet n = twice 21\nn\n";
    c.setFile("a.cdz", text);
    expect(c.evaluation("a.cdz").entries.map((e) => e.text)).toEqual([
      "() : Unit",
      "() : Unit",
      "42 : Integer",
    ]);
    const items = c.parse("a.cdz").items;
    const types = c.typecheck("a.cdz");
    // The whole-file checker alone sees a macro call: Unknown. Here the expansion is checked.
    expect(types.schemes.get("n")).toBe("Integer");
    expect(types.types.textOf(items[2]!)).toBe("Integer");
    expect(types.types.typeAt(text.lastIndexOf("n"))?.text).toBe("Integer");
  });

  it("gives each node of the parsed items its type, for hover", () => {
    const c = createCompiler();
    const text = 'fn greet name = "hello " + name\ngreet "Ada"\n';
    c.setFile("a.cdz", text);
    expect(c.typecheck("a.cdz").types.typeAt(text.indexOf("Ada"))?.text).toBe("String");
    expect(c.typecheck("a.cdz").schemes.get("greet")).toBe("fn(String) -> String");
  });

  it("keeps positions right after edits elsewhere in the file", () => {
    const c = createCompiler();
    c.setFile("a.cdz", 'fn f x = x + "s"\nfn g = 1\n');
    c.setFile("a.cdz", '# new first line\nfn h = 2\nfn f x = x + "s"\nfn g = 1 + "t"\n');
    const text = c.source("a.cdz").text;
    const d = c.diagnostics("a.cdz");
    expect(d).toHaveLength(1);
    expect(text.slice(d[0]!.primary.span.start, d[0]!.primary.span.end)).toBe('1 + "t"');
  });
});

describe("diagnostics", () => {
  it("lists parse and evaluation diagnostics first (§9), then type diagnostics, once each", () => {
    const c = createCompiler();
    // `missing` is reported by the evaluator and by the checker at the same place: once.
    c.setFile("a.cdz", 'fn f = 1 + "s"\nmissing\nlet y = [1,\n');
    expect(c.diagnostics("a.cdz").map((d) => d.code)).toEqual([
      "syntax/unclosed-delimiter",
      "eval/undefined-variable",
      "types/type-mismatch",
    ]);
  });
});

describe("definitions", () => {
  it("have stable ids: names, and expressions counted among expressions", () => {
    const c = createCompiler();
    c.setFile(
      "a.cdz",
      "struct P { x = Integer }\nfn f = 1\n1 + 1\nlet (a, b) = (1, 2)\nfn f = 2\nf\nmeasure m\n",
    );
    expect(c.definitions("a.cdz").map((d) => `${d.id} ${d.kind}`)).toEqual([
      "a.cdz#P other",
      "a.cdz#f fn",
      "a.cdz#expr:0 other",
      "a.cdz#a,b let",
      "a.cdz#f@2 fn",
      "a.cdz#expr:1 other",
      "a.cdz#m other",
    ]);
    const spans = c.definitions("a.cdz").map((d) => d.span);
    expect(c.source("a.cdz").text.slice(spans[1]!.start, spans[1]!.end)).toBe("fn f = 1");
  });
});
