// A completed Checkout. Payment mode (a top-up): paid → credit; unpaid (delayed method) → processing.
// Subscription mode: link the customer, mirror the new subscription.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { completeSubscriptionCheckout } from "../../billing/refresh";
import { completeSession, mayStoreAndSettleInOneStatement, storeAndSettlePaidSession } from "../../purchases";

export const checkoutSessionCompleted: WebhookHandler<Stripe.CheckoutSessionCompletedEvent> = {
  isSlow: (event) => event.data.object.mode === "subscription",
  storeAndApply(event, stored) {
    const session = event.data.object;
    if (!mayStoreAndSettleInOneStatement(session)) return null;
    return storeAndSettlePaidSession(session, stored).then((settled) =>
      settled.outcome === "settled" ? { outcome: "applied", woken: settled.woken } : settled,
    );
  },
  async handle(event, context) {
    const session = event.data.object;
    if (session.mode === "subscription") return completeSubscriptionCheckout(session, context);
    await context.commit((tx) => completeSession(tx, session));
  },
};
