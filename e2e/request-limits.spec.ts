import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import { E2E_APP_URL } from "./config";
import { uniqueEmail } from "./helpers";

// Request bodies against the production server, over a real socket and chunked (no Content-Length to
// refuse up front): every kind of route refuses a body over its limit without reading it whole. The
// route handlers' limit is 64 KB (lib/api.ts); server actions are bounded by Next itself, at the same
// 64 KB (next.config.js). The counted reads are checked in app/api/body-limits.test.ts.
test.use({ storageState: { cookies: [], origins: [] } });

interface Sent { status: number; writtenBeforeAnswer: number }

/** POSTs `head`, then `fillBytes` of filler in 16 KB writes, then `tail`; stops writing once answered. */
function postChunked(path: string, headers: Record<string, string>, fillBytes: number, head = "", tail = ""): Promise<Sent> {
  const url = new URL(path, E2E_APP_URL);
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = httpRequest({ host: url.hostname, port: url.port, agent: false, method: "POST", path: url.pathname, headers });
    req.on("response", (res) => {
      answered = true;
      const writtenBeforeAnswer = written;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, writtenBeforeAnswer }));
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    void (async () => {
      const write = async (chunk: Buffer) => {
        written += chunk.length;
        if (!req.write(chunk)) await new Promise((resume) => req.once("drain", resume));
      };
      await write(Buffer.from(head));
      const filler = Buffer.alloc(16 * 1024, "x");
      for (let sent = 0; sent < fillBytes && !answered && !req.destroyed; sent += filler.length) await write(filler);
      if (!answered && !req.destroyed) req.end(tail);
    })();
  });
}

const BIG = 16 * 1024 * 1024;

test("a JSON route (sign-up) answers a 16 MB chunked body with 413 before it has all arrived", async () => {
  const sent = await postChunked("/api/account/sign-up", { "content-type": "application/json" }, BIG, `{"email":"${uniqueEmail("big")}","password":"`);
  expect(sent.status).toBe(413);
  expect(sent.writtenBeforeAnswer).toBeLessThan(BIG);
});

test("next-auth's credentials callback answers a 16 MB chunked body with 413 before it has all arrived", async () => {
  const sent = await postChunked("/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded" }, BIG, "password=");
  expect(sent.status).toBe(413);
  expect(sent.writtenBeforeAnswer).toBeLessThan(BIG);
});

test.describe("a server action (a multipart form post to a page)", () => {
  const BOUNDARY = "----billfold-limit";
  const headers = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\n`;
  const tail = `\r\n--${BOUNDARY}--\r\n`;
  const post = (fillBytes: number) => postChunked("/signin", headers, fillBytes, head, tail);

  test("under the limit, the form is read (and, naming no action, the page renders)", async () => {
    expect((await post(32 * 1024)).status).toBe(200);
  });

  test("a body over 64 KB (and well under Next's default 1 MB) is refused", async () => {
    const sent = await post(256 * 1024);
    expect(sent.status).toBeGreaterThanOrEqual(400);
  });

  test("a 16 MB chunked body is refused before it has all arrived", async () => {
    const sent = await post(BIG);
    expect(sent.status).toBeGreaterThanOrEqual(400);
    expect(sent.writtenBeforeAnswer).toBeLessThan(BIG);
  });
});
