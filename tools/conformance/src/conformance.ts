import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { conformanceDir, loadCases, MISSING_CONFORMANCE } from "@cadenza/test-support";
import { baselineFor, compareWithBaseline, parseBaseline } from "./baseline.js";
import { formatReport } from "./report.js";
import { runCases } from "./runner.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const usage = `Usage: pnpm conformance [options]

Runs every case of the shared conformance data against \`cadenza eval\`.

Options:
  --cli <path>          the cadenza bin to run (default: packages/cli/dist/bin.js)
  --baseline <file>     ids expected to pass (default: tools/conformance/baseline.json)
  --update-baseline     write the ids that pass now to the baseline file
  --json <file>         where to write the results (default: .conformance/results.json)
  --filter <text>       only cases whose id contains the text
  --jobs <n>            cases run at once (default: the number of cores)
  --no-diffs            list failing cases without diffs
  -h, --help            show this help

Exit codes: 0 no regression, 1 a baseline case fails, 2 usage error.`;

/** Where the runner writes. */
export interface RunnerIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The `pnpm conformance` command: runs the cases, prints the report and resolves to the exit
 * code (0 no regression, 1 a baseline case fails, 2 usage error).
 */
export async function runConformance(argv: string[], io: RunnerIO): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n(run with --help for usage)\n`);
    return 2;
  }
  const o = args.values;
  if (o.help) {
    io.stdout(`${usage}\n`);
    return 0;
  }
  const dir = conformanceDir(io.env);
  if (!dir) {
    io.stdout(`conformance: ${MISSING_CONFORMANCE}\n0 passed, 0 failed\n`);
    return 0;
  }
  const jobs = o.jobs === undefined ? availableParallelism() : Number(o.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    io.stderr("error: --jobs takes a whole number of at least 1\n");
    return 2;
  }
  const cliPath = resolve(o.cli ?? resolve(root, "packages/cli/dist/bin.js"));
  const baselinePath = resolve(o.baseline ?? resolve(root, "tools/conformance/baseline.json"));
  const jsonPath = resolve(o.json ?? resolve(root, ".conformance/results.json"));

  const cases = loadCases(dir).filter((c) => !o.filter || c.id.includes(o.filter));
  io.stderr(`conformance: ${cases.length} cases from ${dir}, ${jobs} at a time\n`);
  const started = performance.now();
  const results = await runCases(cases, { command: process.execPath, args: [cliPath] }, jobs);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  let baseline: string[];
  try {
    baseline = parseBaseline(readOptional(baselinePath));
  } catch (error) {
    io.stderr(`error: ${baselinePath}: ${(error as Error).message}\n`);
    return 2;
  }
  // With --filter, only the baseline ids that were run can regress.
  const ran = new Set(cases.map((c) => c.id));
  const comparison = compareWithBaseline(
    results,
    baseline.filter((id) => ran.has(id) || !o.filter),
  );

  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ seconds: Number(seconds), comparison, results }, null, 2)}\n`,
  );
  if (o["update-baseline"]) {
    if (o.filter) {
      io.stderr("error: --update-baseline cannot be combined with --filter\n");
      return 2;
    }
    writeFileSync(baselinePath, baselineFor(results));
    io.stderr(`conformance: baseline written to ${baselinePath}\n`);
  }
  io.stdout(`${formatReport(results, comparison, { diffs: !o["no-diffs"] })}\n`);
  io.stderr(`conformance: ${seconds} s; results in ${jsonPath}\n`);
  return comparison.regressions.length > 0 && !o["update-baseline"] ? 1 : 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      cli: { type: "string" },
      baseline: { type: "string" },
      "update-baseline": { type: "boolean" },
      json: { type: "string" },
      filter: { type: "string" },
      jobs: { type: "string" },
      "no-diffs": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
