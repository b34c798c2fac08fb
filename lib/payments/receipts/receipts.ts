import type { Purchase } from "../../generated/prisma/client";
import { db } from "../../core/db";
import { log } from "../../core/log";
import { formatMoney } from "../../core/money";
import { describePurchase, type PurchaseDisplay } from "../purchases/labels";
import { retrieveChargeOfPayment } from "../../stripe";
import { businessDetails, vatIncluded, type BusinessDetails, type VatBreakdown } from "./business";
import { recordChargeReceipt } from "./charge-details";
import { paymentMethodLabel, topUpLabel } from "../purchases/labels";

// What the printable receipt page (/wallet/receipts/[id]) shows, for the signed-in owner of a paid
// purchase only: the payment as Stripe reported it, the seller from config, and what happened to the
// payment since (refunds, a dispute).

export interface Receipt {
  purchaseId: string;
  amountMinor: number;
  currency: string;
  paidAt: Date;
  /** What was bought: "Starter credit pack" or "Wallet top-up". */
  description: string;
  /** "Visa ending in 4242"; null until Stripe's charge has been seen. */
  paymentMethod: string | null;
  paymentIntentId: string | null;
  chargeId: string | null;
  checkoutSessionId: string | null;
  /** Stripe's own receipt page (charge.receipt_url). */
  stripeReceiptUrl: string | null;
  /** The purchase's state as everywhere else it is shown (lib/payments/purchases/labels.ts): "Paid", "Partially refunded", "Disputed"… */
  status: PurchaseDisplay;
  /** What happened after payment, one plain sentence each; empty when nothing did. */
  afterPayment: string[];
  business: BusinessDetails;
  /** The VAT included in the amount, when a VAT number and rate are configured. */
  vat: VatBreakdown | null;
}

export interface ReceiptOptions {
  /**
   * For a paid purchase whose charge has not been seen yet (charge.succeeded not delivered, or not
   * subscribed to), ask Stripe for it once and store its details. Default true; false never calls Stripe.
   */
  lookUpMissingDetails?: boolean;
}

/** The receipt of `purchaseId` for `userId`; null when the purchase is not theirs, does not exist, or is not paid. */
export async function getReceipt(userId: string, purchaseId: string, options: ReceiptOptions = {}): Promise<Receipt | null> {
  const found = await db().purchase.findFirst({ where: { id: purchaseId, userId, paidAt: { not: null } } });
  const paidAt = found?.paidAt;
  if (!found || !paidAt) return null;
  const purchase = options.lookUpMissingDetails !== false && !found.receiptUrl ? await fillDetailsFromStripe(found) : found;
  return receiptOf(purchase, paidAt);
}

async function fillDetailsFromStripe(purchase: Purchase): Promise<Purchase> {
  if (!purchase.chargeId && !purchase.paymentIntentId) return purchase;
  try {
    const charge = await retrieveChargeOfPayment({ chargeId: purchase.chargeId, paymentIntentId: purchase.paymentIntentId });
    if (!charge) return purchase;
    const recorded = await db().$transaction((tx) => recordChargeReceipt(tx, charge));
    return recorded?.id === purchase.id ? recorded : purchase;
  } catch (error) {
    // The receipt still shows everything Billfold knows; the next view asks again.
    log.warn("receipt_charge_lookup_failed", { purchaseId: purchase.id, error: error instanceof Error ? error.name : "Error" });
    return purchase;
  }
}

function receiptOf(purchase: Purchase, paidAt: Date): Receipt {
  const business = businessDetails();
  return {
    purchaseId: purchase.id,
    amountMinor: purchase.amountMinor,
    currency: purchase.currency,
    paidAt,
    description: topUpLabel(purchase.packKey),
    paymentMethod: paymentMethodLabel({ brand: purchase.cardBrand, last4: purchase.cardLast4 }),
    paymentIntentId: purchase.paymentIntentId,
    chargeId: purchase.chargeId,
    checkoutSessionId: purchase.checkoutSessionId,
    stripeReceiptUrl: purchase.receiptUrl,
    status: describePurchase(purchase),
    afterPayment: afterPaymentNotes(purchase),
    business,
    vat: business.vatRateBasisPoints === null ? null : vatIncluded(purchase.amountMinor, business.vatRateBasisPoints),
  };
}

type AfterPayment = Pick<Purchase, "amountMinor" | "currency" | "refundedMinor" | "disputeStatus" | "disputedMinor">;

/** Refunds and a dispute, in plain words, so a printed receipt never claims more than stands. */
export function afterPaymentNotes(purchase: AfterPayment): string[] {
  const money = (amountMinor: number) => formatMoney(amountMinor, purchase.currency);
  const notes: string[] = [];
  if (purchase.refundedMinor >= purchase.amountMinor) {
    notes.push(`This payment was refunded in full (${money(purchase.refundedMinor)}) to the card that paid it.`);
  } else if (purchase.refundedMinor > 0) {
    notes.push(`${money(purchase.refundedMinor)} of this payment was refunded to the card that paid it; ${money(purchase.amountMinor - purchase.refundedMinor)} stands.`);
  }
  if (purchase.disputeStatus === "open") {
    notes.push(`This payment is disputed: ${money(purchase.disputedMinor)} is on hold until the card issuer decides.`);
  } else if (purchase.disputeStatus === "won") {
    notes.push("This payment was disputed; the dispute was closed and the payment stands.");
  } else if (purchase.disputeStatus === "lost") {
    notes.push(`This payment was disputed; the card issuer returned ${money(purchase.disputedMinor)} to the card holder.`);
  }
  return notes;
}
