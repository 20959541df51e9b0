import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const run = (...args: string[]) =>
  spawnSync(bin, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

// The built bin is what users run; `pnpm test` builds before testing.
describe("the built cadenza bin", () => {
  it("exists and is executable (run `pnpm build` first)", () => {
    expect(existsSync(bin)).toBe(true);
  });

  it("prints --version and --help with exit code 0", () => {
    const version = run("--version");
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`${pkg.version}\n`);
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: cadenza");
  });

  it("exits 2 on an unknown subcommand, with a hint on stderr", () => {
    const r = run("frobnicate");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("cadenza --help");
  });
});

describe("the built bin on the test project", () => {
  const project = fileURLToPath(new URL("fixtures/project", import.meta.url));
  const inProject = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
  const expected = (name: string) => readFileSync(`${project}/${name}`, "utf8");

  it("check . reports exactly expected-diagnostics.txt", () => {
    const r = inProject("check", "--format", "json", ".");
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as {
      diagnostics: {
        file: string;
        line: number;
        column: number;
        severity: string;
        code: string;
        message: string;
      }[];
    };
    const lines = report.diagnostics.map(
      (d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`,
    );
    expect(lines).toEqual(
      expected("expected-diagnostics.txt")
        .split("\n")
        .filter((l) => l !== ""),
    );
    // The rendered report names the same places.
    const text = inProject("check", ".");
    expect(text.status).toBe(1);
    expect([...text.stderr.matchAll(/^\s*--> (\S+)$/gm)].map((m) => m[1])).toEqual(
      lines.map((l) => l.split(" ")[0]),
    );
  });

  it("run . prints exactly expected-output.txt and exits 1", () => {
    const r = inProject("run", ".");
    expect(r.stdout).toBe(expected("expected-output.txt"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error: unknown module `geomtry`");
  });
});
