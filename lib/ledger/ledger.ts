import type { LedgerEntry, LedgerEntryType } from "../generated/prisma/client";
import type { Tx } from "../core/db";
import { InsufficientFundsError, NegativeBalanceError, SpendLimitError, ValidationError } from "../core/errors";
import { defaultGrantTerms, drawFromGrants, openGrant, takeFromGrant, type DrawOrder, type GrantTerms } from "./grants";
import { usagePeriod } from "./periods";
import { afterAvailableChange, type LockedWallet } from "./thresholds";

export { usagePeriod };

// The only writer of Wallet.balanceMinor. Every change is one LedgerEntry with a unique idempotency
// key, written in the caller's transaction while the wallet row is locked, so concurrent changes to
// one wallet queue up and `balanceAfterMinor` is always the running total.

// The negative-balance policy. Money Stripe has already taken back (a refund, a dispute) leaves
// the wallet whether or not its credit was spent: it comes first from that payment's own grant, then
// from other paid credit, then from promotional credit (lib/ledger/grants.ts, DrawOrder "payment"),
// and whatever is still short takes the balance below zero. While the balance is negative nothing can
// be spent (NegativeBalanceError, 402) and the wallet page says why; the next credits repay it first.
// Every other debit needs the money to be there.
export const NEGATIVE_BALANCE_POLICY = "block_spending_until_repaid" as const;
const MAY_OVERDRAW: ReadonlySet<LedgerEntryType> = new Set(["REFUND", "DISPUTE_HOLD"]);

export type CreditType = Extract<LedgerEntryType, "TOPUP" | "PLAN_GRANT" | "DISPUTE_RELEASE" | "ADJUSTMENT" | "PROMOTIONAL" | "REFUND_REVERSAL">;
export type DebitType = Extract<LedgerEntryType, "USAGE" | "REFUND" | "DISPUTE_HOLD" | "ADJUSTMENT">;

interface EntryOptions {
  userId: string;
  currency: string;
  /** Always positive; the direction comes from the operation. */
  amountMinor: number;
  idempotencyKey: string;
  stripeObjectId?: string | null;
  description?: string | null;
  /** The admin who made a manual ADJUSTMENT (null for everything Stripe or the user caused). */
  createdByAdminId?: string | null;
  /** The top-up or recharge whose payment this is: a credit's grant names it, a refund or dispute draws from it first. */
  purchaseId?: string | null;
  /** When it happens, for the usage period and expiry (tests move it). */
  now?: Date;
}

export interface CreditOptions extends EntryOptions {
  type: CreditType;
  /** The grant's terms where they differ from the type's defaults (./grants.ts defaultGrantTerms). */
  grant?: Partial<Omit<GrantTerms, "purchaseId">>;
}

export interface DebitOptions extends EntryOptions {
  type: DebitType;
  /** The plan's cap on USAGE per calendar month (UTC), checked under the wallet lock with the user's own cap. */
  spendLimit?: { limitMinor: number };
  /**
   * The amount a reservation held for this debit (lib/ledger/reservations.ts): it is released by
   * the same entry, and the debit (at most the reservation) needs no more room than the reservation gave it.
   */
  heldMinor?: number;
}

export interface ReverseOptions {
  /** The entry to reverse, by its idempotency key. */
  originalIdempotencyKey: string;
  idempotencyKey: string;
  type: LedgerEntryType;
  /** Part of the original to reverse; the whole of it when omitted. */
  amountMinor?: number;
  stripeObjectId?: string | null;
  description?: string | null;
  /** The payment the original belongs to (a reversal's grant names it). */
  purchaseId?: string | null;
}

export interface LedgerResult {
  entry: LedgerEntry;
  /** False when the idempotency key had already been applied: nothing changed this time. */
  applied: boolean;
}

export function assertAmount(amountMinor: number) {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw new ValidationError("amountMinor must be a positive whole number of minor units.");
  }
}

/** The wallet's USAGE so far in the period that starts at `periodStart` (0 when its counter is for an earlier month). */
export function usageInPeriod(wallet: { usagePeriodStart: Date | null; usageInPeriodMinor: number }, periodStart: Date): number {
  return wallet.usagePeriodStart?.getTime() === periodStart.getTime() ? wallet.usageInPeriodMinor : 0;
}

/** Locks (creating if needed) the user's wallet in this currency and returns what the ledger's checks read. */
export async function lockWallet(tx: Tx, userId: string, currency: string): Promise<LockedWallet> {
  await tx.$executeRaw`
    INSERT INTO "Wallet" ("id", "userId", "currency", "balanceMinor", "createdAt", "updatedAt")
    VALUES (gen_random_uuid()::text, ${userId}, ${currency}, 0, now(), now())
    ON CONFLICT ("userId", "currency") DO NOTHING`;
  // Whether auto-recharge could fire comes with the lock, so a wallet without it costs no extra query per debit.
  const rows = await tx.$queryRaw<LockedWallet[]>`
    SELECT w."id", w."userId", w."currency", w."balanceMinor", w."reservedMinor", w."usagePeriodStart", w."usageInPeriodMinor", w."spendLimitMinor",
      w."lowBalanceThresholdMinor", w."lowBalanceAlertedAt", w."lowBalanceEmailedAt", COALESCE(a."enabled" AND a."paymentMethodId" IS NOT NULL, false) AS "autoRechargeOn"
    FROM "Wallet" w LEFT JOIN "AutoRecharge" a ON a."walletId" = w."id"
    WHERE w."userId" = ${userId} AND w."currency" = ${currency} FOR UPDATE OF w`;
  const wallet = rows[0];
  if (!wallet) throw new Error(`wallet for ${userId}/${currency} vanished while locked`);
  return wallet;
}

/** The tighter of the plan's and the user's own monthly caps on USAGE; null when neither caps it. */
export function effectiveSpendLimit(wallet: Pick<LockedWallet, "spendLimitMinor">, planLimit?: { limitMinor: number }): { limitMinor: number; setBy: "plan" | "you" } | null {
  const own = wallet.spendLimitMinor;
  if (own !== null && (planLimit === undefined || own <= planLimit.limitMinor)) return { limitMinor: own, setBy: "you" };
  return planLimit ? { limitMinor: planLimit.limitMinor, setBy: "plan" } : null;
}

/**
 * What the locked wallet can spend now, when `amountMinor` fits in it: nothing while the balance is
 * negative (NEGATIVE_BALANCE_POLICY), and never money held by reservations, except `heldMinor`, the
 * reservation this spend commits. Throws NegativeBalanceError or InsufficientFundsError otherwise.
 */
export function availableToSpend(wallet: LockedWallet, amountMinor: number, heldMinor = 0): number {
  if (wallet.balanceMinor < 0) throw new NegativeBalanceError(wallet.balanceMinor, wallet.currency);
  const availableMinor = wallet.balanceMinor - (wallet.reservedMinor - heldMinor);
  if (amountMinor > availableMinor) throw new InsufficientFundsError(availableMinor, wallet.currency);
  return availableMinor;
}

/**
 * Refuses `amountMinor` more USAGE (a debit, or a reservation as if spent) when the month's usage, what open
 * reservations keep aside, and it together pass the month's cap. Under the wallet lock, so concurrent spends
 * and reservations cannot each fit under the cap and together pass it.
 */
export function assertWithinSpendLimit(wallet: LockedWallet, amountMinor: number, planLimit: { limitMinor: number } | undefined, period: { start: Date; resetsAt: Date }): void {
  const limit = effectiveSpendLimit(wallet, planLimit);
  const committedMinor = usageInPeriod(wallet, period.start) + wallet.reservedMinor;
  if (limit && committedMinor + amountMinor > limit.limitMinor) {
    throw new SpendLimitError(limit.limitMinor, committedMinor, wallet.currency, period.resetsAt, limit.setBy);
  }
}

async function applyEntry(
  tx: Tx,
  options: EntryOptions & {
    type: LedgerEntryType;
    signedAmountMinor: number;
    spendLimit?: DebitOptions["spendLimit"];
    heldMinor?: number;
    grant?: CreditOptions["grant"];
    /** An EXPIRY or VOID: the money leaves this one grant, whatever the draw order says. */
    fromGrantId?: string;
  },
): Promise<LedgerResult> {
  const wallet = await lockWallet(tx, options.userId, options.currency);
  // Checked after taking the lock, so a concurrent writer of the same key has either committed
  // (and we see its entry) or not started.
  const existing = await tx.ledgerEntry.findUnique({ where: { idempotencyKey: options.idempotencyKey } });
  if (existing) return { entry: existing, applied: false };

  const now = options.now ?? new Date();
  const isDebit = options.signedAmountMinor < 0;
  const heldMinor = options.heldMinor ?? 0;
  const balanceAfterMinor = wallet.balanceMinor + options.signedAmountMinor;
  if (isDebit && !MAY_OVERDRAW.has(options.type) && !options.fromGrantId) availableToSpend(wallet, -options.signedAmountMinor, heldMinor);
  // Every USAGE debit counts towards its month, whether or not a cap applies now: a cap may start mid-month.
  const period = usagePeriod(now);
  const usage = options.type === "USAGE" && isDebit ? { before: usageInPeriod(wallet, period.start), added: -options.signedAmountMinor } : null;
  // A commit is not checked again: its reservation already took its share of the month.
  if (usage && heldMinor === 0) assertWithinSpendLimit(wallet, usage.added, options.spendLimit, period);
  const entry = await tx.ledgerEntry.create({
    data: {
      walletId: wallet.id,
      type: options.type,
      amountMinor: options.signedAmountMinor,
      balanceAfterMinor,
      idempotencyKey: options.idempotencyKey,
      stripeObjectId: options.stripeObjectId ?? null,
      description: options.description ?? null,
      createdByAdminId: options.createdByAdminId ?? null,
    },
  });
  await tx.wallet.update({
    where: { id: wallet.id },
    data: {
      balanceMinor: balanceAfterMinor,
      ...(heldMinor > 0 ? { reservedMinor: { decrement: heldMinor } } : {}),
      ...(usage ? { usagePeriodStart: period.start, usageInPeriodMinor: usage.before + usage.added } : {}),
    },
  });
  if (options.fromGrantId) {
    await takeFromGrant(tx, options.fromGrantId, entry.id, -options.signedAmountMinor);
  } else if (isDebit) {
    // Only the part the positive balance covered has grants behind it; the rest is the negative balance.
    const drawOrder: DrawOrder = MAY_OVERDRAW.has(options.type) ? { kind: "payment", purchaseId: options.purchaseId ?? null } : { kind: "spend" };
    await drawFromGrants(tx, wallet.id, entry.id, Math.min(-options.signedAmountMinor, Math.max(0, wallet.balanceMinor)), drawOrder);
  } else {
    await openGrant(tx, wallet.id, entry, wallet.balanceMinor, { ...defaultGrantTerms(options.type, options.purchaseId ?? null), ...options.grant });
  }
  await afterAvailableChange(tx, wallet, {
    beforeMinor: wallet.balanceMinor - wallet.reservedMinor,
    afterMinor: balanceAfterMinor - (wallet.reservedMinor - heldMinor),
    cause: entry,
    now,
  });
  return { entry, applied: true };
}

export function credit(tx: Tx, options: CreditOptions): Promise<LedgerResult> {
  assertAmount(options.amountMinor);
  return applyEntry(tx, { ...options, signedAmountMinor: options.amountMinor });
}

/** Throws InsufficientFundsError when the debit would overdraw, unless its type may (refunds, disputes). */
export function debit(tx: Tx, options: DebitOptions): Promise<LedgerResult> {
  assertAmount(options.amountMinor);
  return applyEntry(tx, { ...options, signedAmountMinor: -options.amountMinor });
}

/** Applies the opposite of an earlier entry (or part of it), in the same wallet. */
export async function reverse(tx: Tx, options: ReverseOptions): Promise<LedgerResult> {
  const original = await tx.ledgerEntry.findUnique({
    where: { idempotencyKey: options.originalIdempotencyKey },
    include: { wallet: { select: { userId: true, currency: true } } },
  });
  if (!original) throw new ValidationError(`No ledger entry to reverse for ${options.originalIdempotencyKey}.`);
  const amountMinor = options.amountMinor ?? Math.abs(original.amountMinor);
  assertAmount(amountMinor);
  if (amountMinor > Math.abs(original.amountMinor)) {
    throw new ValidationError("A reversal cannot exceed the entry it reverses.");
  }
  return applyEntry(tx, {
    userId: original.wallet.userId,
    currency: original.wallet.currency,
    amountMinor,
    idempotencyKey: options.idempotencyKey,
    stripeObjectId: options.stripeObjectId ?? original.stripeObjectId,
    description: options.description ?? null,
    purchaseId: options.purchaseId ?? null,
    type: options.type,
    signedAmountMinor: original.amountMinor > 0 ? -amountMinor : amountMinor,
  });
}

export interface GrantRemovalOptions {
  grantId: string;
  type: Extract<LedgerEntryType, "EXPIRY" | "VOID">;
  amountMinor: number;
  idempotencyKey: string;
  description: string;
  createdByAdminId?: string | null;
  now?: Date;
}

/** Takes part or all of one grant's remainder out of the wallet (lib/ledger/expiry.ts decides how much). */
export async function removeFromGrant(tx: Tx, wallet: { userId: string; currency: string }, options: GrantRemovalOptions): Promise<LedgerResult> {
  assertAmount(options.amountMinor);
  return applyEntry(tx, {
    userId: wallet.userId,
    currency: wallet.currency,
    amountMinor: options.amountMinor,
    signedAmountMinor: -options.amountMinor,
    type: options.type,
    idempotencyKey: options.idempotencyKey,
    description: options.description,
    createdByAdminId: options.createdByAdminId ?? null,
    fromGrantId: options.grantId,
    now: options.now,
  });
}
