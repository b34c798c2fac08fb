import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/core/db";
import { appUrl } from "@/lib/core/env";
import { readInbox } from "@/scripts/mail-inbox";
import type { MailCatcher } from "@/scripts/mail-catcher";
import { startTestMailCatcher } from "@/test/mail";
import { POST as signUpPOST } from "./sign-up/route";
import { POST as passwordResetPOST } from "./password-reset/route";

// The account routes through their real handlers, the real Postgres limiter and a real mail catcher.
// (The resend route needs a next-auth session, which exists only inside a Next request; its 401 is
// checked in e2e/accounts.spec.ts against the real server.)

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startTestMailCatcher();
});
afterAll(() => catcher.stop());

const routeContext = { params: Promise.resolve({}) };
const uniqueEmail = (prefix: string) => `${prefix}-${randomUUID()}@example.test`;

// Each call comes from its own IP (as a proxy reports it), so only the per-email budget (3 an hour) can run out.
let calls = 0;
function post(handler: typeof signUpPOST, body: unknown) {
  const request = new Request("http://localhost/api/account", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${++calls}, 10.0.0.1` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return handler(request, routeContext);
}

async function answer(response: Response) {
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
}

/** The body with the echoed address blanked, so answers for two addresses can be compared. */
function withoutEmail(body: unknown, email: string) {
  return JSON.parse(JSON.stringify(body).replaceAll(email, "<email>"));
}

const routes = [
  { name: "sign-up", handler: signUpPOST, body: (email: string) => ({ email, password: "a long password" }) },
  { name: "password reset", handler: passwordResetPOST, body: (email: string) => ({ email }) },
];

describe.each(routes)("POST $name", ({ name, handler, body }) => {
  it("answers 3 times in an hour for one email, then 429 with Retry-After and the form's message", async () => {
    const email = uniqueEmail(`${name.replace(" ", "-")}-429`);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const ok = await answer(await post(handler, body(email)));
      expect(ok.status, `attempt ${attempt}`).toBe(202);
      expect(ok.retryAfter).toBeNull();
      expect(ok.body.message).toContain(email);
    }
    const limited = await answer(await post(handler, body(email)));
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toMatch(/^\d+$/);
    expect(Number(limited.retryAfter)).toBeGreaterThan(59 * 60);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60 * 60);
    expect(limited.body).toEqual({
      error: { code: "rate_limited", message: "Too many attempts. Try again in 60 minutes.", retryAfterSeconds: Number(limited.retryAfter) },
    });
  });

  it("answers an existing and an unknown email identically", async () => {
    const existing = uniqueEmail("existing");
    const unknown = uniqueEmail("unknown");
    expect((await post(signUpPOST, { email: existing, password: "a long password" })).status).toBe(202);
    expect(await db().user.count({ where: { email: existing } })).toBe(1);

    const forExisting = await answer(await post(handler, body(existing)));
    const forUnknown = await answer(await post(handler, body(unknown)));
    expect(forExisting.status).toBe(202);
    expect(forUnknown.status).toBe(forExisting.status);
    expect(withoutEmail(forUnknown.body, unknown)).toEqual(withoutEmail(forExisting.body, existing));
  });

  it("refuses a malformed body with 422 and the fields' messages", async () => {
    const invalid = await answer(await post(handler, { email: "not-an-email", password: "short" }));
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe("validation_error");
    expect(invalid.body.error.fields.email).toEqual(["Enter a valid email address."]);

    const notJson = await answer(await post(handler, "{email"));
    expect(notJson.status).toBe(422);
    expect(notJson.body.error.code).toBe("validation_error");
  });
});

describe("POST sign-up", () => {
  it("creates the account and emails a verification link; the password is checked too", async () => {
    const email = uniqueEmail("route-signup");
    const created = await answer(await post(signUpPOST, { name: "Ada", email, password: "a long password" }));
    expect(created).toMatchObject({ status: 202, body: { message: `We've sent a link to ${email}. Open it to confirm your address, then sign in.` } });
    expect(await db().user.findUnique({ where: { email } })).toMatchObject({ name: "Ada", emailVerified: null });
    await expect.poll(async () => (await readInbox(catcher.webUrl, email)).map((m) => m.subject)).toEqual(["Verify your email for Billfold"]);

    const short = await answer(await post(signUpPOST, { email: uniqueEmail("short"), password: "short" }));
    expect(short.status).toBe(422);
    expect(short.body.error.fields.password).toEqual(["Use at least 8 characters for your password."]);
  });
});

describe("POST password reset", () => {
  it("emails a reset link to a known address only", async () => {
    const known = uniqueEmail("route-reset");
    await post(signUpPOST, { email: known, password: "a long password" });
    const unknown = uniqueEmail("route-reset-unknown");
    expect((await answer(await post(passwordResetPOST, { email: known }))).body).toEqual({
      message: `If ${known} has a Billfold account, we've sent it a link to choose a new password. The link works for 1 hour.`,
    });
    expect((await post(passwordResetPOST, { email: unknown })).status).toBe(202);
    await expect.poll(async () => (await readInbox(catcher.webUrl, known)).map((m) => m.subject)).toContain("Reset your Billfold password");
    expect(await readInbox(catcher.webUrl, unknown)).toEqual([]);
  });
});

// A page on another site can make the visitor's browser POST here: a form or a no-cors fetch can send
// text/plain without asking first, and the browser says where it came from (Origin, Sec-Fetch-Site).
describe.each(routes)("POST $name from another site", ({ name, handler, body }) => {
  function crossSite(email: string, headers: Record<string, string>) {
    return handler(new Request("http://localhost/api/account", { method: "POST", headers, body: JSON.stringify(body(email)) }), routeContext);
  }

  async function resetTokens(email: string) {
    return db().authToken.count({ where: { user: { email }, purpose: "reset_password" } });
  }

  it("refuses a cross-site text/plain post and changes nothing", async () => {
    const email = uniqueEmail(`${name.replace(" ", "-")}-csrf`);
    if (name === "password reset") expect((await post(signUpPOST, { email, password: "a long password" })).status).toBe(202);
    const usersBefore = await db().user.count({ where: { email } });

    const refused = await crossSite(email, { "content-type": "text/plain;charset=UTF-8", origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect([403, 415]).toContain(refused.status);
    expect((await refused.json()).error.code).toMatch(/^(cross_origin_request|unsupported_media_type)$/);
    expect(await db().user.count({ where: { email } })).toBe(usersBefore);
    expect(await resetTokens(email)).toBe(0);
  });

  it("refuses JSON from another origin with 403, and text/plain without an Origin with 415", async () => {
    const email = uniqueEmail(`${name.replace(" ", "-")}-origin`);
    const fromElsewhere = await crossSite(email, { "content-type": "application/json", origin: "https://evil.example" });
    expect(fromElsewhere.status).toBe(403);
    expect((await fromElsewhere.json()).error.code).toBe("cross_origin_request");
    const sameSite = await crossSite(email, { "content-type": "application/json", "sec-fetch-site": "same-site", origin: "http://localhost:12112" });
    expect(sameSite.status).toBe(403);
    const nullOrigin = await crossSite(email, { "content-type": "application/json", origin: "null" });
    expect(nullOrigin.status).toBe(403);
    const plain = await crossSite(email, { "content-type": "text/plain" });
    expect(plain.status).toBe(415);
    expect((await plain.json()).error.code).toBe("unsupported_media_type");
    expect(await db().user.count({ where: { email } })).toBe(0);
  });

  it("accepts the app's own pages: a same-origin Origin, or Sec-Fetch-Site: same-origin", async () => {
    const viaOrigin = await crossSite(uniqueEmail("own-origin"), { "content-type": "application/json", origin: new URL(appUrl()).origin });
    expect(viaOrigin.status).toBe(202);
    // Reached by another name than APP_URL: the browser's Host and Origin name the same site.
    const viaHost = await crossSite(uniqueEmail("own-host"), { "content-type": "application/json", origin: "https://preview.example", host: "preview.example" });
    expect(viaHost.status).toBe(202);
    const viaFetchMetadata = await crossSite(uniqueEmail("own-fetch-site"), { "content-type": "application/json; charset=utf-8", "sec-fetch-site": "same-origin" });
    expect(viaFetchMetadata.status).toBe(202);
  });
});
