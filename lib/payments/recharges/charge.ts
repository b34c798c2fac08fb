import type Stripe from "stripe";
import type { Purchase, Recharge } from "../../generated/prisma/client";
import { db, type Tx } from "../../core/db";
import { enqueueEmail } from "../../email";
import { wakeEmailWorker } from "../receipts";
import { lockWallet } from "../../ledger";
import { log } from "../../core/log";
import { lockPurchase, offSessionFailureMessage, paymentIntentReference, updateUnpaidPurchase } from "../purchases";
import { chargeSavedCard, type SavedCardCharge } from "../../stripe";
import { wakeEventsAwaiting } from "../../events";

// Charging the saved card for the recharges lib/ledger/thresholds.ts queued (status pending, one in
// flight per wallet, within the month's cap), after the commit of the debit that queued them.
//
// Each recharge's PaymentIntent is created with the idempotency key recharge:<id>, off-session, and
// carries our purchase id in its metadata, so the existing PaymentIntent, charge, refund and dispute
// handlers find its Purchase. What each answer does, in one transaction:
// - succeeded / processing → the recharge is processing. The credit comes only from
//   payment_intent.succeeded, through settlePaidPurchase (the exactly-once path every top-up takes),
//   which marks the recharge succeeded in the same transaction (lib/payments/purchases/recharge-settlement.ts);
// - authentication required / declined → the recharge and its purchase fail, auto-recharge is
//   switched off with the reason, and the user is emailed once (payment_intent.payment_failed does
//   the same through recordRechargeFailure, whichever comes first);
// - a network error, a rate limit, Stripe's 5xx → still pending, tried again by the next caller or
//   the credit sweep with the same key, so Stripe never charges twice.
// Nothing holds a transaction across the call to Stripe. Callers may overlap (after() of several
// requests, the sweep): the key makes their calls one PaymentIntent, and every transition below is
// conditional on the status it moves from.
//
// Stale work: a pending recharge is retried until RETRY_WINDOW_MS (inside Stripe's 24-hour memory
// of idempotency keys), then given up without a charge, which frees the wallet for a new one. A
// processing one resolves only by its webhook: the inbox retries deliveries and the admin's
// reconcile backfill fetches events Stripe could not deliver.

/** The purpose on a recharge's PaymentIntent metadata (top-ups carry "topup"). */
export const RECHARGE_PURPOSE = "auto_recharge";
/** How long a pending recharge is retried: less than the 24 hours Stripe remembers an idempotency key. */
export const RETRY_WINDOW_MS = 23 * 60 * 60 * 1000;
const RECHARGE_DESCRIPTION = "Billfold auto-recharge";

export function rechargeIdempotencyKey(rechargeId: string): string {
  return `recharge:${rechargeId}`;
}

export interface RechargeRun {
  /** Pending recharges looked at. */
  attempted: number;
  /** Charged (or under way at Stripe): now processing, credited by the webhook. */
  started: number;
  /** Refused by the bank: failed, auto-recharge switched off. */
  failed: number;
  /** Stripe could not be reached: still pending, for the next run. */
  deferred: number;
  /** Not charged at all: auto-recharge was off or the card gone by then, or the retry window passed. */
  dropped: number;
}

/** Recharges this process is charging right now: a second caller here skips them rather than wait on Stripe's key. */
const inProgress = new Set<string>();

/**
 * Charges pending recharges, oldest first, up to `limit` (only `userId`'s when given: after that
 * user's debit). Never throws for one recharge's trouble: each is logged and left for the next run.
 */
export async function startPendingRecharges({ limit = 50, userId, now = new Date() }: { limit?: number; userId?: string; now?: Date } = {}): Promise<RechargeRun> {
  const pending = await db().recharge.findMany({
    where: { status: "pending", ...(userId ? { wallet: { userId } } : {}) },
    orderBy: { createdAt: "asc" },
    take: limit,
    select: { id: true },
  });
  const run: RechargeRun = { attempted: 0, started: 0, failed: 0, deferred: 0, dropped: 0 };
  for (const { id } of pending) {
    if (inProgress.has(id)) continue;
    inProgress.add(id);
    run.attempted += 1;
    try {
      run[await startRecharge(id, now)] += 1;
    } catch (error) {
      run.deferred += 1;
      log.error("recharge_start_failed", { rechargeId: id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    } finally {
      inProgress.delete(id);
    }
  }
  // The failure emails those transactions queued are the email worker's (the cron sweep retries any that fail).
  if (run.failed > 0) wakeEmailWorker();
  return run;
}

type StartOutcome = "started" | "failed" | "deferred" | "dropped";

async function startRecharge(rechargeId: string, now: Date): Promise<StartOutcome> {
  const recharge = await db().recharge.findUnique({
    where: { id: rechargeId },
    include: { wallet: { include: { autoRecharge: true, user: { select: { id: true, stripeCustomerId: true } } } } },
  });
  if (!recharge || recharge.status !== "pending") return "dropped";
  const settings = recharge.wallet.autoRecharge;
  const customerId = recharge.wallet.user.stripeCustomerId;

  if (now.getTime() - recharge.createdAt.getTime() > RETRY_WINDOW_MS) {
    await db().$transaction((tx) => dropRecharge(tx, recharge.purchaseId, { code: "retry_window_passed", message: "We couldn't reach the card's bank in time, so nothing was charged." }));
    return "dropped";
  }
  // Switched off (by the user) since it was queued, or the card is gone: nothing is charged.
  if (!settings?.enabled || !settings.paymentMethodId || !customerId) {
    await db().$transaction((tx) => dropRecharge(tx, recharge.purchaseId, { code: "auto_recharge_off", message: "Auto-recharge was switched off before the card was charged." }));
    return "dropped";
  }

  let charge: SavedCardCharge;
  try {
    charge = await chargeSavedCard({
      customerId,
      paymentMethodId: settings.paymentMethodId,
      amountMinor: recharge.amountMinor,
      currency: recharge.currency,
      description: RECHARGE_DESCRIPTION,
      metadata: { billfoldUserId: recharge.wallet.userId, billfoldPurchaseId: recharge.purchaseId, billfoldRechargeId: recharge.id, purpose: RECHARGE_PURPOSE },
      idempotencyKey: rechargeIdempotencyKey(recharge.id),
    });
  } catch (error) {
    // Unknown at Stripe (network, rate limit, 5xx): the same key next time finds the same PaymentIntent, if any.
    log.warn("recharge_deferred", { rechargeId: recharge.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return "deferred";
  }

  if (charge.outcome === "succeeded" || charge.outcome === "processing") {
    const chargeId = charge.outcome === "succeeded" ? charge.chargeId : null;
    await db().$transaction((tx) => markRechargeProcessing(tx, recharge, charge.paymentIntentId, chargeId));
    return "started";
  }
  await db().$transaction((tx) =>
    failRecharge(tx, recharge.purchaseId, { code: charge.code, declineCode: charge.declineCode, paymentIntentId: charge.paymentIntentId }, now),
  );
  return "failed";
}

/**
 * The PaymentIntent exists and the money is taken or on its way: processing, with the PaymentIntent
 * (and charge) on the recharge and its purchase. Skipped when payment_intent.succeeded got there first.
 */
async function markRechargeProcessing(tx: Tx, recharge: Recharge, paymentIntentId: string, chargeId: string | null): Promise<void> {
  await tx.recharge.updateMany({ where: { id: recharge.id, status: "pending" }, data: { status: "processing", paymentIntentId } });
  await tx.purchase.updateMany({ where: { id: recharge.purchaseId, paymentIntentId: null }, data: { paymentIntentId } });
  if (chargeId) await tx.purchase.updateMany({ where: { id: recharge.purchaseId, chargeId: null }, data: { chargeId } });
  // Events about the charge that arrived before its id was known here have been waiting for it.
  await wakeEventsAwaiting(tx, [paymentIntentId, chargeId]);
}

export interface RechargeFailure {
  code: string | null;
  declineCode: string | null;
  paymentIntentId: string | null;
}

/**
 * The bank refused a recharge: it fails, its purchase fails with the plain reason, auto-recharge is
 * switched off saying why, and the user is emailed with a link to fix it. All in the caller's
 * transaction, once: a recharge already failed or succeeded is left as it is (false).
 */
export async function failRecharge(tx: Tx, purchaseId: string, failure: RechargeFailure, now = new Date()): Promise<boolean> {
  const locked = await lockRecharge(tx, purchaseId);
  if (!locked) return false;
  const { purchase, recharge } = locked;
  const reason = offSessionFailureMessage({ code: failure.code ?? undefined, decline_code: failure.declineCode ?? undefined });
  await closeRecharge(tx, purchase, recharge, { code: failure.declineCode ?? failure.code ?? "payment_failed", message: reason, paymentIntentId: failure.paymentIntentId });
  await tx.autoRecharge.updateMany({ where: { walletId: recharge.walletId }, data: { enabled: false, disabledReason: reason, disabledAt: now } });
  await enqueueEmail(tx, {
    key: `recharge_failed:${recharge.id}`,
    userId: purchase.userId,
    kind: "recharge_failed",
    payload: { amountMinor: recharge.amountMinor, currency: recharge.currency, reason },
  });
  return true;
}

/** A recharge given up before any charge: failed with the reason, auto-recharge left as it is, no email. */
async function dropRecharge(tx: Tx, purchaseId: string, reason: { code: string; message: string }): Promise<void> {
  const locked = await lockRecharge(tx, purchaseId);
  if (!locked || locked.recharge.status !== "pending") return;
  await closeRecharge(tx, locked.purchase, locked.recharge, { ...reason, paymentIntentId: null });
}

/**
 * Locks the recharge's purchase (as every payment event does, so they apply one after another), then
 * its wallet (as the credit would: the ledger reads AutoRecharge under that lock). Null when the
 * recharge is already settled either way.
 */
async function lockRecharge(tx: Tx, purchaseId: string): Promise<{ purchase: Purchase; recharge: Recharge } | null> {
  const purchase = await lockPurchase(tx, { purchaseId });
  const recharge = await tx.recharge.findUnique({ where: { purchaseId } });
  if (!purchase || !recharge || recharge.status === "failed" || recharge.status === "succeeded") return null;
  const wallet = await tx.wallet.findUniqueOrThrow({ where: { id: recharge.walletId }, select: { userId: true, currency: true } });
  await lockWallet(tx, wallet.userId, wallet.currency);
  return { purchase, recharge };
}

async function closeRecharge(tx: Tx, purchase: Purchase, recharge: Recharge, failure: { code: string; message: string; paymentIntentId: string | null }): Promise<void> {
  await tx.recharge.update({
    where: { id: recharge.id },
    data: { status: "failed", failureCode: failure.code, failureMessage: failure.message, paymentIntentId: recharge.paymentIntentId ?? failure.paymentIntentId },
  });
  await updateUnpaidPurchase(tx, purchase, { status: "failed", failureMessage: failure.message, paymentIntentId: failure.paymentIntentId });
}

/** True for a PaymentIntent auto-recharge created (its events also move the recharge and the settings). */
export function isRechargePaymentIntent(paymentIntent: Pick<Stripe.PaymentIntent, "metadata">): boolean {
  return paymentIntent.metadata?.purpose === RECHARGE_PURPOSE;
}

/** payment_intent.payment_failed for a recharge: the same as a refusal answered at once (failRecharge), once. */
export async function recordRechargeFailure(tx: Tx, paymentIntent: Stripe.PaymentIntent): Promise<void> {
  const purchase = await lockPurchase(tx, paymentIntentReference(paymentIntent));
  if (!purchase) return;
  const error = paymentIntent.last_payment_error;
  await failRecharge(tx, purchase.id, { code: error?.code ?? null, declineCode: error?.decline_code ?? null, paymentIntentId: paymentIntent.id });
}
