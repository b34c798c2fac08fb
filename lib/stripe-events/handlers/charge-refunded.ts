// Mirrors a charge's refunds (full or partial): each succeeded refund is debited once, as REFUND.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { applyChargeRefunds, embeddedRefunds, refundsOfCharge } from "../../payments/purchases";

export const chargeRefunded: WebhookHandler<Stripe.ChargeRefundedEvent> = {
  // In this API version the event's charge usually lacks its refunds, which then come from Stripe.
  isSlow: (event) => embeddedRefunds(event.data.object) === null,
  async handle(event, { commit }) {
    const charge = event.data.object;
    const refunds = await refundsOfCharge(charge);
    await commit((tx) => applyChargeRefunds(tx, charge, refunds));
  },
};
