// Mirrors a refund whose status changed: debit it once it has succeeded; credit it back once if it then fails or is canceled.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { applyRefundUpdate, chargeNeedsLookup, chargeReference, refundCharge } from "../../purchases";

export const chargeRefundUpdated: WebhookHandler<Stripe.ChargeRefundUpdatedEvent> = {
  // Slow only when no purchase knows the charge: then Stripe is asked whether the charge is ours.
  isSlow: (event) => {
    const { chargeId, paymentIntentId } = refundCharge(event.data.object);
    return chargeNeedsLookup(chargeId, paymentIntentId);
  },
  async handle(event, { commit }) {
    const refund = event.data.object;
    const { chargeId, paymentIntentId } = refundCharge(refund);
    const reference = await chargeReference(chargeId, paymentIntentId);
    await commit((tx) => applyRefundUpdate(tx, reference, refund));
  },
};
