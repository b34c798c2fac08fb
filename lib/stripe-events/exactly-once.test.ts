import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type DeliveryRecord } from "@billfold/stripe-emulator";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { db } from "../core/db";
import { payCheckoutSession as payInEmulator, settledDeliveries as settled, startDeliveryForwarder, pointStripeAtEmulator } from "@/test/emulator-deliveries";
import { walletState, webhookRoute } from "@/test/webhook-events";

// The money path end to end, with nothing faked but the browser: startTopUp opens a real Checkout
// Session in the emulator, the session is paid through the CLI's payment_pages call, and the emulator
// delivers the signed events to the real webhook route, duplicated, shuffled and delayed (seeded chaos),
// retrying whatever did not get a 2xx (some answers are lost on purpose). Each payment must credit the
// wallet exactly once.

vi.mock("next/server", async (importOriginal) => (await import("@/test/emulator-deliveries")).withQueuedAfter(await importOriginal<object>()));

/** The route's answer to every delivery, to show that duplicates really reached it. */
const routeAnswers: Array<{ status: number; outcome: string }> = [];
/**
 * Every fifth answer is lost on its way back to Stripe (a proxy timing out after the app has committed):
 * Stripe sees a 502 and delivers again, out of the emit-order queue, and the redelivery must change nothing.
 */
const LOSE_EVERY_NTH_ANSWER = 5;

// The app's side of the wire: each delivery, raw body and signature untouched, goes to the route's POST.
const forwarder = await startDeliveryForwarder(
  (body, signature) => webhook.post(body, signature),
  (answer) => {
    const parsed: unknown = JSON.parse(answer.text);
    const outcome = typeof parsed === "object" && parsed !== null && "outcome" in parsed ? String(parsed.outcome) : "error";
    routeAnswers.push({ status: answer.status, outcome });
    return routeAnswers.length % LOSE_EVERY_NTH_ANSWER === 0 ? { status: 502, text: "" } : answer;
  },
);

const WEBHOOK_SECRET = "whsec_test_exactly_once_0123456789";
const emulator = await startEmulator({
  port: 0,
  webhookEndpoints: [{ url: forwarder.url, secret: WEBHOOK_SECRET }],
  // Stripe's 1-minute first retry becomes 60 ms.
  retrySpeedup: 1000,
  chaos: { seed: 424242, duplicateRate: 0.5, shuffle: true, maxDelayMs: 15 },
});

const SECRET_KEY = "sk_test_billfold_exactly_once";
pointStripeAtEmulator(emulator.url, { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });

const webhook = await webhookRoute();
const { startTopUp } = await import("../payments/topups");

const stripe = emulatorStripe(emulator, SECRET_KEY);

afterAll(async () => {
  await emulator.close();
  await forwarder.close();
});

/** Waits until the emulator has nothing left to deliver or retry and no deferred processing is running. */
const settledDeliveries = () => settled(emulator.url, ["succeeded", "failed"]);

/** Pays an open Checkout Session the way `stripe trigger` does, with no browser involved. */
async function payCheckoutSession(checkoutSessionId: string, expectedAmountMinor: number): Promise<void> {
  expect(await payInEmulator(emulator.url, SECRET_KEY, checkoutSessionId, expectedAmountMinor)).toBe(200);
}

/** Every delivery got a 2xx in the end, and every event it carried is stored exactly once, processed or ignored. */
async function expectEveryEventSettled(all: DeliveryRecord[]): Promise<void> {
  expect(all.filter((delivery) => delivery.state !== "succeeded")).toEqual([]);
  const eventIds = [...new Set(all.map((delivery) => delivery.eventId))];
  const rows = await db().webhookEvent.findMany({ where: { stripeEventId: { in: eventIds } }, select: { stripeEventId: true, type: true, status: true, lastError: true } });
  expect(rows).toHaveLength(eventIds.length);
  expect(rows.filter((row) => row.status !== "processed" && row.status !== "ignored")).toEqual([]);
}

const TOP_UPS = [
  { packKey: "starter", amountMinor: 500 }, // £5.00
  { packKey: "standard", amountMinor: 2000 }, // £20.00
  { packKey: "pro", amountMinor: 5000 }, // £50.00
  { packKey: "starter", amountMinor: 500 }, // £5.00
  { packKey: "standard", amountMinor: 2000 }, // £20.00
];

describe("top-ups paid in the emulator, delivered with chaos", () => {
  it("credits each payment exactly once and debits a partial refund exactly once", async () => {
    const user = await db().user.create({ data: { email: `exactly-once-${randomUUID()}@example.test` } });
    let expectedBalanceMinor = 0;
    const purchases: Array<{ purchaseId: string; amountMinor: number }> = [];

    for (const [index, topUp] of TOP_UPS.entries()) {
      const started = await startTopUp(user.id, { packKey: topUp.packKey });
      await payCheckoutSession(started.checkoutSessionId, topUp.amountMinor);
      await expectEveryEventSettled(await settledDeliveries());
      expectedBalanceMinor += topUp.amountMinor;
      purchases.push({ purchaseId: started.purchaseId, amountMinor: topUp.amountMinor });

      const wallet = await walletState(user.id);
      expect(wallet.balanceMinor).toBe(expectedBalanceMinor);
      expect(wallet.sumOfEntriesMinor).toBe(expectedBalanceMinor);
      expect(wallet.entries.filter((entry) => entry.type === "TOPUP")).toHaveLength(index + 1);
      const purchase = await db().purchase.findUniqueOrThrow({ where: { id: started.purchaseId } });
      expect(purchase).toMatchObject({ status: "paid", amountMinor: topUp.amountMinor, checkoutSessionId: started.checkoutSessionId });
      expect(purchase.paymentIntentId).toMatch(/^pi_/);
      expect(purchase.chargeId).toMatch(/^ch_/);
    }
    // After the first pack: 500 (£5.00); after all five: 10000 (£100.00).
    expect(expectedBalanceMinor).toBe(10_000);

    // The chaos really happened: the route saw the same events again and answered them as duplicates.
    const all = await settledDeliveries();
    expect(all.filter((delivery) => delivery.duplicate).length).toBeGreaterThan(0);
    expect(routeAnswers.some((answer) => answer.outcome === "duplicate")).toBe(true);
    // And lost answers were retried until a 2xx got through.
    expect(all.filter((delivery) => delivery.attempts[0]?.status === 502 && delivery.attempts.length > 1).length).toBeGreaterThan(0);
    expect(routeAnswers.every((answer) => answer.status === 200)).toBe(true);

    // A partial refund of the £50.00 pack, made through the SDK: charge.refunded is processed after the
    // response (the refunds are fetched from Stripe), and its duplicates must not debit again.
    const refunded = purchases[2];
    if (!refunded) throw new Error("the £50.00 purchase is missing");
    const { paymentIntentId } = await db().purchase.findUniqueOrThrow({ where: { id: refunded.purchaseId } });
    if (!paymentIntentId) throw new Error("the paid purchase has no PaymentIntent");
    const refund = await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 1250 }); // £12.50
    expect(refund.status).toBe("succeeded");
    await expectEveryEventSettled(await settledDeliveries());

    const wallet = await walletState(user.id);
    expect(wallet.balanceMinor).toBe(8750); // £100.00 − £12.50
    expect(wallet.sumOfEntriesMinor).toBe(8750); // £87.50
    expect(wallet.entries.filter((entry) => entry.type === "REFUND").map((entry) => entry.amountMinor)).toEqual([-1250]); // −£12.50
    expect(wallet.entries.filter((entry) => entry.type === "TOPUP")).toHaveLength(TOP_UPS.length);
    const purchaseStatuses = await db().purchase.findMany({ where: { userId: user.id }, select: { status: true } });
    expect(purchaseStatuses.map((purchase) => purchase.status)).toEqual(TOP_UPS.map(() => "paid"));
  });
});
