import type { Tx } from "../core/db";
import { ValidationError } from "../core/errors";
import { lockWallet } from "./ledger";
import type { LockedWallet } from "./thresholds";

// The user's own spending controls on a wallet: a monthly cap on USAGE (the ledger applies the lower
// of it and the plan's, ./ledger.ts effectiveSpendLimit) and a low-balance alert threshold
// (./thresholds.ts fires it). Both are written under the wallet lock, so a debit running at the same
// moment sees either the old settings or the new ones, never half of each.
//
// The low-balance alert (Wallet.lowBalanceAlertedAt; the wallet page shows a banner while it is set):
// - a debit or reservation that takes the available balance (balance less reservations) from at or above the
//   threshold to below it sets it and queues ONE email, when the owner's address is verified and
//   the wallet has sent none in the last 24 hours (Wallet.lowBalanceEmailedAt);
// - further debits while below send nothing more;
// - the available balance coming back to or above the threshold (a top-up, a release) clears it, which
//   re-arms the alert: the next downward crossing shows the banner again, and emails once a day has
//   passed since the last email.
// Changing the threshold here never emails (the person is looking at their balance as they set it):
// - off (null) clears the alert;
// - a new threshold above what is available now sets the alert (the banner shows, no email), so the
//   next email comes after a top-up past it and a new fall below it;
// - a new threshold at or below what is available clears it: the alert is armed;
// - the same threshold again leaves it as it is.

export interface WalletLimits {
  /** The user's own monthly cap on USAGE debits; null: only the plan's (if any) applies. 0 pauses spending. */
  spendLimitMinor: number | null;
  /** Alert when the available balance falls below this; null: no alert. */
  lowBalanceThresholdMinor: number | null;
}

/** What Wallet.lowBalanceAlertedAt becomes when the user sets `threshold` (the rules above). */
export function alertAfterThresholdChange(wallet: Pick<LockedWallet, "balanceMinor" | "reservedMinor" | "lowBalanceThresholdMinor" | "lowBalanceAlertedAt">, threshold: number | null, now: Date): Date | null {
  if (threshold === null) return null;
  if (threshold === wallet.lowBalanceThresholdMinor) return wallet.lowBalanceAlertedAt;
  return wallet.balanceMinor - wallet.reservedMinor < threshold ? (wallet.lowBalanceAlertedAt ?? now) : null;
}

function assertLimit(value: number | null, field: keyof WalletLimits, min: number) {
  if (value !== null && (!Number.isSafeInteger(value) || value < min)) {
    throw new ValidationError(`${field} must be a whole number of minor units, ${min} or more, or null for none.`, { field });
  }
}

/** Sets both controls on the user's wallet in this currency (creating the wallet if needed). */
export async function setWalletLimits(tx: Tx, input: WalletLimits & { userId: string; currency: string; now?: Date }): Promise<void> {
  assertLimit(input.spendLimitMinor, "spendLimitMinor", 0);
  assertLimit(input.lowBalanceThresholdMinor, "lowBalanceThresholdMinor", 1);
  const wallet = await lockWallet(tx, input.userId, input.currency);
  await tx.wallet.update({
    where: { id: wallet.id },
    data: {
      spendLimitMinor: input.spendLimitMinor,
      lowBalanceThresholdMinor: input.lowBalanceThresholdMinor,
      lowBalanceAlertedAt: alertAfterThresholdChange(wallet, input.lowBalanceThresholdMinor, input.now ?? new Date()),
    },
  });
}
