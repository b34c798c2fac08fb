// Mirrors a delayed Checkout payment that failed: the purchase is failed and nothing is credited.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { markSessionFailed } from "../../payments/purchases";

export const checkoutSessionAsyncPaymentFailed: WebhookHandler<Stripe.CheckoutSessionAsyncPaymentFailedEvent> = {
  async handle(event, { commit }) {
    await commit((tx) => markSessionFailed(tx, event.data.object));
  },
};
