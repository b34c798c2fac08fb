import type Stripe from "stripe";
import type { Purchase } from "../generated/prisma/client";
import type { Tx } from "../db";
import { credit, debit, disputeHoldKey, disputeReleaseKey, type LedgerResult } from "../ledger";
import type { ChargeReference } from "./charge-reference";
import { assertPurchaseCurrency, lockChargedPurchase } from "./purchases";

// A dispute on a top-up charge: the disputed amount is held while it is open, released if the
// merchant wins, and kept if the customer wins. Keyed by Stripe's dispute id. The purchase shows it
// (disputeStatus, disputedMinor), written in the same transaction as the ledger change: "open" only
// when the hold is newly applied, so a created event arriving after the close changes nothing; the
// close writes its outcome, a value that a duplicate or retry writes again unchanged.

// Closed in the merchant's favour. "warning_closed" ends an inquiry that never withdrew funds, and
// "prevented" one that was stopped before it became a dispute: either way the hold comes back.
const RELEASED_STATUSES: ReadonlySet<Stripe.Dispute.Status> = new Set(["won", "warning_closed", "prevented"]);

/** Holds the disputed amount once; it may leave the wallet negative, since Stripe has withdrawn the money. */
export async function holdDisputedAmount(tx: Tx, purchase: Purchase, dispute: Stripe.Dispute): Promise<LedgerResult> {
  assertPurchaseCurrency(purchase, dispute.currency, dispute.id);
  return debit(tx, {
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
export async function openDispute(tx: Tx, reference: ChargeReference, dispute: Stripe.Dispute): Promise<void> {
  const purchase = await lockChargedPurchase(tx, reference);
  if (!purchase) return;
  const { applied } = await holdDisputedAmount(tx, purchase, dispute);
  if (!applied) return;
  await tx.purchase.update({ where: { id: purchase.id }, data: { disputeStatus: "open", disputedMinor: dispute.amount } });
}

/** A closed dispute: won → the held amount is released; lost → the hold stays. */
export async function closeDispute(tx: Tx, reference: ChargeReference, dispute: Stripe.Dispute): Promise<void> {
  const purchase = await lockChargedPurchase(tx, reference);
  if (!purchase) return;
  // Delivery order is not guaranteed: if charge.dispute.created has not been applied yet, apply
  // its hold here under the same key, so the release always follows a hold and never double-counts.
  await holdDisputedAmount(tx, purchase, dispute);
  const released = RELEASED_STATUSES.has(dispute.status);
  await tx.purchase.update({ where: { id: purchase.id }, data: { disputeStatus: released ? "won" : "lost", disputedMinor: dispute.amount } });
  if (!released) return;
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
