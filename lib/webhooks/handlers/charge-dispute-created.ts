// Mirrors a new dispute on a top-up charge: the disputed amount is held (DISPUTE_HOLD) until it closes.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { disputeNeedsChargeLookup, disputeReference, openDispute } from "../../purchases";

export const chargeDisputeCreated: WebhookHandler<Stripe.ChargeDisputeCreatedEvent> = {
  isSlow: (event) => disputeNeedsChargeLookup(event.data.object),
  async handle(event, { commit }) {
    const dispute = event.data.object;
    const reference = await disputeReference(dispute);
    await commit((tx) => openDispute(tx, reference, dispute));
  },
};
