import { describe, expect, it } from "vitest";
import { INVALID_REQUEST_METHOD, sanitizeMessages } from "../src/framing.ts";

/** Feeds `chunks` through the guard; returns the messages it passes on and its log. */
async function check(chunks: string[]): Promise<{ messages: unknown[]; log: string[] }> {
  const log: string[] = [];
  const t = sanitizeMessages((l) => log.push(l));
  const out: Buffer[] = [];
  t.on("data", (d: Buffer) => out.push(d));
  for (const c of chunks) t.write(Buffer.from(c, "utf8"));
  t.end();
  await new Promise((r) => t.on("end", r));
  const text = Buffer.concat(out).toString("utf8");
  const messages: unknown[] = [];
  for (const m of text.matchAll(/Content-Length: (\d+)\r\n\r\n/g)) {
    const start = m.index + m[0].length;
    const bytes = Buffer.from(text.slice(start), "utf8").subarray(0, Number(m[1]));
    messages.push(JSON.parse(bytes.toString("utf8")));
  }
  return { messages, log };
}

const framed = (body: string): string =>
  `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const ok = '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"name":"λ"}}';

describe("the input guard", () => {
  it("passes well-formed messages, split or joined across chunks", async () => {
    const both = framed(ok) + framed('{"jsonrpc":"2.0","method":"initialized"}');
    const r = await check([both.slice(0, 7), both.slice(7, 30), both.slice(30)]);
    expect(r.messages).toEqual([JSON.parse(ok), { jsonrpc: "2.0", method: "initialized" }]);
    expect(r.log).toEqual([]);
  });
  it("drops frames without Content-Length and keeps what follows in the same chunk", async () => {
    const r = await check([`X-Garbage: 1\r\n\r\n${framed(ok)}`]);
    expect(r.messages).toEqual([JSON.parse(ok)]);
    expect(r.log).toEqual(["dropped a message without a valid Content-Length"]);
  });
  it("drops bodies that are not JSON and values that are not messages", async () => {
    const r = await check([framed("{oops"), framed("[]"), framed("42"), framed(ok)]);
    expect(r.messages).toEqual([JSON.parse(ok)]);
    expect(r.log).toEqual([
      "dropped a message that is not JSON",
      "dropped a JSON value that is not a JSON-RPC message",
      "dropped a JSON value that is not a JSON-RPC message",
    ]);
  });
  it("turns an invalid request with an id into one the server answers with -32600", async () => {
    const r = await check([framed('{"jsonrpc":"2.0","id":7,"method":42}')]);
    expect(r.messages).toEqual([{ jsonrpc: "2.0", id: 7, method: INVALID_REQUEST_METHOD }]);
  });
  it("counts Content-Length in bytes", async () => {
    const body = '{"jsonrpc":"2.0","method":"x","params":"é€😀"}';
    const r = await check([framed(body)]);
    expect(r.messages).toEqual([JSON.parse(body)]);
  });
});
