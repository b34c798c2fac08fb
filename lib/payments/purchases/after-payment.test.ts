import { describe, expect, it } from "vitest";
import { db } from "../../core/db";
import { checkoutSession, createPendingPurchase, dispute, refund, refundedCharge, stripeEvent, walletState, webhookRoute, type JsonObject, type TestPurchase } from "@/test/webhook-events";

// Purchase.refundedMinor, disputeStatus and disputedMinor are written in the transaction that moves
// the ledger, through the real webhook route and Postgres: each refund, reversal and dispute counts
// once, however often, concurrently or out of order its events arrive, and the purchase always agrees
// with the wallet's entries.

const webhook = await webhookRoute({ secret: "whsec_test_after_payment_0123456789" });
const { describePurchase } = await import("./labels");

const deliver = (event: JsonObject): Promise<string> => webhook.outcome(event);

async function paidPurchase(amountMinor: number): Promise<TestPurchase> {
  const p = await createPendingPurchase(amountMinor);
  expect(await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).toBe("processed");
  return p;
}

function purchaseOf(p: TestPurchase) {
  return db().purchase.findUniqueOrThrow({ where: { id: p.purchase.id } });
}

/** What the ledger says was refunded for this user: REFUND debits less their reversals. */
async function refundedInLedger(p: TestPurchase): Promise<number> {
  const { entries } = await walletState(p.userId);
  return entries.filter((entry) => entry.type === "REFUND" || entry.type === "REFUND_REVERSAL").reduce((sum, entry) => sum - entry.amountMinor, 0);
}

describe("refunds on the purchase", () => {
  it("counts each refund once, however many times and however concurrently its events arrive", async () => {
    const p = await paidPurchase(2000); // £20.00
    const first = refund(p, 500); // £5.00
    const partly = stripeEvent("charge.refunded", refundedCharge(p, [first]));
    expect(await deliver(partly)).toBe("processed");
    // The same refund again: a redelivery, a second event naming it, and ten copies at once.
    await deliver(partly);
    await Promise.all([
      deliver(stripeEvent("charge.refund.updated", first)),
      ...Array.from({ length: 10 }, () => deliver(stripeEvent("charge.refunded", refundedCharge(p, [first])))),
    ]);
    expect(await purchaseOf(p)).toMatchObject({ status: "paid", refundedMinor: 500 }); // £5.00
    expect(describePurchase(await purchaseOf(p))).toMatchObject({ state: "partially_refunded", sentence: "£5.00 of £20.00 was refunded and taken back out of your wallet." });

    // The rest: charge.refunded now lists both refunds; only the new one counts.
    const rest = refund(p, 1500); // £15.00
    expect(await deliver(stripeEvent("charge.refunded", refundedCharge(p, [first, rest])))).toBe("processed");
    expect(await purchaseOf(p)).toMatchObject({ refundedMinor: 2000 }); // £20.00
    expect(describePurchase(await purchaseOf(p)).state).toBe("refunded");
    expect(await refundedInLedger(p)).toBe(2000);
    expect((await walletState(p.userId)).balanceMinor).toBe(0);
  });

  it("takes a refund that failed after it was debited back out of the total, once, and a late success does not count it again", async () => {
    const p = await paidPurchase(2000); // £20.00
    const succeeded = refund(p, 800); // £8.00
    await deliver(stripeEvent("charge.refunded", refundedCharge(p, [succeeded])));
    expect(await purchaseOf(p)).toMatchObject({ refundedMinor: 800 });

    const failed = { ...succeeded, status: "failed", failure_reason: "expired_or_canceled_card" };
    expect(await deliver(stripeEvent("charge.refund.updated", failed))).toBe("processed");
    await Promise.all(Array.from({ length: 5 }, () => deliver(stripeEvent("charge.refund.updated", failed))));
    expect(await purchaseOf(p)).toMatchObject({ refundedMinor: 0 });
    expect(describePurchase(await purchaseOf(p)).state).toBe("paid");

    // The succeeded event delivered again, late: its ledger key is spent, so nothing moves.
    await deliver(stripeEvent("charge.refund.updated", succeeded));
    expect(await purchaseOf(p)).toMatchObject({ refundedMinor: 0 });
    expect(await refundedInLedger(p)).toBe(0);
    expect((await walletState(p.userId)).balanceMinor).toBe(2000); // £20.00 back
  });

  it("does not count a pending refund, nor one that failed before it was ever debited", async () => {
    const p = await paidPurchase(1000); // £10.00
    const pending = refund(p, 300, { status: "pending" });
    await deliver(stripeEvent("charge.refund.updated", pending));
    expect(await purchaseOf(p)).toMatchObject({ refundedMinor: 0 });
    await deliver(stripeEvent("charge.refund.updated", { ...pending, status: "failed" }));
    expect(await purchaseOf(p)).toMatchObject({ refundedMinor: 0 });
    expect((await walletState(p.userId)).balanceMinor).toBe(1000);
  });

  it("a refund that beats its payment waits, then counts once when the payment lands", async () => {
    const p = await createPendingPurchase(1000); // £10.00
    const early = refund(p, 400); // £4.00
    expect(await deliver(stripeEvent("charge.refunded", refundedCharge(p, [early])))).toBe("unmatched");
    expect(await purchaseOf(p)).toMatchObject({ status: "pending", refundedMinor: 0 });
    // The payment wakes the waiting refund, which runs straight after it.
    expect(await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).toBe("processed");
    expect(await purchaseOf(p)).toMatchObject({ status: "paid", refundedMinor: 400 });
    expect(await refundedInLedger(p)).toBe(400);
  });
});

describe("disputes on the purchase", () => {
  it("marks the purchase disputed with the amount on hold once, then won when the hold is released", async () => {
    const p = await paidPurchase(500); // £5.00
    const opened = dispute(p, "needs_response");
    await Promise.all(Array.from({ length: 5 }, () => deliver(stripeEvent("charge.dispute.created", opened))));
    expect(await purchaseOf(p)).toMatchObject({ disputeStatus: "open", disputedMinor: 500 });
    expect(describePurchase(await purchaseOf(p))).toMatchObject({ state: "disputed", sentence: "£5.00 is on hold while the bank reviews the dispute." });
    expect((await walletState(p.userId)).balanceMinor).toBe(0);

    const won = stripeEvent("charge.dispute.closed", dispute(p, "won"));
    expect(await deliver(won)).toBe("processed");
    await deliver(won);
    await deliver(stripeEvent("charge.dispute.closed", dispute(p, "won")));
    expect(await purchaseOf(p)).toMatchObject({ disputeStatus: "won", disputedMinor: 500 });
    expect(describePurchase(await purchaseOf(p)).state).toBe("dispute_won");
    const state = await walletState(p.userId);
    expect(state.balanceMinor).toBe(500); // £5.00 back
    expect(state.entries.filter((entry) => entry.type === "DISPUTE_RELEASE")).toHaveLength(1);
  });

  it("a close that arrives before the dispute's creation stands: the late created event does not reopen it", async () => {
    const p = await paidPurchase(500); // £5.00
    expect(await deliver(stripeEvent("charge.dispute.closed", dispute(p, "lost")))).toBe("processed");
    expect(await purchaseOf(p)).toMatchObject({ disputeStatus: "lost", disputedMinor: 500 });
    expect(await deliver(stripeEvent("charge.dispute.created", dispute(p, "needs_response")))).toBe("processed");
    expect(await purchaseOf(p)).toMatchObject({ disputeStatus: "lost", disputedMinor: 500 });
    expect(describePurchase(await purchaseOf(p)).state).toBe("dispute_lost");
    const state = await walletState(p.userId);
    expect(state.balanceMinor).toBe(0); // +£5.00 top-up, −£5.00 hold kept
    expect(state.entries.filter((entry) => entry.type === "DISPUTE_HOLD")).toHaveLength(1);
  });

  it("an inquiry closed without a dispute (warning_closed) shows as won, its hold released", async () => {
    const p = await paidPurchase(500); // £5.00
    await deliver(stripeEvent("charge.dispute.created", dispute(p, "warning_needs_response")));
    expect(describePurchase(await purchaseOf(p)).state).toBe("disputed");
    await deliver(stripeEvent("charge.dispute.closed", dispute(p, "warning_closed")));
    expect(await purchaseOf(p)).toMatchObject({ disputeStatus: "won" });
    expect((await walletState(p.userId)).balanceMinor).toBe(500);
  });

  it("a dispute on a partly refunded payment says both", async () => {
    const p = await paidPurchase(2000); // £20.00
    await deliver(stripeEvent("charge.refunded", refundedCharge(p, [refund(p, 500)]))); // £5.00 refunded
    await deliver(stripeEvent("charge.dispute.created", dispute(p, "needs_response", { amount: 1500 }))); // £15.00 disputed
    expect(describePurchase(await purchaseOf(p))).toMatchObject({
      state: "disputed",
      sentence: "£15.00 is on hold while the bank reviews the dispute. £5.00 was also refunded.",
    });
    expect((await walletState(p.userId)).balanceMinor).toBe(0);
  });
});
