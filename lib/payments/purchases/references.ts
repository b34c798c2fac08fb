import type Stripe from "stripe";
import type { Purchase } from "../../generated/prisma/client";
import type { Tx } from "../../core/db";
import { stripeId } from "../../stripe";
import { NotYetKnownError } from "../../core/errors";
import { wakeEventsAwaiting } from "../../events";

// Which Stripe objects are Billfold's, and the purchase each is about, found and locked in the
// caller's transaction. startTopUp puts our purchase id (billfoldPurchaseId) in the session's
// metadata, Stripe copies it onto the PaymentIntent (payment_intent_data) and from there
// onto its charge. An object that carries it, or whose charge or PaymentIntent a purchase already
// knows, is ours: if its purchase cannot be found (or its payment not applied yet) the event is
// unmatched and waits (NotYetKnownError). An object with neither is someone else's (a
// subscription invoice's PaymentIntent, a `stripe trigger` fixture, another app on the account):
// it has no effect here and must not wait for a purchase that will never exist. Refunds and
// disputes carry no metadata of their own, so their charge is asked for it (see ./charge-reference.ts).

export interface PaymentReference {
  purchaseId?: string | null;
  checkoutSessionId?: string | null;
  paymentIntentId?: string | null;
  chargeId?: string | null;
}

/** Our purchase id in a Stripe object's metadata (sessions, PaymentIntents and charges of top-ups carry it). */
export function billfoldPurchaseIdOf(metadata: Stripe.Metadata | null | undefined): string | null {
  return metadata?.billfoldPurchaseId || null;
}

/** Finds the purchase a Stripe object is about, by our metadata first, then by Stripe ids. */
export async function findPurchase(tx: Tx, ref: PaymentReference): Promise<Purchase | null> {
  if (ref.purchaseId) {
    const byId = await tx.purchase.findUnique({ where: { id: ref.purchaseId } });
    if (byId) return byId;
  }
  if (ref.checkoutSessionId) {
    const bySession = await tx.purchase.findUnique({ where: { checkoutSessionId: ref.checkoutSessionId } });
    if (bySession) return bySession;
  }
  if (ref.paymentIntentId) {
    const byPaymentIntent = await tx.purchase.findUnique({ where: { paymentIntentId: ref.paymentIntentId } });
    if (byPaymentIntent) return byPaymentIntent;
  }
  if (ref.chargeId) return tx.purchase.findUnique({ where: { chargeId: ref.chargeId } });
  return null;
}

/**
 * Finds the purchase a Stripe object is about and locks its row for the rest of the transaction.
 * Events about one payment arrive in any order and in parallel; the lock makes them apply one
 * after another, each seeing the status the previous one left. Null when the object is not ours;
 * NotYetKnownError when it names our purchase id and no such purchase is known (yet).
 */
export async function lockPurchase(tx: Tx, ref: PaymentReference): Promise<Purchase | null> {
  const found = await findPurchase(tx, ref);
  if (!found && ref.purchaseId) {
    throw new NotYetKnownError(`no purchase ${ref.purchaseId} is known`, referencesOf(ref));
  }
  if (!found) return null;
  await tx.$queryRaw`SELECT 1 FROM "Purchase" WHERE "id" = ${found.id} FOR UPDATE`;
  return tx.purchase.findUniqueOrThrow({ where: { id: found.id } });
}

/** Every id in a reference, for an unmatched event to wait for. */
export function referencesOf(ref: PaymentReference): string[] {
  return [ref.purchaseId, ref.checkoutSessionId, ref.paymentIntentId, ref.chargeId].filter((id): id is string => Boolean(id));
}

/** Stores the charge id on the purchase the first time an event names it, for later refund and dispute lookups. */
export async function rememberCharge(tx: Tx, purchase: Purchase, chargeId: string | null): Promise<void> {
  if (!chargeId || purchase.chargeId) return;
  await tx.purchase.update({ where: { id: purchase.id }, data: { chargeId } });
  await wakeEventsAwaiting(tx, [chargeId]);
}

/**
 * Locks the paid purchase a charge, refund or dispute is about, noting the charge id on it. Null
 * when the charge is not ours. Money can only go back out of a payment Billfold has applied: until
 * then the event is unmatched, and settling the payment wakes it (see settlePaidPurchase).
 */
export async function lockChargedPurchase(tx: Tx, reference: PaymentReference & { chargeId: string | null }): Promise<Purchase | null> {
  const purchase = await lockPurchase(tx, reference);
  if (!purchase) return null;
  if (purchase.status !== "paid") {
    throw new NotYetKnownError(`the payment of purchase ${purchase.id} has not been applied yet`, [
      purchase.id,
      ...referencesOf(reference),
    ]);
  }
  await rememberCharge(tx, purchase, reference.chargeId);
  return purchase;
}

/** Top-up sessions carry purpose "topup"; sessions for other purposes (plans) belong to other handlers. */
export function isTopUpSession(session: Stripe.Checkout.Session): boolean {
  const purpose = session.metadata?.purpose;
  return session.mode === "payment" && (purpose === undefined || purpose === "topup");
}

export function sessionReference(session: Stripe.Checkout.Session): PaymentReference {
  return {
    purchaseId: billfoldPurchaseIdOf(session.metadata),
    checkoutSessionId: session.id,
    paymentIntentId: stripeId(session.payment_intent),
  };
}

/** How a PaymentIntent's events find their purchase: our metadata (copied from the session), then its id. */
export function paymentIntentReference(paymentIntent: Stripe.PaymentIntent): PaymentReference {
  return { purchaseId: billfoldPurchaseIdOf(paymentIntent.metadata), paymentIntentId: paymentIntent.id };
}

