// Mirrors the charge that paid a top-up onto its purchase, for receipts: Stripe's receipt page and the
// card's brand and last 4. Credits nothing: the money is applied from the Checkout Session or PaymentIntent.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { recordChargeReceipt } from "../../payments/receipts";

export const chargeSucceeded: WebhookHandler<Stripe.ChargeSucceededEvent> = {
  async handle(event, { commit }) {
    await commit(async (tx) => {
      await recordChargeReceipt(tx, event.data.object);
    });
  },
};
