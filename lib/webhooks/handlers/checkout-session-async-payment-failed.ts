// Mirrors a delayed Checkout payment that failed: the purchase is failed and nothing is credited.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { updateUnpaidPurchase } from "../../topups";
import { isTopUpSession, lockPurchase, sessionReference } from "../purchases";
import { stripeId } from "../types";

export const checkoutSessionAsyncPaymentFailed: WebhookHandler<Stripe.CheckoutSessionAsyncPaymentFailedEvent> = {
  async handle(event, { commit }) {
    const session = event.data.object;
    await commit(async (tx) => {
      if (!isTopUpSession(session)) return;
      const purchase = await lockPurchase(tx, sessionReference(session));
      if (!purchase) return;
      await updateUnpaidPurchase(tx, purchase, {
        status: "failed",
        // payment_intent.payment_failed may already have stored the bank's reason; keep it.
        failureMessage: purchase.failureMessage ?? "The payment did not go through.",
        paymentIntentId: stripeId(session.payment_intent),
      });
    });
  },
};
