import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";

// `npm run dev` retries on its own: the dev timer calls the cron routes, as production's scheduler
// does, so an unmatched event is retried once its next attempt is due and a due grant expires,
// without anyone calling the cron. The routes are the app's real handlers behind a real socket,
// on real Postgres, with the timer at a short interval.

const CRON_SECRET = "dev-cron-test-secret-0123456789";
process.env.CRON_SECRET = CRON_SECRET;

// Imported once the variables are set: lib/core/env.ts reads them once.
const { createPendingPurchase, refund, refundedCharge, stripeEvent, webhookRoute } = await import("@/test/webhook-events");
// No Stripe key: any Stripe call fails like an outage (none is needed here).
const webhook = await webhookRoute({ secret: "whsec_test_dev_cron_0123456789" });
const { db } = await import("@/lib/core/db");
const { credit } = await import("@/lib/ledger");
const { callRoute } = await import("@/test/next-request");

const { POST: retryPOST } = await import("@/app/api/cron/webhooks/retry/route");
const { POST: creditsPOST } = await import("@/app/api/cron/credits/route");
const { devCronIntervalMs, startDevCron, DEFAULT_DEV_CRON_INTERVAL_MS } = await import("./dev-cron");

const routes: Record<string, Parameters<typeof callRoute>[0]> = { "/api/cron/webhooks/retry": retryPOST, "/api/cron/credits": creditsPOST };
const calls: string[] = [];
const app = createServer((incoming, outgoing) => {
  void (async () => {
    const path = incoming.url ?? "/";
    calls.push(`${incoming.method} ${path} ${incoming.headers.authorization ?? "no bearer"}`);
    const handler = routes[path];
    if (!handler) return void outgoing.writeHead(404).end();
    const response = await callRoute(handler, new Request(`http://127.0.0.1${path}`, { method: incoming.method, headers: { authorization: incoming.headers.authorization ?? "" } }));
    outgoing.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  })();
});
await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => app.close(() => resolve())));

const storedEvent = (stripeEventId: unknown) => db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: String(stripeEventId) } });

async function until(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe("the dev server's cron timer", () => {
  it("retries an unmatched event once its next attempt is due, and expires a due grant, without anyone calling the cron", async () => {
    // A refund of a payment Billfold has not seen yet: unmatched, next attempt in 30 s.
    const p = await createPendingPurchase(2000); // £20.00
    const refunded = stripeEvent("charge.refunded", refundedCharge(p, [refund(p, 500)])); // £5.00
    const delivered = await webhook.deliver(refunded);
    expect((await delivered.json()).outcome).toBe("unmatched");
    const waiting = await storedEvent(refunded.id);
    expect(waiting).toMatchObject({ status: "unmatched", attempts: 1 });
    // Its backoff has passed (as it would have 30 s later).
    await db().webhookEvent.update({ where: { id: waiting.id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    // A promotional grant whose expiry date has come.
    const user = await db().user.create({ data: { email: `dev-cron-${randomUUID()}@example.test` } });
    const granted = await db().$transaction((tx) =>
      credit(tx, { userId: user.id, currency: "GBP", amountMinor: 500, type: "PROMOTIONAL", idempotencyKey: `dev-cron:${randomUUID()}`, grant: { expiresAt: new Date(Date.now() - 1000) } }),
    ); // £5.00

    const cron = startDevCron({ appUrl, cronSecret: CRON_SECRET, intervalMs: 200, log: () => undefined });
    try {
      const retried = await until(async () => (await storedEvent(refunded.id)).attempts >= 2, 10_000);
      const expired = await until(async () => (await db().creditGrant.findUniqueOrThrow({ where: { entryId: granted.entry.id } })).expiredAt !== null, 10_000);
      expect({ retried, expired }).toEqual({ retried: true, expired: true });
    } finally {
      cron.stop();
    }
    // Retried as the sweeper does: still unmatched (its payment is still unknown), with a later next attempt.
    const after = await storedEvent(refunded.id);
    expect(after.status).toBe("unmatched");
    expect(after.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now());
    expect(calls).toContain(`POST /api/cron/webhooks/retry Bearer ${CRON_SECRET}`);
    expect(calls).toContain(`POST /api/cron/credits Bearer ${CRON_SECRET}`);
  });

  it("says why when a route refuses it, and reads its interval from the environment", async () => {
    const lines: string[] = [];
    const cron = startDevCron({ appUrl, cronSecret: "not-the-cron-secret-0123456789", intervalMs: 0, log: (line) => lines.push(line) });
    await cron.runOnce();
    cron.stop();
    expect(lines[0]).toMatch(/^\[dev cron\] \/api\/cron\/webhooks\/retry answered 401/);

    expect(devCronIntervalMs(undefined)).toBe(DEFAULT_DEV_CRON_INTERVAL_MS);
    expect(devCronIntervalMs("5")).toBe(5000);
    expect(devCronIntervalMs("0")).toBe(0);
    expect(() => devCronIntervalMs("1.5")).toThrow(/whole number of seconds/);
  });
});
