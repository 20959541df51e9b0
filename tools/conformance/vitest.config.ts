import { packageProject } from "../../vitest.shared.ts";

export default packageProject("conformance", { testTimeout: 60000 });
