// The bundled engine's entry point (`dist/worker.js`, beside the server, which starts it).
import "@cadenza/lsp/worker";
