import { db } from "../db";
import { retrieveCharge } from "../stripe";
import { stripeId } from "../stripe/ids";
import { billfoldPurchaseIdOf, type PaymentReference } from "./purchases";

// Refunds and disputes name a charge (and usually its PaymentIntent) but carry no metadata of
// their own. When a purchase already knows the charge or PaymentIntent, that is enough. Otherwise
// only the charge can say whether it is ours (our purchase id, copied from the PaymentIntent), and
// it is fetched from Stripe, before any transaction, so that a refund or dispute that beats its
// payment is unmatched and waits, while one of someone else's charges has no effect.

export type ChargeReference = PaymentReference & { chargeId: string | null };

/** True when no purchase knows the charge or its PaymentIntent, so the event must ask Stripe (it is slow). */
export async function chargeNeedsLookup(chargeId: string | null, paymentIntentId: string | null): Promise<boolean> {
  if (!chargeId) return false;
  const ids = [{ chargeId }, ...(paymentIntentId ? [{ paymentIntentId }] : [])];
  return (await db().purchase.count({ where: { OR: ids } })) === 0;
}

/** The references that lead from a refund or dispute to its purchase, asking Stripe for the charge only when needed. */
export async function chargeReference(chargeId: string | null, paymentIntentId: string | null): Promise<ChargeReference> {
  if (!(await chargeNeedsLookup(chargeId, paymentIntentId)) || !chargeId) return { chargeId, paymentIntentId };
  const charge = await retrieveCharge(chargeId);
  return {
    chargeId,
    paymentIntentId: paymentIntentId ?? stripeId(charge.payment_intent),
    purchaseId: billfoldPurchaseIdOf(charge.metadata),
  };
}
