// Mirrors a failed payment attempt (e.g. a declined card): Stripe's reason is stored on the purchase for the user.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { updateUnpaidPurchase } from "../../topups";
import { lockPurchase, paymentIntentReference } from "../purchases";

export const paymentIntentPaymentFailed: WebhookHandler<Stripe.PaymentIntentPaymentFailedEvent> = {
  async handle(event, { commit }) {
    const paymentIntent = event.data.object;
    await commit(async (tx) => {
      const purchase = await lockPurchase(tx, paymentIntentReference(paymentIntent));
      if (!purchase) return;
      // The customer may still retry in the same Checkout Session; a later success marks it paid.
      await updateUnpaidPurchase(tx, purchase, {
        status: "failed",
        failureMessage: paymentIntent.last_payment_error?.message ?? "The payment was declined.",
        paymentIntentId: paymentIntent.id,
      });
    });
  },
};
