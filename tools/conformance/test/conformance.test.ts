import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { baselineFor, compareWithBaseline, parseBaseline } from "../src/baseline.js";
import { normalizeOutput, outputsMatch, shortDiff } from "../src/compare.js";
import { runConformance } from "../src/conformance.js";
import type { CaseResult } from "../src/runner.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const fakeCli = join(fixtures, "fake-cadenza.mjs");

/** Runs the runner in-process over the miniature case set with a given baseline. */
async function run(baseline: string[] | undefined, extra: string[] = []) {
  const work = mkdtempSync(join(tmpdir(), "conformance-test-"));
  const baselinePath = join(work, "baseline.json");
  if (baseline) writeFileSync(baselinePath, JSON.stringify(baseline));
  let out = "";
  let err = "";
  const code = await runConformance(
    ["--cli", fakeCli, "--baseline", baselinePath, "--json", join(work, "r.json"), ...extra],
    {
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      env: { CADENZA_CONFORMANCE: join(fixtures, "cases") },
    },
  );
  const json = JSON.parse(readFileSync(join(work, "r.json"), "utf8"));
  return { code, out, err, json, baselinePath };
}

describe("output comparison", () => {
  it("ignores ANSI escapes, trailing whitespace and trailing blank lines", () => {
    expect(normalizeOutput("\u001b[31ma\u001b[0m  \nb\t\n\n")).toBe("a\nb");
    expect(outputsMatch("x : Integer\n", "x : Integer   \n\n")).toBe(true);
    expect(outputsMatch("x : Integer\n", "y : Integer\n")).toBe(false);
    expect(outputsMatch(" a\n", "a\n")).toBe(false);
  });

  it("makes a short diff around the change", () => {
    expect(shortDiff("a\nb\nc\n", "a\nX\nc\n")).toEqual(["  a", "- b", "+ X", "  c"]);
    const long = shortDiff(
      Array.from({ length: 30 }, (_, i) => `e${i}`).join("\n"),
      Array.from({ length: 30 }, (_, i) => `a${i}`).join("\n"),
      5,
    );
    expect(long).toHaveLength(6);
    expect(long[5]).toMatch(/more lines/);
  });
});

describe("baseline", () => {
  const result = (id: string, passed: boolean): CaseResult => ({
    id,
    section: id.split("/")[0]!,
    status: "ok",
    kind: "value",
    passed,
    exitCode: 0,
    expected: "",
    actual: "",
    stdout: "",
    stderr: "",
    millis: 1,
  });

  it("classifies regressions, improvements, known gaps and vanished ids", () => {
    const c = compareWithBaseline(
      [result("s/a", true), result("s/b", false), result("s/c", true), result("s/d", false)],
      ["s/a", "s/b", "s/gone"],
    );
    expect(c).toEqual({
      regressions: ["s/b"],
      improvements: ["s/c"],
      knownGaps: ["s/d"],
      missing: ["s/gone"],
    });
  });

  it("round-trips through the baseline file and rejects a malformed one", () => {
    const text = baselineFor([result("s/b", true), result("s/a", true), result("s/c", false)]);
    expect(parseBaseline(text)).toEqual(["s/a", "s/b"]);
    expect(parseBaseline(undefined)).toEqual([]);
    expect(() => parseBaseline('{"a": 1}')).toThrow(/JSON array/);
  });
});

describe("pnpm conformance", () => {
  it("reports per-section tallies by status and exits 0 without regressions", async () => {
    const r = await run(["01-demo/value", "01-demo/error"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/01-demo\s+1 \/ 1\s+1 \/ 0\s+0 \/ 1/);
    expect(r.out).toContain("01-demo/wrong: output differs");
    expect(r.out).toContain("- 3 : Integer");
    expect(r.out).toContain("+ 2 : Integer");
    expect(r.out).not.toContain("01-demo/wrong-exit:"); // only ok-cases are listed
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("2 passed, 0 failed, 2 skipped");
    expect(r.json.results.map((x: CaseResult) => [x.id, x.passed])).toEqual([
      ["01-demo/value", true],
      ["01-demo/wrong", false],
      ["01-demo/error", true],
      ["01-demo/wrong-exit", false],
    ]);
    expect(r.json.results[3].reason).toBe("exit code 0, expected 1");
  });

  it("fails when a baseline case regresses", async () => {
    const r = await run(["01-demo/value", "01-demo/wrong"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("REGRESSIONS: 1 baseline case(s) no longer pass:\n  01-demo/wrong");
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("2 passed, 1 failed, 1 skipped");
  });

  it("points out improvements and can record them in the baseline", async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("2 case(s) pass that are not in the baseline");
    const updated = await run([], ["--update-baseline"]);
    expect(JSON.parse(readFileSync(updated.baselinePath, "utf8"))).toEqual([
      "01-demo/error",
      "01-demo/value",
    ]);
  });

  it("skips with a clear message when the shared data is absent", async () => {
    let out = "";
    const code = await runConformance([], {
      stdout: (t) => void (out += t),
      stderr: () => {},
      env: { CADENZA_CONFORMANCE: join(fixtures, "nowhere") },
    });
    expect(code).toBe(0);
    expect(out).toContain("shared conformance data not found");
  });

  it("rejects unknown options with exit code 2", async () => {
    let err = "";
    const code = await runConformance(["--frob"], {
      stdout: () => {},
      stderr: (t) => void (err += t),
      env: {},
    });
    expect(code).toBe(2);
    expect(err).toContain("--frob");
  });
});
