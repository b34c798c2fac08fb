import { describe, expect, it } from "vitest";
import { db } from "../../core/db";
import { checkoutSession, createPendingPurchase, paymentIntent, stripeEvent, walletState, webhookRoute, type JsonObject, type TestPurchase } from "@/test/webhook-events";
import { FAILURE_SENTENCES } from "./failures";

// The unpaid side of a purchase through the real webhook route and Postgres: which event may move
// which status, whatever order they come in. Paid never goes back; a canceled or expired purchase
// moves only if money arrives; failures are stored as plain sentences.

const webhook = await webhookRoute({ secret: "whsec_test_purchase_lifecycle_0123456789" });
const { markPurchaseCanceled } = await import("./state");

const deliver = (event: JsonObject): Promise<string> => webhook.outcome(event);

/** A pending purchase whose Checkout Session is open, as startTopUp leaves it. */
async function openPurchase(amountMinor: number): Promise<TestPurchase> {
  const p = await createPendingPurchase(amountMinor);
  const purchase = await db().purchase.update({
    where: { id: p.purchase.id },
    data: { checkoutUrl: `https://checkout.example/${p.checkoutSessionId}`, checkoutExpiresAt: new Date(Date.now() + 24 * 3600_000) },
  });
  return { ...p, purchase };
}

function purchaseOf(p: TestPurchase) {
  return db().purchase.findUniqueOrThrow({ where: { id: p.purchase.id } });
}

const expired = (p: TestPurchase) => stripeEvent("checkout.session.expired", checkoutSession(p, { status: "expired", payment_status: "unpaid", payment_intent: null }));
const declined = (p: TestPurchase, error: JsonObject) =>
  stripeEvent("payment_intent.payment_failed", paymentIntent(p, { status: "requires_payment_method", amount_received: 0, latest_charge: null, last_payment_error: error }));
const cardDeclined = (p: TestPurchase) => declined(p, { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." });

describe("canceled and expired purchases", () => {
  it("a canceled purchase stays canceled when its session's expiry (our own expire call) is delivered, again and again", async () => {
    const p = await openPurchase(500); // £5.00
    const canceled = await db().$transaction((tx) => markPurchaseCanceled(tx, p.purchase.id));
    expect(canceled).toMatchObject({ status: "canceled", checkoutUrl: null });
    expect(canceled.canceledAt).toBeInstanceOf(Date);
    await Promise.all([deliver(expired(p)), deliver(expired(p)), deliver(cardDeclined(p))]);
    expect(await purchaseOf(p)).toMatchObject({ status: "canceled", failureMessage: null });
  });

  it("the expiry applied before our cancel is written still ends canceled, and canceling twice keeps the first time", async () => {
    const p = await openPurchase(500); // £5.00
    expect(await deliver(expired(p))).toBe("processed");
    expect(await purchaseOf(p)).toMatchObject({ status: "expired", checkoutUrl: null });
    const first = await db().$transaction((tx) => markPurchaseCanceled(tx, p.purchase.id, new Date("2026-11-24T10:00:00Z")));
    const again = await db().$transaction((tx) => markPurchaseCanceled(tx, p.purchase.id, new Date("2026-11-24T11:00:00Z")));
    expect(first.status).toBe("canceled");
    expect(again.canceledAt).toEqual(new Date("2026-11-24T10:00:00Z"));
  });

  it("a session left open expires; a late decline does not turn it into a failure", async () => {
    const p = await openPurchase(500); // £5.00
    await deliver(expired(p));
    await deliver(cardDeclined(p));
    expect(await purchaseOf(p)).toMatchObject({ status: "expired", checkoutUrl: null });
  });

  it("never marks a paid purchase canceled, expired or failed, whatever arrives late", async () => {
    const p = await openPurchase(500); // £5.00
    expect(await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).toBe("processed");
    await Promise.all([deliver(expired(p)), deliver(cardDeclined(p)), deliver(stripeEvent("checkout.session.async_payment_failed", checkoutSession(p, { payment_status: "unpaid" })))]);
    expect(await db().$transaction((tx) => markPurchaseCanceled(tx, p.purchase.id))).toMatchObject({ status: "paid", canceledAt: null });
    expect(await purchaseOf(p)).toMatchObject({ status: "paid", failureMessage: null });
    expect((await walletState(p.userId)).balanceMinor).toBe(500);
  });

  it("money that arrives for a canceled purchase is still credited, and the purchase shows it paid", async () => {
    // Stripe refuses to expire a session that was paid, so this cannot follow a real cancel; but if
    // Stripe says it was paid, the wallet must get the money whatever the purchase showed.
    const p = await openPurchase(500); // £5.00
    await db().$transaction((tx) => markPurchaseCanceled(tx, p.purchase.id));
    expect(await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).toBe("processed");
    expect(await purchaseOf(p)).toMatchObject({ status: "paid" });
    expect((await walletState(p.userId)).balanceMinor).toBe(500);
  });
});

describe("failures in plain words", () => {
  it("stores a decline as a plain sentence; the session stays open to retry, and a retry that pays wins", async () => {
    const p = await openPurchase(2000); // £20.00
    await deliver(declined(p, { type: "card_error", code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." }));
    expect(await purchaseOf(p)).toMatchObject({ status: "failed", failureMessage: FAILURE_SENTENCES.insufficient_funds, checkoutUrl: p.purchase.checkoutUrl });
    await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)));
    expect(await purchaseOf(p)).toMatchObject({ status: "paid", failureMessage: null });
  });

  it("stores a failed 3-D Secure challenge as a plain sentence", async () => {
    const p = await openPurchase(500); // £5.00
    await deliver(declined(p, { type: "invalid_request_error", code: "payment_intent_authentication_failure", message: "The provided PaymentMethod has failed authentication." }));
    expect(await purchaseOf(p)).toMatchObject({ status: "failed", failureMessage: FAILURE_SENTENCES.authentication_failed });
  });

  it("a bank debit that bounces reads plainly, in either order of its two events, and a late completed event does not step back to processing", async () => {
    for (const order of [["session", "intent"], ["intent", "session"]] as const) {
      const p = await openPurchase(1250); // £12.50
      await deliver(stripeEvent("checkout.session.completed", checkoutSession(p, { payment_status: "unpaid" })));
      expect(await purchaseOf(p)).toMatchObject({ status: "processing", checkoutUrl: null });
      const bounced = {
        session: stripeEvent("checkout.session.async_payment_failed", checkoutSession(p, { payment_status: "unpaid" })),
        intent: declined(p, { type: "invalid_request_error", code: "payment_intent_payment_attempt_failed", message: "The payment failed." }),
      };
      for (const which of order) await deliver(bounced[which]);
      const failed = await purchaseOf(p);
      expect(failed).toMatchObject({ status: "failed", failureMessage: FAILURE_SENTENCES.bank_payment_failed });
      expect(failed.failureMessage).not.toContain("The payment failed.");

      await deliver(stripeEvent("checkout.session.completed", checkoutSession(p, { payment_status: "unpaid" })));
      expect(await purchaseOf(p)).toMatchObject({ status: "failed" });
    }
  });

  it("a declined card, then a bank debit in the same open Checkout: failed, then processing", async () => {
    const p = await openPurchase(1250); // £12.50
    await deliver(cardDeclined(p));
    expect(await purchaseOf(p)).toMatchObject({ status: "failed", failureMessage: FAILURE_SENTENCES.card_declined });
    await deliver(stripeEvent("checkout.session.completed", checkoutSession(p, { payment_status: "unpaid" })));
    expect(await purchaseOf(p)).toMatchObject({ status: "processing", failureMessage: null, checkoutUrl: null });
    await deliver(stripeEvent("checkout.session.async_payment_failed", checkoutSession(p, { payment_status: "unpaid" })));
    // The debit's own failure, not the card's earlier decline.
    expect(await purchaseOf(p)).toMatchObject({ status: "failed", failureMessage: FAILURE_SENTENCES.bank_payment_failed });
  });
});
