import type Stripe from "stripe";
import type { Purchase } from "../../generated/prisma/client";
import type { Tx } from "../../core/db";
import { debit, refundKey, refundReversalKey, reverse } from "../../ledger";
import { log } from "../../core/log";
import { listRefundsForCharge } from "../../stripe";
import { stripeId } from "../../stripe";
import type { ChargeReference } from "./charge-reference";
import { billfoldPurchaseIdOf, lockChargedPurchase } from "./references";
import { assertPurchaseCurrency } from "./settle";

// Money going back out after a top-up, keyed by Stripe's refund id so each refund moves the
// balance once, however many events mention it; and back in, once, if the refund then fails.
// Purchase.refundedMinor follows the ledger in the same transaction: it moves only when the ledger
// entry is newly applied, so duplicates, retries and any order of events count each refund once.

/** Refund statuses after which Stripe did not return the money after all. */
const UNDONE_STATUSES: ReadonlySet<string> = new Set(["failed", "canceled"]);

/** The refunds a charge event carries, when it carries the complete list; null when they must be fetched. */
export function embeddedRefunds(charge: Stripe.Charge): Stripe.Refund[] | null {
  return charge.refunds && !charge.refunds.has_more ? charge.refunds.data : null;
}

/** Every refund of the charge: from the event when complete, otherwise from Stripe (before any transaction). */
export async function refundsOfCharge(charge: Stripe.Charge): Promise<Stripe.Refund[]> {
  return embeddedRefunds(charge) ?? listRefundsForCharge(charge.id);
}

/**
 * Debits a succeeded refund once, from this payment's own grant first (lib/ledger's negative-balance
 * policy). It may leave the wallet negative: Stripe has already returned the money, even if the credit was spent. A refund that failed or was canceled after it was debited is
 * credited back once (REFUND_REVERSAL). Pending refunds, and refunds that failed before they were
 * ever debited, move nothing.
 *
 * Ordered by Stripe's state, not by arrival: failed and canceled are final at Stripe, so the first
 * event that reports one is recorded (UndoneRefund), and any event about that refund that still says
 * succeeded is older than it and debits nothing. The caller holds the purchase's row lock, so an
 * event that reports the end and one that still says succeeded never interleave.
 */
export async function applyRefund(tx: Tx, purchase: Purchase, refund: Stripe.Refund): Promise<void> {
  assertPurchaseCurrency(purchase, refund.currency, refund.id);
  if (refund.status === "succeeded") {
    const undone = await tx.undoneRefund.findUnique({ where: { refundId: refund.id }, select: { status: true } });
    if (undone) {
      log.info("stale_refund_ignored", { refundId: refund.id, purchaseId: purchase.id, endedAs: undone.status });
      return;
    }
    const { applied } = await debit(tx, {
      userId: purchase.userId,
      currency: purchase.currency,
      amountMinor: refund.amount,
      type: "REFUND",
      idempotencyKey: refundKey(refund.id),
      stripeObjectId: refund.id,
      description: "Refund",
      purchaseId: purchase.id,
    });
    if (applied) await addToRefunded(tx, purchase.id, refund.amount);
    return;
  }
  if (refund.status === null || !UNDONE_STATUSES.has(refund.status)) return;
  await tx.undoneRefund.upsert({
    where: { refundId: refund.id },
    create: { refundId: refund.id, purchaseId: purchase.id, status: refund.status },
    update: {},
  });
  const debited = await tx.ledgerEntry.findUnique({ where: { idempotencyKey: refundKey(refund.id) }, select: { id: true } });
  if (!debited) return;
  const reversal = await reverse(tx, {
    originalIdempotencyKey: refundKey(refund.id),
    idempotencyKey: refundReversalKey(refund.id),
    type: "REFUND_REVERSAL",
    stripeObjectId: refund.id,
    purchaseId: purchase.id,
    description: refund.status === "failed" ? "Refund failed: money returned" : "Refund canceled: money returned",
  });
  if (reversal.applied) await addToRefunded(tx, purchase.id, -Math.abs(reversal.entry.amountMinor));
}

/**
 * Moves the purchase's refunded total by a refund (positive) or its reversal (negative), on the row
 * the caller has locked. Kept within 0…amountMinor (the table's CHECK): a reversal of a refund applied
 * before this column existed finds nothing counted, and must not fail the event that returns the money.
 */
async function addToRefunded(tx: Tx, purchaseId: string, deltaMinor: number): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Purchase" SET "refundedMinor" = LEAST("amountMinor", GREATEST(0, "refundedMinor" + ${deltaMinor})), "updatedAt" = now()
    WHERE "id" = ${purchaseId}`;
}

/** A refunded charge: each of its refunds (already fetched, outside the transaction) is applied once. */
export async function applyChargeRefunds(tx: Tx, charge: Stripe.Charge, refunds: Stripe.Refund[]): Promise<void> {
  const purchase = await lockChargedPurchase(tx, {
    // The charge carries our purchase id, copied from its PaymentIntent, when it is a top-up's.
    purchaseId: billfoldPurchaseIdOf(charge.metadata),
    chargeId: charge.id,
    paymentIntentId: stripeId(charge.payment_intent),
  });
  if (!purchase) return;
  for (const refund of refunds) await applyRefund(tx, purchase, refund);
}

/** One refund whose status changed (pending → succeeded, or succeeded → failed or canceled). */
export async function applyRefundUpdate(tx: Tx, reference: ChargeReference, refund: Stripe.Refund): Promise<void> {
  const purchase = await lockChargedPurchase(tx, reference);
  if (!purchase) return;
  await applyRefund(tx, purchase, refund);
}
