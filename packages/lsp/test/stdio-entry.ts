// The server as an editor starts it, from sources:
// `node --conditions=@cadenza/source --import tsx test/stdio-entry.ts --stdio`.
// Tests make features fail through CADENZA_LSP_TEST_FAULTS (comma-separated, see
// `ServerOptions.faults`); only this test entry reads it, never the shipped server.
import { runStdioServer } from "../src/index.ts";

const faults = (process.env.CADENZA_LSP_TEST_FAULTS ?? "").split(",").filter((f) => f !== "");
process.exitCode = await runStdioServer({ version: "test", faults });
