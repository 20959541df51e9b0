// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for interpolation.
import { SourceFile } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import { createSession, evaluateSource } from "../src/index.js";
import { dedent } from "./support/cdz.js";

/** Evaluates a program, collecting what it prints through the host's output sink. */
function run(text: string): { printed: string; transcript: string; codes: string[] } {
  let printed = "";
  const r = evaluateSource(SourceFile.fromRaw("test.cdz", dedent(text)), {
    output: (t) => void (printed += t),
  });
  return { printed, transcript: r.transcript, codes: r.allDiagnostics.map((d) => d.code) };
}

describe("println and print", () => {
  it("write the text of values to the host's sink and yield ()", () => {
    const r = run(`
      println "hello"
      print 42
      print " and "
      println (1, "a")
      println :"sym"
      println 1/2
    `);
    expect(r.printed).toBe('hello\n42 and (1, "a")\nsym\n1/2\n');
    expect(r.transcript).toBe("() : Unit\n".repeat(6));
  });

  it("print from compiled functions, in evaluation order", () => {
    const r = run(`
      fn countdown n =
          for i in (0..n)
              println $"\${n - i}…"
          println "liftoff"
      countdown 3
      List.map [1, 2] \\x -> print x
    `);
    expect(r.printed).toBe("3…\n2…\n1…\nliftoff\n12");
    expect(r.codes).toEqual([]);
  });

  it("are values with a type", () => {
    expect(run("typeof println\nprint\n").transcript).toBe(
      "fn(a) -> Unit : Type\n<builtin print> : fn(a) -> Unit\n",
    );
  });

  it("print nothing for an item that fails before them, and count against the allocation budget", () => {
    expect(run(`println (1 + "a")`).printed).toBe("");
    const r = evaluateSource(
      SourceFile.fromRaw(
        "test.cdz",
        'fn loud n = for i in (0..n)\n    println "0123456789"\nloud 100\n',
      ),
      { budget: { allocations: 200 }, output: () => undefined },
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(["eval/allocation-budget-exhausted"]);
  });

  it("are dropped without a sink", () => {
    const r = evaluateSource(SourceFile.fromRaw("test.cdz", 'println "lost"\n'));
    expect(r.transcript).toBe("() : Unit\n");
  });

  it("stream from a REPL session entry by entry", () => {
    let printed = "";
    const session = createSession({ output: (t) => void (printed += t) });
    session.evalEntry('fn hi name = println $"hi ${name}"');
    expect(printed).toBe("");
    expect(session.evalEntry('hi "ada"').output).toBe("() : Unit\n");
    expect(printed).toBe("hi ada\n");
  });
});
