import { describe, expect, it } from "vitest";
import type { Purchase } from "../../generated/prisma/client";
import { describePurchase, hasReceipt, isOpenPurchase, purchaseName, purchaseView, type PurchaseState } from "./labels";
import { FAILURE_SENTENCES } from "./failures";
import { creditPacksFor, plansFor } from "../../billing/catalog";

// Plain unit tests of what a person reads for each state; the states themselves are written by the
// lifecycle (refunds.test.ts, disputes.test.ts, lifecycle.test.ts) against Postgres.

const NOW = new Date("2026-11-24T12:00:00Z");

function purchase(overrides: Partial<Purchase> = {}): Purchase {
  return {
    id: "pur_1",
    userId: "user_1",
    packKey: "starter",
    amountMinor: 500, // £5.00
    currency: "GBP",
    status: "paid",
    checkoutSessionId: "cs_test_1",
    paymentIntentId: "pi_1",
    chargeId: "ch_1",
    failureMessage: null,
    paidAt: NOW,
    checkoutUrl: null,
    checkoutExpiresAt: null,
    canceledAt: null,
    refundedMinor: 0,
    disputeStatus: null,
    disputedMinor: 0,
    receiptUrl: null,
    cardBrand: null,
    cardLast4: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

describe("describePurchase", () => {
  it.each<[string, Partial<Purchase>, PurchaseState, string, string, string]>([
    ["pending", { status: "pending", paidAt: null }, "awaiting_payment", "Awaiting payment", "neutral", "Checkout was started but not paid. Nothing has been charged."],
    ["processing", { status: "processing", paidAt: null }, "processing", "Processing", "info", "Your bank payment of £5.00 is on its way. Your wallet gets it when it clears."],
    ["paid", {}, "paid", "Paid", "success", "£5.00 added to your wallet."],
    [
      "failed",
      { status: "failed", paidAt: null, failureMessage: FAILURE_SENTENCES.insufficient_funds },
      "failed",
      "Failed",
      "danger",
      "Your card doesn't have enough funds for this payment. Nothing was charged.",
    ],
    ["failed without a reason", { status: "failed", paidAt: null }, "failed", "Failed", "danger", "The payment didn't go through. Nothing was charged."],
    ["expired", { status: "expired", paidAt: null }, "expired", "Expired", "neutral", "This checkout closed before it was paid. Nothing was charged."],
    ["canceled", { status: "canceled", paidAt: null, canceledAt: NOW }, "canceled", "Canceled", "neutral", "You canceled this checkout. Nothing was charged."],
    ["refunded", { refundedMinor: 500 }, "refunded", "Refunded", "neutral", "£5.00 was refunded and taken back out of your wallet."],
    ["partly refunded", { refundedMinor: 200 }, "partially_refunded", "Partially refunded", "info", "£2.00 of £5.00 was refunded and taken back out of your wallet."],
    ["disputed", { disputeStatus: "open", disputedMinor: 500 }, "disputed", "Disputed", "warning", "£5.00 is on hold while the bank reviews the dispute."],
    [
      "dispute won",
      { disputeStatus: "won", disputedMinor: 500 },
      "dispute_won",
      "Dispute won",
      "success",
      "The dispute was settled in this payment's favour: the £5.00 on hold is back in your wallet.",
    ],
    [
      "dispute lost",
      { disputeStatus: "lost", disputedMinor: 500 },
      "dispute_lost",
      "Dispute lost",
      "danger",
      "The bank upheld the dispute: £5.00 went back to the cardholder and stays out of your wallet.",
    ],
  ])("%s", (_name, overrides, state, label, tone, sentence) => {
    expect(describePurchase(purchase(overrides))).toEqual({ state, label, tone, sentence });
  });

  it("puts a dispute before refunds, and still says what was refunded", () => {
    // £2.00 refunded, then the remaining £3.00 disputed.
    expect(describePurchase(purchase({ refundedMinor: 200, disputeStatus: "open", disputedMinor: 300 }))).toMatchObject({
      state: "disputed",
      sentence: "£3.00 is on hold while the bank reviews the dispute. £2.00 was also refunded.",
    });
  });

  it("never calls an unpaid purchase refunded or disputed, and never says money was added unless it was paid", () => {
    for (const status of ["pending", "processing", "failed", "expired", "canceled"] as const) {
      const shown = describePurchase(purchase({ status, paidAt: null, refundedMinor: 500, disputeStatus: "open", disputedMinor: 500 }));
      expect(shown.state).toBe(status === "pending" ? "awaiting_payment" : status);
      expect(shown.sentence).not.toContain("added to your wallet");
    }
  });

  it("never repeats 'Payment failed' in the sentence", () => {
    for (const message of Object.values(FAILURE_SENTENCES)) {
      expect(describePurchase(purchase({ status: "failed", failureMessage: message })).sentence).not.toMatch(/payment failed/i);
    }
  });

  it("formats the purchase's own currency", () => {
    expect(describePurchase(purchase({ currency: "EUR", amountMinor: 2000 })).sentence).toBe("€20.00 added to your wallet."); // €20.00
  });
});

describe("isOpenPurchase", () => {
  const open = { status: "pending" as const, checkoutUrl: "https://checkout.stripe.com/c/pay/cs_test_1", checkoutExpiresAt: new Date("2026-11-25T12:00:00Z") };

  it("is open while pending or failed with a session that has not expired", () => {
    expect(isOpenPurchase(open, NOW)).toBe(true);
    expect(isOpenPurchase({ ...open, status: "failed" }, NOW)).toBe(true);
  });

  it("is closed once paid, processing, expired or canceled, past its deadline, or without a session URL", () => {
    for (const status of ["paid", "processing", "expired", "canceled"] as const) expect(isOpenPurchase({ ...open, status }, NOW)).toBe(false);
    expect(isOpenPurchase({ ...open, checkoutExpiresAt: NOW }, NOW)).toBe(false);
    expect(isOpenPurchase({ ...open, checkoutUrl: null }, NOW)).toBe(false);
    expect(isOpenPurchase({ ...open, checkoutExpiresAt: null }, NOW)).toBe(false);
  });
});

describe("purchaseName and the view", () => {
  it("names the pack, or a custom top-up", () => {
    expect(purchaseName({ packKey: "starter", currency: "GBP" })).toBe("Starter pack");
    expect(purchaseName({ packKey: "standard", currency: "GBP" })).toBe("Standard pack");
    expect(purchaseName({ packKey: "pro", currency: "GBP" })).toBe("Large pack"); // £50.00; its key predates the name
    expect(purchaseName({ packKey: null, currency: "GBP" })).toBe("Custom top-up");
    expect(purchaseName({ packKey: "retired", currency: "GBP" })).toBe("retired pack");
  });

  it("never gives a credit pack a plan's name", () => {
    const planNames = plansFor("GBP").map((plan) => plan.name.toLowerCase());
    for (const pack of creditPacksFor("GBP")) expect(planNames, pack.name).not.toContain(pack.name.toLowerCase());
  });

  it("offers the session URL only while the purchase is open, and polls only while the outcome is to come", () => {
    const pending = purchase({ status: "pending", paidAt: null, checkoutUrl: "https://pay.example/cs_1", checkoutExpiresAt: new Date("2026-11-25T00:00:00Z") });
    expect(purchaseView(pending, NOW)).toMatchObject({ name: "Starter pack", amount: "£5.00", resumeUrl: "https://pay.example/cs_1", unsettled: true, state: "awaiting_payment" });
    expect(purchaseView({ ...pending, status: "canceled" }, NOW)).toMatchObject({ resumeUrl: null, unsettled: false });
    expect(purchaseView(purchase({ disputeStatus: "open", disputedMinor: 500 }), NOW)).toMatchObject({ unsettled: false, state: "disputed" });
  });

  it("has a receipt once paid, whatever happened after", () => {
    expect(hasReceipt(purchase({ disputeStatus: "lost", disputedMinor: 500 }))).toBe(true);
    expect(hasReceipt(purchase({ refundedMinor: 500 }))).toBe(true);
    expect(hasReceipt(purchase({ status: "canceled" }))).toBe(false);
  });
});
