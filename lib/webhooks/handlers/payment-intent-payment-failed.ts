// Mirrors a failed payment attempt (e.g. a declined card): Stripe's reason is stored on the purchase for the user.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { recordPaymentFailure } from "../../purchases";

export const paymentIntentPaymentFailed: WebhookHandler<Stripe.PaymentIntentPaymentFailedEvent> = {
  async handle(event, { commit }) {
    await commit((tx) => recordPaymentFailure(tx, event.data.object));
  },
};
