import { renderDiagnostic, SourceFile } from "@cadenza/core";
import { parse } from "@cadenza/syntax";
import { type CheckResult, check } from "../src/index.js";

/** Parses and checks `text` as `test.cdz`; fails loudly on parse errors. */
export function checkText(text: string): CheckResult & { source: SourceFile; rendered: string } {
  const source = new SourceFile("test.cdz", text);
  const parsed = parse(source);
  if (parsed.diagnostics.length > 0) {
    throw new Error(
      `parse errors:\n${parsed.diagnostics.map((d) => renderDiagnostic(d, source)).join("\n")}`,
    );
  }
  const result = check(source, parsed.items);
  const rendered = result.diagnostics.map((d) => renderDiagnostic(d, source)).join("\n");
  return { ...result, source, rendered };
}
