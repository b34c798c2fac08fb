// Mirrors a failed payment attempt (e.g. a declined card): Stripe's reason is stored on the purchase for the user.
// An auto-recharge's PaymentIntent also fails its recharge and switches auto-recharge off (lib/payments/recharges).
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { recordPaymentFailure } from "../../payments/purchases";
import { isRechargePaymentIntent, recordRechargeFailure } from "../../payments/recharges";

export const paymentIntentPaymentFailed: WebhookHandler<Stripe.PaymentIntentPaymentFailedEvent> = {
  async handle(event, { commit }) {
    const paymentIntent = event.data.object;
    await commit((tx) => (isRechargePaymentIntent(paymentIntent) ? recordRechargeFailure(tx, paymentIntent) : recordPaymentFailure(tx, paymentIntent)));
  },
};
