import type { LedgerEntry, LedgerEntryType } from "../generated/prisma/client";
import type { Tx } from "../db";
import { InsufficientFundsError, SpendLimitError, ValidationError } from "../errors";

// The only writer of Wallet.balanceMinor. Every change is one LedgerEntry with a unique idempotency
// key, written in the caller's transaction while the wallet row is locked, so concurrent changes to
// one wallet queue up and `balanceAfterMinor` is always the running total.

// Money Stripe has already taken back: the debit stands even if the credit was spent.
const MAY_OVERDRAW: ReadonlySet<LedgerEntryType> = new Set(["REFUND", "DISPUTE_HOLD"]);

export type CreditType = Extract<LedgerEntryType, "TOPUP" | "PLAN_GRANT" | "DISPUTE_RELEASE" | "ADJUSTMENT">;
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
}

export interface CreditOptions extends EntryOptions {
  type: CreditType;
}

export interface DebitOptions extends EntryOptions {
  type: DebitType;
  /** The plan's cap on USAGE per calendar month (UTC), checked under the wallet lock. */
  spendLimit?: { limitMinor: number };
  /** When the debit happens, for its usage period (tests move it). */
  now?: Date;
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

/** The calendar month (UTC) a USAGE debit counts towards, and when its spend limit resets. */
export function usagePeriod(now: Date): { start: Date; resetsAt: Date } {
  return {
    start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}

/** The wallet's USAGE so far in the period that starts at `periodStart` (0 when its counter is for an earlier month). */
function usageInPeriod(wallet: { usagePeriodStart: Date | null; usageInPeriodMinor: number }, periodStart: Date): number {
  return wallet.usagePeriodStart?.getTime() === periodStart.getTime() ? wallet.usageInPeriodMinor : 0;
}

/** Locks (creating if needed) the user's wallet in this currency and returns its id, balance and usage counter. */
async function lockWallet(tx: Tx, userId: string, currency: string) {
  await tx.$executeRaw`
    INSERT INTO "Wallet" ("id", "userId", "currency", "balanceMinor", "createdAt", "updatedAt")
    VALUES (gen_random_uuid()::text, ${userId}, ${currency}, 0, now(), now())
    ON CONFLICT ("userId", "currency") DO NOTHING`;
  const rows = await tx.$queryRaw<Array<{ id: string; balanceMinor: number; usagePeriodStart: Date | null; usageInPeriodMinor: number }>>`
    SELECT "id", "balanceMinor", "usagePeriodStart", "usageInPeriodMinor"
    FROM "Wallet" WHERE "userId" = ${userId} AND "currency" = ${currency} FOR UPDATE`;
  const wallet = rows[0];
  if (!wallet) throw new Error(`wallet for ${userId}/${currency} vanished while locked`);
  return wallet;
}

async function applyEntry(
  tx: Tx,
  options: EntryOptions & { type: LedgerEntryType; signedAmountMinor: number; spendLimit?: DebitOptions["spendLimit"]; now?: Date },
): Promise<LedgerResult> {
  const wallet = await lockWallet(tx, options.userId, options.currency);
  // Checked after taking the lock, so a concurrent writer of the same key has either committed
  // (and we see its entry) or not started.
  const existing = await tx.ledgerEntry.findUnique({ where: { idempotencyKey: options.idempotencyKey } });
  if (existing) return { entry: existing, applied: false };

  const balanceAfterMinor = wallet.balanceMinor + options.signedAmountMinor;
  if (options.signedAmountMinor < 0 && balanceAfterMinor < 0 && !MAY_OVERDRAW.has(options.type)) {
    throw new InsufficientFundsError(wallet.balanceMinor, options.currency);
  }
  // Every USAGE debit counts towards its month, whether or not the plan caps it now: a plan with a
  // limit may start mid-month.
  const period = usagePeriod(options.now ?? new Date());
  const usage = options.type === "USAGE" && options.signedAmountMinor < 0 ? { before: usageInPeriod(wallet, period.start), added: -options.signedAmountMinor } : null;
  if (usage && options.spendLimit && usage.before + usage.added > options.spendLimit.limitMinor) {
    // Under the wallet lock, so concurrent spends cannot both fit under the limit and together pass it.
    throw new SpendLimitError(options.spendLimit.limitMinor, usage.before, options.currency, period.resetsAt);
  }
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
      ...(usage ? { usagePeriodStart: period.start, usageInPeriodMinor: usage.before + usage.added } : {}),
    },
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
    type: options.type,
    signedAmountMinor: original.amountMinor > 0 ? -amountMinor : amountMinor,
  });
}
