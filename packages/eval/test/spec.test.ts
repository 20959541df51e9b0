import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { renderDiagnostics, SourceFile } from "@cadenza/core";
import { conformanceDir, loadCases } from "@cadenza/test-support";
import { describe, expect, it } from "vitest";
import { evaluateSource } from "../src/index.js";

/**
 * Runs the executable specification in `docs/spec/*.md`: every ```cadenza block is a program
 * (evaluated as `test.cdz`), and the fenced block right after it is what it must give:
 *
 * - ```text: what `cadenza eval test.cdz` prints (the transcript, or only the diagnostics);
 * - ```output: what the program prints with `println`/`print` (what `cadenza run` shows).
 *
 * `UPDATE_SPEC=1 vitest run test/spec.test.ts` rewrites the expected blocks from the
 * evaluator's output, for writing new examples; the result is reviewed like code.
 */
const dir = new URL("../../../docs/spec/", import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".md"))
  .sort();

interface Block {
  readonly info: string;
  /** The block's text, each line ending in a newline. */
  readonly text: string;
  /** Line index of the opening fence. */
  readonly start: number;
  /** Line index of the closing fence. */
  readonly end: number;
  /** The nearest heading above the block. */
  readonly heading: string;
}

function blocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const out: Block[] = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, "");
    const fence = /^(`{3,})(.*)$/.exec(line);
    if (!fence) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== fence[1]) j++;
    const body = lines.slice(i + 1, j);
    out.push({
      info: fence[2]!.trim(),
      text: body.map((l) => `${l}\n`).join(""),
      start: i,
      end: j,
      heading,
    });
    i = j;
  }
  return out;
}

/** What `cadenza eval test.cdz` prints, and what the program prints through `println`. */
function run(program: string): { eval: string; output: string } {
  const source = SourceFile.fromRaw("test.cdz", program);
  let output = "";
  const r = evaluateSource(source, { output: (t) => void (output += t) });
  const printed =
    r.allDiagnostics.length > 0 ? renderDiagnostics(r.allDiagnostics, () => source) : r.transcript;
  return { eval: printed, output };
}

const update = process.env.UPDATE_SPEC === "1";

describe.each(files)("docs/spec/%s", (file) => {
  const path = new URL(file, dir);
  const markdown = readFileSync(path, "utf8");
  const all = blocks(markdown);
  const pairs: { program: Block; expected: Block; n: number }[] = [];
  all.forEach((b, i) => {
    if (b.info !== "cadenza") return;
    pairs.push({ program: b, expected: all[i + 1]!, n: pairs.length + 1 });
  });

  if (file === "README.md") {
    it("links every chapter and lists every conformance case that does not pass", () => {
      for (const chapter of files.filter((f) => f !== "README.md"))
        expect(markdown).toContain(`](${chapter})`);
      const shared = conformanceDir();
      if (shared === undefined) return;
      for (const c of loadCases(shared)) {
        // The ok cases pass (the conformance test holds them); the others are explained.
        if (c.status === "ok") expect(markdown).not.toContain(`\`${c.id}\``);
        else expect(markdown).toContain(`| \`${c.id}\` |`);
      }
    });
  } else {
    it("has examples, each followed by its expected output", () => {
      expect(pairs.length).toBeGreaterThan(0);
      for (const { program, expected } of pairs) {
        expect(
          expected !== undefined && (expected.info === "text" || expected.info === "output"),
          `the block at line ${program.start + 1} needs a text or output block after it`,
        ).toBe(true);
      }
    });
  }

  if (update) {
    it("updates its expected outputs", () => {
      const lines = markdown.split("\n");
      for (const { program, expected } of [...pairs].reverse()) {
        if (expected === undefined) continue;
        const actual = run(program.text);
        const text = expected.info === "output" ? actual.output : actual.eval;
        const body = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
        lines.splice(expected.start + 1, expected.end - expected.start - 1, ...body);
      }
      writeFileSync(path, lines.join("\n"));
    });
    return;
  }

  for (const { program, expected, n } of pairs) {
    if (expected === undefined || (expected.info !== "text" && expected.info !== "output"))
      continue;
    it(`${program.heading} (example ${n}, line ${program.start + 1})`, () => {
      const actual = run(program.text);
      expect(expected.info === "output" ? actual.output : actual.eval).toBe(expected.text);
    });
  }
});
