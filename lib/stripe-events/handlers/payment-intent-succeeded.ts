// Mirrors a PaymentIntent that succeeded: credit its purchase, under the same key as the Checkout events.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { settlePaidPaymentIntent } from "../../payments/purchases";

export const paymentIntentSucceeded: WebhookHandler<Stripe.PaymentIntentSucceededEvent> = {
  async handle(event, { commit }) {
    await commit((tx) => settlePaidPaymentIntent(tx, event.data.object));
  },
};
