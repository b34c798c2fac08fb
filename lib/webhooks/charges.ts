import type Stripe from "stripe";
import type { Purchase } from "../generated/prisma/client";
import { db, type Tx } from "../db";
import { debit } from "../ledger";
import { listRefundsForCharge, retrieveCharge } from "../stripe";
import { assertPurchaseCurrency, type PaymentReference } from "../topups";
import { lockPurchase, rememberCharge } from "./purchases";
import { stripeId } from "./types";

// Money going back out after a top-up: refunds and disputes, keyed by Stripe's refund and dispute ids
// so each one moves the balance once, however many events mention it.

/** The refunds a charge event carries, when it carries the complete list; null when they must be fetched. */
export function embeddedRefunds(charge: Stripe.Charge): Stripe.Refund[] | null {
  return charge.refunds && !charge.refunds.has_more ? charge.refunds.data : null;
}

/** Every refund of the charge: from the event when complete, otherwise from Stripe (before any transaction). */
export async function refundsOfCharge(charge: Stripe.Charge): Promise<Stripe.Refund[]> {
  return embeddedRefunds(charge) ?? listRefundsForCharge(charge.id);
}

export function refundIdempotencyKey(refundId: string): string {
  return `refund:${refundId}`;
}

/**
 * Debits a succeeded refund once. It may leave the wallet negative: Stripe has already returned the
 * money, even if the credit was spent. Pending and failed refunds move nothing.
 */
export async function applyRefund(tx: Tx, purchase: Purchase, refund: Stripe.Refund): Promise<void> {
  if (refund.status !== "succeeded") return;
  assertPurchaseCurrency(purchase, refund.currency, refund.id);
  await debit(tx, {
    userId: purchase.userId,
    currency: purchase.currency,
    amountMinor: refund.amount,
    type: "REFUND",
    idempotencyKey: refundIdempotencyKey(refund.id),
    stripeObjectId: refund.id,
    description: "Refund",
  });
}

export function disputeHoldKey(disputeId: string): string {
  return `dispute_hold:${disputeId}`;
}

export function disputeReleaseKey(disputeId: string): string {
  return `dispute_release:${disputeId}`;
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

/** A dispute names its charge, and usually its PaymentIntent; only without either known locally do we ask Stripe. */
export function disputeNeedsChargeLookup(dispute: Stripe.Dispute): boolean {
  return dispute.payment_intent === null;
}

/**
 * The references that lead from a dispute to its purchase. When the dispute carries no PaymentIntent
 * and no purchase knows the charge yet, the charge is fetched from Stripe for its PaymentIntent.
 */
export async function disputeReference(dispute: Stripe.Dispute): Promise<{ chargeId: string | null; paymentIntentId: string | null }> {
  const chargeId = stripeId(dispute.charge);
  const paymentIntentId = stripeId(dispute.payment_intent);
  if (paymentIntentId || !chargeId) return { chargeId, paymentIntentId };
  const known = await db().purchase.findUnique({ where: { chargeId }, select: { id: true } });
  if (known) return { chargeId, paymentIntentId: null };
  return { chargeId, paymentIntentId: stripeId((await retrieveCharge(chargeId)).payment_intent) };
}

/** Locks the purchase a charge or dispute is about, noting the charge id on it for later lookups. */
export async function lockChargedPurchase(tx: Tx, reference: PaymentReference & { chargeId: string | null }): Promise<Purchase | null> {
  const purchase = await lockPurchase(tx, reference);
  if (purchase) await rememberCharge(tx, purchase, reference.chargeId);
  return purchase;
}
