import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
const manifest = JSON.parse(read("package.json")) as Record<string, unknown> & {
  main: string;
  files: string[];
  scripts: Record<string, string>;
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: {
      language: string;
      scopeName: string;
      path: string;
      tokenTypes: Record<string, string>;
    }[];
  };
};

describe("extension manifest", () => {
  it("contributes the language and its grammar from files that exist", () => {
    const [language] = manifest.contributes.languages;
    const [grammar] = manifest.contributes.grammars;
    expect(language?.id).toBe("cadenza");
    expect(language?.extensions).toEqual([".cdz"]);
    expect(grammar?.language).toBe("cadenza");
    for (const path of [language?.configuration, grammar?.path])
      expect(existsSync(new URL(`../${path}`, import.meta.url)), path).toBe(true);
    const tmLanguage = JSON.parse(read(grammar?.path ?? "")) as { scopeName: string };
    expect(tmLanguage.scopeName).toBe(grammar?.scopeName);
    expect(grammar?.scopeName).toBe("source.cadenza");
    // The embedded expressions of `$"…${e}…"` are code, not string, for brackets and quotes.
    for (const scope of Object.keys(grammar?.tokenTypes ?? {}))
      expect(read(grammar?.path ?? "")).toContain(`"${scope}"`);
  });

  it("contributes the client, its commands, settings and the unit token type, and nothing else", () => {
    expect(manifest.main).toBe("./dist/extension.cjs");
    expect(Object.keys(manifest.contributes).sort()).toEqual([
      "commands",
      "configuration",
      "grammars",
      "languages",
      "semanticTokenScopes",
      "semanticTokenTypes",
    ]);
    // The server's token legend may use `unit`, which VS Code only knows from this manifest.
    expect(
      (manifest.contributes as unknown as { semanticTokenTypes: unknown[] }).semanticTokenTypes,
    ).toEqual([expect.objectContaining({ id: "unit", superType: "type" })]);
  });

  it("ships the bundles and not the sources", () => {
    const files = manifest.files as string[];
    expect(files).toContain("dist/*.cjs");
    expect(files).toContain("dist/*.js");
    expect(files.some((f) => f.startsWith("src"))).toBe(false);
    expect(manifest.scripts).toMatchObject({
      package: expect.stringContaining("vsce package --no-dependencies"),
    });
  });

  it("has what vsce checks, so that packaging needs no bypass", () => {
    // No `--allow-missing-repository` or `--skip-license`: the manifest has a repository and
    // the package a license file, which the `.vsix` ships.
    expect(manifest.scripts.package).not.toMatch(/--allow-|--skip-/);
    expect(manifest.repository).toMatchObject({
      type: "git",
      directory: "packages/vscode-extension",
    });
    expect(manifest.license).toBe("MIT");
    expect(read("LICENSE")).toMatch(/^MIT License/);
    expect(manifest.files).toContain("LICENSE");
    expect(manifest.publisher).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    expect(manifest.engines).toMatchObject({ vscode: "^1.91.0" });
  });
});
