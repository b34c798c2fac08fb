// Mirrors a refund whose status changed (e.g. pending → succeeded): debit it once it has succeeded.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { applyRefundUpdate } from "../../purchases";

export const chargeRefundUpdated: WebhookHandler<Stripe.ChargeRefundUpdatedEvent> = {
  async handle(event, { commit }) {
    await commit((tx) => applyRefundUpdate(tx, event.data.object));
  },
};
