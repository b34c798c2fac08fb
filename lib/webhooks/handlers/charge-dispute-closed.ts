// Mirrors a closed dispute: won → the held amount is released (DISPUTE_RELEASE); lost → the hold stays.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { closeDispute, disputeNeedsChargeLookup, disputeReference } from "../../purchases";

export const chargeDisputeClosed: WebhookHandler<Stripe.ChargeDisputeClosedEvent> = {
  isSlow: (event) => disputeNeedsChargeLookup(event.data.object),
  async handle(event, { commit }) {
    const dispute = event.data.object;
    const reference = await disputeReference(dispute);
    await commit((tx) => closeDispute(tx, reference, dispute));
  },
};
