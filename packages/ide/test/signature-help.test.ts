import { describe, expect, it } from "vitest";
import { signatureHelp } from "../src/index.ts";
import { fixture } from "./helpers.ts";

/** Signature help at `$0` has `label` and the active parameter's name `active`. */
function check(source: string, label: string | undefined, active?: string): void {
  const { file, cursor } = fixture(source);
  const help = signatureHelp(file, cursor);
  if (label === undefined) {
    expect(help).toBeUndefined();
    return;
  }
  expect(help?.label).toBe(label);
  const p = help?.parameters[help.activeParameter];
  expect(p?.name).toBe(active);
  if (p !== undefined)
    expect(help?.label.slice(p.label[0], p.label[1])).toMatch(new RegExp(`^${active}`));
}

const area = "fn area (w: Integer) (h: Integer) = w * h\n";

describe("signature help", () => {
  it("shows the first parameter after the name", () =>
    check(`${area}area $0`, "area (w: Integer) (h: Integer) -> Integer", "w"));
  it("moves to the next parameter after an argument", () =>
    check(`${area}area 2 $0`, "area (w: Integer) (h: Integer) -> Integer", "h"));
  it("stays on an argument while it is typed", () =>
    check(`${area}area 2$0`, "area (w: Integer) (h: Integer) -> Integer", "w"));
  it("counts the piped value as the first argument", () =>
    check(`${area}let a = 2 |> area $0`, "area (w: Integer) (h: Integer) -> Integer", "h"));
  it("works for library functions", () =>
    check("List.map [1, 2] $0", "List.map (list: [a]) (function: fn(a) -> b) -> [b]", "function"));
  it("works inside nested calls", () =>
    check(`${area}area (area 1 $0) 2`, "area (w: Integer) (h: Integer) -> Integer", "h"));
  it("is absent outside calls", () => check("let x = 1$0", undefined));
});
