// Fault: the server process dies (SIGKILL: no shutdown hook, no after() task, no rollback sent)
// after events are stored and before they are applied. On restart, the sweeper must apply each
// exactly once.
//
// To stop events between "stored" and "applied" without touching the code, the test holds the row
// locks of their purchases in an open transaction: whatever applies a payment or a refund must update
// or lock its purchase, so it waits. The events take the general path (stored and committed, then
// claimed and processed): payment_intent.succeeded of top-ups, processed in the request, and
// charge.refunded, whose refunds are fetched from Stripe, so it may be processed in after(), once the
// 2xx has gone. (A top-up's checkout.session.completed may be stored and applied in one transaction,
// and so would not be stored while it waits: it is not used here.)
//
// The emulator here has no webhook endpoint: its retries would re-deliver the killed requests and
// apply them on their own, and this case is about what the sweeper does with the events a dead
// server left behind. The events themselves are the emulator's, from real top-ups and refunds.
import pg from "pg";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deliver,
  eventsAbout,
  expectEachTopUpAppliedOnce,
  expectEventsStoredAndFinished,
  inParallel,
  payCheckoutSession,
  startFaultCase,
  startTopUps,
  sweepUntilFinished,
  unfinishedEvents,
  type FaultCase,
  type TopUp,
} from "./fault-case";

// Each held event keeps one of the server's pooled connections waiting on the lock; staying under
// the pool's size (10) leaves it connections to store the rest.
const HELD_PAYMENTS = 4;
const HELD_REFUNDS = 3;
const REFUND_MINOR = 300; // £3.00, less than the smallest pack

let faultCase: FaultCase;
beforeAll(async () => {
  faultCase = await startFaultCase({ name: "crash", webhookEndpoints: 0 });
});
afterAll(() => faultCase?.close());

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${faultCase.server.logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function emittedFor(type: Stripe.Event.Type, topUps: readonly TopUp[]): Promise<Stripe.Event[]> {
  const byPurchase = await eventsAbout(faultCase.stripe, type, topUps);
  return topUps.map((topUp) => byPurchase.get(topUp.purchaseId) ?? expect.fail(`the emulator emitted no ${type} for ${topUp.checkoutSessionId}`));
}

/** Top-ups paid and credited (their checkout.session.completed delivered), then partly refunded on Stripe. */
async function refundedTopUps(count: number): Promise<TopUp[]> {
  const { db } = await import("@/lib/core/db");
  const topUps = await startTopUps(count);
  await inParallel(topUps, 4, (topUp) => payCheckoutSession(faultCase.emulator, topUp));
  for (const event of await emittedFor("checkout.session.completed", topUps)) expect(await deliver(faultCase.server, event)).toBe(200);
  await expectEachTopUpAppliedOnce(topUps);
  for (const topUp of topUps) {
    const { paymentIntentId } = await db().purchase.findUniqueOrThrow({ where: { id: topUp.purchaseId } });
    if (!paymentIntentId) throw new Error(`purchase ${topUp.purchaseId} was not paid`);
    await faultCase.stripe.refunds.create({ payment_intent: paymentIntentId, amount: REFUND_MINOR });
  }
  return topUps;
}

describe("a crash between storing and applying", () => {
  it("SIGKILL with events stored but not applied: after a restart the sweeper applies each exactly once", async () => {
    const { db } = await import("@/lib/core/db");
    const paid = await startTopUps(HELD_PAYMENTS);
    await inParallel(paid, 4, (topUp) => payCheckoutSession(faultCase.emulator, topUp));
    const refunded = await refundedTopUps(HELD_REFUNDS);
    const events = [...(await emittedFor("payment_intent.succeeded", paid)), ...(await emittedFor("charge.refunded", refunded))];
    const eventIds = events.map((event) => event.id);
    const topUps = [...paid, ...refunded];
    const entriesBefore = await db().ledgerEntry.count();
    let acknowledged = 0;

    const locker = new pg.Client({ connectionString: faultCase.database.url });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query(`SELECT "id" FROM "Purchase" WHERE "id" = ANY($1) FOR UPDATE`, [topUps.map((topUp) => topUp.purchaseId)]);

      // Sent and left hanging (or answered, then processed after the response): the server stores
      // each event, then waits on the lock until it dies.
      const requests = new AbortController();
      const answers = events.map((event) => deliver(faultCase.server, event, requests.signal));

      const held = await waitFor("every event stored", async () => {
        const rows = await db().webhookEvent.findMany({ where: { stripeEventId: { in: eventIds } }, select: { status: true } });
        return rows.length === eventIds.length ? rows : undefined;
      });
      // Stored (committed: this is another connection), not finished, and nothing applied.
      expect(held.map((row) => row.status).filter((status) => status !== "received" && status !== "processing")).toEqual([]);
      expect(await db().ledgerEntry.count()).toBe(entriesBefore);

      await faultCase.server.kill();
      requests.abort();
      acknowledged = (await Promise.all(answers)).filter((status) => status !== null && status >= 200 && status < 300).length;
      expect((await unfinishedEvents()).map((row) => row.stripeEventId).sort()).toEqual([...eventIds].sort());
    } finally {
      // The dead server's sessions may still be queued on the lock; once it is free they find their client gone.
      await locker.query("ROLLBACK").catch(() => undefined);
      await locker.end();
    }

    await faultCase.server.start();
    const leftForSweeper = await sweepUntilFinished(faultCase.server);
    console.log(`crash: ${acknowledged} of ${events.length} held events were acknowledged (2xx) before the kill; ${leftForSweeper} were left for the sweeper`);

    await expectEventsStoredAndFinished(eventIds);
    await expectEachTopUpAppliedOnce(topUps, new Map(refunded.map((topUp) => [topUp.purchaseId, REFUND_MINOR])));
  });
});
