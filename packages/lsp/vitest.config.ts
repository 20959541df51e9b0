import { fileURLToPath } from "node:url";
import { packageProject } from "../../vitest.shared.ts";

// The end-to-end tests (test/e2e) start the real server in a child process, bundled once
// from sources by the global setup.
export default packageProject("lsp", {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  globalSetup: [fileURLToPath(new URL("./test/e2e/bundle.ts", import.meta.url))],
});
