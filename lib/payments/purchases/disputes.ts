import type Stripe from "stripe";
import type { Purchase } from "../../generated/prisma/client";
import type { Tx } from "../../core/db";
import { credit, debit, disputeHoldKey, disputeReleaseKey, type LedgerResult } from "../../ledger";
import type { ChargeReference } from "./charge-reference";
import { lockChargedPurchase } from "./references";
import { assertPurchaseCurrency } from "./settle";

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
    purchaseId: purchase.id,
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
  await releaseDisputedAmount(tx, purchase, dispute, "Dispute won: hold released");
}

/**
 * Stripe put the disputed money back in the merchant's balance (charge.dispute.funds_reinstated, sent
 * with a won dispute's close): the hold comes back once. It shares the release's key with
 * closeDispute, so a won close and its reinstatement, in either order and however often, credit once.
 */
export async function reinstateDisputedFunds(tx: Tx, reference: ChargeReference, dispute: Stripe.Dispute): Promise<void> {
  const purchase = await lockChargedPurchase(tx, reference);
  if (!purchase) return;
  await holdDisputedAmount(tx, purchase, dispute);
  // The money is back whatever the dispute's status says yet; a later close writes its own outcome.
  if (purchase.disputeStatus !== "lost") await tx.purchase.update({ where: { id: purchase.id }, data: { disputeStatus: "won", disputedMinor: dispute.amount } });
  await releaseDisputedAmount(tx, purchase, dispute, "Dispute funds reinstated: hold released");
}

/** Credits the held amount back once per dispute (DISPUTE_RELEASE, a paid grant of the same payment). */
function releaseDisputedAmount(tx: Tx, purchase: Purchase, dispute: Stripe.Dispute, description: string): Promise<LedgerResult> {
  return credit(tx, {
    userId: purchase.userId,
    currency: purchase.currency,
    amountMinor: dispute.amount,
    type: "DISPUTE_RELEASE",
    idempotencyKey: disputeReleaseKey(dispute.id),
    stripeObjectId: dispute.id,
    description,
    purchaseId: purchase.id,
  });
}
