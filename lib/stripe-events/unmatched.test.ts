import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { findLedgerViolations } from "../ledger/invariants";
import {
  checkoutSession,
  createPendingPurchase,
  paymentIntent,
  refund,
  refundedCharge,
  stripeEvent,
  walletState,
  webhookRoute,
  type JsonObject,
} from "@/test/webhook-events";

// Events that arrive before what they name is known: stored as unmatched, woken when it appears,
// dead after the last attempt. Through the real route, real Postgres and real SDK signatures.

// No Stripe key: test mode, and any Stripe call fails like an outage (none is needed here).
const webhook = await webhookRoute({ secret: "whsec_test_unmatched_0123456789" });
const { retryDueEvents, MAX_ATTEMPTS } = await import("./index");
const { getWebhookHealth, UNMATCHED_ALERT_MS } = await import("../events");
const { replayWebhookEvent } = await import("../admin");
const { stripeKeyIsLive } = await import("../stripe");

async function deliver(event: JsonObject) {
  const response = await webhook.deliver(event);
  return { status: response.status, body: await response.json() };
}

const storedEvent = (stripeEventId: unknown) => db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: String(stripeEventId) } });

function entriesOfType(entries: Array<{ type: string; amountMinor: number }>, type: string) {
  return entries.filter((entry) => entry.type === type).map((entry) => entry.amountMinor);
}

describe("a refund that arrives before its payment is known", () => {
  it("is unmatched, then credited and refunded exactly once when the payment arrives (duplicates too)", async () => {
    const p = await createPendingPurchase(2000); // £20.00
    const partial = refund(p, 500); // £5.00
    const refunded = stripeEvent("charge.refunded", refundedCharge(p, [partial]));

    // The payment's own event has not been applied (it is failing, or not sent yet): the refund waits.
    expect((await deliver(refunded)).body.outcome).toBe("unmatched");
    const waiting = await storedEvent(refunded.id);
    expect(waiting).toMatchObject({ status: "unmatched", attempts: 1, processedAt: null });
    expect(waiting.awaitingReferences).toEqual(expect.arrayContaining([p.purchase.id, p.chargeId, p.paymentIntentId]));
    expect(waiting.lastError).toMatch(/UnmatchedEventError/);
    expect((await walletState(p.userId)).entries).toEqual([]);
    // Stripe delivers it again: still unmatched, still nothing moved.
    expect((await deliver(refunded)).body.outcome).toBe("unmatched");
    expect((await walletState(p.userId)).entries).toEqual([]);

    // The payment arrives, twice, and through both of its events.
    const paid = stripeEvent("checkout.session.completed", checkoutSession(p));
    expect((await deliver(paid)).body.outcome).toBe("processed");
    expect((await deliver(paid)).body.outcome).toBe("duplicate");
    expect((await deliver(stripeEvent("payment_intent.succeeded", paymentIntent(p)))).body.outcome).toBe("processed");

    // The waiting refund ran right after the payment's commit, without the sweeper.
    expect(await storedEvent(refunded.id)).toMatchObject({ status: "processed", attempts: 3, awaitingReferences: [], lastError: null });
    // Its redelivery, and another event naming the same refund, change nothing.
    expect((await deliver(refunded)).body.outcome).toBe("duplicate");
    expect((await deliver(stripeEvent("charge.refunded", refundedCharge(p, [partial])))).body.outcome).toBe("processed");
    await retryDueEvents({ limit: 100 });

    const state = await walletState(p.userId);
    expect(entriesOfType(state.entries, "TOPUP")).toEqual([2000]); // +£20.00 once
    expect(entriesOfType(state.entries, "REFUND")).toEqual([-500]); // −£5.00 once
    expect(state.balanceMinor).toBe(1500); // £15.00
    expect(state.sumOfEntriesMinor).toBe(1500);
    expect(await db().purchase.findUniqueOrThrow({ where: { id: p.purchase.id } })).toMatchObject({ status: "paid", chargeId: p.chargeId });
    expect((await findLedgerViolations()).violations).toEqual([]);
  });
});

describe("a refund that fails after it was applied", () => {
  async function paidPurchase(amountMinor: number) {
    const p = await createPendingPurchase(amountMinor);
    expect((await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).body.outcome).toBe("processed");
    return p;
  }

  it.each(["failed", "canceled"])("puts the money back exactly once when it ends %s", async (endStatus) => {
    const p = await paidPurchase(1000); // £10.00
    const r = refund(p, 400); // £4.00
    expect((await deliver(stripeEvent("charge.refund.updated", r))).body.outcome).toBe("processed");
    expect((await walletState(p.userId)).balanceMinor).toBe(600); // £6.00

    const undone = stripeEvent("charge.refund.updated", { ...r, status: endStatus, failure_reason: "lost_or_stolen_card" });
    expect((await deliver(undone)).body.outcome).toBe("processed");
    expect((await deliver(undone)).body.outcome).toBe("duplicate");
    // A second event reporting the same end, and a stale one still saying succeeded: no further movement.
    expect((await deliver(stripeEvent("charge.refund.updated", { ...r, status: endStatus }))).body.outcome).toBe("processed");
    expect((await deliver(stripeEvent("charge.refunded", refundedCharge(p, [r])))).body.outcome).toBe("processed");

    const state = await walletState(p.userId);
    expect(entriesOfType(state.entries, "REFUND")).toEqual([-400]);
    expect(state.entries.filter((entry) => entry.type === "REFUND_REVERSAL")).toEqual([
      expect.objectContaining({ amountMinor: 400, idempotencyKey: `refund_reversal:${r.id}`, stripeObjectId: r.id }),
    ]);
    expect(state.balanceMinor).toBe(1000); // £10.00 again
  });

  it("moves nothing for a refund that fails before it was ever debited", async () => {
    const p = await paidPurchase(1000); // £10.00
    const r = refund(p, 400, { status: "pending" }); // £4.00
    await deliver(stripeEvent("charge.refund.updated", r));
    await deliver(stripeEvent("charge.refund.updated", { ...r, status: "failed" }));
    const state = await walletState(p.userId);
    expect(state.balanceMinor).toBe(1000); // £10.00
    expect(state.entries.map((entry) => entry.type)).toEqual(["TOPUP"]);
  });
});

describe("a refund Stripe reported failed or canceled first", () => {
  async function paidPurchase(amountMinor: number) {
    const p = await createPendingPurchase(amountMinor);
    expect((await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).body.outcome).toBe("processed");
    return p;
  }

  it.each(["failed", "canceled"])("is never debited by an older event still saying succeeded, through any path (%s)", async (endStatus) => {
    const p = await paidPurchase(1000); // £10.00
    const r = refund(p, 400); // £4.00
    // The end arrives first: nothing was debited, so nothing moves.
    expect((await deliver(stripeEvent("charge.refund.updated", { ...r, status: endStatus, failure_reason: "lost_or_stolen_card" }))).body.outcome).toBe("processed");
    // Then the older events that still say succeeded: Stripe's retry, the refunded charge with the refund embedded.
    expect((await deliver(stripeEvent("charge.refund.updated", r))).body.outcome).toBe("processed");
    expect((await deliver(stripeEvent("charge.refunded", refundedCharge(p, [r])))).body.outcome).toBe("processed");
    // And an admin replay of one that had failed in the inbox.
    const stale = stripeEvent("charge.refund.updated", r);
    const failedRow = await db().webhookEvent.create({
      data: { stripeEventId: String(stale.id), type: "charge.refund.updated", payload: stale as object, status: "failed", attempts: 1, lastError: "Error: database unavailable" },
    });
    expect(await replayWebhookEvent(failedRow.id, { id: `admin-${randomUUID()}`, email: "admin@example.test" })).toMatchObject({ outcome: "processed" });

    const state = await walletState(p.userId);
    expect(state.entries.map((entry) => entry.type)).toEqual(["TOPUP"]);
    expect(state.balanceMinor).toBe(1000); // £10.00: unchanged
    expect(state.sumOfEntriesMinor).toBe(1000);
    expect(await db().purchase.findUniqueOrThrow({ where: { id: p.purchase.id } })).toMatchObject({ refundedMinor: 0 });
    expect((await findLedgerViolations()).violations).toEqual([]);
  });
});

describe("dead letters and health", () => {
  it("makes an event that exhausts its attempts dead, and the health degraded", async () => {
    const p = await createPendingPurchase(500); // £5.00
    const orphan = paymentIntent(p, {
      id: `pi_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`,
      metadata: { billfoldPurchaseId: `gone-${randomUUID()}`, purpose: "topup" },
    });
    const event = stripeEvent("payment_intent.succeeded", orphan);
    expect((await deliver(event)).body.outcome).toBe("unmatched");
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt += 1) {
      expect(await storedEvent(event.id)).toMatchObject({ status: "unmatched", attempts: attempt - 1 });
      await db().webhookEvent.update({ where: { stripeEventId: String(event.id) }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
      await retryDueEvents({ limit: 100 });
    }
    const dead = await storedEvent(event.id);
    expect(dead).toMatchObject({ status: "dead", attempts: MAX_ATTEMPTS, nextAttemptAt: null });
    expect(dead.lastError).toMatch(/UnmatchedEventError/);

    const health = await getWebhookHealth();
    expect(health.status).toBe("degraded");
    expect(health.dead).toBeGreaterThan(0);
  });

  it("counts an unmatched event as overdue only once it has waited past the threshold", async () => {
    const p = await createPendingPurchase(500); // £5.00
    const orphan = paymentIntent(p, { id: `pi_test_${randomUUID().slice(0, 8)}`, metadata: { billfoldPurchaseId: `late-${randomUUID()}` } });
    expect((await deliver(stripeEvent("payment_intent.succeeded", orphan))).body.outcome).toBe("unmatched");
    const now = await getWebhookHealth();
    const later = await getWebhookHealth(new Date(Date.now() + UNMATCHED_ALERT_MS + 60_000));
    expect(now.unmatched.waiting).toBeGreaterThan(0);
    expect(later.unmatched.overdue).toBeGreaterThanOrEqual(now.unmatched.overdue + 1);
    expect(later.status).toBe("degraded");
  });
});

describe("livemode", () => {
  it("refuses an event whose livemode differs from the key's mode with 400, and stores nothing", async () => {
    const p = await createPendingPurchase(500); // £5.00
    const live: JsonObject = { ...stripeEvent("checkout.session.completed", checkoutSession(p)), livemode: true };
    const response = await deliver(live);
    expect(response).toEqual({ status: 400, body: { error: { code: "livemode_mismatch", message: expect.any(String) } } });
    expect(await db().webhookEvent.findUnique({ where: { stripeEventId: String(live.id) } })).toBeNull();
    expect((await walletState(p.userId)).entries).toEqual([]);
    // The same event in test mode is accepted.
    expect((await deliver({ ...live, livemode: false })).body.outcome).toBe("processed");
  });

  it("reads the mode from the key: sk_live_/rk_live_ are live, anything else test", () => {
    expect(stripeKeyIsLive("sk_live_abc")).toBe(true);
    expect(stripeKeyIsLive("rk_live_abc")).toBe(true);
    expect(stripeKeyIsLive("sk_test_abc")).toBe(false);
    expect(stripeKeyIsLive("rk_test_abc")).toBe(false);
    expect(stripeKeyIsLive(undefined)).toBe(false);
  });
});
