// A completed Checkout. Payment mode (a top-up): paid → credit; unpaid (delayed method) → processing.
// Subscription mode: link the customer, mirror the new subscription.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { completeSubscriptionCheckout } from "../../billing/refresh";
import { completeSession, storeAndSettlePaidSession } from "../../purchases";

export const checkoutSessionCompleted: WebhookHandler<Stripe.CheckoutSessionCompletedEvent> = {
  isSlow: (event) => event.data.object.mode === "subscription",
  storeAndApply: (event, stored) => storeAndSettlePaidSession(event.data.object, stored),
  async handle(event, context) {
    const session = event.data.object;
    if (session.mode === "subscription") return completeSubscriptionCheckout(session, context);
    await context.commit((tx) => completeSession(tx, session));
  },
};
