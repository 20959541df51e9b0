#!/usr/bin/env node
// Benchmarks the language server (@cadenza/lsp's built dist/) as an editor uses it: a client
// in this process drives the real server in a child process over stdio, JSON-RPC framed by
// Content-Length, and measures what the user waits for.
//
//   hover, idle   a generated 10,000-line document, checked; hovers on names all over it
//   hover, busy   the same hovers while the server re-checks the whole document: after a
//                 one-line edit (parse, evaluation and checking of the file again), and after
//                 a change of the evaluation budget (a check from an empty database)
//   diagnostics   a generated 1,000-line document: time from a one-line edit to the
//                 publication of that version's diagnostics (the default quiet time of 200 ms
//                 included: diagnostics are held until the document has been quiet that long)
//   heap          the same document edited 10,000 times (in bursts of 100, each burst then
//                 checked); the heap of every thread of the server after a collection, after
//                 the last burst over after the first
//
// The peer of the busy figures is the same server idle, measured in the same run. Figures are
// percentiles over hundreds of requests; the machine is shared and noisy. Nothing here
// asserts on time.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const json = process.argv.includes("--json");
const out = (line) => process.stdout.write(`${line}\n`);
const dist = fileURLToPath(new URL("../packages/lsp/dist/index.js", import.meta.url));
if (!existsSync(dist)) {
  process.stderr.write("bench/lsp: build first (pnpm build)\n");
  process.exit(2);
}

const DEBOUNCE_MS = 200;

// ---------------------------------------------------------------- the client

/** Starts the server and returns a minimal JSON-RPC client for it. */
function startServer() {
  const child = spawn(
    process.execPath,
    [
      "--expose-gc",
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(dist)}); process.exitCode = await m.runStdioServer({ version: "bench" });`,
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d.toString();
  });
  let buffer = Buffer.alloc(0);
  const pending = new Map();
  const listeners = new Set();
  let nextId = 1;
  const write = (message) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }));
    child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  };
  const onMessage = (m) => {
    if (m.method === undefined) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(Object.assign(new Error(m.error.message), m.error));
      else p?.resolve(m.result);
      return;
    }
    if (m.id !== undefined) {
      // A request from the server: configuration, registrations, progress creation.
      write({ id: m.id, result: m.method === "workspace/configuration" ? [{}] : null });
      return;
    }
    for (const l of [...listeners]) l(m);
  };
  child.stdout.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const header = buffer.indexOf("\r\n\r\n");
      if (header < 0) return;
      const length = Number(
        /Content-Length: (\d+)/i.exec(buffer.subarray(0, header).toString())[1],
      );
      if (buffer.length < header + 4 + length) return;
      const body = buffer.subarray(header + 4, header + 4 + length).toString();
      buffer = buffer.subarray(header + 4 + length);
      onMessage(JSON.parse(body));
    }
  });
  const client = {
    request: (method, params) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        write({ id, method, params });
      }),
    notify: (method, params) => write({ method, params }),
    /** Resolves with the next notification of `method` matching `test`. */
    next: (method, test = () => true) =>
      new Promise((resolve) => {
        const l = (m) => {
          if (m.method !== method || !test(m.params)) return;
          listeners.delete(l);
          resolve(m.params);
        };
        listeners.add(l);
      }),
    diagnostics: (uri, version) =>
      client.next(
        "textDocument/publishDiagnostics",
        (p) => p.uri === uri && (version === undefined || p.version === version),
      ),
    status: (collectGarbage = false) => client.request("cadenza/serverStatus", { collectGarbage }),
    /** Waits until the server has nothing left to do (the replica caught up included). */
    async idle() {
      for (;;) {
        const s = await client.status();
        if (s.idle) return s;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      await client.request("shutdown");
      client.notify("exit");
      await new Promise((resolve) => child.on("exit", resolve));
    },
    stderr: () => stderr,
  };
  return client;
}

async function initialize(client) {
  await client.request("initialize", {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: {
      textDocument: {
        hover: { contentFormat: ["markdown", "plaintext"] },
        publishDiagnostics: { relatedInformation: true },
      },
      workspace: { configuration: true },
    },
  });
  client.notify("initialized", {});
}

// ---------------------------------------------------------------- the documents

/** A program of `lines` lines: blocks of a documented function, lets, a struct. */
function generate(lines) {
  const out = ["measure meter", "measure second", ""];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `## Scales a distance (block ${i}).`,
      `fn scale${i} d k =`,
      "    let twice = d * 2",
      "    let sum = twice + d",
      "    sum * k",
      `let dist${i} = scale${i} ${i + 1}meter 3`,
      `let time${i} = ${i + 2}second`,
      `let speed${i} = dist${i} / time${i}`,
      `struct Pt${i} { x = Integer, y = Integer }`,
      `let p${i} = Pt${i} { x = ${i}, y = ${i % 7} }`,
      "",
    );
  }
  return out.slice(0, lines);
}

/** A deterministic pseudo-random sequence. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Positions of names all over the document: function calls, variables, struct names. */
function hoverTargets(lines) {
  const targets = [];
  lines.forEach((line, index) => {
    for (const m of line.matchAll(/\b(scale|dist|time|speed|Pt|p)\d+\b/g))
      targets.push({ line: index, character: m.index + 1 });
  });
  return targets;
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const median = (xs) => percentile(xs, 50);
const ms = (x) => `${x.toFixed(2)} ms`;

/**
 * Hovers at `position` and returns the latency in milliseconds. The first answer at each
 * position is kept: later ones (while the server is busy) must say the same (the edits never
 * touch the hovered names or their types).
 */
async function timedHover(client, uri, position, answers) {
  const t0 = performance.now();
  const h = await client.request("textDocument/hover", { textDocument: { uri }, position });
  const t = performance.now() - t0;
  if (h === null) throw new Error(`no hover at ${JSON.stringify(position)}`);
  const key = `${position.line}:${position.character}`;
  const text = `${h.contents.value} @ ${JSON.stringify(h.range)}`;
  const first = answers.get(key);
  if (first === undefined) answers.set(key, text);
  else if (first !== text) answers.mismatches++;
  return t;
}

// ---------------------------------------------------------------- hover on 10,000 lines

async function hoverBenchmark() {
  const client = startServer();
  await initialize(client);
  const uri = "file:///bench/big.cdz";
  const lines = generate(10_000);
  let version = 1;
  const t0 = performance.now();
  const first = client.diagnostics(uri, 1);
  client.notify("textDocument/didOpen", {
    textDocument: { uri, languageId: "cadenza", version, text: `${lines.join("\n")}\n` },
  });
  const published = await first;
  if (published.diagnostics.length > 0) throw new Error("the generated program has errors");
  const firstCheck = performance.now() - t0;
  await client.idle();
  const targets = hoverTargets(lines);
  const next = random(42);
  const target = () => targets[Math.floor(next() * targets.length)];
  const answers = Object.assign(new Map(), { mismatches: 0 });

  // Warm-up, then idle hovers.
  for (let i = 0; i < 50; i++) await timedHover(client, uri, target(), answers);
  const idle = [];
  for (let i = 0; i < 400; i++) idle.push(await timedHover(client, uri, target(), answers));

  // Busy: hover back to back while a re-check runs, until its diagnostics arrive.
  const busy = [];
  const rounds = { edit: [], budget: [] };
  const during = async (done) => {
    let finished = false;
    const end = done.then(() => {
      finished = true;
    });
    let n = 0;
    while (!finished) {
      busy.push(await timedHover(client, uri, target(), answers));
      n++;
    }
    await end;
    return n;
  };
  for (let round = 0; round < 6; round++) {
    const t = performance.now();
    let samples;
    if (round % 3 === 2) {
      // A new evaluation budget: everything is checked again from an empty database.
      const done = client.diagnostics(uri, version);
      client.notify("workspace/didChangeConfiguration", {
        settings: { cadenza: { evaluation: { steps: 1_000_000 + round } } },
      });
      samples = await during(done);
      rounds.budget.push({ ms: performance.now() - t, samples });
    } else {
      // A one-line edit (a number in a `let time…` line): the file is parsed, evaluated and
      // its checked results assembled again.
      const line = lines.findIndex((l, i) => i > 100 + round * 1500 && l.startsWith("let time"));
      const text = lines[line];
      const at = text.indexOf("=") + 2;
      const digits = /\d+/.exec(text.slice(at))[0];
      version++;
      const done = client.diagnostics(uri, version);
      client.notify("textDocument/didChange", {
        textDocument: { uri, version },
        contentChanges: [
          {
            range: {
              start: { line, character: at },
              end: { line, character: at + digits.length },
            },
            text: String(Number(digits) + 1),
          },
        ],
      });
      lines[line] = text.slice(0, at) + String(Number(digits) + 1) + text.slice(at + digits.length);
      samples = await during(done);
      rounds.edit.push({ ms: performance.now() - t, samples });
    }
    await client.idle();
  }
  // Idle again after the re-checks, as a second half of the peer.
  for (let i = 0; i < 400; i++) idle.push(await timedHover(client, uri, target(), answers));
  await client.close();
  return { firstCheck, idle, busy, rounds, mismatches: answers.mismatches };
}

// ---------------------------------------------------------------- edits on 1,000 lines

async function editBenchmark() {
  const client = startServer();
  await initialize(client);
  const uri = "file:///bench/edit.cdz";
  const lines = generate(1_000);
  let version = 1;
  const opened = client.diagnostics(uri, 1);
  client.notify("textDocument/didOpen", {
    textDocument: { uri, languageId: "cadenza", version, text: `${lines.join("\n")}\n` },
  });
  await opened;
  await client.idle();
  const timeLines = lines.flatMap((l, i) => (l.startsWith("let time") ? [i] : []));
  const next = random(7);
  /** A one-line edit: a number of a `let time…` line changes. */
  const edit = () => {
    const line = timeLines[Math.floor(next() * timeLines.length)];
    const text = lines[line];
    const at = text.indexOf("=") + 2;
    const digits = /\d+/.exec(text.slice(at))[0];
    const replacement = String((Number(digits) % 997) + 1);
    lines[line] = text.slice(0, at) + replacement + text.slice(at + digits.length);
    version++;
    client.notify("textDocument/didChange", {
      textDocument: { uri, version },
      contentChanges: [
        {
          range: { start: { line, character: at }, end: { line, character: at + digits.length } },
          text: replacement,
        },
      ],
    });
    return version;
  };

  // Time from an edit to its diagnostics, the server otherwise idle.
  const latencies = [];
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now();
    const v = edit();
    await client.diagnostics(uri, v);
    if (i >= 5) latencies.push(performance.now() - t0);
    await client.idle();
  }

  // Heap: bursts of 100 edits, each burst then checked.
  const heap = async () => {
    await client.idle();
    const s = await client.status(true);
    return s.main.heapUsed + s.engines.reduce((sum, e) => sum + e.heapUsed, 0);
  };
  const burst = async () => {
    let v = 0;
    for (let i = 0; i < 100; i++) v = edit();
    await client.diagnostics(uri, v);
  };
  await burst();
  const heapAfter100 = await heap();
  for (let b = 1; b < 100; b++) await burst();
  const heapAfter10000 = await heap();
  const status = await client.status();
  await client.close();
  return { latencies, heapAfter100, heapAfter10000, threads: 1 + status.engines.length };
}

// ---------------------------------------------------------------- report

const hovers = await hoverBenchmark();
const edits = await editBenchmark();

const idleP95 = percentile(hovers.idle, 95);
const busyP95 = percentile(hovers.busy, 95);
const diagnosticsMs = median(edits.latencies);
const heapGrowth = edits.heapAfter10000 / edits.heapAfter100;

out(`first check of 10,000 lines      ${ms(hovers.firstCheck)}`);
out(
  `hover, idle (${hovers.idle.length})           p50 ${ms(median(hovers.idle))}   p95 ${ms(idleP95)}   max ${ms(Math.max(...hovers.idle))}`,
);
out(
  `hover, busy (${hovers.busy.length})           p50 ${ms(median(hovers.busy))}   p95 ${ms(busyP95)}   max ${ms(Math.max(...hovers.busy))}`,
);
for (const [kind, rounds] of Object.entries(hovers.rounds))
  out(
    `  re-checks after ${kind === "edit" ? "an edit " : "a budget"}       ${rounds.map((r) => `${(r.ms / 1000).toFixed(1)} s (${r.samples} hovers)`).join(", ")}`,
  );
out(
  `  busy hovers over 16 ms          ${hovers.busy.filter((t) => t > 16).length} of ${hovers.busy.length}`,
);
out(`busy / idle p95                  ${(busyP95 / idleP95).toFixed(2)}`);
out(`busy answers unlike idle ones    ${hovers.mismatches}`);
out(
  `edit → diagnostics (1,000 lines) median ${ms(diagnosticsMs)}   p95 ${ms(percentile(edits.latencies, 95))}   (quiet time ${DEBOUNCE_MS} ms)`,
);
out(
  `heap (${edits.threads} threads)              after 100 edits ${(edits.heapAfter100 / 2 ** 20).toFixed(1)} MiB, after 10,000 ${(edits.heapAfter10000 / 2 ** 20).toFixed(1)} MiB: × ${heapGrowth.toFixed(3)}`,
);
if (json)
  out(
    JSON.stringify({
      hover_p95_idle_ms: Number(idleP95.toFixed(3)),
      hover_p95_busy_ms: Number(busyP95.toFixed(3)),
      hover_p95_busy_over_idle: Number((busyP95 / idleP95).toFixed(3)),
      diagnostics_after_edit_ms: Number(diagnosticsMs.toFixed(1)),
      heap_growth: Number(heapGrowth.toFixed(3)),
    }),
  );
