// Mirrors a charge's refunds (full or partial): each succeeded refund is debited once, as REFUND.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { applyRefund, embeddedRefunds, lockChargedPurchase, refundsOfCharge } from "../charges";
import { stripeId } from "../types";

export const chargeRefunded: WebhookHandler<Stripe.ChargeRefundedEvent> = {
  // In this API version the event's charge usually lacks its refunds, which then come from Stripe.
  isSlow: (event) => embeddedRefunds(event.data.object) === null,
  async handle(event, { commit }) {
    const charge = event.data.object;
    const refunds = await refundsOfCharge(charge);
    await commit(async (tx) => {
      const purchase = await lockChargedPurchase(tx, { chargeId: charge.id, paymentIntentId: stripeId(charge.payment_intent) });
      if (!purchase) return;
      for (const refund of refunds) await applyRefund(tx, purchase, refund);
    });
  },
};
