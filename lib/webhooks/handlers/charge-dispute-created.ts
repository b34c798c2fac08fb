// Mirrors a new dispute on a top-up charge: the disputed amount is held (DISPUTE_HOLD) until it closes.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { chargeNeedsLookup, chargeReference, disputeCharge, openDispute } from "../../purchases";

export const chargeDisputeCreated: WebhookHandler<Stripe.ChargeDisputeCreatedEvent> = {
  // Slow only when no purchase knows the charge: then Stripe is asked whether the charge is ours.
  isSlow: (event) => {
    const { chargeId, paymentIntentId } = disputeCharge(event.data.object);
    return chargeNeedsLookup(chargeId, paymentIntentId);
  },
  async handle(event, { commit }) {
    const dispute = event.data.object;
    const { chargeId, paymentIntentId } = disputeCharge(dispute);
    const reference = await chargeReference(chargeId, paymentIntentId);
    await commit((tx) => openDispute(tx, reference, dispute));
  },
};
