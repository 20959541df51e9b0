// Vitest global setup: regenerates the parser when src/cadenza.grammar (or this package's
// generator script) is newer than src/parser.generated.ts, so that `vitest run` works on a
// fresh checkout without a separate `pnpm generate`. turbo also runs `generate` before tests.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export default function setup() {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const output = join(root, "src", "parser.generated.ts");
  const inputs = [join(root, "src", "cadenza.grammar"), join(root, "scripts", "generate.mjs")];
  const stale =
    !existsSync(output) ||
    inputs.some((input) => statSync(input).mtimeMs > statSync(output).mtimeMs);
  if (stale)
    execFileSync(process.execPath, [join(root, "scripts", "generate.mjs")], { stdio: "inherit" });
}
