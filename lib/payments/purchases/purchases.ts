import type Stripe from "stripe";
import type { Purchase } from "../../generated/prisma/client";
import { db, type Tx } from "../../core/db";
import { credit, rechargeKey, topUpKey } from "../../ledger";
import { isAutoRechargePack } from "../../billing";
import { stripeId } from "../../stripe";
import { topUpLabel } from "./labels";
import { queueTopUpReceipt } from "./receipt-email";
import { markRechargeSucceeded } from "./recharge-settlement";
import { NotYetKnownError } from "../../core/errors";
import { wakeEventsAwaiting } from "../../events";
import { FAILURE_SENTENCES, paymentFailureMessage } from "./failures";

// The purchase lifecycle: a top-up is created pending by startTopUp (lib/payments/topups), then Stripe's
// events about its session, PaymentIntent and charge move it to processing, paid, failed or expired;
// the person may cancel it while its session is open (lib/payments/topups cancelTopUp → markPurchaseCancelled).
// Each function here runs inside the caller's transaction (one per webhook event).
//
// Which Stripe objects are Billfold's: startTopUp puts our purchase id (billfoldPurchaseId) in the
// session's metadata, Stripe copies it onto the PaymentIntent (payment_intent_data) and from there
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
  const result = await credit(tx, {
    userId: purchase.userId,
    currency: purchase.currency,
    amountMinor: purchase.amountMinor,
    type: "TOPUP",
    idempotencyKey: topUpIdempotencyKey(purchase),
    stripeObjectId: payment.paymentIntentId ?? purchase.checkoutSessionId,
    description: topUpLabel(purchase.packKey),
    purchaseId: purchase.id,
    grant: isAutoRechargePack(purchase.packKey) ? { source: "recharge" } : undefined,
  });
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

type UnpaidStatus = "processing" | "failed" | "expired";

/**
 * The unpaid statuses each status may move to. Paid never goes back (money received is the end of
 * the story, whatever arrives late); a cancelled or expired purchase's session is closed, so nothing
 * but a payment (settlePaidPurchase) moves it again; a processing payment was submitted, so it can
 * only fail (a session that completed does not expire).
 */
const UNPAID_MOVES: Readonly<Record<Purchase["status"], ReadonlySet<UnpaidStatus>>> = {
  pending: new Set(["processing", "failed", "expired"]),
  failed: new Set(["processing", "failed", "expired"]),
  processing: new Set(["failed"]),
  paid: new Set(),
  expired: new Set(),
  cancelled: new Set(),
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
 * person cancelled stays cancelled: the expiry is how Stripe reports our cancel.
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
 * The person cancelled the purchase and Stripe has expired its session (lib/payments/topups cancelTopUp):
 * cancelled, unless a payment got there first. From expired too: our own expire call emits
 * checkout.session.expired, which may be applied before this.
 */
export async function markPurchaseCancelled(tx: Tx, purchaseId: string, now = new Date()): Promise<Purchase> {
  const purchase = await lockPurchase(tx, { purchaseId });
  if (!purchase) throw new Error(`purchase ${purchaseId} vanished`);
  if (purchase.status !== "pending" && purchase.status !== "failed" && purchase.status !== "expired") return purchase;
  return tx.purchase.update({
    where: { id: purchase.id },
    data: { status: "cancelled", cancelledAt: purchase.cancelledAt ?? now, checkoutUrl: null },
  });
}

/** One of the user's purchases, by our id or its Checkout Session id; null when it is not theirs. */
export function findUserPurchase(userId: string, ref: { purchaseId?: string | null; checkoutSessionId?: string | null }) {
  if (ref.purchaseId) return db().purchase.findFirst({ where: { userId, id: ref.purchaseId } });
  if (ref.checkoutSessionId) return db().purchase.findFirst({ where: { userId, checkoutSessionId: ref.checkoutSessionId } });
  return Promise.resolve(null);
}

export function listRecentPurchases(userId: string, take = 10) {
  return db().purchase.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take });
}
