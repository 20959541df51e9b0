import { renderDiagnostics, SourceFile } from "@cadenza/core";
import { type EvalOptions, evaluateSource, type SourceResult } from "../../src/index.js";

/** Evaluates Cadenza source text as `test.cdz`. */
export function evalText(text: string, options?: EvalOptions): SourceResult {
  return evaluateSource(SourceFile.fromRaw("test.cdz", text), options);
}

/** What `cadenza eval test.cdz` prints for a program: the transcript, or the diagnostics. */
export function cdz(text: string, options?: EvalOptions): string {
  const source = SourceFile.fromRaw("test.cdz", text);
  const r = evaluateSource(source, options);
  return r.allDiagnostics.length > 0
    ? renderDiagnostics(r.allDiagnostics, () => source)
    : r.transcript;
}

/** Strips the common indentation of a template literal (for readable test programs). */
export function dedent(text: string): string {
  const lines = text
    .replace(/^\n/, "")
    .replace(/\n\s*$/, "")
    .split("\n");
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length),
  );
  return `${lines.map((l) => l.slice(indent)).join("\n")}\n`;
}
