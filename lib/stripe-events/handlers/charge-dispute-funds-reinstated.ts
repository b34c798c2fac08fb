// Mirrors disputed money returned to the merchant: the held amount is released once (DISPUTE_RELEASE, shared with a won close).
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { chargeNeedsLookup, chargeReference, reinstateDisputedFunds } from "../../payments/purchases";

export const chargeDisputeFundsReinstated: WebhookHandler<Stripe.ChargeDisputeFundsReinstatedEvent> = {
  // Slow only when no purchase knows the charge: then Stripe is asked whether the charge is ours.
  isSlow: (event) => chargeNeedsLookup(event.data.object),
  async handle(event, { commit }) {
    const dispute = event.data.object;
    const reference = await chargeReference(dispute);
    await commit((tx) => reinstateDisputedFunds(tx, reference, dispute));
  },
};
