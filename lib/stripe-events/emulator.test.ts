import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "@billfold/stripe-emulator";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { pointStripeAtEmulator } from "@/test/emulator-deliveries";
import { db } from "../core/db";
import { stripeEvent, walletState, webhookRoute } from "@/test/webhook-events";

// The refund path that needs Stripe: the charge in `charge.refunded` comes without its refunds (as in
// this API version), so the handler lists them through lib/stripe, here from the project's emulator.

const emulator = await startEmulator({ port: 0 });
const WEBHOOK_SECRET = "whsec_test_emulator_refunds_0123456789";
pointStripeAtEmulator(emulator.url, { secretKey: "sk_test_billfold_emulator", webhookSecret: WEBHOOK_SECRET });

const { acceptEvent } = await import("./index");
const webhook = await webhookRoute();
const { parseStoredEvent } = await import("../stripe");

const stripe = emulatorStripe(emulator, "sk_test_billfold_emulator");

afterAll(() => emulator.close());


async function deliver(event: object) {
  const response = await webhook.deliver(event);
  return response.json();
}

/** A real (emulated) card payment for a purchase, credited through payment_intent.succeeded. */
async function paidTopUp(amountMinor: number, paymentMethod = "pm_card_visa") {
  const user = await db().user.create({ data: { email: `emulator-${randomUUID()}@example.test` } });
  const purchase = await db().purchase.create({ data: { userId: user.id, amountMinor, currency: "GBP", checkoutSessionId: `cs_test_${randomUUID()}` } });
  const paymentIntent = await stripe.paymentIntents.create({
    amount: amountMinor,
    currency: "gbp",
    payment_method: paymentMethod,
    confirm: true,
    metadata: { billfoldUserId: user.id, billfoldPurchaseId: purchase.id, purpose: "topup", packKey: "" },
  });
  expect(paymentIntent.status).toBe("succeeded");
  expect((await deliver(stripeEvent("payment_intent.succeeded", paymentIntent))).outcome).toBe("processed");
  expect((await walletState(user.id)).balanceMinor).toBe(amountMinor);
  const chargeId = typeof paymentIntent.latest_charge === "string" ? paymentIntent.latest_charge : paymentIntent.latest_charge?.id;
  if (!chargeId) throw new Error("the emulated payment has no charge");
  return { userId: user.id, chargeId, paymentIntentId: paymentIntent.id };
}

/** charge.refunded as this API version sends it: the charge without its refund list. */
async function chargeRefundedEvent(chargeId: string) {
  const { refunds: _refundsAreNotSent, ...charge } = await stripe.charges.retrieve(chargeId);
  return parseStoredEvent(JSON.stringify(stripeEvent("charge.refunded", charge)));
}

describe("charge.refunded against the emulator", () => {
  it("lists a partial then a full refund from Stripe and debits each once", async () => {
    const { userId, chargeId } = await paidTopUp(2000); // £20.00
    await stripe.refunds.create({ charge: chargeId, amount: 500 }); // £5.00

    const first = await acceptEvent(await chargeRefundedEvent(chargeId));
    expect(first.outcome).toBe("deferred");
    if (first.outcome === "deferred") expect(await first.process()).toBe("processed");
    expect((await walletState(userId)).balanceMinor).toBe(1500); // £15.00

    await stripe.refunds.create({ charge: chargeId }); // the remaining £15.00
    const second = await acceptEvent(await chargeRefundedEvent(chargeId));
    expect(second.outcome).toBe("deferred");
    if (second.outcome === "deferred") expect(await second.process()).toBe("processed");
    const state = await walletState(userId);
    expect(state.balanceMinor).toBe(0);
    expect(state.entries.filter((entry) => entry.type === "REFUND").map((entry) => entry.amountMinor).sort()).toEqual([-1500, -500]);
  });
});

describe("disputes against the emulator", () => {
  it("holds the amount of a real (emulated) dispute and keeps it when the dispute is lost", async () => {
    const { userId, paymentIntentId } = await paidTopUp(1000, "pm_card_createDispute"); // £10.00
    const [opened] = (await stripe.disputes.list({ payment_intent: paymentIntentId })).data;
    if (!opened) throw new Error("the emulator opened no dispute");
    expect((await deliver(stripeEvent("charge.dispute.created", opened))).outcome).toBe("processed");
    expect((await walletState(userId)).balanceMinor).toBe(0);

    const closed = await stripe.disputes.close(opened.id); // accepting the dispute loses it
    expect(closed.status).toBe("lost");
    expect((await deliver(stripeEvent("charge.dispute.closed", closed))).outcome).toBe("processed");
    const state = await walletState(userId);
    expect(state.balanceMinor).toBe(0);
    expect(state.entries.map((entry) => entry.type).sort()).toEqual(["DISPUTE_HOLD", "TOPUP"]);
  });
});
