import type pg from "pg";
import type Stripe from "stripe";
import type { Purchase } from "../generated/prisma/client";
import { creditWithPlainSql, topUpKey } from "../ledger";
import { stripeId } from "../stripe/ids";
import { wakeEventsAwaitingWithPlainSql } from "../webhooks/awaiting";
import { billfoldPurchaseIdOf, isTopUpSession, settledPaymentReferences, topUpDescription } from "./purchases";

// settlePaidSession for the common case only, on a plain `pg` connection inside the webhook fast
// path's transaction: a paid top-up session whose purchase is known, unpaid, and agrees with Stripe
// on session, amount and currency. It writes what settlePaidSession writes (one TOPUP under the same
// key, the purchase paid, waiting events woken). Every other case (no purchase yet, already paid,
// a mismatch to report) returns "not_settled" before writing anything, and the caller hands the
// event to the general path, where ./purchases.ts decides it.

export type PlainSqlSettlement = { outcome: "settled"; woken: number } | { outcome: "not_settled" };

const LOCK_PURCHASE = `SELECT * FROM "Purchase" WHERE "id" = $1 FOR UPDATE`;

const MARK_PURCHASE_PAID = `
  UPDATE "Purchase"
  SET "status" = 'paid', "failureMessage" = NULL, "paidAt" = COALESCE("paidAt", now()),
      "paymentIntentId" = COALESCE("paymentIntentId", $2), "updatedAt" = now()
  WHERE "id" = $1`;

/** The purchase a paid top-up session names, when the fast path can settle it; null when the general path must decide. */
function settleablePurchaseId(session: Stripe.Checkout.Session): string | null {
  if (!isTopUpSession(session) || session.payment_status !== "paid") return null;
  if (session.amount_total === null || session.currency === null) return null;
  return billfoldPurchaseIdOf(session.metadata);
}

function agreesWithStripe(purchase: Purchase | undefined, session: Stripe.Checkout.Session): purchase is Purchase {
  return (
    purchase !== undefined &&
    purchase.status !== "paid" &&
    purchase.checkoutSessionId === session.id &&
    purchase.amountMinor === session.amount_total &&
    purchase.currency === session.currency?.toUpperCase()
  );
}

export async function settlePaidSessionWithPlainSql(client: pg.ClientBase, session: Stripe.Checkout.Session): Promise<PlainSqlSettlement> {
  const purchaseId = settleablePurchaseId(session);
  if (!purchaseId) return { outcome: "not_settled" };
  const locked = await client.query<Purchase>({ name: "purchase_lock", text: LOCK_PURCHASE, values: [purchaseId] });
  const purchase = locked.rows[0];
  if (!agreesWithStripe(purchase, session) || !purchase.checkoutSessionId) return { outcome: "not_settled" };

  const paymentIntentId = stripeId(session.payment_intent);
  await creditWithPlainSql(client, {
    userId: purchase.userId,
    currency: purchase.currency,
    amountMinor: purchase.amountMinor,
    type: "TOPUP",
    idempotencyKey: topUpKey(purchase.checkoutSessionId),
    stripeObjectId: paymentIntentId ?? purchase.checkoutSessionId,
    description: topUpDescription(purchase),
  });
  await client.query({ name: "purchase_mark_paid", text: MARK_PURCHASE_PAID, values: [purchase.id, paymentIntentId] });
  const woken = await wakeEventsAwaitingWithPlainSql(client, settledPaymentReferences(purchase, { paymentIntentId }));
  return { outcome: "settled", woken };
}
