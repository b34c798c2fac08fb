import type Stripe from "stripe";
import type { Purchase } from "../../generated/prisma/client";
import type { Tx } from "../../core/db";
import { credit, rechargeKey, topUpKey, type CreditWithoutWallet } from "../../ledger";
import { isAutoRechargePack } from "../../billing";
import { stripeId } from "../../stripe";
import { topUpLabel } from "./labels";
import { queueTopUpReceipt } from "./receipt-email";
import { markRechargeSucceeded } from "./recharge-settlement";
import { NotYetKnownError } from "../../core/errors";
import { wakeEventsAwaiting } from "../../events";
import { isTopUpSession, lockPurchase, paymentIntentReference, sessionReference } from "./references";

// A paid purchase: credited once, whichever of its events reports the payment, and marked paid in
// the same transaction (the caller's, one per webhook event).

/**
 * The ledger key of a top-up: its Checkout Session id, whichever event reports the payment.
 * A purchase whose session id is not saved yet (a payment event racing startTopUp) is unmatched
 * here, rather than credited under a second key; startTopUp wakes it when it saves the session id.
 */
export function topUpIdempotencyKey(purchase: Pick<Purchase, "id" | "checkoutSessionId" | "packKey">): string {
  if (isAutoRechargePack(purchase.packKey)) return rechargeKey(purchase.id);
  if (!purchase.checkoutSessionId) throw new NotYetKnownError(`purchase ${purchase.id} has no checkout session yet`, [purchase.id]);
  return topUpKey(purchase.checkoutSessionId);
}

/** Ledger currencies are upper-case ISO codes; Stripe's are lower-case. A mismatch is a bug, not a conversion. */
export function assertPurchaseCurrency(purchase: Purchase, stripeCurrency: string, stripeObjectId: string): void {
  if (stripeCurrency.toUpperCase() !== purchase.currency) {
    throw new Error(`${stripeObjectId} is in ${stripeCurrency}, but purchase ${purchase.id} is in ${purchase.currency}`);
  }
}

/**
 * The ledger credit of a paid purchase, as settlePaidPurchase writes it with credit() and the
 * webhook fast path writes it in one statement (./one-statement-settlement.ts): one definition, so
 * the two cannot write a top-up differently.
 */
export function purchaseCredit(purchase: Pick<Purchase, "id" | "amountMinor" | "checkoutSessionId" | "packKey">, paymentIntentId: string | null): CreditWithoutWallet {
  return {
    amountMinor: purchase.amountMinor,
    type: "TOPUP",
    idempotencyKey: topUpIdempotencyKey(purchase),
    stripeObjectId: paymentIntentId ?? purchase.checkoutSessionId,
    description: topUpLabel(purchase.packKey),
    purchaseId: purchase.id,
    grant: isAutoRechargePack(purchase.packKey) ? { source: "recharge" } : undefined,
  };
}

/**
 * Credits a paid purchase exactly once and marks it paid. Safe to call from any of
 * checkout.session.completed, checkout.session.async_payment_succeeded and payment_intent.succeeded.
 */
export async function settlePaidPurchase(
  tx: Tx,
  purchase: Purchase,
  payment: { paymentIntentId: string | null; chargeId?: string | null; amountMinor: number; currency: string },
) {
  assertPurchaseCurrency(purchase, payment.currency, payment.paymentIntentId ?? purchase.checkoutSessionId ?? purchase.id);
  if (payment.amountMinor !== purchase.amountMinor) {
    // Stripe's figure is the truth about what was paid; a mismatch means someone changed the session.
    throw new Error(`Purchase ${purchase.id} expected ${purchase.amountMinor} ${purchase.currency}, Stripe reports ${payment.amountMinor}`);
  }
  const result = await credit(tx, { userId: purchase.userId, currency: purchase.currency, ...purchaseCredit(purchase, payment.paymentIntentId) });
  await tx.purchase.update({
    where: { id: purchase.id },
    data: {
      status: "paid",
      failureMessage: null,
      paidAt: purchase.paidAt ?? new Date(),
      paymentIntentId: purchase.paymentIntentId ?? payment.paymentIntentId,
      chargeId: purchase.chargeId ?? payment.chargeId ?? null,
    },
  });
  // An auto-recharge is succeeded in the transaction that credits it, which frees the wallet for the next one.
  if (isAutoRechargePack(purchase.packKey)) await markRechargeSucceeded(tx, purchase.id, payment.paymentIntentId);
  // The receipt email goes out once: with the credit, only when this call applied it (lib/payments/receipts).
  if (result.applied) await queueTopUpReceipt(tx, purchase);
  // Refunds and disputes that arrived before the payment have been waiting for it.
  await wakeEventsAwaiting(tx, [purchase.id, purchase.checkoutSessionId, payment.paymentIntentId, purchase.paymentIntentId, payment.chargeId, purchase.chargeId]);
  return result;
}

/** Credits the purchase behind a paid Checkout Session (once, whichever event reports it). */
export async function settlePaidSession(tx: Tx, session: Stripe.Checkout.Session): Promise<void> {
  if (!isTopUpSession(session)) return;
  const purchase = await lockPurchase(tx, sessionReference(session));
  if (!purchase) return;
  if (session.amount_total === null || session.currency === null) {
    throw new Error(`Checkout session ${session.id} is paid but has no amount_total or currency`);
  }
  await settlePaidPurchase(tx, purchase, {
    paymentIntentId: stripeId(session.payment_intent),
    amountMinor: session.amount_total,
    currency: session.currency,
  });
}

/** Credits the purchase behind a succeeded PaymentIntent, under the same key as the Checkout events. */
export async function settlePaidPaymentIntent(tx: Tx, paymentIntent: Stripe.PaymentIntent): Promise<void> {
  // PaymentIntents that are not top-ups (subscription invoices) have no purchase: nothing to do.
  const purchase = await lockPurchase(tx, paymentIntentReference(paymentIntent));
  if (!purchase) return;
  await settlePaidPurchase(tx, purchase, {
    paymentIntentId: paymentIntent.id,
    chargeId: stripeId(paymentIntent.latest_charge),
    amountMinor: paymentIntent.amount_received,
    currency: paymentIntent.currency,
  });
}
