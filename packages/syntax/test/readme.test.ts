import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, it, vi } from "vitest";

/**
 * Keeps the README example working: its first ```ts block runs (with `@cadenza/syntax`
 * pointed at the sources) and what it logs must equal the ```text block after it.
 */
it("the README example runs and prints what the README says", async () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const match = /```ts\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/.exec(readme);
  expect(match, "README.md needs a ```ts example followed by a ```text block").not.toBeNull();
  const [, code, expected] = match!;
  const file = fileURLToPath(new URL(`./readme-example.${process.pid}.tmp.ts`, import.meta.url));
  writeFileSync(file, code!.replace(/from "@cadenza\/syntax"/g, 'from "../src/index.js"'));
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
  try {
    await import(pathToFileURL(file).href);
  } finally {
    log.mockRestore();
    rmSync(file, { force: true });
  }
  expect(`${lines.join("\n")}\n`).toBe(expected);
});
