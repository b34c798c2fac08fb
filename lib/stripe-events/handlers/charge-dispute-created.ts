// Mirrors a new dispute on a top-up charge: the disputed amount is held (DISPUTE_HOLD) until it closes.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { chargeNeedsLookup, chargeReference, openDispute } from "../../payments/purchases";

export const chargeDisputeCreated: WebhookHandler<Stripe.ChargeDisputeCreatedEvent> = {
  // Slow only when no purchase knows the charge: then Stripe is asked whether the charge is ours.
  isSlow: (event) => chargeNeedsLookup(event.data.object),
  async handle(event, { commit }) {
    const dispute = event.data.object;
    const reference = await chargeReference(dispute);
    await commit((tx) => openDispute(tx, reference, dispute));
  },
};
