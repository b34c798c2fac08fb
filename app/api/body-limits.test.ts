// First: it puts AsyncLocalStorage on globalThis, as the Next.js server does, before next/server loads.
import { serveOverSocket, sendChunked, type SocketRoute } from "@/test/route-socket";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "@/lib/core/api";
import { POST as signUpPOST } from "./account/sign-up/route";
import { POST as nextAuthPOST } from "./auth/[...nextauth]/route";

// Public routes behind a real socket: a chunked body (no Content-Length to refuse up front) over the
// limit is answered 413 after the route has read little more than the limit, never the whole body.
// (Server actions are bounded by Next itself, next.config.js; e2e/request-limits.spec.ts checks that
// against the production server.)

const TOTAL = 4 * 1024 * 1024;
const CHUNK = 16 * 1024;

const kinds: Array<{ name: string; serve: () => Promise<SocketRoute>; path: string; headers: Record<string, string> }> = [
  { name: "a JSON route (sign-up)", serve: () => serveOverSocket(signUpPOST), path: "/api/account/sign-up", headers: { "content-type": "application/json" } },
  {
    name: "next-auth's credentials callback",
    serve: () => serveOverSocket(nextAuthPOST, { nextauth: ["callback", "credentials"] }),
    path: "/api/auth/callback/credentials",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  },
];

describe.each(kinds)("$name over a real socket", ({ serve, path, headers }) => {
  let server: SocketRoute;
  beforeAll(async () => {
    server = await serve();
  });
  afterAll(() => server.close());

  it("answers a 4 MB chunked body with 413 after reading at most the limit and one chunk", async () => {
    server.reset();
    const sent = await sendChunked(`http://127.0.0.1:${server.port}${path}`, TOTAL, headers);
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.body)).toMatchObject({ error: { code: "payload_too_large" } });
    expect(server.pulled()).toBeGreaterThan(BODY_LIMIT_BYTES);
    expect(server.pulled()).toBeLessThanOrEqual(BODY_LIMIT_BYTES + CHUNK);
    expect(sent.writtenBeforeAnswer).toBeLessThan(TOTAL);
  });

  it("refuses a declared Content-Length over the limit before reading any of the body", async () => {
    server.reset();
    const sent = await sendChunked(`http://127.0.0.1:${server.port}${path}`, TOTAL, { ...headers, "content-length": String(TOTAL) });
    expect(sent.status).toBe(413);
    expect(server.pulled()).toBe(0);
  });
});
