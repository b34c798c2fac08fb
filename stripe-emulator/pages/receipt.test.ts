// The hosted receipt page at a charge's receipt_url, and the card details charges carry, through the real SDK.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { startTestEmulator } from "../testing";

let emulator: RunningEmulator;
let stripe: Stripe;

beforeAll(async () => {
  ({ emulator, stripe } = await startTestEmulator({ brand: "Billfold" }));
});
afterAll(async () => {
  await emulator.close();
});

async function chargeOf(paymentIntent: Stripe.PaymentIntent): Promise<Stripe.Charge> {
  const chargeId = typeof paymentIntent.latest_charge === "string" ? paymentIntent.latest_charge : paymentIntent.latest_charge?.id;
  if (!chargeId) throw new Error("no charge");
  return stripe.charges.retrieve(chargeId);
}

describe("hosted receipt page", () => {
  it("gives a paid charge a receipt page with the amount and the card, following later refunds", async () => {
    const paymentIntent = await stripe.paymentIntents.create({ amount: 1250, currency: "gbp", payment_method: "pm_card_mastercard", confirm: true }); // £12.50
    const charge = await chargeOf(paymentIntent);
    expect(charge.payment_method_details?.card).toMatchObject({ brand: "mastercard", last4: "4444" });
    expect(charge.receipt_url).toBe(`${emulator.url}/receipts/payment/${charge.id}`);

    const response = await fetch(charge.receipt_url ?? "");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("Receipt from BILLFOLD");
    expect(html).toMatch(/data-testid="receipt-amount">£12.50</);
    expect(html).toMatch(/data-testid="receipt-payment-method">mastercard – 4444</);
    expect(html).not.toContain("receipt-refunded");

    await stripe.refunds.create({ charge: charge.id, amount: 250 }); // £2.50
    expect(await (await fetch(charge.receipt_url ?? "")).text()).toMatch(/data-testid="receipt-refunded">−£2.50</);
  });

  it("has no receipt for a declined charge or an unknown one", async () => {
    const declined = await stripe.paymentIntents
      .create({ amount: 500, currency: "gbp", payment_method: "pm_card_chargeDeclined", confirm: true })
      .catch((error: { raw?: { charge?: string } }) => error);
    const chargeId = "raw" in declined ? declined.raw?.charge : undefined;
    expect(chargeId).toMatch(/^ch_/);
    const charge = await stripe.charges.retrieve(chargeId ?? "");
    expect(charge.status).toBe("failed");
    expect((await fetch(charge.receipt_url ?? "")).status).toBe(404);
    expect((await fetch(`${emulator.url}/receipts/payment/ch_missing`)).status).toBe(404);
  });
});
