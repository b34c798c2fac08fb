import { afterAll, describe, expect, it } from "vitest";

// The webhook route behind a real socket, fed the way Next feeds it (test/route-socket.ts): the
// request body is a stream pulled from the connection (not a string already in memory), so the test
// can count what the server actually read.
const SECRET = "whsec_test_body_limit_0123456789";
process.env.STRIPE_WEBHOOK_SECRET = SECRET;
// Both imported after the secret is set, since they read the environment; the socket helper first,
// because it puts Next's AsyncLocalStorage in place before anything of Next's loads (test/next-request.ts).
const { sendChunked, serveOverSocket } = await import("@/test/route-socket");
const { webhookRoute } = await import("@/test/webhook-events");
const { POST } = await webhookRoute();

const LIMIT = 1024 * 1024;
const route = await serveOverSocket(POST);
afterAll(() => route.close());

/** POSTs `total` bytes to the webhook route in 16 KB writes; with no Content-Length, Node sends them chunked. */
function send(total: number) {
  return sendChunked(`http://127.0.0.1:${route.port}/api/webhooks/stripe`, total, { "stripe-signature": "t=1,v1=00" });
}

describe("webhook body limit over a real socket", () => {
  it("answers 413 to a 2 MB chunked body after reading at most 1 MB and one chunk", async () => {
    route.reset();
    const sent = await send(2 * LIMIT);
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.body)).toMatchObject({ error: { code: "payload_too_large" } });
    // Never buffered whole: the route stopped pulling once it passed the limit.
    expect(route.pulled()).toBeGreaterThan(LIMIT);
    expect(route.pulled()).toBeLessThanOrEqual(LIMIT + 64 * 1024);
  });

  it("still reads a chunked body under the limit (and then checks its signature)", async () => {
    route.reset();
    const sent = await send(64 * 1024);
    expect(route.pulled()).toBe(64 * 1024);
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
