import type { LedgerEntry } from "../generated/prisma/client";
import { db, type Tx } from "../core/db";
import { env } from "../core/env";
import { ConflictError, NotFoundError, ValidationError } from "../core/errors";
import { adjustmentKey, credit, debit } from "../ledger";
import { minorUnitDigits } from "../core/money";
import { amountFormatHint, parseMajorAmount } from "../validations/wallet";
import { auditReason, recordAdminAction, type AuditActor } from "./audit";

// An admin's manual credit or debit of a user's wallet: one ADJUSTMENT ledger entry naming the admin,
// and its audit entry, in one transaction. The form's request key makes it happen once per form.

/** The largest single adjustment, in minor units (£100,000.00): a typo guard, not a policy. */
export const MAX_ADJUSTMENT_MINOR = 10_000_000;

export type AdjustmentDirection = "credit" | "debit";

export interface AdjustWalletInput {
  userId: string;
  currency: string;
  direction: AdjustmentDirection;
  /** Positive; the direction gives the sign. */
  amountMinor: number;
  reason: string;
  /** Made when the form was rendered: the same form submitted twice applies once. */
  requestKey: string;
}

export interface AdjustmentResult {
  entry: LedgerEntry;
  /** False when this request key had already been applied: nothing changed this time. */
  applied: boolean;
  balanceMinor: number;
}

/**
 * "12.50" → 1250 minor units for the currency, exactly (parsed as text). Refuses zero, negatives,
 * more decimals than the currency has, and more than MAX_ADJUSTMENT_MINOR.
 */
export function parseAdjustmentAmount(input: string, currency: string): number {
  const digits = minorUnitDigits(currency);
  const amountMinor = parseMajorAmount(input, digits, currency);
  if (amountMinor === null) throw new ValidationError(amountFormatHint(digits), { field: "amount" });
  if (amountMinor <= 0) throw new ValidationError("The amount must be more than zero.", { field: "amount" });
  if (amountMinor > MAX_ADJUSTMENT_MINOR) throw new ValidationError("That amount is too large.", { field: "amount" });
  return amountMinor;
}

/** An amount an admin moves by hand (an adjustment, a promotional grant): positive whole minor units, within MAX_ADJUSTMENT_MINOR. */
export function assertAdminAmount(amountMinor: number): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > MAX_ADJUSTMENT_MINOR) {
    throw new ValidationError("The amount must be a positive whole number of minor units within the adjustment limit.", { field: "amount" });
  }
}

/**
 * The user exists, and the currency is one of their wallets' or the app's: money an admin gives or
 * takes must not open a wallet in a currency nothing else in Billfold uses (a mistyped code).
 */
export async function assertAdminWalletTarget(tx: Tx, userId: string, currency: string): Promise<void> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, wallets: { select: { currency: true } } } });
  if (!user) throw new NotFoundError("No such user.");
  if (currency !== env().BILLFOLD_CURRENCY && !user.wallets.some((wallet) => wallet.currency === currency)) {
    throw new ValidationError(`This user has no ${currency} wallet.`, { field: "currency" });
  }
}

export async function adjustWallet(admin: AuditActor, input: AdjustWalletInput): Promise<AdjustmentResult> {
  assertAdminAmount(input.amountMinor);
  const reason = auditReason(input.reason);

  return db().$transaction(async (tx) => {
    await assertAdminWalletTarget(tx, input.userId, input.currency);
    const options = {
      userId: input.userId,
      currency: input.currency,
      amountMinor: input.amountMinor,
      type: "ADJUSTMENT" as const,
      idempotencyKey: adjustmentKey(input.requestKey),
      description: reason,
      createdByAdminId: admin.id,
    };
    // A debit that would overdraw throws InsufficientFundsError here, before anything is written.
    const { entry, applied } = input.direction === "credit" ? await credit(tx, options) : await debit(tx, options);
    const wallet = await tx.wallet.findUniqueOrThrow({ where: { userId_currency: { userId: input.userId, currency: input.currency } } });
    if (!applied) {
      // A replayed form: the first submission's entry. A key reused for something else is a bug, not a replay.
      const signed = input.direction === "credit" ? input.amountMinor : -input.amountMinor;
      if (entry.walletId !== wallet.id || entry.amountMinor !== signed) {
        throw new ConflictError("adjustment_key_reused", "This form was already used for a different adjustment. Reload the page and try again.");
      }
      return { entry, applied, balanceMinor: wallet.balanceMinor };
    }
    await recordAdminAction(tx, admin, {
      action: "ADJUSTMENT",
      targetType: "user",
      targetId: input.userId,
      reason,
      details: { entryId: entry.id, amountMinor: entry.amountMinor, currency: input.currency, balanceAfterMinor: entry.balanceAfterMinor },
    });
    return { entry, applied, balanceMinor: wallet.balanceMinor };
  });
}
