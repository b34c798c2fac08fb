import type Stripe from "stripe";
import type { Purchase } from "../generated/prisma/client";
import { db, type Tx } from "../db";
import { credit, debit, disputeHoldKey, disputeReleaseKey } from "../ledger";
import { retrieveCharge } from "../stripe";
import { stripeId } from "../stripe/ids";
import { assertPurchaseCurrency, lockChargedPurchase } from "./purchases";

// A dispute on a top-up charge: the disputed amount is held while it is open, released if the
// merchant wins, and kept if the customer wins. Keyed by Stripe's dispute id.

// Closed in the merchant's favour. "warning_closed" ends an inquiry that never withdrew funds, and
// "prevented" one that was stopped before it became a dispute: either way the hold comes back.
const RELEASED_STATUSES: ReadonlySet<Stripe.Dispute.Status> = new Set(["won", "warning_closed", "prevented"]);

export interface DisputeReference {
  chargeId: string | null;
  paymentIntentId: string | null;
}

/** A dispute names its charge, and usually its PaymentIntent; only without either known locally do we ask Stripe. */
export function disputeNeedsChargeLookup(dispute: Stripe.Dispute): boolean {
  return dispute.payment_intent === null;
}

/**
 * The references that lead from a dispute to its purchase. When the dispute carries no PaymentIntent
 * and no purchase knows the charge yet, the charge is fetched from Stripe for its PaymentIntent.
 */
export async function disputeReference(dispute: Stripe.Dispute): Promise<DisputeReference> {
  const chargeId = stripeId(dispute.charge);
  const paymentIntentId = stripeId(dispute.payment_intent);
  if (paymentIntentId || !chargeId) return { chargeId, paymentIntentId };
  const known = await db().purchase.findUnique({ where: { chargeId }, select: { id: true } });
  if (known) return { chargeId, paymentIntentId: null };
  return { chargeId, paymentIntentId: stripeId((await retrieveCharge(chargeId)).payment_intent) };
}

/** Holds the disputed amount once; it may leave the wallet negative, since Stripe has withdrawn the money. */
export async function holdDisputedAmount(tx: Tx, purchase: Purchase, dispute: Stripe.Dispute): Promise<void> {
  assertPurchaseCurrency(purchase, dispute.currency, dispute.id);
  await debit(tx, {
    userId: purchase.userId,
    currency: purchase.currency,
    amountMinor: dispute.amount,
    type: "DISPUTE_HOLD",
    idempotencyKey: disputeHoldKey(dispute.id),
    stripeObjectId: dispute.id,
    description: "Payment disputed: amount on hold",
  });
}

/** A new dispute: hold the disputed amount until it closes. */
export async function openDispute(tx: Tx, reference: DisputeReference, dispute: Stripe.Dispute): Promise<void> {
  const purchase = await lockChargedPurchase(tx, reference);
  if (!purchase) return;
  await holdDisputedAmount(tx, purchase, dispute);
}

/** A closed dispute: won → the held amount is released; lost → the hold stays. */
export async function closeDispute(tx: Tx, reference: DisputeReference, dispute: Stripe.Dispute): Promise<void> {
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
}
