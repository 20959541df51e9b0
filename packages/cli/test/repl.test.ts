// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Cadenza programs write ${…} for interpolation.
import { createSession } from "@cadenza/eval";
import { describe, expect, it } from "vitest";
import { complete, historyPath } from "../src/commands/repl.js";
import { main } from "../src/main.js";
import { memoryIO } from "../src/memory-io.js";

/** Runs `cadenza repl` on the given input lines with an in-memory IO. */
async function repl(
  lines: string[],
  files: Record<string, string> = {},
  options: { env?: Record<string, string>; argv?: string[] } = {},
) {
  const io = memoryIO(files, { stdin: `${lines.join("\n")}\n`, env: options.env ?? {} });
  const code = await main(["repl", ...(options.argv ?? [])], io, { version: "0.0.0" });
  return { code, out: io.out(), err: io.err(), io, files };
}

describe("cadenza repl", () => {
  it("joins indented lines into one entry and keeps bindings", async () => {
    const r = await repl([
      "fn double x =",
      "    x * 2",
      "",
      "double 21",
      "let y = double 1",
      "y + 1",
    ]);
    expect(r).toMatchObject({
      code: 0,
      out: "() : Unit\n42 : Integer\n() : Unit\n3 : Integer\n",
      err: "",
    });
  });

  it("prints values as the transcript does (LANGUAGE.md §7), and what programs print", async () => {
    const r = await repl([
      '"multi\nline"',
      "[1, 2] |> List.map \\x -> x * 2",
      'println "hi"',
      "quote 1 + 2",
    ]);
    expect(r.out).toBe(
      '"multi\nline" : String\n[2, 4] : [Integer]\nhi\n() : Unit\nSyntax (+ 1 2) : Syntax\n',
    );
  });

  it("reports a diagnostic without ending the session", async () => {
    const r = await repl(["let x = 1", "vlaue", "x + 1"]);
    expect(r.out).toBe("() : Unit\n2 : Integer\n");
    expect(r.err).toContain("error: undefined variable: `vlaue`\n --> repl:1:1");
  });

  it(":type prints the type of an expression's value without keeping its bindings or output", async () => {
    const r = await repl([
      "fn double x = x * 2",
      ":type double",
      ":type 10 / 4",
      ':type println "quiet"',
      ":type let z = 1",
      "z",
      ":type",
    ]);
    expect(r.out).toBe("() : Unit\nfn(Integer) -> Integer\nRational\nUnit\nUnit\n");
    expect(r.err).toContain("error: undefined variable: `z`");
    expect(r.err).toContain("error: :type needs an expression");
  });

  it(":load evaluates a file into the session, with diagnostics naming the file", async () => {
    const lib = "fn square x = x * x\nlet unit = 7\n";
    const r = await repl(
      [":load lib.cdz", "square unit", ":load broken.cdz", ":load missing.cdz"],
      {
        "lib.cdz": lib,
        "broken.cdz": "let a = 1\na + true\n",
      },
    );
    expect(r.out).toBe("() : Unit\n() : Unit\n49 : Integer\n() : Unit\n");
    expect(r.err).toContain("error: type mismatch\n --> broken.cdz:2:1");
    expect(r.err).toContain("error: cannot read missing.cdz: no such file");
  });

  it("imports the modules of the current folder, with the module errors at the entry", async () => {
    const r = await repl(
      [
        "import geometry (area, Point)",
        "area 3 4",
        "import geometry as g",
        "g.perimeter 3 4",
        "docof area",
        "import geomtry *",
        "import geometry (helper)",
        "area",
      ],
      {
        "geometry.cdz":
          '## The area of a rectangle.\n@export\nfn area w h = w * h\n@export\nfn perimeter w h = 2 * (w + h)\n@export\nstruct Point { x: Float, y: Float }\nfn helper x = x\nprintln "geometry loaded"\n',
      },
    );
    expect(r.out).toBe(
      [
        // The module runs when the entry that imports it does (its output comes first).
        "geometry loaded",
        "() : Unit",
        "12 : Integer",
        "() : Unit",
        "14 : Integer",
        'Syntax (p "The area of a rectangle.") : Syntax',
        "() : Unit",
        "() : Unit",
        "<fn area> : fn(a, a) -> a",
        "",
      ].join("\n"),
    );
    expect(r.err).toContain("error: unknown module `geomtry`\n --> repl:1:8");
    expect(r.err).toContain("did you mean `geometry`?");
    expect(r.err).toContain("error: `helper` is private to module `geometry`\n --> repl:1:18");
    expect(r.code).toBe(0);
  });

  it(":load resolves the loaded file's imports", async () => {
    const r = await repl([":load main.cdz", "twice 21"], {
      "main.cdz": "import lib (double)\nfn twice x = double x\n",
      "lib.cdz": "@export\nfn double x = x * 2\n",
    });
    expect(r.err).toBe("");
    expect(r.out).toBe("() : Unit\n() : Unit\n42 : Integer\n");
  });

  it(":help lists the commands, :quit ends the session, unknown commands are reported", async () => {
    const r = await repl([":help", ":frobnicate", ':"symbol"', ":quit", "1 + 1"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(":type EXPR");
    expect(r.out).toContain(":load FILE");
    expect(r.out).toContain(':"symbol" : Symbol\n');
    expect(r.out).not.toContain("2 : Integer");
    expect(r.err).toContain("error: unknown command :frobnicate; :help lists the commands");
  });

  it("a command ends an entry in progress first", async () => {
    const r = await repl(["let v = [", "  1, 2", "]", ":type v"]);
    expect(r.out).toBe("() : Unit\n[Integer]\n");
  });

  it("stops a runaway entry at --max-steps and goes on", async () => {
    const r = await repl(
      ["fn spin n = if n == 0 then 0 else (spin (n - 1)) + (spin (n - 1))", "spin 100", "1 + 1"],
      {},
      { argv: ["--max-steps", "100000"] },
    );
    expect(r.err).toContain("error: evaluation step budget exhausted");
    expect(r.out).toBe("() : Unit\n2 : Integer\n");
  });

  it("keeps a persistent history in $CADENZA_HISTORY and reads it back", async () => {
    const files: Record<string, string> = { "/h/history": "old entry\n" };
    const r = await repl(["1 + 1", "", "fn f x =", "    x"], files, {
      env: { CADENZA_HISTORY: "/h/history" },
    });
    expect(files["/h/history"]).toBe("old entry\n1 + 1\nfn f x =\n    x\n");
    expect(r.io.editor()?.history).toEqual(["old entry"]);
    const none = await repl(["2"], {}, { env: { HOME: "/home/u" }, argv: ["--no-history"] });
    expect(none.files["/home/u/.cadenza_history"]).toBeUndefined();
  });

  it("completes names from the live session through its line editor", async () => {
    const r = await repl(["fn double x = x * 2", "let dozen = 12"]);
    const editor = r.io.editor()!;
    expect(editor.complete("do")).toEqual([["dozen", "double", "docof"], "do"]);
    expect(editor.complete("1 + List.fo")).toEqual([["List.fold"], "List.fo"]);
    expect(editor.complete(":l")).toEqual([[":load"], ":l"]);
    expect(editor.prompt()).toBe("> ");
  });
});

describe("completion and the history file", () => {
  it("offers user bindings first, then the base environment, members after a dot", () => {
    const session = createSession();
    session.evalEntry("enum Color { Red, Green }\nlet record = { alpha = 1, beta = 2 }");
    expect(complete(session, "Col")).toEqual([["Color"], "Col"]);
    expect(complete(session, "Color.")).toEqual([["Color.Red", "Color.Green"], "Color."]);
    expect(complete(session, "(record.a")).toEqual([["record.alpha"], "record.a"]);
    expect(complete(session, "Float.s")).toEqual([["Float.sqrt"], "Float.s"]);
    expect(complete(session, "printl")).toEqual([["println"], "printl"]);
    expect(complete(session, "nothing.x")).toEqual([[], "nothing.x"]);
  });

  it("names the history file from the environment", () => {
    expect(historyPath({ CADENZA_HISTORY: "/tmp/h" })).toBe("/tmp/h");
    expect(historyPath({ CADENZA_HISTORY: "" })).toBeUndefined();
    expect(historyPath({ HOME: "/home/ada/" })).toBe("/home/ada/.cadenza_history");
    expect(historyPath({})).toBeUndefined();
  });
});
