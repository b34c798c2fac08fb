// Mirrors a Checkout Session that expired unpaid: the purchase is shown as expired.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { markSessionExpired } from "../../payments/purchases";

export const checkoutSessionExpired: WebhookHandler<Stripe.CheckoutSessionExpiredEvent> = {
  async handle(event, { commit }) {
    await commit((tx) => markSessionExpired(tx, event.data.object));
  },
};
