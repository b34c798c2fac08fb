// Mirrors a PaymentIntent that succeeded: credit its purchase, under the same key as the Checkout events.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { settlePaidPurchase } from "../../topups";
import { lockPurchase, paymentIntentReference } from "../purchases";
import { stripeId } from "../types";

export const paymentIntentSucceeded: WebhookHandler<Stripe.PaymentIntentSucceededEvent> = {
  async handle(event, { commit }) {
    const paymentIntent = event.data.object;
    await commit(async (tx) => {
      // PaymentIntents that are not top-ups (subscription invoices) have no purchase: nothing to do.
      const purchase = await lockPurchase(tx, paymentIntentReference(paymentIntent));
      if (!purchase) return;
      await settlePaidPurchase(tx, purchase, {
        paymentIntentId: paymentIntent.id,
        chargeId: stripeId(paymentIntent.latest_charge),
        amountMinor: paymentIntent.amount_received,
        currency: paymentIntent.currency,
      });
    });
  },
};
