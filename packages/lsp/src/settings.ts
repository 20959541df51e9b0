/**
 * The server's settings (`cadenza.*` in the editor), with defaults and tolerant parsing: an
 * unknown or mistyped value falls back to its default instead of failing.
 */

/** What the user can configure. */
export interface Settings {
  /** `cadenza.diagnostics.debounceMs`: quiet time after an edit before its diagnostics are published (ms). */
  readonly debounceMs: number;
  /** `cadenza.diagnostics.workspace`: also check the workspace's files that are not open. */
  readonly workspaceDiagnostics: boolean;
  /** `cadenza.inlayHints.*`: which inlay hints to show. */
  readonly inlayHints: {
    readonly variableTypes: boolean;
    readonly parameterTypes: boolean;
    readonly returnTypes: boolean;
    readonly units: boolean;
  };
  /** `cadenza.evaluation.steps`: the step budget of compile-time evaluation per check. */
  readonly evaluationSteps: number;
}

/** The defaults (also what the extension's manifest declares). */
export const DEFAULT_SETTINGS: Settings = {
  debounceMs: 200,
  workspaceDiagnostics: true,
  inlayHints: { variableTypes: true, parameterTypes: false, returnTypes: true, units: true },
  evaluationSteps: 1_000_000,
};

function get(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function num(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === "number" && Number.isFinite(value)
    ? Math.min(Math.max(Math.round(value), min), max)
    : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}

/**
 * Reads settings from the `cadenza` section as the client sends it (nested objects, as
 * `workspace/configuration` returns them, or flat dotted keys), keeping `base` for anything
 * missing or invalid.
 */
export function parseSettings(section: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  const read = (path: string): unknown => {
    const flat = get(section, [path]);
    return flat !== undefined ? flat : get(section, path.split("."));
  };
  return {
    debounceMs: num(read("diagnostics.debounceMs"), base.debounceMs, 0, 10_000),
    workspaceDiagnostics: bool(read("diagnostics.workspace"), base.workspaceDiagnostics),
    inlayHints: {
      variableTypes: bool(read("inlayHints.variableTypes"), base.inlayHints.variableTypes),
      parameterTypes: bool(read("inlayHints.parameterTypes"), base.inlayHints.parameterTypes),
      returnTypes: bool(read("inlayHints.returnTypes"), base.inlayHints.returnTypes),
      units: bool(read("inlayHints.units"), base.inlayHints.units),
    },
    evaluationSteps: num(read("evaluation.steps"), base.evaluationSteps, 1_000, 1_000_000_000),
  };
}
