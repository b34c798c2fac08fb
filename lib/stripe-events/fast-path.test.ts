import { describe, expect, it } from "vitest";
import type Stripe from "stripe";
import { db } from "../core/db";
import { credit, topUpKey } from "../ledger";
import { checkoutSession, createPendingPurchase, stripeEvent, walletState, type JsonObject } from "@/test/webhook-events";
import { parseStoredEvent } from "../stripe";
import { acceptEvent, claimEvent, processClaimedEvent, processUnclaimedEvent, recordEvent } from "./index";
import { acceptWithFastPath } from "./inbox";

// The fast path writes in one SQL statement what the general path writes through lib/payments/purchases and
// lib/ledger. Its credit is the ledger's own (lib/ledger/one-statement-credit.ts, held to credit()
// by its tests, negative balances and grant terms included) from the same purchaseCredit; these
// tests hold the rest to the same rows, and check that every case the fast path does not settle
// still ends where the general path puts it.

function asEvent(event: JsonObject): { event: Stripe.Event; rawBody: string } {
  const rawBody = JSON.stringify(event);
  return { event: parseStoredEvent(rawBody), rawBody };
}

async function rowsOf(userId: string, purchaseId: string, stripeEventId: string) {
  const { entries, balanceMinor } = await walletState(userId);
  return {
    balanceMinor,
    entries: entries.map(({ type, amountMinor, balanceAfterMinor, idempotencyKey, stripeObjectId, description }) => ({
      type,
      amountMinor,
      balanceAfterMinor,
      idempotencyKey: idempotencyKey.replace(/cs_test_\w+/, "cs"),
      stripeObjectId: stripeObjectId?.replace(/pi_test_\w+/, "pi"),
      description,
    })),
    // The grant the credit opened, and any draw that repaid a negative balance.
    grants: (
      await db().creditGrant.findMany({
        where: { wallet: { userId } },
        orderBy: { createdAt: "asc" },
        select: { source: true, category: true, amountMinor: true, remainingMinor: true, priority: true, expiresAt: true, purchaseId: true, draws: { select: { amountMinor: true } } },
      })
    ).map((grant) => ({ ...grant, purchaseId: grant.purchaseId === purchaseId ? "<purchase>" : grant.purchaseId })),
    purchase: await db().purchase.findUniqueOrThrow({
      where: { id: purchaseId },
      select: { status: true, failureMessage: true, paymentIntentId: true, chargeId: true, paidAt: true },
    }),
    // The receipt email queued with the credit, with the purchase's own id taken out to compare two purchases.
    emails: (await db().emailOutbox.findMany({ where: { userId }, select: { key: true, kind: true, payload: true } })).map((email) => ({
      ...email,
      key: email.key.replace(purchaseId, "<purchase>"),
      payload: JSON.stringify(email.payload).replace(purchaseId, "<purchase>"),
    })),
    event: await db().webhookEvent.findUniqueOrThrow({
      where: { stripeEventId },
      select: { status: true, attempts: true, lastError: true, lockedAt: true, nextAttemptAt: true, awaitingReferences: true, processedAt: true, payload: true },
    }),
  };
}

describe("webhook fast path", () => {
  it("stores and applies a paid top-up in one transaction, writing the same rows as the general path", async () => {
    const fast = await createPendingPurchase(1500, "GBP"); // £15.00
    const fastEvent = asEvent(stripeEvent("checkout.session.completed", checkoutSession(fast)));
    expect(await acceptWithFastPath(fastEvent.event, fastEvent.rawBody)).toEqual({ outcome: "processed", woken: 0, emailsQueued: 1 });

    const general = await createPendingPurchase(1500, "GBP");
    const generalEvent = asEvent(stripeEvent("checkout.session.completed", checkoutSession(general)));
    const { row } = await recordEvent(generalEvent.event);
    const claimed = await claimEvent(row.id);
    expect(claimed && (await processClaimedEvent(claimed))).toBe("processed");

    const fastRows = await rowsOf(fast.userId, fast.purchase.id, fastEvent.event.id);
    const generalRows = await rowsOf(general.userId, general.purchase.id, generalEvent.event.id);
    expect(fastRows.balanceMinor).toBe(1500);
    expect(fastRows.entries).toEqual(generalRows.entries);
    expect(fastRows.emails).toEqual(generalRows.emails);
    expect(fastRows.grants).toEqual(generalRows.grants);
    expect(fastRows.grants).toEqual([{ source: "topup", category: "paid", amountMinor: 1500, remainingMinor: 1500, priority: 50, expiresAt: null, purchaseId: "<purchase>", draws: [] }]);
    expect(fastRows.emails).toEqual([{ key: "topup-receipt:<purchase>", kind: "topup_receipt", payload: '{"purchaseId":"<purchase>"}' }]);
    expect(fastRows.entries[0]).toMatchObject({ type: "TOPUP", amountMinor: 1500, balanceAfterMinor: 1500, description: "Starter credit pack" });
    expect({ ...fastRows.purchase, paidAt: null, paymentIntentId: null }).toEqual({ ...generalRows.purchase, paidAt: null, paymentIntentId: null });
    expect(fastRows.purchase).toMatchObject({ status: "paid", paymentIntentId: fast.paymentIntentId, paidAt: expect.any(Date) });
    expect({ ...fastRows.event, processedAt: null, payload: null }).toEqual({ ...generalRows.event, processedAt: null, payload: null });
    expect(fastRows.event).toMatchObject({ status: "processed", attempts: 1, lockedAt: null, processedAt: expect.any(Date) });
    // Stored as Stripe sent it, not re-serialised from the parsed event.
    expect(fastRows.event.payload).toEqual(JSON.parse(fastEvent.rawBody));
  });

  it("credits a second top-up of the same wallet on top of the first (balanceAfterMinor is the running total)", async () => {
    const first = await createPendingPurchase(500);
    const second = await createPendingPurchase(700);
    await db().purchase.update({ where: { id: second.purchase.id }, data: { userId: first.userId } });
    const secondOfFirstUser = { ...second, userId: first.userId };
    for (const p of [first, secondOfFirstUser]) {
      const { event, rawBody } = asEvent(stripeEvent("checkout.session.completed", checkoutSession(p)));
      expect((await acceptWithFastPath(event, rawBody)).outcome).toBe("processed");
    }
    const state = await walletState(first.userId);
    expect(state.balanceMinor).toBe(1200);
    expect(state.entries.map((entry) => entry.balanceAfterMinor).sort((a, b) => a - b)).toEqual([500, 1200]);
  });

  it("hands a purchase that is already paid to the general path: processed, nothing credited twice", async () => {
    const p = await createPendingPurchase(500);
    await acceptEvent(asEvent(stripeEvent("checkout.session.completed", checkoutSession(p))).event);
    // Another event about the same payment (Stripe may send one per type, each with its own id).
    const again = asEvent(stripeEvent("checkout.session.completed", checkoutSession(p)));
    const result = await acceptWithFastPath(again.event, again.rawBody);
    expect(result.outcome).toBe("stored");
    if (result.outcome === "stored") expect(await processUnclaimedEvent(result.row, { event: again.event })).toBe("processed");
    expect(await walletState(p.userId)).toMatchObject({ balanceMinor: 500, sumOfEntriesMinor: 500 });
  });

  it("leaves a mismatch, an unknown purchase and a missing session id to the general path's verdicts", async () => {
    const mismatched = await createPendingPurchase(500);
    const wrongAmount = stripeEvent("checkout.session.completed", checkoutSession(mismatched, { amount_total: 499 }));
    expect(await acceptEvent(asEvent(wrongAmount).event)).toEqual({ outcome: "failed" });

    const unknown = await createPendingPurchase(500);
    const session = checkoutSession(unknown, { id: "cs_test_nobodyknows", metadata: { billfoldPurchaseId: "missing-purchase", purpose: "topup" } });
    expect(await acceptEvent(asEvent(stripeEvent("checkout.session.completed", session)).event)).toEqual({ outcome: "unmatched" });

    const early = await createPendingPurchase(500);
    await db().purchase.update({ where: { id: early.purchase.id }, data: { checkoutSessionId: null } });
    expect(await acceptEvent(asEvent(stripeEvent("checkout.session.completed", checkoutSession(early))).event)).toEqual({ outcome: "unmatched" });

    for (const p of [mismatched, unknown, early]) expect((await walletState(p.userId)).entries).toHaveLength(0);
  });

  it("rolls back whole when its credit collides with an existing key, and the general path decides", async () => {
    const p = await createPendingPurchase(500);
    // The key is taken while the purchase still looks unpaid (as if another writer got there first).
    await db().$transaction((tx) =>
      credit(tx, { userId: p.userId, currency: "GBP", amountMinor: 500, type: "TOPUP", idempotencyKey: topUpKey(p.checkoutSessionId) }),
    );
    const { event, rawBody } = asEvent(stripeEvent("checkout.session.completed", checkoutSession(p)));
    expect(await acceptWithFastPath(event, rawBody)).toEqual({ outcome: "not_taken" });
    // Not even the event: the statement failed whole.
    expect(await db().webhookEvent.findUnique({ where: { stripeEventId: event.id } })).toBeNull();

    expect(await acceptEvent(event, rawBody)).toEqual({ outcome: "processed" });
    expect(await walletState(p.userId)).toMatchObject({ balanceMinor: 500, sumOfEntriesMinor: 500 });
    expect(await db().purchase.findUniqueOrThrow({ where: { id: p.purchase.id } })).toMatchObject({ status: "paid" });
  });

  it("settles on a redelivery of an event that waited, and the general path then finishes the stored row", async () => {
    const p = await createPendingPurchase(800);
    await db().purchase.update({ where: { id: p.purchase.id }, data: { checkoutSessionId: null } });
    const { event, rawBody } = asEvent(stripeEvent("checkout.session.completed", checkoutSession(p)));
    expect(await acceptEvent(event, rawBody)).toEqual({ outcome: "unmatched" });

    await db().purchase.update({ where: { id: p.purchase.id }, data: { checkoutSessionId: p.checkoutSessionId } });
    expect(await acceptEvent(event, rawBody)).toEqual({ outcome: "processed" });
    expect(await db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: event.id } })).toMatchObject({ status: "processed", attempts: 2 });
    expect(await walletState(p.userId)).toMatchObject({ balanceMinor: 800, sumOfEntriesMinor: 800 });
    expect((await walletState(p.userId)).entries).toHaveLength(1);
  });

  it("credits once when 30 different events about one payment race through it", async () => {
    const p = await createPendingPurchase(900);
    const events = Array.from({ length: 30 }, () => asEvent(stripeEvent("checkout.session.completed", checkoutSession(p))));
    const outcomes = await Promise.all(events.map(({ event, rawBody }) => acceptEvent(event, rawBody)));
    expect(outcomes.every((outcome) => outcome.outcome === "processed")).toBe(true);
    expect(await walletState(p.userId)).toMatchObject({ balanceMinor: 900, sumOfEntriesMinor: 900 });
    expect((await walletState(p.userId)).entries).toHaveLength(1);
  });
});
