// Mirrors a Checkout Session that expired unpaid: the purchase is shown as expired.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { updateUnpaidPurchase } from "../../topups";
import { isTopUpSession, lockPurchase, sessionReference } from "../purchases";

export const checkoutSessionExpired: WebhookHandler<Stripe.CheckoutSessionExpiredEvent> = {
  async handle(event, { commit }) {
    const session = event.data.object;
    await commit(async (tx) => {
      if (!isTopUpSession(session)) return;
      const purchase = await lockPurchase(tx, sessionReference(session));
      if (!purchase) return;
      await updateUnpaidPurchase(tx, purchase, { status: "expired", failureMessage: purchase.failureMessage });
    });
  },
};
