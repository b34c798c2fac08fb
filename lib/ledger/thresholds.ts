import { randomUUID } from "node:crypto";
import type { LedgerEntry } from "../generated/prisma/client";
import type { Prisma, Tx } from "../core/db";
import { enqueueEmail } from "../email";
import { RECHARGE_PACK_KEY } from "./labels";
import { usagePeriodStart } from "./periods";

// What happens when the money a user can spend (balance minus reservations) moves, in the transaction that
// moved it and under the same wallet lock, so concurrent debits see one another's effects here:
// - the low-balance alert (the wallet page's banner) is set on each downward crossing of the user's
//   threshold, and emails a verified address at most once a day;
// - auto-recharge queues at most one off-session charge per wallet (a partial unique index backs
//   this up) and never past the month's cap, and only after spending (a USAGE debit or a reservation): money
//   Stripe took back (a refund, a dispute) and credit that ran out (expiry, a void, an admin's debit)
//   never charge the card, least of all the card being disputed. The charge itself is made after
//   the commit, by lib/payments/recharges, which picks up every pending Recharge.

/** The wallet row as the ledger reads it under its lock. */
export interface LockedWallet {
  id: string;
  userId: string;
  currency: string;
  balanceMinor: number;
  reservedMinor: number;
  usagePeriodStart: Date | null;
  usageInPeriodMinor: number;
  spendLimitMinor: number | null;
  lowBalanceThresholdMinor: number | null;
  lowBalanceAlertedAt: Date | null;
  lowBalanceEmailedAt: Date | null;
  /** Auto-recharge is enabled with a saved card (read with the lock, from AutoRecharge). */
  autoRechargeOn: boolean;
}

export interface AvailableChange {
  beforeMinor: number;
  afterMinor: number;
  /** The entry that moved it, or null for a reservation (down) or release (up) (reservations). */
  cause: LedgerEntry | null;
  now: Date;
}

/** The smallest off-session charge worth making (Stripe's minimum charge is about 50 minor units in most currencies). */
export const MIN_RECHARGE_MINOR = 50;

export async function afterAvailableChange(tx: Tx, wallet: LockedWallet, change: AvailableChange): Promise<void> {
  if (change.afterMinor === change.beforeMinor) return;
  await updateLowBalanceAlert(tx, wallet, change);
  if (change.afterMinor < change.beforeMinor && isSpending(change.cause)) await queueRechargeIfDue(tx, wallet, change);
}

/** A USAGE debit or a reservation (the only change without an entry that lowers what is available). */
function isSpending(cause: LedgerEntry | null): boolean {
  return cause === null || cause.type === "USAGE";
}

async function updateLowBalanceAlert(tx: Tx, wallet: LockedWallet, change: AvailableChange): Promise<void> {
  const threshold = wallet.lowBalanceThresholdMinor;
  if (threshold === null) return;
  if (change.afterMinor >= threshold) {
    if (wallet.lowBalanceAlertedAt) await tx.wallet.update({ where: { id: wallet.id }, data: { lowBalanceAlertedAt: null } });
    return;
  }
  if (wallet.lowBalanceAlertedAt || change.beforeMinor < threshold) return;
  // The banner follows every crossing; the email does not: a reservation and its release cross twice, and
  // anyone who can reserve could otherwise send one per cycle.
  const emailDue = await lowBalanceEmailDue(tx, wallet, change.now);
  await tx.wallet.update({ where: { id: wallet.id }, data: { lowBalanceAlertedAt: change.now, ...(emailDue ? { lowBalanceEmailedAt: change.now } : {}) } });
  if (!emailDue) return;
  // At most one a day is decided above, under the wallet lock; the key only has to name this crossing.
  await enqueueEmail(tx, {
    key: `low_balance:${wallet.id}:${change.cause?.id ?? randomUUID()}`,
    userId: wallet.userId,
    kind: "low_balance",
    payload: { thresholdMinor: threshold, availableMinor: change.afterMinor, currency: wallet.currency },
  });
}

/** The most low-balance emails a wallet sends: one per this long. */
const LOW_BALANCE_EMAIL_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** A day has passed since the wallet's last alert email, and its owner's address is verified (an unverified one may be someone else's). */
async function lowBalanceEmailDue(tx: Tx, wallet: LockedWallet, now: Date): Promise<boolean> {
  if (wallet.lowBalanceEmailedAt && now.getTime() - wallet.lowBalanceEmailedAt.getTime() < LOW_BALANCE_EMAIL_INTERVAL_MS) return false;
  const owner = await tx.user.findUnique({ where: { id: wallet.userId }, select: { emailVerified: true } });
  return owner?.emailVerified != null;
}

/**
 * After spending (or when the user turns auto-recharge on): when it is on and the available
 * balance is below its threshold, queue a charge that brings it back to the target, within what is
 * left of the month's cap. True when one was queued. The caller holds the wallet lock.
 */
export async function queueRechargeIfDue(tx: Tx, wallet: LockedWallet, change: Pick<AvailableChange, "afterMinor" | "now">): Promise<boolean> {
  if (!wallet.autoRechargeOn) return false;
  const settings = await tx.autoRecharge.findUnique({ where: { walletId: wallet.id } });
  if (!settings?.enabled || !settings.paymentMethodId || change.afterMinor >= settings.thresholdMinor) return false;
  const inFlight = await tx.recharge.count({ where: { walletId: wallet.id, status: { in: ["pending", "processing"] } } });
  if (inFlight > 0) return false;
  const periodStart = usagePeriodStart(change.now);
  const capLeftMinor = settings.monthlyCapMinor - (await rechargedInPeriodMinor(tx, { walletId: wallet.id }, periodStart));
  // Up to the target from zero at most: a balance below zero is money Stripe took back (a refund, a
  // dispute), which the card is not charged to cover.
  const amountMinor = Math.min(settings.targetMinor - Math.max(0, change.afterMinor), capLeftMinor);
  if (amountMinor < MIN_RECHARGE_MINOR) return false;
  const purchase = await tx.purchase.create({
    data: { userId: wallet.userId, packKey: RECHARGE_PACK_KEY, amountMinor, currency: wallet.currency, status: "processing" },
  });
  await tx.recharge.create({ data: { walletId: wallet.id, purchaseId: purchase.id, amountMinor, currency: wallet.currency, periodStart } });
  usersWithRecharges.set(tx, new Set([...(usersWithRecharges.get(tx) ?? []), wallet.userId]));
  return true;
}

/**
 * What auto-recharge has charged, or is charging, in the month that starts at `periodStart`: what the
 * monthly cap bounds, and what the wallet page shows against it. A failed recharge took nothing.
 */
export async function rechargedInPeriodMinor(tx: Tx, wallet: Prisma.RechargeWhereInput, periodStart: Date): Promise<number> {
  const used = await tx.recharge.aggregate({
    where: { ...wallet, periodStart, status: { in: ["pending", "processing", "succeeded"] } },
    _sum: { amountMinor: true },
  });
  return used._sum.amountMinor ?? 0;
}

/** The users whose recharges each transaction queued, so whoever commits it knows to start them (as emailsQueuedIn does for emails). */
const usersWithRecharges = new WeakMap<Tx, Set<string>>();

/** The users for whom this transaction queued a recharge (empty for nearly every debit). */
export function rechargesQueuedIn(tx: Tx): string[] {
  return [...(usersWithRecharges.get(tx) ?? [])];
}
