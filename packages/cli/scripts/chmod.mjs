// tsc does not keep the executable bit; the bin must be runnable straight from dist.
import { chmodSync } from "node:fs";

chmodSync(new URL("../dist/bin.js", import.meta.url), 0o755);
