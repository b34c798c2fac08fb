import type Stripe from "stripe";
import type { Purchase } from "../generated/prisma/client";
import type { Tx } from "../db";
import { debit, refundKey } from "../ledger";
import { listRefundsForCharge } from "../stripe";
import { stripeId } from "../stripe/ids";
import { assertPurchaseCurrency, lockChargedPurchase, lockPurchase } from "./purchases";

// Money going back out after a top-up, keyed by Stripe's refund id so each refund moves the
// balance once, however many events mention it.

/** The refunds a charge event carries, when it carries the complete list; null when they must be fetched. */
export function embeddedRefunds(charge: Stripe.Charge): Stripe.Refund[] | null {
  return charge.refunds && !charge.refunds.has_more ? charge.refunds.data : null;
}

/** Every refund of the charge: from the event when complete, otherwise from Stripe (before any transaction). */
export async function refundsOfCharge(charge: Stripe.Charge): Promise<Stripe.Refund[]> {
  return embeddedRefunds(charge) ?? listRefundsForCharge(charge.id);
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
    idempotencyKey: refundKey(refund.id),
    stripeObjectId: refund.id,
    description: "Refund",
  });
}

/** A refunded charge: each of its succeeded refunds (already fetched, outside the transaction) is debited once. */
export async function applyChargeRefunds(tx: Tx, charge: Stripe.Charge, refunds: Stripe.Refund[]): Promise<void> {
  const purchase = await lockChargedPurchase(tx, { chargeId: charge.id, paymentIntentId: stripeId(charge.payment_intent) });
  if (!purchase) return;
  for (const refund of refunds) await applyRefund(tx, purchase, refund);
}

/** One refund whose status changed (e.g. pending → succeeded). */
export async function applyRefundUpdate(tx: Tx, refund: Stripe.Refund): Promise<void> {
  const purchase = await lockPurchase(tx, { chargeId: stripeId(refund.charge), paymentIntentId: stripeId(refund.payment_intent) });
  if (!purchase) return;
  await applyRefund(tx, purchase, refund);
}
