import { getEffectivePlan } from "../billing";
import { db } from "../core/db";
import { effectiveSpendLimit, usageInPeriod, usagePeriod } from "../ledger";
import { setWalletLimits, type WalletLimits } from "../ledger";

// The user's spending controls as the wallet page and PUT /api/wallet/limits show them: their own
// monthly spend limit next to the plan's, this month's usage and reservations against it, and the
// low-balance alert (rules in lib/ledger/limits.ts).

export interface SpendingControls {
  currency: string;
  balanceMinor: number;
  /** Held by open reservations: not spendable, and counted against the month's limit. */
  reservedMinor: number;
  availableMinor: number;
  /** The user's own monthly limit (null: none). */
  spendLimitMinor: number | null;
  plan: { name: string; spendLimitMinor: number | null };
  /** The limit that applies: the lower of the user's and the plan's (null: neither caps spending). */
  effectiveLimit: { limitMinor: number; setBy: "plan" | "you" } | null;
  /** USAGE debited this calendar month (UTC). */
  spentThisMonthMinor: number;
  /** When this month's usage starts again from zero. */
  resetsAt: Date;
  lowBalanceThresholdMinor: number | null;
  /** Set while the available balance is below the threshold since it last crossed it (the banner shows). */
  lowBalanceAlertedAt: Date | null;
}

export async function getSpendingControls(userId: string, currency: string, now = new Date()): Promise<SpendingControls> {
  const [wallet, { plan }] = await Promise.all([
    db().wallet.findUnique({
      where: { userId_currency: { userId, currency } },
      select: {
        balanceMinor: true,
        reservedMinor: true,
        usagePeriodStart: true,
        usageInPeriodMinor: true,
        spendLimitMinor: true,
        lowBalanceThresholdMinor: true,
        lowBalanceAlertedAt: true,
      },
    }),
    getEffectivePlan(userId, now),
  ]);
  const period = usagePeriod(now);
  const planLimit = plan.monthlySpendLimitMinor === null ? undefined : { limitMinor: plan.monthlySpendLimitMinor };
  const balanceMinor = wallet?.balanceMinor ?? 0;
  const reservedMinor = wallet?.reservedMinor ?? 0;
  return {
    currency,
    balanceMinor,
    reservedMinor,
    availableMinor: balanceMinor - reservedMinor,
    spendLimitMinor: wallet?.spendLimitMinor ?? null,
    plan: { name: plan.name, spendLimitMinor: plan.monthlySpendLimitMinor },
    effectiveLimit: effectiveSpendLimit({ spendLimitMinor: wallet?.spendLimitMinor ?? null }, planLimit),
    spentThisMonthMinor: wallet ? usageInPeriod(wallet, period.start) : 0,
    resetsAt: period.resetsAt,
    lowBalanceThresholdMinor: wallet?.lowBalanceThresholdMinor ?? null,
    lowBalanceAlertedAt: wallet?.lowBalanceAlertedAt ?? null,
  };
}

/** Sets the user's spend limit and low-balance threshold (null turns either off) and returns the controls as they now are. */
export async function updateSpendingControls(userId: string, currency: string, limits: WalletLimits, now = new Date()): Promise<SpendingControls> {
  await db().$transaction((tx) => setWalletLimits(tx, { userId, currency, ...limits, now }));
  return getSpendingControls(userId, currency, now);
}
