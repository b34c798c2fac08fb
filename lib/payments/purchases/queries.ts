import { db } from "../../core/db";

// One person's purchases, read outside any webhook transaction: for the wallet pages and the
// wallet API, and for the cancel action to check the purchase is theirs.

/** One of the user's purchases, by our id or its Checkout Session id; null when it is not theirs. */
export function findUserPurchase(userId: string, ref: { purchaseId?: string | null; checkoutSessionId?: string | null }) {
  if (ref.purchaseId) return db().purchase.findFirst({ where: { userId, id: ref.purchaseId } });
  if (ref.checkoutSessionId) return db().purchase.findFirst({ where: { userId, checkoutSessionId: ref.checkoutSessionId } });
  return Promise.resolve(null);
}

export function listRecentPurchases(userId: string, take = 10) {
  return db().purchase.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take });
}
