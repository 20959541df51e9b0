import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { renderDiagnostics, SourceFile } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import { parse } from "../src/index.js";
import { conformanceDir } from "./helpers.js";

const dir = conformanceDir();

/** Messages of lexical and parse errors (§3.6, §8.2); an expected output starting with one is ours. */
const SYNTAX_MESSAGES: readonly RegExp[] = [
  /^integer literal is too large$/,
  /^unknown escape sequence$/,
  /^invalid unicode escape$/,
  /^unterminated string literal$/,
  /^unterminated character literal$/,
  /^empty character literal$/,
  /^character literal contains multiple characters$/,
  /^expected expression, found `.*`$/,
  /^unexpected end of file$/,
  /^expected `[)\]}]`$/,
  /^expected expression before comma$/,
  /^expected `->`$/,
  /^expected `then`$/,
];

function parseFile(path: string): ReturnType<typeof parse> {
  return parse(SourceFile.fromRaw("test.cdz", readFileSync(path, "utf8")));
}

if (!dir) {
  describe("conformance", () => {
    it.skip("shared conformance data not found: set CADENZA_CONFORMANCE or check out ../../../shared/conformance", () => {});
  });
} else {
  describe("conformance: syntax/", () => {
    const index = JSON.parse(readFileSync(join(dir, "syntax", "index.json"), "utf8")) as {
      files: { file: string; expect: string }[];
    };
    const valid = index.files.filter((f) => f.expect === "no-parse-errors");
    const invalid = index.files.filter((f) => f.expect !== "no-parse-errors");

    it("lists both kinds of files", () => {
      expect(valid.length).toBeGreaterThan(0);
      expect(invalid.length).toBeGreaterThan(0);
    });

    it.each(valid.map((f) => f.file))("%s parses without errors", (file) => {
      const result = parseFile(join(dir, "syntax", file));
      expect(result.diagnostics.map((d) => d.message)).toEqual([]);
    });

    it.each(invalid.map((f) => f.file))("%s yields at least one error", (file) => {
      const result = parseFile(join(dir, "syntax", file));
      expect(result.diagnostics.length).toBeGreaterThan(0);
    });
  });

  describe("conformance: case inputs", () => {
    const status = JSON.parse(readFileSync(join(dir, "status.json"), "utf8")) as Record<
      string,
      { status: string }
    >;
    const cases: { id: string; input: string; output: string }[] = [];
    for (const section of readdirSync(dir).sort()) {
      const path = join(dir, section);
      if (!/^\d\d-/.test(section) || !statSync(path).isDirectory()) continue;
      for (const name of readdirSync(path).sort()) {
        if (!name.endsWith(".cdz")) continue;
        const slug = name.slice(0, -4);
        cases.push({
          id: `${section}/${slug}`,
          input: join(path, name),
          output: join(path, `${slug}.out`),
        });
      }
    }
    const expectsSyntaxError = (c: { output: string }): boolean => {
      if (!existsSync(c.output)) return false; // A case without expected output.
      const first = readFileSync(c.output, "utf8").split("\n", 1)[0] ?? "";
      const message = first.startsWith("error: ") ? first.slice(7) : "";
      return SYNTAX_MESSAGES.some((re) => re.test(message));
    };

    it("finds the cases", () => {
      expect(cases.length).toBeGreaterThan(100);
    });

    it.each(cases.filter((c) => !expectsSyntaxError(c)).map((c) => c.id))(
      "%s parses without errors",
      (id) => {
        const c = cases.find((x) => x.id === id)!;
        expect(parseFile(c.input).diagnostics.map((d) => d.message)).toEqual([]);
      },
    );

    const lexical = cases.filter(expectsSyntaxError);
    it.for(lexical.map((c) => c.id))(
      "%s renders exactly its expected diagnostics",
      (id, context) => {
        const c = lexical.find((x) => x.id === id)!;
        if (status[id]?.status === "suspect") context.skip("marked suspect in status.json");
        const source = SourceFile.fromRaw("test.cdz", readFileSync(c.input, "utf8"));
        const result = parse(source);
        expect(renderDiagnostics(result.diagnostics, () => source)).toBe(
          readFileSync(c.output, "utf8"),
        );
      },
    );

    it("covers the lexical error cases of 01-literals", () => {
      expect(lexical.map((c) => c.id)).toEqual(
        expect.arrayContaining([
          "01-literals/error-integer-overflow",
          "01-literals/error-invalid-escape-in-string",
          "01-literals/error-unterminated-string",
        ]),
      );
    });
  });
}
