import { db } from "../db";

// The purchases the wallet pages show a person.

/** One of the user's purchases, by our id or its Checkout Session id; null when it is not theirs. */
export function findUserPurchase(userId: string, ref: { purchaseId?: string | null; checkoutSessionId?: string | null }) {
  if (ref.purchaseId) return db().purchase.findFirst({ where: { userId, id: ref.purchaseId } });
  if (ref.checkoutSessionId) return db().purchase.findFirst({ where: { userId, checkoutSessionId: ref.checkoutSessionId } });
  return Promise.resolve(null);
}

export function listRecentPurchases(userId: string, take = 10) {
  return db().purchase.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take });
}
