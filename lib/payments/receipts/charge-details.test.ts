import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../../core/db";
import {
  checkoutSession,
  createPendingPurchase,
  refundedCharge,
  stripeEvent,
  walletState,
  webhookRoute,
  type JsonObject,
  type TestPurchase,
} from "@/test/webhook-events";

// charge.succeeded copies Stripe's receipt page and the card that paid onto the purchase, through the
// real webhook route, inbox and Postgres. It never moves money, and charges that are not ours change nothing.

const webhook = await webhookRoute({ secret: "whsec_test_receipts_0123456789" });

async function deliver(event: JsonObject) {
  const response = await webhook.deliver(event);
  expect(response.status).toBe(200);
  return (await response.json()) as { received: boolean; outcome: string };
}

/** A succeeded card charge as charge.succeeded carries it (shape after Stripe's charge fixture). */
function succeededCharge(p: TestPurchase, overrides: JsonObject = {}): JsonObject {
  return {
    ...refundedCharge(p, undefined),
    payment_method_details: {
      type: "card",
      card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034, funding: "credit", country: "US", network: "visa" },
    },
    receipt_url: `https://pay.stripe.example/receipts/payment/${p.chargeId}`,
    ...overrides,
  };
}

function receiptColumns(purchaseId: string) {
  return db().purchase.findUniqueOrThrow({
    where: { id: purchaseId },
    select: { receiptUrl: true, cardBrand: true, cardLast4: true, chargeId: true, status: true, updatedAt: true },
  });
}

describe("charge.succeeded → receipt details", () => {
  it("records the receipt URL, brand and last 4 on our purchase (found by its metadata), and credits nothing", async () => {
    const p = await createPendingPurchase(500); // £5.00
    const event = stripeEvent("charge.succeeded", succeededCharge(p));
    expect((await deliver(event)).outcome).toBe("processed");

    expect(await receiptColumns(p.purchase.id)).toMatchObject({
      receiptUrl: `https://pay.stripe.example/receipts/payment/${p.chargeId}`,
      cardBrand: "visa",
      cardLast4: "4242",
      chargeId: p.chargeId,
      status: "pending", // the payment itself is applied from the session or PaymentIntent
    });
    expect(await walletState(p.userId)).toMatchObject({ balanceMinor: 0, entries: [] });
  });

  it("changes nothing more on a redelivery, or on a second event about the same charge", async () => {
    const p = await createPendingPurchase(2000); // £20.00
    const event = stripeEvent("charge.succeeded", succeededCharge(p));
    expect((await deliver(event)).outcome).toBe("processed");
    const first = await receiptColumns(p.purchase.id);

    expect((await deliver(event)).outcome).toBe("duplicate");
    expect((await deliver(stripeEvent("charge.succeeded", succeededCharge(p)))).outcome).toBe("processed");
    expect(await receiptColumns(p.purchase.id)).toEqual(first); // same values, not even updatedAt moved
    expect(await db().webhookEvent.count({ where: { type: "charge.succeeded", payload: { path: ["data", "object", "id"], equals: p.chargeId } } })).toBe(2);
  });

  it("finds the purchase by its PaymentIntent when the charge carries no metadata (once the payment is applied)", async () => {
    const p = await createPendingPurchase(500);
    expect((await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).outcome).toBe("processed");
    expect((await deliver(stripeEvent("charge.succeeded", succeededCharge(p, { metadata: {} })))).outcome).toBe("processed");
    expect(await receiptColumns(p.purchase.id)).toMatchObject({ cardBrand: "visa", cardLast4: "4242", status: "paid", chargeId: p.chargeId });
    expect((await walletState(p.userId)).balanceMinor).toBe(500); // once, from the session
  });

  it("does nothing for a charge that is not ours (no purchase id, an unknown PaymentIntent): processed, no purchase touched", async () => {
    const ours = await createPendingPurchase(500);
    const before = await receiptColumns(ours.purchase.id);
    const stranger: TestPurchase = { ...ours, paymentIntentId: `pi_test_${randomUUID().slice(0, 20)}`, chargeId: `ch_test_${randomUUID().slice(0, 20)}` };
    const event = stripeEvent("charge.succeeded", succeededCharge(stranger, { metadata: {} }));
    expect((await deliver(event)).outcome).toBe("processed");
    expect(await receiptColumns(ours.purchase.id)).toEqual(before);
    expect(await db().purchase.count({ where: { OR: [{ chargeId: stranger.chargeId }, { receiptUrl: { contains: stranger.chargeId } }] } })).toBe(0);
  });

  it("ignores a charge of another payment than the purchase's own", async () => {
    const p = await createPendingPurchase(500);
    expect((await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).outcome).toBe("processed");
    const other = { ...p, paymentIntentId: `pi_test_${randomUUID().slice(0, 20)}`, chargeId: `ch_test_${randomUUID().slice(0, 20)}` };
    expect((await deliver(stripeEvent("charge.succeeded", succeededCharge(other)))).outcome).toBe("processed");
    expect(await receiptColumns(p.purchase.id)).toMatchObject({ receiptUrl: null, cardBrand: null, cardLast4: null, chargeId: null });
  });

  it("waits (unmatched) when the charge names a purchase of ours that is not known yet", async () => {
    const p = await createPendingPurchase(500);
    const event = stripeEvent("charge.succeeded", succeededCharge(p, { metadata: { billfoldPurchaseId: `missing-${randomUUID()}` }, payment_intent: `pi_test_${randomUUID().slice(0, 20)}` }));
    expect((await deliver(event)).outcome).toBe("unmatched");
    expect(await receiptColumns(p.purchase.id)).toMatchObject({ receiptUrl: null, chargeId: null });
  });

  it("keeps what an earlier copy recorded when a later one lacks a field, and stores no malformed last 4", async () => {
    const p = await createPendingPurchase(500);
    expect((await deliver(stripeEvent("charge.succeeded", succeededCharge(p)))).outcome).toBe("processed");
    const bare = succeededCharge(p, { receipt_url: null, payment_method_details: { type: "card", card: { brand: null, last4: "42" } } });
    expect((await deliver(stripeEvent("charge.succeeded", bare))).outcome).toBe("processed");
    expect(await receiptColumns(p.purchase.id)).toMatchObject({ receiptUrl: expect.stringContaining(p.chargeId), cardBrand: "visa", cardLast4: "4242" });
  });
});
