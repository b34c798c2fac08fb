// Mirrors a Checkout Session that the customer completed: paid → credit; unpaid (delayed method) → processing.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { completeSession } from "../../purchases";

export const checkoutSessionCompleted: WebhookHandler<Stripe.CheckoutSessionCompletedEvent> = {
  async handle(event, { commit }) {
    await commit((tx) => completeSession(tx, event.data.object));
  },
};
