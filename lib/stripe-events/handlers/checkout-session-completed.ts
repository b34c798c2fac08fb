// A completed Checkout. Payment mode (a top-up): paid → credit; unpaid (delayed method) → processing.
// Subscription mode: link the customer, mirror the new subscription. Setup mode (auto-recharge's
// card): store the saved card's brand and last 4 on the wallet's settings.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { completeSubscriptionCheckout } from "../../billing";
import { completeSession, storeAndSettlePaidSession } from "../../payments/purchases";
import { completeCardSetupFromEvent, isCardSetupSession } from "../../payments/recharges";

export const checkoutSessionCompleted: WebhookHandler<Stripe.CheckoutSessionCompletedEvent> = {
  isSlow: (event) => event.data.object.mode === "subscription" || isCardSetupSession(event.data.object),
  storeAndApply: (event, stored) => storeAndSettlePaidSession(event.data.object, stored),
  async handle(event, context) {
    const session = event.data.object;
    if (session.mode === "subscription") return completeSubscriptionCheckout(session, context);
    if (isCardSetupSession(session)) return completeCardSetupFromEvent(session, context);
    await context.commit((tx) => completeSession(tx, session));
  },
};
