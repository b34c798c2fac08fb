import type { Purchase } from "../../generated/prisma/client";
import { db } from "../../core/db";
import { NotFoundError } from "../../core/errors";
import { findUserPurchase, markPurchaseCanceled, markSessionExpired } from "../purchases";
import { expireCheckoutSession } from "../../stripe";

// Calling off an unpaid top-up: the person pressed Cancel on Stripe's page (and came back to
// cancel_url) or on the purchase in their list. Stripe is asked to expire the Checkout Session first,
// and the purchase is marked canceled only once Stripe says the session can no longer be paid: the
// session may have been paid meanwhile (in another tab), and then the webhooks settle it.

export type CancelOutcome =
  /** Stripe expired the session; the purchase is canceled (now or earlier). */
  | "canceled"
  /** The purchase was already past paying: paid, processing, expired. Nothing was changed. */
  | "closed"
  /** The session was completed at Stripe before we could expire it: its payment events will settle it. */
  | "completed"
  /** Stripe refused to expire the session because a payment on it is under way; try again shortly. */
  | "busy";

export interface CanceledTopUp {
  outcome: CancelOutcome;
  purchase: Purchase;
}

/** Cancels one of the user's own open purchases (see above). NotFoundError for anyone else's. */
export async function cancelTopUp(userId: string, purchaseId: string, now = new Date()): Promise<CanceledTopUp> {
  const purchase = await findUserPurchase(userId, { purchaseId });
  if (!purchase) throw new NotFoundError("We couldn't find that purchase on your account.");
  if (purchase.status === "canceled") return { outcome: "canceled", purchase };
  if (purchase.status !== "pending" && purchase.status !== "failed") return { outcome: "closed", purchase };
  // No session was ever saved (startTopUp failed halfway): nothing at Stripe to expire.
  if (!purchase.checkoutSessionId) return { outcome: "canceled", purchase: await db().$transaction((tx) => markPurchaseCanceled(tx, purchase.id, now)) };

  // Outside any transaction: a database lock is never held across a call to Stripe.
  const session = await expireCheckoutSession(purchase.checkoutSessionId);
  if (session.status === "open") return { outcome: "busy", purchase };
  if (session.status === "complete") return { outcome: "completed", purchase: await reread(purchase.id) };

  // Expired. If its deadline had already passed, Stripe closed it on its own (its event has not
  // reached us yet): it is applied as that event would be. Otherwise the expiry is ours: canceled.
  const expiredOnItsOwn = purchase.checkoutExpiresAt !== null && purchase.checkoutExpiresAt <= now;
  const updated = await db().$transaction(async (tx) => {
    if (!expiredOnItsOwn) return markPurchaseCanceled(tx, purchase.id, now);
    await markSessionExpired(tx, session);
    return tx.purchase.findUniqueOrThrow({ where: { id: purchase.id } });
  });
  return { outcome: updated.status === "canceled" ? "canceled" : "closed", purchase: updated };
}

function reread(purchaseId: string): Promise<Purchase> {
  return db().purchase.findUniqueOrThrow({ where: { id: purchaseId } });
}
