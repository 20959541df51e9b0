import { type Diagnostic, renderDiagnostic, SourceFile } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import { MANIFEST_NAME, manifestFieldSpan, parseManifest } from "../src/index.ts";

const PATH = "proj/cadenza.json";

/** Every diagnostic as `severity code: label @ covered text`. */
function problems(text: string): string[] {
  return parseManifest(PATH, text).diagnostics.map(
    (d: Diagnostic) =>
      `${d.severity} ${d.code}: ${d.primary.message} @ ${JSON.stringify(text.slice(d.primary.span.start, d.primary.span.end))}`,
  );
}

/** Checks that the manifest is rejected with exactly these problems. */
function rejected(text: string, expected: string[]): void {
  const result = parseManifest(PATH, text);
  expect(result.manifest).toBeUndefined();
  expect(problems(text)).toEqual(expected);
}

const invalid = (label: string, covered: string): string =>
  `error modules/invalid-manifest: ${label} @ ${JSON.stringify(covered)}`;

describe("parseManifest: valid manifests", () => {
  it("is named cadenza.json", () => {
    expect(MANIFEST_NAME).toBe("cadenza.json");
  });

  it("fills in the defaults", () => {
    expect(parseManifest(PATH, '{ "name": "shapes" }')).toEqual({
      manifest: {
        path: PATH,
        folder: "proj",
        name: "shapes",
        source: "proj",
        entry: "proj/main.cdz",
      },
      diagnostics: [],
    });
  });

  it("joins source onto the manifest's folder and entry onto the source root", () => {
    const text = '{\n  "name": "shapes",\n  "source": "src",\n  "entry": "app.cdz"\n}\n';
    expect(parseManifest(PATH, text)).toEqual({
      manifest: {
        path: PATH,
        folder: "proj",
        name: "shapes",
        source: "proj/src",
        entry: "proj/src/app.cdz",
      },
      diagnostics: [],
    });
  });

  it("normalises the joined paths", () => {
    const text = '{ "name": "a", "source": "./src/../lib/", "entry": "bin/./run.cdz" }';
    expect(parseManifest("ws/proj/cadenza.json", text).manifest).toMatchObject({
      folder: "ws/proj",
      source: "ws/proj/lib",
      entry: "ws/proj/lib/bin/run.cdz",
    });
    expect(parseManifest("cadenza.json", '{ "name": "a" }').manifest).toMatchObject({
      folder: ".",
      source: ".",
      entry: "main.cdz",
    });
    expect(
      parseManifest("/p/cadenza.json", '{ "name": "a", "source": "src" }').manifest,
    ).toMatchObject({
      folder: "/p",
      source: "/p/src",
      entry: "/p/src/main.cdz",
    });
  });

  it.each(["a", "shapes", "my-app", "my_app", "App2", "x-1_y"])("accepts the name %j", (name) => {
    const result = parseManifest(PATH, JSON.stringify({ name }));
    expect(result.diagnostics).toEqual([]);
    expect(result.manifest?.name).toBe(name);
  });

  it("warns about an unknown field and still returns the manifest", () => {
    const text = '{ "name": "shapes", "version": "1.0", "entry": "app.cdz" }';
    const result = parseManifest(PATH, text);
    expect(result.manifest).toMatchObject({ name: "shapes", entry: "proj/app.cdz" });
    expect(problems(text)).toEqual([
      'warning modules/unknown-manifest-field: ignored @ "\\"version\\""',
    ]);
    expect(result.diagnostics[0]!.message).toBe("unknown field `version` in the project manifest");
    expect(result.diagnostics[0]!.notes).toEqual([
      { kind: "help", message: "the fields are `name`, `source`, `entry`" },
    ]);
  });
});

describe("parseManifest: JSON syntax errors", () => {
  it.each([
    ['{ "name": "a"', "JSON syntax: expected `}`", ""],
    ['{ "name": "a", }', "JSON syntax: expected a field name in double quotes", "}"],
    ['{ "name" "a" }', "JSON syntax: expected `:`", '"a"'],
    ['{ "name": "a" "entry": "b.cdz" }', "JSON syntax: expected `,`", '"entry"'],
    ['{ "name": "a" } x', "JSON syntax: not a JSON value (strings are in double quotes)", "x"],
    ['{ "name": "a" } }', "JSON syntax: expected the end of the file", "}"],
    ['// the project\n{ "name": "a" }', "JSON syntax: comments are not allowed", "// the project"],
    ['{ "name": "a\\q" }', "JSON syntax: invalid escape character", '"a\\q"'],
    ["{ name: 'a' }", "JSON syntax: not a JSON value (strings are in double quotes)", "name"],
    ['{ "name": }', "JSON syntax: expected a value", "}"],
    ['{ "name": "a', "JSON syntax: unexpected end of string", '"a'],
  ])("%j gives one error at the mistake", (text, label, covered) => {
    rejected(text, [invalid(label, covered)]);
  });

  it("calls an empty manifest empty", () => {
    rejected("", [invalid("the manifest is empty", "")]);
    rejected(" \n ", [invalid("the manifest is empty", "")]);
  });

  it("renders a syntax error at its line and column", () => {
    const text = '{\n  "name": "shapes"\n  "entry": "app.cdz"\n}\n';
    const [d] = parseManifest(PATH, text).diagnostics;
    expect(renderDiagnostic(d!, new SourceFile(PATH, text))).toMatchInlineSnapshot(`
      "error: invalid project manifest
       --> proj/cadenza.json:3:3
        |
      3 |   "entry": "app.cdz"
        |   ^^^^^^^ JSON syntax: expected \`,\`
        |
      "
    `);
  });
});

describe("parseManifest: wrong contents", () => {
  it("wants an object", () => {
    rejected('["shapes"]', [
      invalid('expected an object such as `{ "name": "app" }`', '["shapes"]'),
    ]);
    rejected('"shapes"', [invalid('expected an object such as `{ "name": "app" }`', '"shapes"')]);
  });

  it("wants a name", () => {
    rejected('{ "entry": "app.cdz" }', [invalid("the project has no `name`", "{")]);
    const [d] = parseManifest(PATH, "{}").diagnostics;
    expect(d!.notes).toEqual([{ kind: "help", message: 'add a name, for example "name": "app"' }]);
  });

  it.each(["", "3d", "-x", "_x", "my app", "my.app", "ünïcode", "a/b"])(
    "rejects the name %j",
    (name) => {
      const text = JSON.stringify({ name });
      const label =
        name === ""
          ? "`name` must be a non-empty string"
          : "a project name is letters, digits, `-` and `_`, starting with a letter";
      rejected(text, [invalid(label, JSON.stringify(name))]);
    },
  );

  it("wants strings", () => {
    rejected('{ "name": 3 }', [invalid("`name` must be a non-empty string", "3")]);
    rejected('{ "name": "a", "source": ["src"] }', [
      invalid("`source` must be a non-empty string", '["src"]'),
    ]);
    rejected('{ "name": "a", "entry": null }', [
      invalid("`entry` must be a non-empty string", "null"),
    ]);
    rejected('{ "name": "a", "entry": "" }', [invalid("`entry` must be a non-empty string", '""')]);
  });

  it("wants relative paths", () => {
    rejected('{ "name": "a", "source": "/src", "entry": "/main.cdz" }', [
      invalid("`source` must be a relative path", '"/src"'),
      invalid("`entry` must be a relative path", '"/main.cdz"'),
    ]);
  });

  it("reports a key given twice at its second occurrence", () => {
    // JSON parsers disagree about duplicated keys (jsonc-parser keeps both properties in its
    // tree and reports nothing), so the manifest reader reports them itself.
    rejected('{ "name": "a", "entry": "x.cdz", "name": "b" }', [
      invalid("`name` is given twice", '"name"'),
    ]);
  });

  it("reports every wrong field at once, with unknown fields as warnings", () => {
    const text = '{ "name": 1, "source": false, "colour": "red" }';
    expect(problems(text)).toEqual([
      'warning modules/unknown-manifest-field: ignored @ "\\"colour\\""',
      invalid("`name` must be a non-empty string", "1"),
      invalid("`source` must be a non-empty string", "false"),
    ]);
    expect(parseManifest(PATH, text).manifest).toBeUndefined();
  });
});

describe("manifestFieldSpan", () => {
  const text = '{\n  "name": "shapes",\n  "entry": "app.cdz"\n}';
  const covered = (field: string) => {
    const span = manifestFieldSpan(text, field);
    return [span.start, text.slice(span.start, span.end)];
  };

  it("finds the value of a field", () => {
    expect(covered("entry")).toEqual([33, '"app.cdz"']);
    expect(covered("name")).toEqual([12, '"shapes"']);
  });

  it("is the empty span at the start for a missing field or a broken manifest", () => {
    expect(manifestFieldSpan(text, "source")).toEqual({ start: 0, end: 0 });
    expect(manifestFieldSpan("not json", "entry")).toEqual({ start: 0, end: 0 });
    expect(manifestFieldSpan('["entry"]', "entry")).toEqual({ start: 0, end: 0 });
  });

  it("does not look into nested objects", () => {
    expect(manifestFieldSpan('{ "x": { "entry": "a" } }', "entry")).toEqual({ start: 0, end: 0 });
  });
});
