import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/core/db";
import { readInbox } from "@/scripts/mail-inbox";
import type { MailCatcher } from "@/scripts/mail-catcher";
import { startTestMailCatcher, waitForInbox } from "@/test/mail";
import { POST as signUpPOST } from "./sign-up/route";
import { POST as passwordResetPOST } from "./password-reset/route";

// Sign-up and password reset answer in the same time whether or not the address has an account:
// the email (and the reset link's token) is queued and sent after the answer, so the time the route
// takes does not tell a stranger who is registered. Through the real handlers, Postgres and SMTP.

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startTestMailCatcher();
});
afterAll(() => catcher.stop());

const RUNS = 15;
const routeContext = { params: Promise.resolve({}) };
const uniqueEmail = (prefix: string) => `${prefix}-${randomUUID()}@example.test`;

let calls = 0;
async function timedPost(handler: typeof signUpPOST, body: unknown): Promise<number> {
  const request = new Request("http://localhost/api/account", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `203.0.113.${++calls % 250}, 10.0.0.1` },
    body: JSON.stringify(body),
  });
  const started = performance.now();
  const response = await handler(request, routeContext);
  const elapsed = performance.now() - started;
  expect(response.status).toBe(202);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Times the route for addresses with and without an account, interleaved so load on the machine hits
 * both alike; every call uses a fresh address (the per-email budget is 3 an hour).
 */
async function compare(handler: typeof signUpPOST, body: (email: string) => unknown, known: string[], unknown: string[]) {
  await timedPost(handler, body(uniqueEmail("warm-up"))); // first-call costs (module loading, connections)
  const knownMs: number[] = [];
  const unknownMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    knownMs.push(await timedPost(handler, body(known[i]!)));
    unknownMs.push(await timedPost(handler, body(unknown[i]!)));
  }
  return { known: median(knownMs), unknown: median(unknownMs) };
}

/** Within 1.5× of each other, or within 15 ms (a scheduler hiccup on a busy machine); SMTP alone takes far longer. */
function expectSameTime({ known, unknown }: { known: number; unknown: number }) {
  const summary = `median ${known.toFixed(1)} ms with an account, ${unknown.toFixed(1)} ms without`;
  const ratio = Math.max(known, unknown) / Math.min(known, unknown);
  expect(ratio <= 1.5 || Math.abs(known - unknown) < 15, summary).toBe(true);
}

async function existingUsers(prefix: string): Promise<string[]> {
  const emails = Array.from({ length: RUNS }, () => uniqueEmail(prefix));
  await db().user.createMany({ data: emails.map((email) => ({ email, emailVerified: new Date() })) });
  return emails;
}

describe("account emails take the same time whether or not the address has an account", () => {
  it("password reset", async () => {
    const known = await existingUsers("timing-reset-known");
    const unknown = Array.from({ length: RUNS }, () => uniqueEmail("timing-reset-unknown"));
    expectSameTime(await compare(passwordResetPOST, (email) => ({ email }), known, unknown));

    // The mail still goes out, after the answer: a reset link to each account, nothing to the others.
    for (const email of known) {
      const [mail] = await waitForInbox(catcher, email, 1);
      expect(mail?.subject, email).toBe("Reset your Billfold password");
      expect(mail?.text).toMatch(/\/reset-password\?token=/);
    }
    for (const email of unknown) expect(await readInbox(catcher.webUrl, email)).toEqual([]);
  });

  it("sign-up", async () => {
    const known = await existingUsers("timing-signup-known");
    const unknown = Array.from({ length: RUNS }, () => uniqueEmail("timing-signup-new"));
    expectSameTime(await compare(signUpPOST, (email) => ({ email, password: "a long password" }), known, unknown));

    for (const email of known) expect((await waitForInbox(catcher, email, 1))[0]?.subject, email).toBe("Someone tried to sign up to Billfold with your email");
    for (const email of unknown) expect((await waitForInbox(catcher, email, 1))[0]?.subject, email).toBe("Verify your email for Billfold");
  });
});
