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
