// Mirrors a refund whose status changed: debit it once it has succeeded; credit it back once if it then fails or is canceled.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { applyRefundUpdate, chargeNeedsLookup, chargeReference } from "../../payments/purchases";

export const chargeRefundUpdated: WebhookHandler<Stripe.ChargeRefundUpdatedEvent> = {
  // Slow only when no purchase knows the charge: then Stripe is asked whether the charge is ours.
  isSlow: (event) => chargeNeedsLookup(event.data.object),
  async handle(event, { commit }) {
    const refund = event.data.object;
    const reference = await chargeReference(refund);
    await commit((tx) => applyRefundUpdate(tx, reference, refund));
  },
};
