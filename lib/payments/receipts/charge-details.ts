import type Stripe from "stripe";
import type { Purchase } from "../../generated/prisma/client";
import type { Tx } from "../../core/db";
import { billfoldPurchaseIdOf, lockPurchase, rememberCharge } from "../purchases";
import { stripeId } from "../../stripe";

// What a receipt says about the payment that only Stripe knows: its hosted receipt page
// (charge.receipt_url) and the card that paid (charge.payment_method_details.card). They are copied
// onto the purchase from the charge that paid it, by `charge.succeeded` (lib/stripe-events) and, for a
// paid purchase that still lacks them, by the receipt page (./receipts.ts). No money moves here, so
// a duplicate or a replay only writes the same values again.

export interface ChargeReceiptDetails {
  receiptUrl: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
}

/** The receipt details a charge carries; null fields when it has none (a bank debit has no card). */
export function receiptDetailsOf(charge: Stripe.Charge): ChargeReceiptDetails {
  const card = charge.payment_method_details?.card;
  const last4 = card?.last4 ?? null;
  return {
    receiptUrl: charge.receipt_url || null,
    cardBrand: card?.brand || null,
    cardLast4: last4 && /^\d{4}$/.test(last4) ? last4 : null,
  };
}

/**
 * Records a succeeded charge's receipt details on the purchase it paid. A charge that is not ours (no
 * purchase id in its metadata, and a PaymentIntent no purchase knows) changes nothing; one that names
 * our purchase before the purchase exists is unmatched and waits (see lockPurchase). A charge that
 * belongs to another payment than the purchase's own (a different PaymentIntent or charge) is ignored.
 */
export async function recordChargeReceipt(tx: Tx, charge: Stripe.Charge): Promise<Purchase | null> {
  if (charge.status !== "succeeded") return null;
  const paymentIntentId = stripeId(charge.payment_intent);
  const purchase = await lockPurchase(tx, { purchaseId: billfoldPurchaseIdOf(charge.metadata), paymentIntentId, chargeId: charge.id });
  if (!purchase) return null;
  if (purchase.paymentIntentId && paymentIntentId && purchase.paymentIntentId !== paymentIntentId) return null;
  if (purchase.chargeId && purchase.chargeId !== charge.id) return null;

  await rememberCharge(tx, purchase, charge.id);
  const found = receiptDetailsOf(charge);
  // A later copy of the charge without a field never erases what an earlier one recorded.
  const details: ChargeReceiptDetails = {
    receiptUrl: found.receiptUrl ?? purchase.receiptUrl,
    cardBrand: found.cardBrand ?? purchase.cardBrand,
    cardLast4: found.cardLast4 ?? purchase.cardLast4,
  };
  if (details.receiptUrl === purchase.receiptUrl && details.cardBrand === purchase.cardBrand && details.cardLast4 === purchase.cardLast4) {
    return { ...purchase, chargeId: purchase.chargeId ?? charge.id };
  }
  return tx.purchase.update({ where: { id: purchase.id }, data: details });
}
