import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "../core/db";
import { debit } from "../ledger";
import {
  checkoutSession,
  createPendingPurchase,
  dispute,
  paymentIntent,
  refund,
  refundedCharge,
  signatureFor,
  stripeEvent,
  walletState,
  webhookRoute,
  type JsonObject,
} from "@/test/webhook-events";

// End to end through the real route handlers, the real Postgres and real SDK signatures.

const CURRENT_SECRET = "whsec_test_current_secret_0123456789";
const OLD_SECRET = "whsec_test_old_secret_9876543210";
const CRON_SECRET = "cron-secret-for-tests-0123456789";
// Set before the first env() call, which happens inside the routes.
process.env.CRON_SECRET = CRON_SECRET;
// Deliveries are signed with the first of the two secrets the route accepts.
const webhook = await webhookRoute({ secret: `${CURRENT_SECRET},${OLD_SECRET}` });
const { POST: cronPOST } = await import("@/app/api/cron/webhooks/retry/route");
const { GET: healthGET } = await import("@/app/api/webhooks/health/route");
const { acceptEvent, claimEvent, processClaimedEvent, recordEvent, retryDueEvents } = await import("./index");
const { parseStoredEvent } = await import("../stripe");

const routeContext = { params: Promise.resolve({}) };

async function deliver(event: JsonObject, options: { secret?: string; timestamp?: number } = {}) {
  const response = await webhook.deliver(event, options);
  return { status: response.status, body: await response.json() };
}

function storedEvent(stripeEventId: string) {
  return db().webhookEvent.findUnique({ where: { stripeEventId } });
}

async function topUpEntries(userId: string) {
  return (await walletState(userId)).entries.filter((entry) => entry.type === "TOPUP");
}

/** A paid purchase: checkout.session.completed delivered and credited. */
async function paidPurchase(amountMinor: number) {
  const p = await createPendingPurchase(amountMinor);
  expect((await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).status).toBe(200);
  expect((await walletState(p.userId)).balanceMinor).toBe(amountMinor);
  return p;
}

describe("top-ups through the webhook", () => {
  it("credits once when the same event is delivered 50 times at once", async () => {
    const p = await createPendingPurchase(500); // £5.00
    const event = stripeEvent("checkout.session.completed", checkoutSession(p));
    const responses = await Promise.all(Array.from({ length: 50 }, () => deliver(event)));

    expect(responses.every((response) => response.status === 200)).toBe(true);
    // Exactly one delivery did the work; the rest saw it stored, in progress or done.
    expect(responses.filter((response) => response.body.outcome === "processed")).toHaveLength(1);
    const state = await walletState(p.userId);
    expect(state.balanceMinor).toBe(500); // £5.00
    expect(state.entries).toHaveLength(1);
    expect(state.entries[0]).toMatchObject({ type: "TOPUP", idempotencyKey: `topup:${p.checkoutSessionId}` });
    expect(await storedEvent(String(event.id))).toMatchObject({ status: "processed", attempts: 1, lastError: null });
    expect(await db().purchase.findUnique({ where: { id: p.purchase.id } })).toMatchObject({ status: "paid", paymentIntentId: p.paymentIntentId });
  });

  it("answers a redelivery of a processed event with 200 and no effect", async () => {
    const p = await createPendingPurchase(2000); // £20.00
    const event = stripeEvent("checkout.session.completed", checkoutSession(p));
    expect((await deliver(event)).body.outcome).toBe("processed");
    const again = await deliver(event);
    expect(again).toEqual({ status: 200, body: { received: true, outcome: "duplicate" } });
    expect((await walletState(p.userId)).balanceMinor).toBe(2000); // £20.00
  });

  it.each([
    ["checkout.session.completed first", ["checkout.session.completed", "payment_intent.succeeded"]],
    ["payment_intent.succeeded first", ["payment_intent.succeeded", "checkout.session.completed"]],
  ])("credits one payment once with %s", async (_label, order) => {
    const p = await createPendingPurchase(5000); // £50.00
    for (const type of order) {
      const object = type === "payment_intent.succeeded" ? paymentIntent(p) : checkoutSession(p);
      const response = await deliver(stripeEvent(type, object));
      expect(response.body.outcome).toBe("processed");
    }
    const entries = await topUpEntries(p.userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.amountMinor).toBe(5000); // £50.00
    expect(await db().purchase.findUnique({ where: { id: p.purchase.id } })).toMatchObject({
      status: "paid",
      paymentIntentId: p.paymentIntentId,
      chargeId: p.chargeId,
    });
  });

  it("credits once when completed, async success and payment_intent.succeeded race each other", async () => {
    const p = await createPendingPurchase(1500); // £15.00
    const events = [
      stripeEvent("checkout.session.completed", checkoutSession(p)),
      stripeEvent("checkout.session.async_payment_succeeded", checkoutSession(p)),
      stripeEvent("payment_intent.succeeded", paymentIntent(p)),
    ];
    await Promise.all([...events, ...events].map((event) => deliver(event)));
    expect((await walletState(p.userId)).balanceMinor).toBe(1500); // £15.00
    expect(await topUpEntries(p.userId)).toHaveLength(1);
  });

  it("waits for a delayed payment: unpaid → processing, then the async success credits", async () => {
    const p = await createPendingPurchase(500); // £5.00
    await deliver(stripeEvent("checkout.session.completed", checkoutSession(p, { payment_status: "unpaid" })));
    expect(await db().purchase.findUnique({ where: { id: p.purchase.id } })).toMatchObject({ status: "processing" });
    expect((await walletState(p.userId)).balanceMinor).toBe(0);

    await deliver(stripeEvent("checkout.session.async_payment_succeeded", checkoutSession(p, { payment_status: "paid" })));
    expect(await db().purchase.findUnique({ where: { id: p.purchase.id } })).toMatchObject({ status: "paid" });
    expect((await walletState(p.userId)).balanceMinor).toBe(500); // £5.00
  });

  it("marks a failed delayed payment failed and credits nothing", async () => {
    const p = await createPendingPurchase(500); // £5.00
    await deliver(stripeEvent("checkout.session.completed", checkoutSession(p, { payment_status: "unpaid" })));
    await deliver(stripeEvent("checkout.session.async_payment_failed", checkoutSession(p, { payment_status: "unpaid" })));
    const purchase = await db().purchase.findUniqueOrThrow({ where: { id: p.purchase.id } });
    expect(purchase.status).toBe("failed");
    expect(purchase.failureMessage).toBeTruthy();
    expect((await walletState(p.userId)).entries).toHaveLength(0);
  });

  it("records a plain reason for a decline from payment_intent.payment_failed, and an expiry", async () => {
    const p = await createPendingPurchase(500); // £5.00
    const declined = paymentIntent(p, {
      status: "requires_payment_method",
      amount_received: 0,
      latest_charge: null,
      last_payment_error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." },
    });
    await deliver(stripeEvent("payment_intent.payment_failed", declined));
    expect(await db().purchase.findUnique({ where: { id: p.purchase.id } })).toMatchObject({
      status: "failed",
      // Stripe's generic_decline, in the words lib/payments/purchases/failures.ts gives it.
      failureMessage: "Your card was declined. Try another card, or ask your bank why.",
    });
    await deliver(stripeEvent("checkout.session.expired", checkoutSession(p, { payment_status: "unpaid", status: "expired" })));
    expect(await db().purchase.findUnique({ where: { id: p.purchase.id } })).toMatchObject({ status: "expired" });
    expect((await walletState(p.userId)).balanceMinor).toBe(0);
  });

  it("stores a payment for a purchase Billfold does not know as unmatched, not processed, waiting for it", async () => {
    const p = await createPendingPurchase(500); // £5.00
    const unknownPurchaseId = `missing-${randomUUID()}`;
    const orphan = paymentIntent(p, {
      id: `pi_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`,
      metadata: { billfoldPurchaseId: unknownPurchaseId, billfoldUserId: p.userId, purpose: "topup" },
    });
    const event = stripeEvent("payment_intent.succeeded", orphan);
    expect((await deliver(event)).body.outcome).toBe("unmatched");
    const stored = await storedEvent(String(event.id));
    expect(stored).toMatchObject({ status: "unmatched", attempts: 1, processedAt: null });
    expect(stored?.awaitingReferences).toEqual(expect.arrayContaining([unknownPurchaseId, orphan.id]));
    expect(stored?.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now());
    expect((await walletState(p.userId)).entries).toHaveLength(0);
  });

  it("processes a PaymentIntent that carries no Billfold reference (e.g. a subscription invoice) with no effect", async () => {
    // Not ours: no billfoldPurchaseId, so waiting for a purchase would only end in a dead letter.
    const p = await createPendingPurchase(500); // £5.00
    const foreign = paymentIntent(p, { id: `pi_test_${randomUUID().slice(0, 8)}`, metadata: {} });
    const event = stripeEvent("payment_intent.succeeded", foreign);
    expect((await deliver(event)).body.outcome).toBe("processed");
    expect(await storedEvent(String(event.id))).toMatchObject({ status: "processed", awaitingReferences: [] });
    expect((await walletState(p.userId)).entries).toHaveLength(0);
  });
});

describe("a payment event racing startTopUp", () => {
  it("does not credit under a second key before the session id is saved; the session's own event wakes it", async () => {
    const p = await createPendingPurchase(500); // £5.00
    await db().purchase.update({ where: { id: p.purchase.id }, data: { checkoutSessionId: null } });
    const early = stripeEvent("payment_intent.succeeded", paymentIntent(p));
    expect((await deliver(early)).body.outcome).toBe("unmatched");
    expect(await storedEvent(String(early.id))).toMatchObject({ status: "unmatched", awaitingReferences: [p.purchase.id] });
    expect((await walletState(p.userId)).entries).toHaveLength(0);

    await db().purchase.update({ where: { id: p.purchase.id }, data: { checkoutSessionId: p.checkoutSessionId } });
    // Settling the payment wakes the early event, which then runs at once (no sweeper, no waiting for its backoff).
    await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)));
    expect(await storedEvent(String(early.id))).toMatchObject({ status: "processed", attempts: 2, awaitingReferences: [] });
    const entries = await topUpEntries(p.userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.amountMinor).toBe(500);
  });
});

describe("failures and the retry sweeper", () => {
  const triggers: string[] = [];
  afterEach(async () => {
    for (const name of triggers.splice(0)) {
      await db().$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${name} ON "Purchase"`);
      await db().$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${name}()`);
    }
  });

  /** Makes the next UPDATE of this one purchase fail, after the handler has already written the ledger entry. */
  async function breakPurchaseUpdates(purchaseId: string) {
    const name = `fail_purchase_${randomUUID().replaceAll("-", "")}`;
    triggers.push(name);
    await db().$executeRawUnsafe(`
      CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."id" = '${purchaseId}' THEN RAISE EXCEPTION 'injected failure for purchase %', NEW."id"; END IF;
        RETURN NEW;
      END $$`);
    await db().$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE UPDATE ON "Purchase" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    return name;
  }

  async function makeDue(stripeEventId: string) {
    await db().webhookEvent.update({ where: { stripeEventId }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
  }

  it("leaves no partial effect when a handler fails midway, and the sweeper later applies it exactly once", async () => {
    const p = await createPendingPurchase(2000); // £20.00
    const trigger = await breakPurchaseUpdates(p.purchase.id);
    const event = stripeEvent("checkout.session.completed", checkoutSession(p));

    const response = await deliver(event);
    // Stored, and Stripe is told it failed, so it delivers again as well as the sweeper retrying.
    expect(response).toMatchObject({ status: 500, body: { error: { code: "processing_failed" } } });
    // The credit was written before the purchase update failed; the rollback took it away.
    expect(await walletState(p.userId)).toMatchObject({ balanceMinor: 0, entries: [] });
    expect(await db().purchase.findUnique({ where: { id: p.purchase.id } })).toMatchObject({ status: "pending" });
    const failed = await storedEvent(String(event.id));
    expect(failed).toMatchObject({ status: "failed", attempts: 1, lockedAt: null });
    expect(failed?.lastError).toMatch(/injected failure/);
    // First retry 30 s out.
    const delaySeconds = ((failed?.nextAttemptAt?.getTime() ?? 0) - Date.now()) / 1000;
    expect(delaySeconds).toBeGreaterThan(20);
    expect(delaySeconds).toBeLessThanOrEqual(30);

    // Not due yet: the sweeper leaves it alone.
    await retryDueEvents({ limit: 100 });
    expect(await storedEvent(String(event.id))).toMatchObject({ status: "failed", attempts: 1 });

    await db().$executeRawUnsafe(`DROP TRIGGER ${trigger} ON "Purchase"`);
    await makeDue(String(event.id));
    await retryDueEvents({ limit: 100 });
    await retryDueEvents({ limit: 100 });

    expect(await storedEvent(String(event.id))).toMatchObject({ status: "processed", attempts: 2, lastError: null, nextAttemptAt: null });
    const state = await walletState(p.userId);
    expect(state.balanceMinor).toBe(2000); // £20.00
    expect(state.entries).toHaveLength(1);
    expect(await db().purchase.findUnique({ where: { id: p.purchase.id } })).toMatchObject({ status: "paid" });
  });

  it("backs off exponentially and gives up after the last attempt", async () => {
    const p = await createPendingPurchase(500); // £5.00
    await breakPurchaseUpdates(p.purchase.id);
    const event = stripeEvent("checkout.session.completed", checkoutSession(p));
    await deliver(event);
    const delays: number[] = [];
    for (let attempt = 2; attempt <= 10; attempt += 1) {
      const before = await storedEvent(String(event.id));
      delays.push(Math.round(((before?.nextAttemptAt?.getTime() ?? 0) - Date.now()) / 1000));
      await makeDue(String(event.id));
      await retryDueEvents({ limit: 100 });
    }
    // 30 s, 1 min, 2 min, 4 min … capped at 6 h.
    expect(delays.slice(0, 4).map((seconds) => Math.round(seconds / 30) * 30)).toEqual([30, 60, 120, 240]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(6 * 3600);
    const gaveUp = await storedEvent(String(event.id));
    expect(gaveUp).toMatchObject({ status: "dead", attempts: 10, nextAttemptAt: null });
    // Dead letters wait for an admin: the sweeper leaves them alone.
    await retryDueEvents({ limit: 100 });
    expect(await storedEvent(String(event.id))).toMatchObject({ status: "dead", attempts: 10 });
    expect((await walletState(p.userId)).entries).toHaveLength(0);
  });

  it("takes over events stuck in processing or never processed, once, with several sweepers at once", async () => {
    const purchases = await Promise.all(Array.from({ length: 6 }, () => createPendingPurchase(500))); // £5.00 each
    const events = purchases.map((p) => stripeEvent("checkout.session.completed", checkoutSession(p)));
    for (const [index, event] of events.entries()) {
      const parsed = parseStoredEvent(JSON.stringify(event));
      await recordEvent(parsed);
      // Half look like a worker died holding them; half like the process died right after storing them.
      await db().webhookEvent.update({
        where: { stripeEventId: parsed.id },
        data:
          index % 2 === 0
            ? { status: "processing", attempts: 1, lockedAt: new Date(Date.now() - 10 * 60_000) }
            : { receivedAt: new Date(Date.now() - 2 * 60_000) },
      });
    }
    await Promise.all(Array.from({ length: 5 }, () => retryDueEvents({ limit: 100 })));

    for (const [index, p] of purchases.entries()) {
      expect((await walletState(p.userId)).balanceMinor).toBe(500); // £5.00
      expect(await storedEvent(String(events[index]?.id))).toMatchObject({ status: "processed", attempts: index % 2 === 0 ? 2 : 1 });
    }
  });

  it("runs the sweep through the cron route only with the CRON_SECRET bearer", async () => {
    const cron = (authorization?: string) =>
      cronPOST(
        new Request("http://localhost/api/cron/webhooks/retry", { method: "POST", headers: authorization ? { authorization } : {} }),
        routeContext,
      );
    const missing = await cron();
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect((await cron(`Bearer ${CRON_SECRET}x`)).status).toBe(401);
    expect((await cron(CRON_SECRET)).status).toBe(401);
    const ok = await cron(`Bearer ${CRON_SECRET}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ claimed: expect.any(Number), outcomes: expect.any(Object) });
  });

  it("defers an event whose handler calls Stripe, and records the error when Stripe is unreachable", async () => {
    const p = await paidPurchase(500); // £5.00
    // Without the refund list in the event, the handler must ask Stripe: too slow to do before answering.
    const parsed = parseStoredEvent(JSON.stringify(stripeEvent("charge.refunded", refundedCharge(p, undefined))));
    const accepted = await acceptEvent(parsed);
    expect(accepted.outcome).toBe("deferred");
    expect(await storedEvent(parsed.id)).toMatchObject({ status: "processing", attempts: 1 });
    if (accepted.outcome !== "deferred") return;
    // This test process has no STRIPE_SECRET_KEY, so the Stripe call fails like an outage would.
    expect(await accepted.process()).toBe("failed");
    const failed = await storedEvent(parsed.id);
    expect(failed?.status).toBe("failed");
    expect(failed?.lastError).toMatch(/not configured/);
    expect((await walletState(p.userId)).balanceMinor).toBe(500); // £5.00: nothing refunded yet
  });

  it("does not let a worker whose claim was taken over commit its effects", async () => {
    const p = await createPendingPurchase(500); // £5.00
    const parsed = parseStoredEvent(JSON.stringify(stripeEvent("checkout.session.completed", checkoutSession(p))));
    const { row } = await recordEvent(parsed);
    const first = await claimEvent(row.id);
    // The first worker stalls past the stale-lock limit, and a second one takes the event over.
    await db().webhookEvent.update({ where: { id: row.id }, data: { lockedAt: new Date(Date.now() - 10 * 60_000) } });
    const second = await claimEvent(row.id);
    expect(first?.attempts).toBe(1);
    expect(second?.attempts).toBe(2);
    if (!first || !second) return;
    expect(await processClaimedEvent(first)).toBe("failed");
    expect((await walletState(p.userId)).entries).toHaveLength(0);
    expect(await processClaimedEvent(second)).toBe("processed");
    expect((await walletState(p.userId)).balanceMinor).toBe(500); // £5.00
  });
});

describe("signatures and limits", () => {
  async function expectRejected(response: Response) {
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "invalid_signature", message: expect.any(String) } });
    expect(text).not.toMatch(/whsec_|secret_/);
  }

  it("rejects forged, stale and missing signatures, storing nothing", async () => {
    const event = stripeEvent("checkout.session.completed", checkoutSession(await createPendingPurchase(500)));
    const body = JSON.stringify(event);
    await expectRejected(await webhook.post(body, signatureFor(body, "whsec_forged_by_someone_else")));
    // Signed correctly, but 301+ seconds ago: outside Stripe's 300 s tolerance.
    await expectRejected(await webhook.post(body, signatureFor(body, CURRENT_SECRET, Math.floor(Date.now() / 1000) - 400)));
    await expectRejected(await webhook.post(body, null));
    // A genuine signature over a different body.
    await expectRejected(await webhook.post(body.replace('"paid"', '"unpaid"'), signatureFor(body, CURRENT_SECRET)));
    expect(await storedEvent(String(event.id))).toBeNull();
  });

  it("accepts an event signed with the previous secret while two are configured (rotation)", async () => {
    const p = await createPendingPurchase(500); // £5.00
    const response = await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)), { secret: OLD_SECRET });
    expect(response).toEqual({ status: 200, body: { received: true, outcome: "processed" } });
    expect((await walletState(p.userId)).balanceMinor).toBe(500); // £5.00
  });

  it("answers 200 to an event type Billfold does not handle and records it as ignored", async () => {
    const event = stripeEvent("customer.created", { id: "cus_test_ignored", object: "customer", email: "x@example.test", metadata: {} });
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "ignored" } });
    expect(await storedEvent(String(event.id))).toMatchObject({ status: "ignored", type: "customer.created" });
  });

  it("refuses bodies over 1 MB with 413 before looking at them, by header or by actual length", async () => {
    const huge = JSON.stringify(stripeEvent("customer.created", { id: "cus_big", object: "customer", note: "x".repeat(1024 * 1024) }));
    const withHeader = await webhook.post(huge, signatureFor(huge, CURRENT_SECRET), { "content-length": String(Buffer.byteLength(huge)) });
    expect(withHeader.status).toBe(413);
    expect(await withHeader.json()).toMatchObject({ error: { code: "payload_too_large" } });
    const withoutHeader = await webhook.deliver(huge);
    expect(withoutHeader.status).toBe(413);
    expect(await db().webhookEvent.findFirst({ where: { payload: { path: ["data", "object", "id"], equals: "cus_big" } } })).toBeNull();
  });

  it("reports health without payloads", async () => {
    await deliver(stripeEvent("customer.created", { id: "cus_test_health", object: "customer", metadata: {} }));
    const response = await healthGET(new Request("http://localhost/api/webhooks/health"), routeContext);
    expect(response.status).toBe(200);
    const text = await response.text();
    const health = JSON.parse(text);
    expect(health).toMatchObject({
      status: expect.stringMatching(/^(ok|degraded)$/),
      lastEventAt: expect.any(String),
      last24h: { processed: expect.any(Number), ignored: expect.any(Number), unmatched: expect.any(Number), failed: expect.any(Number), dead: expect.any(Number) },
      failed: expect.any(Number),
      unmatched: { waiting: expect.any(Number), overdue: expect.any(Number) },
      dead: expect.any(Number),
      pending: expect.any(Number),
    });
    expect(health.last24h.ignored).toBeGreaterThan(0);
    expect(health.last24h.successRate).toBeGreaterThan(0);
    expect(health.last24h.successRate).toBeLessThanOrEqual(1);
    expect(Date.now() - Date.parse(health.lastEventAt)).toBeLessThan(60_000);
    expect(text).not.toMatch(/cus_test_health|evt_|cs_test_/);
  });
});

describe("refunds and disputes", () => {
  it("debits a full refund once, however often it is reported", async () => {
    const p = await paidPurchase(500); // £5.00
    const full = refund(p, 500); // £5.00
    const event = stripeEvent("charge.refunded", refundedCharge(p, [full]));
    await deliver(event);
    await deliver(stripeEvent("charge.refunded", refundedCharge(p, [full]))); // a second event naming the same refund
    await deliver(stripeEvent("charge.refund.updated", full));
    const state = await walletState(p.userId);
    expect(state.balanceMinor).toBe(0);
    expect(state.entries.filter((entry) => entry.type === "REFUND")).toEqual([
      expect.objectContaining({ amountMinor: -500, idempotencyKey: `refund:${full.id}`, stripeObjectId: full.id }),
    ]);
    expect(await db().purchase.findUnique({ where: { id: p.purchase.id } })).toMatchObject({ chargeId: p.chargeId });
  });

  it("debits partial refunds one by one, skipping pending ones until they succeed", async () => {
    const p = await paidPurchase(2000); // £20.00
    const first = refund(p, 500); // £5.00
    await deliver(stripeEvent("charge.refunded", refundedCharge(p, [first])));
    expect((await walletState(p.userId)).balanceMinor).toBe(1500); // £15.00

    const second = refund(p, 700, { status: "pending" }); // £7.00, not yet final
    await deliver(stripeEvent("charge.refunded", refundedCharge(p, [second, first])));
    expect((await walletState(p.userId)).balanceMinor).toBe(1500); // £15.00

    await deliver(stripeEvent("charge.refund.updated", { ...second, status: "succeeded" }));
    const state = await walletState(p.userId);
    expect(state.balanceMinor).toBe(800); // £8.00
    expect(state.entries.filter((entry) => entry.type === "REFUND").map((entry) => entry.amountMinor).sort()).toEqual([-500, -700]);
  });

  it("lets a refund take the wallet negative when the credit was already spent", async () => {
    const p = await paidPurchase(500); // £5.00
    await db().$transaction((tx) =>
      debit(tx, { userId: p.userId, currency: "GBP", amountMinor: 400, type: "USAGE", idempotencyKey: `spend:${p.userId}` }), // £4.00
    );
    await deliver(stripeEvent("charge.refunded", refundedCharge(p, [refund(p, 500)])));
    expect((await walletState(p.userId)).balanceMinor).toBe(-400); // -£4.00
  });

  it("holds a disputed amount and releases it when the dispute is won", async () => {
    const p = await paidPurchase(2000); // £20.00
    await deliver(stripeEvent("charge.dispute.created", dispute(p, "needs_response")));
    expect((await walletState(p.userId)).balanceMinor).toBe(0);
    await deliver(stripeEvent("charge.dispute.closed", dispute(p, "won")));
    const state = await walletState(p.userId);
    expect(state.balanceMinor).toBe(2000); // £20.00
    expect(state.entries.map((entry) => entry.type).sort()).toEqual(["DISPUTE_HOLD", "DISPUTE_RELEASE", "TOPUP"]);
  });

  it("keeps the hold when the dispute is lost, even after the credit was spent", async () => {
    const p = await paidPurchase(1000); // £10.00
    await db().$transaction((tx) =>
      debit(tx, { userId: p.userId, currency: "GBP", amountMinor: 600, type: "USAGE", idempotencyKey: `spend:${p.userId}` }), // £6.00
    );
    await deliver(stripeEvent("charge.dispute.created", dispute(p, "needs_response")));
    await deliver(stripeEvent("charge.dispute.closed", dispute(p, "lost")));
    const state = await walletState(p.userId);
    expect(state.balanceMinor).toBe(-600); // -£6.00
    expect(state.entries.filter((entry) => entry.type === "DISPUTE_HOLD")).toHaveLength(1);
    expect(state.entries.filter((entry) => entry.type === "DISPUTE_RELEASE")).toHaveLength(0);
  });

  it("applies a won dispute correctly when closed arrives before created", async () => {
    const p = await paidPurchase(500); // £5.00
    await deliver(stripeEvent("charge.dispute.closed", dispute(p, "won")));
    await deliver(stripeEvent("charge.dispute.created", dispute(p, "needs_response")));
    const state = await walletState(p.userId);
    expect(state.balanceMinor).toBe(500); // £5.00
    expect(state.entries.filter((entry) => entry.type === "DISPUTE_HOLD")).toHaveLength(1);
    expect(state.entries.filter((entry) => entry.type === "DISPUTE_RELEASE")).toHaveLength(1);
  });
});
