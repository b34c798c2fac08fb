import type Stripe from "stripe";
import type { Purchase } from "../generated/prisma/client";
import type { Tx } from "../db";
import { findPurchase, settlePaidPurchase, type PaymentReference } from "../topups";
import { stripeId } from "./types";

// Lookups shared by the handlers, so each event file says only what its event means.

/**
 * Finds the purchase a Stripe object is about and locks its row for the rest of the transaction.
 * Events about one payment arrive in any order and in parallel; the lock makes them apply one
 * after another, each seeing the status the previous one left.
 */
export async function lockPurchase(tx: Tx, ref: PaymentReference): Promise<Purchase | null> {
  const found = await findPurchase(tx, ref);
  if (!found) return null;
  await tx.$queryRaw`SELECT 1 FROM "Purchase" WHERE "id" = ${found.id} FOR UPDATE`;
  return tx.purchase.findUniqueOrThrow({ where: { id: found.id } });
}

/** Top-up sessions carry purpose "topup"; sessions for other purposes (plans) belong to other handlers. */
export function isTopUpSession(session: Stripe.Checkout.Session): boolean {
  const purpose = session.metadata?.purpose;
  return session.mode === "payment" && (purpose === undefined || purpose === "topup");
}

export function sessionReference(session: Stripe.Checkout.Session): PaymentReference {
  return {
    purchaseId: session.metadata?.billfoldPurchaseId,
    checkoutSessionId: session.id,
    paymentIntentId: stripeId(session.payment_intent),
  };
}

/** How a PaymentIntent's events find their purchase: our metadata (copied from the session), then its id. */
export function paymentIntentReference(paymentIntent: Stripe.PaymentIntent): PaymentReference {
  return { purchaseId: paymentIntent.metadata.billfoldPurchaseId, paymentIntentId: paymentIntent.id };
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

/** Stores the charge id on the purchase the first time an event names it, for later refund and dispute lookups. */
export async function rememberCharge(tx: Tx, purchase: Purchase, chargeId: string | null): Promise<void> {
  if (!chargeId || purchase.chargeId) return;
  await tx.purchase.update({ where: { id: purchase.id }, data: { chargeId } });
}
