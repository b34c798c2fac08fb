import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import { E2E_APP_URL } from "./config";
import { uniqueEmail } from "./helpers";

// Request bodies against the production server, over a real socket and chunked (no Content-Length to
// refuse up front): every kind of route refuses a body over its limit without reading it whole. The
// route handlers' limit is 64 KB (lib/core/api.ts); server actions are bounded by Next itself, at the same
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
    // The server answers 413 and closes while we are still writing: a write can then fail (EPIPE)
    // just before the answer is read. Only a connection that closes with no answer is a failure.
    let failure: Error | undefined;
    req.on("error", (error) => void (failure ??= error));
    req.on("close", () => (answered ? undefined : reject(failure ?? new Error("closed with no answer"))));
    void (async () => {
      const write = async (chunk: Buffer) => {
        written += chunk.length;
        if (!req.write(chunk)) await new Promise((resume) => req.once("drain", resume));
        // Past the 64 KB limit, wait between writes: the server answers and closes once it has read
        // past the limit, and a chunk it never read would make its close a reset that can drop the answer.
        if (written > 64 * 1024) await new Promise((resume) => setTimeout(resume, 25));
      };
      await write(Buffer.from(head));
      const filler = Buffer.alloc(16 * 1024, "x");
      for (let sent = 0; sent < fillBytes && !answered && !req.destroyed && !failure; sent += filler.length) await write(filler);
      if (!answered && !req.destroyed && !failure) req.end(tail);
    })();
  });
}

const BIG = 4 * 1024 * 1024;

test("a JSON route (sign-up) answers a 4 MB chunked body with 413 before it has all arrived", async () => {
  const sent = await postChunked("/api/account/sign-up", { "content-type": "application/json" }, BIG, `{"email":"${uniqueEmail("big")}","password":"`);
  expect(sent.status).toBe(413);
  expect(sent.writtenBeforeAnswer).toBeLessThan(BIG);
});

test("next-auth's credentials callback answers a 4 MB chunked body with 413 before it has all arrived", async () => {
  const sent = await postChunked("/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded" }, BIG, "password=");
  expect(sent.status).toBe(413);
  expect(sent.writtenBeforeAnswer).toBeLessThan(BIG);
});

// Next answers a server action it refused with 500 (it logs "Body exceeded 64kb limit", status 413),
// and a multipart post that names no action with 400, after reading the form. It reads the rest of
// an over-limit body off the socket before answering, keeping none of it: the copy it makes for
// proxy.ts stops at 128 KB (next.config.js).
test.describe("a server action (a multipart form post to a page)", () => {
  const BOUNDARY = "----billfold-limit";
  const headers = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\n`;
  const tail = `\r\n--${BOUNDARY}--\r\n`;
  const post = (fillBytes: number) => postChunked("/signin", headers, fillBytes, head, tail);

  test("under 64 KB, the form is read (it names no action: 400)", async () => {
    expect((await post(32 * 1024)).status).toBe(400);
  });

  for (const size of [96 * 1024, 256 * 1024, BIG]) {
    test(`a ${size / 1024} KB chunked body (Next's default limit is 1 MB) is refused`, async () => {
      expect((await post(size)).status).toBe(500);
    });
  }
});
