// Mirrors a closed dispute: won → the held amount is released (DISPUTE_RELEASE); lost → the hold stays.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { chargeNeedsLookup, chargeReference, closeDispute } from "../../payments/purchases";

export const chargeDisputeClosed: WebhookHandler<Stripe.ChargeDisputeClosedEvent> = {
  // Slow only when no purchase knows the charge: then Stripe is asked whether the charge is ours.
  isSlow: (event) => chargeNeedsLookup(event.data.object),
  async handle(event, { commit }) {
    const dispute = event.data.object;
    const reference = await chargeReference(dispute);
    await commit((tx) => closeDispute(tx, reference, dispute));
  },
};
