import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { JsonReport } from "../src/commands/check.js";

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
    const report = JSON.parse(r.stdout) as JsonReport;
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

describe("the built bin on examples/shapes (the example project of the README)", () => {
  const example = fileURLToPath(new URL("../../../examples/shapes", import.meta.url));
  const cadenza = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });

  it("run prints what the program prints, over its three modules", () => {
    const r = cadenza("run", example);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      "area: 7140meter²\nperimeter: 346meter\na square: false\npace: 173/30meter/second\n",
    );
    expect(r.status).toBe(0);
  });

  it("check finds nothing wrong, and --signatures infers the units across modules", () => {
    expect(cadenza("check", example).status).toBe(0);
    const r = cadenza("check", "--signatures", example);
    expect(r.stdout).toContain(
      "area : forall a b u v. [Numeric a, Numeric b] => fn({ width: Quantity a u, height: Quantity b v, ... }) -> Quantity (a ⊔ b) u·v",
    );
    expect(r.stdout).toContain(
      "field : { width: Quantity Integer meter, height: Quantity Integer meter }",
    );
  });
});
