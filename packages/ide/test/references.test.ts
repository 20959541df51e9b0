import { describe, expect, it } from "vitest";
import { references } from "../src/index.ts";
import { fixture, textOf } from "./helpers.ts";

/**
 * The references of the binding at the cursor `$0` are exactly the marked positions (`$0`
 * itself and `$1`, `$2`, …), with the given kinds in source order.
 */
function check(source: string, kinds: string[], includeDeclaration = true): void {
  const { file, cursor, markers, text } = fixture(source);
  const found = references(file, cursor, includeDeclaration) ?? [];
  const expected = [...markers.values()].sort((a, b) => a - b);
  expect(found.map((r) => r.span.start)).toEqual(expected);
  expect(found.map((r) => r.kind)).toEqual(kinds);
  for (const r of found) expect(textOf(text, r.span)).toMatch(/^\S+$/);
}

describe("references", () => {
  it("finds every use of a binding", () =>
    check("let $1x = 1\nlet y = $2x + $3x\n$0x", ["definition", "read", "read", "read"]));
  it("respects shadowing", () =>
    check("let x = 1\nlet y = x\nlet $1x = 2\n$2x + $0x", ["definition", "read", "read"]));
  it("separates reads and writes", () =>
    check("let $1n = 0\n$2n = $3n + 1\n$0n", ["definition", "write", "read", "read"]));
  it("can leave out the declaration", () =>
    check("fn f x = x\n$1f 1 + $0f 2", ["read", "read"], false));
  it("finds qualified and imported variants", () =>
    check("enum S { $1A, B }\nlet a = S.$2A\nuse { $3A } = S\n$0A", [
      "definition",
      "read",
      "read",
      "read",
    ]));
  it("is undefined on built-ins", () => {
    const { file, cursor } = fixture("$0List.len [1]");
    expect(references(file, cursor)).toBeUndefined();
  });
});
