// Mirrors a refund whose status changed (e.g. pending → succeeded): debit it once it has succeeded.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { applyRefund } from "../charges";
import { lockPurchase } from "../purchases";
import { stripeId } from "../types";

export const chargeRefundUpdated: WebhookHandler<Stripe.ChargeRefundUpdatedEvent> = {
  async handle(event, { commit }) {
    const refund = event.data.object;
    await commit(async (tx) => {
      const purchase = await lockPurchase(tx, { chargeId: stripeId(refund.charge), paymentIntentId: stripeId(refund.payment_intent) });
      if (!purchase) return;
      await applyRefund(tx, purchase, refund);
    });
  },
};
