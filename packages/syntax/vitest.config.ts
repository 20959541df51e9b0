import { packageProject } from "../../vitest.shared.ts";

// The global setup regenerates the parser when the grammar changed, so that a plain
// `vitest run` works on a fresh checkout (turbo also runs `generate` before tests).
export default packageProject("syntax", { globalSetup: ["./scripts/ensure-generated.mjs"] });
