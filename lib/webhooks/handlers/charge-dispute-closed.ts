// Mirrors a closed dispute: won → the held amount is released (DISPUTE_RELEASE); lost → the hold stays.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { chargeNeedsLookup, chargeReference, disputeCharge, closeDispute } from "../../purchases";

export const chargeDisputeClosed: WebhookHandler<Stripe.ChargeDisputeClosedEvent> = {
  // Slow only when no purchase knows the charge: then Stripe is asked whether the charge is ours.
  isSlow: (event) => {
    const { chargeId, paymentIntentId } = disputeCharge(event.data.object);
    return chargeNeedsLookup(chargeId, paymentIntentId);
  },
  async handle(event, { commit }) {
    const dispute = event.data.object;
    const { chargeId, paymentIntentId } = disputeCharge(dispute);
    const reference = await chargeReference(chargeId, paymentIntentId);
    await commit((tx) => closeDispute(tx, reference, dispute));
  },
};
