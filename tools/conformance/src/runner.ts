import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CaseStatus, ConformanceCase } from "@cadenza/test-support";
import { outputsMatch } from "./compare.js";

/** The outcome of one case. */
export interface CaseResult {
  readonly id: string;
  readonly section: string;
  readonly status: CaseStatus;
  readonly kind: "value" | "error";
  readonly passed: boolean;
  readonly exitCode: number | null;
  /** Why it failed, in a few words (wrong exit code, output differs, timed out…). */
  readonly reason?: string;
  readonly expected: string;
  /** The stream that is compared: stdout for value cases, stderr for error cases. */
  readonly actual: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly millis: number;
}

/** How to run `cadenza`: the command and the arguments before `eval test.cdz`. */
export interface CliCommandLine {
  readonly command: string;
  readonly args: readonly string[];
}

interface Exited {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

function execute(cli: CliCommandLine, cwd: string, timeoutMs: number): Promise<Exited> {
  return new Promise((resolve) => {
    const child = spawn(cli.command, [...cli.args, "eval", "test.cdz"], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (s: string) => void (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => void (stderr += s));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/**
 * Runs one case as LANGUAGE.md §9 prescribes: the input is written to `test.cdz` in a fresh
 * temporary folder, `cadenza eval test.cdz` runs there, and the output is compared (value
 * cases: stdout with exit 0; error cases: stderr with exit 1).
 */
export async function runCase(
  c: ConformanceCase,
  cli: CliCommandLine,
  timeoutMs = 20_000,
): Promise<CaseResult> {
  const dir = await mkdtemp(join(tmpdir(), "cadenza-conformance-"));
  const started = performance.now();
  try {
    await writeFile(join(dir, "test.cdz"), c.input);
    const run = await execute(cli, dir, timeoutMs);
    const expected = c.expected ?? "";
    const wantExit = c.kind === "value" ? 0 : 1;
    const actual = c.kind === "value" ? run.stdout : run.stderr;
    let reason: string | undefined;
    if (run.timedOut) reason = `timed out after ${timeoutMs} ms`;
    else if (c.expected === undefined) reason = "the case has no expected output";
    else if (run.code !== wantExit) reason = `exit code ${run.code}, expected ${wantExit}`;
    else if (!outputsMatch(expected, actual)) reason = "output differs";
    return {
      id: c.id,
      section: c.section,
      status: c.status,
      kind: c.kind,
      passed: reason === undefined,
      exitCode: run.code,
      ...(reason === undefined ? {} : { reason }),
      expected,
      actual,
      stdout: run.stdout,
      stderr: run.stderr,
      millis: performance.now() - started,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs every case with at most `concurrency` at once; results keep the cases' order. */
export async function runCases(
  cases: readonly ConformanceCase[],
  cli: CliCommandLine,
  concurrency: number,
  timeoutMs?: number,
): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const index = next++;
      results[index] = await runCase(cases[index]!, cli, timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return results;
}
