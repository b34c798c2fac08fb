import { db } from "../../core/db";
import { retrieveCharge } from "../../stripe";
import { stripeId } from "../../stripe";
import { billfoldPurchaseIdOf, type PaymentReference } from "./references";

// Refunds and disputes name a charge (and usually its PaymentIntent) but carry no metadata of
// their own. When a purchase already knows the charge or PaymentIntent, that is enough. Otherwise
// only the charge can say whether it is ours (our purchase id, copied from the PaymentIntent), and
// it is fetched from Stripe, before any transaction, so that a refund or dispute that beats its
// payment is unmatched and waits, while one of someone else's charges has no effect.

export type ChargeReference = PaymentReference & { chargeId: string | null };

/** A refund or a dispute: what it names is a charge and (usually) that charge's PaymentIntent. */
export interface ChargedObject {
  charge: string | { id: string } | null;
  payment_intent: string | { id: string } | null;
}

/** True when no purchase knows the object's charge or its PaymentIntent, so the event must ask Stripe (it is slow). */
export async function chargeNeedsLookup(object: ChargedObject): Promise<boolean> {
  const chargeId = stripeId(object.charge);
  const paymentIntentId = stripeId(object.payment_intent);
  if (!chargeId) return false;
  const ids = [{ chargeId }, ...(paymentIntentId ? [{ paymentIntentId }] : [])];
  return (await db().purchase.count({ where: { OR: ids } })) === 0;
}

/** The references that lead from a refund or dispute to its purchase, asking Stripe for the charge only when needed. */
export async function chargeReference(object: ChargedObject): Promise<ChargeReference> {
  const chargeId = stripeId(object.charge);
  const paymentIntentId = stripeId(object.payment_intent);
  if (!chargeId || !(await chargeNeedsLookup(object))) return { chargeId, paymentIntentId };
  const charge = await retrieveCharge(chargeId);
  return {
    chargeId,
    paymentIntentId: paymentIntentId ?? stripeId(charge.payment_intent),
    purchaseId: billfoldPurchaseIdOf(charge.metadata),
  };
}
