import { defineProject, type UserWorkspaceConfig } from "vitest/config";

/**
 * Resolve workspace packages to their `src/` through the `@cadenza/source` export condition,
 * so tests never need a build. Vite replaces its default conditions when any are given, so
 * they are listed again after ours; tests run in the server (SSR) environment.
 */
const conditions = ["@cadenza/source", "module", "node", "development|production"];

/** The vitest project of one package: `test/**\/*.test.ts`, named after the package. */
export function packageProject(
  name: string,
  test: UserWorkspaceConfig["test"] = {},
): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: { name, include: ["test/**/*.test.ts"], ...test },
  });
}
