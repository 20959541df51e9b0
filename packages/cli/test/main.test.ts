import { diagnostic } from "@cadenza/core";
import { describe, expect, it } from "vitest";
import type { CliCommand } from "../src/command.js";
import { main } from "../src/main.js";
import { memoryIO } from "../src/memory-io.js";

/** A test-only command that exercises the context the real commands use. */
const probe: CliCommand = {
  name: "probe",
  register(program, context) {
    program
      .command("probe")
      .argument("<file>")
      .option("--explode", "throw an internal error")
      .action(
        context.action(async (file: string, opts: { explode?: boolean }) => {
          if (opts.explode) throw new Error("kaboom");
          const source = await context.readSource(file);
          if (!source) return 1;
          context.info("checking");
          if (source.text.includes("bad")) {
            const start = source.text.indexOf("bad");
            context.printDiagnostics(
              [
                diagnostic({
                  code: "test/bad",
                  message: "bad word",
                  file: source.name,
                  primary: { span: { start, end: start + 3 }, message: "here" },
                }),
              ],
              source,
            );
            return 1;
          }
          context.io.stdout.write(`${source.text.length}\n`);
          return 0;
        }),
      );
  },
};

const run = async (argv: string[], files: Record<string, string> = {}, env = {}, tty = false) => {
  const io = memoryIO(files, { env, tty });
  const code = await main(argv, io, { version: "9.9.9", commands: [probe] });
  return { code, out: io.out(), err: io.err() };
};

describe("cadenza CLI frame", () => {
  it("prints the version and help with exit code 0", async () => {
    expect(await run(["--version"])).toMatchObject({ code: 0, out: "9.9.9\n" });
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("Usage: cadenza");
    expect(help.out).toContain("probe");
    expect(help.out).toContain("--color <when>");
  });

  it("shows help on stderr and exits 2 when no command is given", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain("Usage: cadenza");
  });

  it("rejects an unknown command with exit 2, a suggestion and a hint", async () => {
    const r = await run(["prbe"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'prbe'");
    expect(r.err).toContain("Did you mean probe?");
    expect(r.err).toContain("cadenza --help");
  });

  it("rejects unknown flags and bad --color values with exit 2", async () => {
    expect((await run(["--frob"])).code).toBe(2);
    expect((await run(["probe", "a.cdz", "--frob"])).code).toBe(2);
    const r = await run(["--color", "sometimes", "probe", "a.cdz"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("Allowed choices are auto, always, never");
  });

  it("separates machine output (stdout) from messages (stderr)", async () => {
    const r = await run(["probe", "a.cdz"], { "a.cdz": "hello" });
    expect(r).toEqual({ code: 0, out: "5\n", err: "checking\n" });
    const quiet = await run(["probe", "a.cdz", "--quiet"], { "a.cdz": "hello" });
    expect(quiet.err).toBe("");
  });

  it("reports diagnostics on stderr with exit 1, coloured only when asked", async () => {
    const plain = await run(["probe", "a.cdz"], { "a.cdz": "so bad" });
    expect(plain.code).toBe(1);
    expect(plain.out).toBe("");
    expect(plain.err).toContain("error: bad word\n --> a.cdz:1:4\n");
    expect(plain.err).not.toContain("\u001b[");
    const forced = await run(["--color", "always", "probe", "a.cdz"], { "a.cdz": "so bad" });
    expect(forced.err).toContain("\u001b[");
    const tty = await run(["probe", "a.cdz"], { "a.cdz": "so bad" }, {}, true);
    expect(tty.err).toContain("\u001b[");
    const noColor = await run(["probe", "a.cdz"], { "a.cdz": "so bad" }, { NO_COLOR: "1" }, true);
    expect(noColor.err).not.toContain("\u001b[");
  });

  it("reports an unreadable file in one line with exit 1", async () => {
    const r = await run(["probe", "missing.cdz"]);
    expect(r).toEqual({ code: 1, out: "", err: "error: cannot read missing.cdz: no such file\n" });
  });

  it("turns internal errors into one line asking for a bug report, stack only with --debug", async () => {
    const r = await run(["probe", "a.cdz", "--explode"]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(2);
    expect(r.err).toContain("internal error: kaboom");
    expect(r.err).toContain("please report it");
    expect(r.err).not.toMatch(/^\s+at /m);
    const debug = await run(["probe", "a.cdz", "--explode", "--debug"]);
    expect(debug.err).toContain("Error: kaboom\n    at ");
  });
});
