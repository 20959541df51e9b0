import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The status a case has against LANGUAGE.md (`conformance/status.json`). */
export type CaseStatus = "ok" | "provisional" | "suspect";

/** One executable-specification case. */
export interface ConformanceCase {
  /** `section/slug`, for example `01-literals/simple-integer`. */
  readonly id: string;
  readonly section: string;
  readonly title: string;
  /** `value`: expected stdout with exit 0; `error`: expected stderr with exit 1. */
  readonly kind: "value" | "error";
  readonly status: CaseStatus;
  /** The program text. */
  readonly input: string;
  /** The expected output; undefined for the (suspect) cases that have none. */
  readonly expected: string | undefined;
}

/** One parser input of `conformance/syntax`. */
export interface SyntaxCase {
  /** Path relative to `conformance/syntax`, for example `valid/ap-nested.cdz`. */
  readonly file: string;
  readonly valid: boolean;
  readonly text: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The folder holding the shared conformance data: `$CADENZA_CONFORMANCE` if set, else
 * `../shared/conformance` beside the repository. Undefined when it does not exist, in which
 * case callers skip with a clear message: the data is optional and never copied into the repo.
 */
export function conformanceDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const fromEnv = env.CADENZA_CONFORMANCE;
  if (fromEnv) return existsSync(join(fromEnv, "cases.json")) ? resolve(fromEnv) : undefined;
  // tools/test-support/{src,dist} → repository root is three levels up.
  const candidate = resolve(here, "../../../../shared/conformance");
  return existsSync(join(candidate, "cases.json")) ? candidate : undefined;
}

/** The message tests print when they skip for lack of shared data. */
export const MISSING_CONFORMANCE: string =
  "shared conformance data not found (set CADENZA_CONFORMANCE or put shared/ beside the repository); skipping";

interface RawCase {
  id: string;
  section: string;
  title: string;
  kind: string;
  input: string;
  output: string | null;
}

/** Loads every case with its status, input and expected output. */
export function loadCases(dir: string): ConformanceCase[] {
  const index = JSON.parse(readFileSync(join(dir, "cases.json"), "utf8")) as { cases: RawCase[] };
  const statuses = JSON.parse(readFileSync(join(dir, "status.json"), "utf8")) as Record<
    string,
    { status: CaseStatus }
  >;
  return index.cases.map((c) => ({
    id: c.id,
    section: c.section,
    title: c.title,
    kind: c.kind === "error" ? "error" : "value",
    status: statuses[c.id]?.status ?? "suspect",
    input: readFileSync(join(dir, c.input), "utf8"),
    expected: c.output ? readFileSync(join(dir, c.output), "utf8") : undefined,
  }));
}

/** Loads the parser inputs of `conformance/syntax`. */
export function loadSyntaxCases(dir: string): SyntaxCase[] {
  const index = JSON.parse(readFileSync(join(dir, "syntax", "index.json"), "utf8")) as {
    files: { file: string; expect: string }[];
  };
  return index.files.map((f) => ({
    file: f.file,
    valid: f.expect === "no-parse-errors",
    text: readFileSync(join(dir, "syntax", f.file), "utf8"),
  }));
}

/** The example of a package README and what running it printed. */
export interface ReadmeExample {
  /** The first ```ts block of the README. */
  readonly code: string;
  /** The ```text block that follows it: what the example prints. */
  readonly expectedOutput: string;
  /** What `console.log` received while the example ran, one call per line. */
  readonly actualOutput: string;
}

/**
 * Runs the example of a package README so that a test keeps it working: the first ```ts block
 * is written beside the package's tests with imports of the package itself pointed at its
 * `src/index.ts`, imported, and its `console.log` output is collected for comparison with the
 * ```text block that follows it.
 */
export async function runReadmeExample(
  packageDir: string,
  packageName: string,
): Promise<ReadmeExample> {
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  const match = /```ts\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/.exec(readme);
  if (!match)
    throw new Error(
      `${packageDir}/README.md has no \`\`\`ts example followed by a \`\`\`text output block`,
    );
  const code = match[1]!;
  const self = new RegExp(`from "${packageName.replace(/[/.]/g, "\\$&")}"`, "g");
  const file = join(packageDir, "test", `readme-example.${process.pid}.tmp.ts`);
  writeFileSync(file, code.replace(self, 'from "../src/index.ts"'));
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
  try {
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  } finally {
    console.log = original;
    rmSync(file, { force: true });
  }
  return {
    code,
    expectedOutput: match[2]!,
    actualOutput: printed.length ? `${printed.join("\n")}\n` : "",
  };
}
