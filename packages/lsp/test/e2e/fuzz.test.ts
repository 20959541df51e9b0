import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResponseError } from "vscode-languageserver/node";
import { Doc, type Position, type Server, startServer } from "./harness.ts";

const probe = Doc.fixture("probe.cdz");
const broken = Doc.fixture("broken.cdz");
let server: Server;
let runs = 0;

beforeAll(async () => {
  // A short quiet time, so that each run ends with its diagnostics soon.
  server = await startServer({
    initializationOptions: { settings: { diagnostics: { debounceMs: 5 } } },
  });
});
afterAll(async () => {
  expect(await server.shutdown()).toBe(0);
});

/** Fragments edits insert: tokens of the language, layout, brackets, unusual characters. */
const FRAGMENTS = [
  "let ",
  "fn ",
  "x",
  "speed",
  "origin.",
  "Shape.",
  " = ",
  " + ",
  " * ",
  " |> ",
  "1meter",
  "2.5second",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "{ x = 1 }",
  '"',
  '"s"',
  "#",
  "## doc\n",
  "\n",
  "\n    ",
  "    ",
  "match ",
  " => ",
  "if ",
  " then ",
  " else ",
  "quote ",
  "${",
  "@si ",
  "measure ",
  "struct P { v = Integer }",
  "enum E { A, B }",
  ".",
  ",",
  "\t",
  "é",
  "😀",
  "\r\n",
];

const fragment = fc.oneof(
  fc.constantFrom(...FRAGMENTS),
  fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 2, maxLength: 4 }).map((xs) => xs.join("")),
  fc.string({ maxLength: 6 }),
);

type Action =
  | { kind: "edit"; at: number; remove: number; insert: string }
  | { kind: "request"; method: string; at: number; to: number; name: string; wait: boolean }
  | { kind: "beyond"; method: string };

const METHODS = [
  "textDocument/hover",
  "textDocument/definition",
  "textDocument/references",
  "textDocument/documentHighlight",
  "textDocument/prepareRename",
  "textDocument/rename",
  "textDocument/completion",
  "textDocument/signatureHelp",
  "textDocument/semanticTokens/full",
  "textDocument/semanticTokens/range",
  "textDocument/documentSymbol",
  "workspace/symbol",
  "textDocument/inlayHint",
  "textDocument/codeAction",
  "textDocument/foldingRange",
  "textDocument/selectionRange",
];

/** Positions are fractions of the text's length, so that they stay inside it as it changes. */
const fraction = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("edit" as const),
      at: fraction,
      remove: fc.nat({ max: 12 }),
      insert: fragment,
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("request" as const),
      method: fc.constantFrom(...METHODS),
      at: fraction,
      to: fraction,
      name: fc.constantFrom("y", "value2", "not a name", "", "x"),
      wait: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("beyond" as const),
      method: fc.constantFrom(
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/selectionRange",
      ),
    }),
  },
);

/** What a request may legitimately answer besides a result. */
const ACCEPTED_ERRORS = new Set([
  -32800, // cancelled (not used here, but harmless)
  -32801, // the document changed under the request
  -32602, // a refused rename, or a rename to an invalid name
]);

function paramsFor(a: Extract<Action, { kind: "request" }>, uri: string, doc: Doc): unknown {
  const offset = Math.floor(a.at * doc.text.length);
  const other = Math.floor(a.to * doc.text.length);
  const position = doc.position(offset);
  const range = {
    start: doc.position(Math.min(offset, other)),
    end: doc.position(Math.max(offset, other)),
  };
  switch (a.method) {
    case "workspace/symbol":
      return { query: a.name };
    case "textDocument/references":
      return { textDocument: { uri }, position, context: { includeDeclaration: a.wait } };
    case "textDocument/rename":
      return { textDocument: { uri }, position, newName: a.name };
    case "textDocument/semanticTokens/full":
    case "textDocument/documentSymbol":
    case "textDocument/foldingRange":
      return { textDocument: { uri } };
    case "textDocument/semanticTokens/range":
    case "textDocument/inlayHint":
      return { textDocument: { uri }, range };
    case "textDocument/codeAction":
      return { textDocument: { uri }, range, context: { diagnostics: [] } };
    case "textDocument/selectionRange":
      return { textDocument: { uri }, positions: [position, range.end] };
    default:
      return { textDocument: { uri }, position };
  }
}

describe("a fuzz of random edits and requests over stdio", () => {
  it("never crashes: every answer is a result or an expected error, and the last version is checked", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(probe.text, broken.text, ""),
        fc.array(action, { minLength: 1, maxLength: 30 }),
        async (initial, actions) => {
          const uri = `file:///e2e/fuzz-${++runs}.cdz`;
          const unexpected: string[] = [];
          let text = initial;
          let version = 1;
          server.open(uri, text, version);
          const pending: Promise<void>[] = [];
          const settle = (method: string, answer: Promise<unknown>): Promise<void> =>
            answer.then(
              () => undefined,
              (error: unknown) => {
                const code = error instanceof ResponseError ? error.code : undefined;
                if (code === undefined || !ACCEPTED_ERRORS.has(code))
                  unexpected.push(`${method}: ${code} ${(error as Error).message}`);
              },
            );
          for (const a of actions) {
            const doc = new Doc(uri, text);
            if (a.kind === "edit") {
              // An offset between `\r` and `\n` has no LSP position: move it before the `\r`.
              const unsplit = (o: number): number =>
                text[o - 1] === "\r" && text[o] === "\n" ? o - 1 : o;
              const start = unsplit(Math.floor(a.at * text.length));
              const end = unsplit(Math.min(text.length, start + a.remove));
              server.change(uri, ++version, [
                { range: { start: doc.position(start), end: doc.position(end) }, text: a.insert },
              ]);
              text = text.slice(0, start) + a.insert + text.slice(end);
            } else if (a.kind === "beyond") {
              // Positions past the end of the document (clients are not always exact).
              const beyond: Position = { line: doc.lines.length + 3, character: 99 };
              const params =
                a.method === "textDocument/selectionRange"
                  ? { textDocument: { uri }, positions: [beyond] }
                  : { textDocument: { uri }, position: beyond };
              pending.push(settle(a.method, server.request(a.method, params)));
            } else {
              const answer = settle(a.method, server.request(a.method, paramsFor(a, uri, doc)));
              if (a.wait) await answer;
              else pending.push(answer);
            }
          }
          await Promise.all(pending);
          // The server checked the last version, and its text is the client's: the outermost
          // selection range is the whole document.
          await server.diagnostics(uri, version);
          const final = new Doc(uri, text);
          const [selection] = await server.request<{ range: unknown; parent?: unknown }[]>(
            "textDocument/selectionRange",
            { textDocument: { uri }, positions: [final.position(0)] },
          );
          let outer = selection as { range: unknown; parent?: unknown };
          while (outer.parent !== undefined) outer = outer.parent as typeof outer;
          expect(outer.range).toEqual({
            start: final.position(0),
            end: final.position(text.length),
          });
          server.notify("textDocument/didClose", { textDocument: { uri } });
          expect(unexpected).toEqual([]);
        },
      ),
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 40),
        seed: Number(process.env.FUZZ_SEED ?? 20_260_515),
      },
    );
    expect(server.process.exitCode).toBeNull();
    const failures = server
      .stderr()
      .split("\n")
      .filter((l) => /failed|uncaught|unhandled|crash/i.test(l));
    expect(failures).toEqual([]);
  }, 300_000);
});
