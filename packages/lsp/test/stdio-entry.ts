// The server as an editor starts it, from sources: `node --import tsx test/stdio-entry.ts --stdio`.
import { runStdioServer } from "../src/index.ts";

process.exitCode = await runStdioServer({ version: "test" });
