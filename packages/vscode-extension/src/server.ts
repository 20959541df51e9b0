// The bundled server's entry point (`dist/server.js`): the language server on stdio.
import { runStdioServer } from "@cadenza/lsp";

process.exitCode = await runStdioServer();
