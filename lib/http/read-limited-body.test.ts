import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";

// The webhook route behind a real socket, fed the way Next feeds it: the request body is a stream
// pulled from the connection (not a string already in memory), so the test can count what the
// server actually read.
const SECRET = "whsec_test_body_limit_0123456789";
process.env.STRIPE_WEBHOOK_SECRET = SECRET;
const { POST } = await import("@/app/api/webhooks/stripe/route");

const LIMIT = 1024 * 1024;
const CHUNK = 16 * 1024;
let bytesPulled = 0;

/** A web stream over the connection that counts every byte the route pulls from it. */
function countingBody(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  const chunks = incoming[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) return controller.close();
      const bytes = new Uint8Array(value);
      bytesPulled += bytes.byteLength;
      controller.enqueue(bytes);
    },
    async cancel() {
      await chunks.return?.();
    },
  }, { highWaterMark: 0 });
}

const server = createServer((incoming, outgoing) => {
  void (async () => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
    // `duplex: "half"` is what lets a Request take a streaming body; the DOM typings do not know it yet.
    const init: RequestInit & { duplex: "half" } = { method: "POST", headers, body: countingBody(incoming), duplex: "half" };
    const request = new Request(`http://127.0.0.1${incoming.url ?? "/"}`, init);
    const response = await POST(request, { params: Promise.resolve({}) });
    outgoing.writeHead(response.status, { "content-type": "application/json" });
    outgoing.end(await response.text());
  })();
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

interface Sent { status: number; body: string; writtenBeforeAnswer: number }

/** POSTs `total` bytes in CHUNK-sized writes; with no Content-Length, Node sends them chunked. */
function send(total: number, headers: Record<string, string> = {}): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = httpRequest({ host: "127.0.0.1", port, agent: false, method: "POST", path: "/api/webhooks/stripe", headers: { "stripe-signature": "t=1,v1=00", ...headers } });
    req.on("response", (res) => {
      answered = true;
      const writtenBeforeAnswer = written;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, writtenBeforeAnswer }));
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    void (async () => {
      const chunk = Buffer.alloc(CHUNK, "x");
      while (written < total && !answered && !req.destroyed) {
        written += chunk.length;
        if (!req.write(chunk)) await new Promise((resume) => req.once("drain", resume));
      }
      if (!req.destroyed) req.end();
    })();
  });
}

describe("webhook body limit over a real socket", () => {
  it("answers 413 to a 2 MB chunked body after reading at most 1 MB and one chunk", async () => {
    bytesPulled = 0;
    const sent = await send(2 * LIMIT);
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.body)).toMatchObject({ error: { code: "payload_too_large" } });
    // Never buffered whole: the route stopped pulling once it passed the limit.
    expect(bytesPulled).toBeGreaterThan(LIMIT);
    expect(bytesPulled).toBeLessThanOrEqual(LIMIT + 64 * 1024);
  });

  it("still reads a chunked body under the limit (and then checks its signature)", async () => {
    bytesPulled = 0;
    const sent = await send(64 * 1024);
    expect(bytesPulled).toBe(64 * 1024);
    expect(sent.status).toBe(400);
    expect(JSON.parse(sent.body)).toMatchObject({ error: { code: "invalid_signature" } });
  });

  it.each(["-1", "1e3", "12abc", "1.5"])("refuses a malformed Content-Length %j with 400", async (contentLength) => {
    const response = await POST(
      new Request("http://127.0.0.1/api/webhooks/stripe", { method: "POST", body: "{}", headers: { "content-length": contentLength } }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_content_length" } });
  });
});
