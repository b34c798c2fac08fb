import type Stripe from "stripe";
import type { Purchase } from "../../generated/prisma/client";
import type { Tx } from "../../core/db";
import { stripeId } from "../../stripe";
import { FAILURE_SENTENCES, paymentFailureMessage } from "./failures";
import { isTopUpSession, lockPurchase, paymentIntentReference, sessionReference } from "./references";
import { settlePaidSession } from "./settle";

// The purchase lifecycle: a top-up is created pending by startTopUp (lib/payments/topups), then Stripe's
// events about its session, PaymentIntent and charge move it to processing, paid, failed or expired;
// the person may cancel it while its session is open (lib/payments/topups cancelTopUp → markPurchaseCanceled).
// Each function here runs inside the caller's transaction (one per webhook event). The move to paid
// is ./settle.ts; this is every other move: processing, failed, expired and canceled.

type UnpaidStatus = "processing" | "failed" | "expired";

/**
 * The unpaid statuses each status may move to. Paid never goes back (money received is the end of
 * the story, whatever arrives late); a canceled or expired purchase's session is closed, so nothing
 * but a payment (settlePaidPurchase) moves it again; a processing payment was submitted, so it can
 * only fail (a session that completed does not expire).
 */
const UNPAID_MOVES: Readonly<Record<Purchase["status"], ReadonlySet<UnpaidStatus>>> = {
  pending: new Set(["processing", "failed", "expired"]),
  failed: new Set(["processing", "failed", "expired"]),
  processing: new Set(["failed"]),
  paid: new Set(),
  expired: new Set(),
  canceled: new Set(),
};

/** Whether an event may move this purchase to an unpaid status (see UNPAID_MOVES). */
export function canMoveTo(purchase: Pick<Purchase, "status">, status: UnpaidStatus): boolean {
  return UNPAID_MOVES[purchase.status].has(status);
}

/**
 * Marks a purchase as not (yet) paid: processing, failed or expired, when UNPAID_MOVES allows it.
 * `sessionClosed` says the Checkout Session can no longer be paid (it completed or expired): the
 * stored checkoutUrl is dropped, so the purchase is no longer offered to resume.
 */
export async function updateUnpaidPurchase(
  tx: Tx,
  purchase: Purchase,
  update: { status: UnpaidStatus; failureMessage?: string | null; paymentIntentId?: string | null; sessionClosed?: boolean },
) {
  if (!canMoveTo(purchase, update.status)) return;
  await tx.purchase.update({
    where: { id: purchase.id },
    data: {
      status: update.status,
      failureMessage: update.failureMessage ?? null,
      paymentIntentId: purchase.paymentIntentId ?? update.paymentIntentId ?? null,
      ...(update.sessionClosed ? { checkoutUrl: null } : {}),
    },
  });
}

/** A session the customer completed: paid → credit; unpaid (delayed method) → processing. */
export async function completeSession(tx: Tx, session: Stripe.Checkout.Session): Promise<void> {
  if (session.payment_status === "paid") return settlePaidSession(tx, session);
  // The money is on its way (bank debit, transfer); async_payment_succeeded or _failed will settle it.
  if (session.payment_status === "unpaid") return markSessionProcessing(tx, session);
}

/**
 * A completed session whose money is on its way (bank debit, transfer): → processing. From pending,
 * or from failed while the session is still open (a declined card, then a bank debit in the same
 * Checkout); never from a failure of the delayed payment itself, whose session is closed (a late
 * checkout.session.completed must not step back from the async outcome).
 */
async function markSessionProcessing(tx: Tx, session: Stripe.Checkout.Session): Promise<void> {
  if (!isTopUpSession(session)) return;
  const purchase = await lockPurchase(tx, sessionReference(session));
  if (!purchase) return;
  if (purchase.status !== "pending" && !(purchase.status === "failed" && purchase.checkoutUrl !== null)) return;
  await updateUnpaidPurchase(tx, purchase, { status: "processing", paymentIntentId: stripeId(session.payment_intent), sessionClosed: true });
}

/** A delayed Checkout payment that failed: the purchase is failed and nothing is credited. */
export async function markSessionFailed(tx: Tx, session: Stripe.Checkout.Session): Promise<void> {
  if (!isTopUpSession(session)) return;
  const purchase = await lockPurchase(tx, sessionReference(session));
  if (!purchase) return;
  await updateUnpaidPurchase(tx, purchase, {
    status: "failed",
    // payment_intent.payment_failed may already have stored the bank's reason for this payment; keep it
    // (but not a card's decline from before the session completed, while it was still open).
    failureMessage:
      purchase.status === "failed" && purchase.checkoutUrl === null && purchase.failureMessage ? purchase.failureMessage : FAILURE_SENTENCES.bank_payment_failed,
    paymentIntentId: stripeId(session.payment_intent),
    sessionClosed: true,
  });
}

/**
 * A Checkout Session that expired unpaid (Stripe's timer, or our own expire call). A purchase the
 * person canceled stays canceled: the expiry is how Stripe reports our cancel.
 */
export async function markSessionExpired(tx: Tx, session: Stripe.Checkout.Session): Promise<void> {
  if (!isTopUpSession(session)) return;
  const purchase = await lockPurchase(tx, sessionReference(session));
  if (!purchase) return;
  await updateUnpaidPurchase(tx, purchase, { status: "expired", failureMessage: purchase.failureMessage, sessionClosed: true });
}

/** A failed payment attempt (a declined card, failed authentication, a bounced debit): a plain reason is stored for the person. */
export async function recordPaymentFailure(tx: Tx, paymentIntent: Stripe.PaymentIntent): Promise<void> {
  const purchase = await lockPurchase(tx, paymentIntentReference(paymentIntent));
  if (!purchase) return;
  // The customer may still retry in the same Checkout Session; a later success marks it paid.
  await updateUnpaidPurchase(tx, purchase, {
    status: "failed",
    failureMessage: paymentFailureMessage(paymentIntent.last_payment_error),
    paymentIntentId: paymentIntent.id,
  });
}

/**
 * The person canceled the purchase and Stripe has expired its session (lib/payments/topups cancelTopUp):
 * canceled, unless a payment got there first. From expired too: our own expire call emits
 * checkout.session.expired, which may be applied before this.
 */
export async function markPurchaseCanceled(tx: Tx, purchaseId: string, now = new Date()): Promise<Purchase> {
  const purchase = await lockPurchase(tx, { purchaseId });
  if (!purchase) throw new Error(`purchase ${purchaseId} vanished`);
  if (purchase.status !== "pending" && purchase.status !== "failed" && purchase.status !== "expired") return purchase;
  return tx.purchase.update({
    where: { id: purchase.id },
    data: { status: "canceled", canceledAt: purchase.canceledAt ?? now, checkoutUrl: null },
  });
}
