import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@cadenza/source"] },
  test: { name: "query", include: ["test/**/*.test.ts"] },
});
