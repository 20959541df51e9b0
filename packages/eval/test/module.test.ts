// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for unquotes and interpolation.
import { describe, expect, it } from "vitest";
import { renderSyntax } from "../src/index.js";
import { dedent, evalText } from "./support/cdz.js";

describe("the module state (compile-time products)", () => {
  const r = evalText(
    dedent(`
      ## The answer.
      @export
      fn answer = 42
      struct Point { x: Integer, y: Integer }
      enum Color { Red, Green }
      type Id = Integer
      measure meter
      macro twice e = quote ${"${e}"} + ${"${e}"}
      let value = twice 21
      fn pick flag = if flag then "yes" else "no"
      pick true
      for n in [1, 2]
          fn ${'${:"made_${n}"}'} = n
    `),
  );

  it("lists every definition by kind", () => {
    expect(r.diagnostics).toEqual([]);
    const m = r.module;
    expect([...m.functions.keys()]).toEqual(["answer", "pick", "made_1", "made_2"]);
    expect([...m.structs.keys()]).toEqual(["Point"]);
    expect([...m.enums.keys()]).toEqual(["Color"]);
    expect([...m.aliases.keys()]).toEqual(["Id"]);
    expect([...m.measures.keys()]).toEqual(["meter"]);
    expect([...m.macros.keys()]).toEqual(["twice"]);
    expect(m.definitions.get("value")?.kind).toBe("value");
    expect(m.definitions.get("answer")?.doc).toBe("The answer.");
  });

  it("keeps attributes on their items and collects exports", () => {
    expect(r.module.exports).toEqual(["answer"]);
    const answer = r.module.items[0]!;
    expect(answer.attributes.map((a) => renderSyntax(a))).toEqual(["export"]);
    expect(answer.doc).toBe("The answer.");
  });

  it("records macro expansions with spans into the source", () => {
    const [call, expansion] = [...r.module.expansions][0]!;
    expect(renderSyntax(call!)).toBe("(twice 21)");
    expect(renderSyntax(expansion!)).toBe("(+ 21 21)");
    const valueItem = r.module.items.find((i) =>
      renderSyntax(i.core).startsWith("(= (let value)"),
    )!;
    expect(renderSyntax(r.module.expanded(valueItem.core))).toBe("(= (let value) (+ 21 21))");
    expect(expansion!.kind === "apply" && expansion.args[0]!.span).toEqual(
      call!.kind === "apply" && call.args[0]!.span,
    );
  });

  it("records the branches that were not taken", () => {
    expect(r.module.untakenBranches.map((b) => renderSyntax(b))).toEqual(['"no"']);
  });
});
