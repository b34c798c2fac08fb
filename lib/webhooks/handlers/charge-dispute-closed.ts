// Mirrors a closed dispute: won → the held amount is released (DISPUTE_RELEASE); lost → the hold stays.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { credit } from "../../ledger";
import { disputeNeedsChargeLookup, disputeReference, disputeReleaseKey, holdDisputedAmount, lockChargedPurchase } from "../charges";

// Closed in the merchant's favour. "warning_closed" ends an inquiry that never withdrew funds, and
// "prevented" one that was stopped before it became a dispute: either way the hold comes back.
const RELEASED_STATUSES: ReadonlySet<Stripe.Dispute.Status> = new Set(["won", "warning_closed", "prevented"]);

export const chargeDisputeClosed: WebhookHandler<Stripe.ChargeDisputeClosedEvent> = {
  isSlow: (event) => disputeNeedsChargeLookup(event.data.object),
  async handle(event, { commit }) {
    const dispute = event.data.object;
    const reference = await disputeReference(dispute);
    await commit(async (tx) => {
      const purchase = await lockChargedPurchase(tx, reference);
      if (!purchase) return;
      // Delivery order is not guaranteed: if charge.dispute.created has not been applied yet, apply
      // its hold here under the same key, so the release always follows a hold and never double-counts.
      await holdDisputedAmount(tx, purchase, dispute);
      if (!RELEASED_STATUSES.has(dispute.status)) return;
      await credit(tx, {
        userId: purchase.userId,
        currency: purchase.currency,
        amountMinor: dispute.amount,
        type: "DISPUTE_RELEASE",
        idempotencyKey: disputeReleaseKey(dispute.id),
        stripeObjectId: dispute.id,
        description: "Dispute won: hold released",
      });
    });
  },
};
