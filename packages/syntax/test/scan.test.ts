import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  identifierEnd,
  isIdentStart,
  numberEnd,
  operatorAt,
  StringSource,
  scanIdentifier,
  scanNumber,
  scanNumberEnd,
  scanOperator,
} from "../src/scan.js";

// The string scanners of the fast path apply the same rules as the `CharSource` scanners the
// tokenizer uses (scan.ts); these properties keep the two in step.
const alphabet = fc.constantFrom(
  ..."az_AZ09.eE+-_ \t\n#\"'()[]{}:;$@\\".split(""),
  "é",
  "λ",
  "你",
  "🎉",
  "\u00a0",
  "\u2028",
  "\ufeff",
  "\ud800",
);
const text = fc.array(alphabet, { maxLength: 24 }).map((cs) => cs.join(""));

describe("string scanners", { timeout: 60_000 }, () => {
  it("identifierEnd agrees with scanIdentifier", () => {
    fc.assert(
      fc.property(text, fc.nat(), (t, n) => {
        const at = t.length === 0 ? 0 : n % t.length;
        if (!isIdentStart(t.charCodeAt(at))) return;
        expect(identifierEnd(t, at)).toBe(scanIdentifier(new StringSource(t, 0), at));
      }),
      { numRuns: 3000 },
    );
  });

  it("numberEnd agrees with scanNumberEnd and scanNumber", () => {
    const digitsFirst = fc.tuple(fc.integer({ min: 0, max: 9 }), text).map(([d, t]) => `${d}${t}`);
    fc.assert(
      fc.property(digitsFirst, (t) => {
        const src = new StringSource(t, 0);
        expect(numberEnd(t, 0)).toBe(scanNumberEnd(src, 0));
        expect(scanNumber(src, 0).end).toBe(scanNumberEnd(src, 0));
      }),
      { numRuns: 3000 },
    );
  });

  it("operatorAt agrees with scanOperator", () => {
    fc.assert(
      fc.property(text, fc.nat(), (t, n) => {
        const at = t.length === 0 ? 0 : n % t.length;
        expect(operatorAt(t, at)).toBe(scanOperator(new StringSource(t, 0), at));
      }),
      { numRuns: 3000 },
    );
    const ops =
      "... ..= .. . :: : == => = != ! <<= << <= <- < >>= >> >= > -> -= - += + ** *= * /= / %= % ~ && &= & || |= |> |? | ^= ^ ? @ $ \\";
    for (const op of ops.split(" ")) expect(operatorAt(`${op}x`, 0)).toBe(op);
  });

  it("scanNumber still tells floats from integers", () => {
    const scan = (t: string) => scanNumber(new StringSource(t, 0), 0);
    expect(scan("1_000x")).toEqual({ end: 5, isFloat: false });
    expect(scan("1.5e3m")).toEqual({ end: 5, isFloat: true });
    expect(scan("1..3")).toEqual({ end: 1, isFloat: false });
    expect(scan("2em")).toEqual({ end: 1, isFloat: false });
    expect(scan("3e-5")).toEqual({ end: 4, isFloat: true });
  });
});
