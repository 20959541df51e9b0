import { packageProject } from "../../vitest.shared.ts";

// The end-to-end tests (test/e2e) start the real server in a child process from sources.
export default packageProject("lsp", { testTimeout: 30_000, hookTimeout: 60_000 });
