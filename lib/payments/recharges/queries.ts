import type { RechargeStatus } from "../../generated/prisma/client";
import { db } from "../../core/db";
import { env } from "../../core/env";
import { usagePeriod } from "../../ledger";
import { rechargedInPeriodMinor } from "../../ledger";
import { getAutoRecharge, type AutoRechargeSettings } from "./settings";

// What the wallet page shows of auto-recharge: the settings, this month's recharges against the cap,
// the latest recharges, and the banner when Billfold switched it off.

export interface RechargeView {
  id: string;
  amountMinor: number;
  currency: string;
  status: RechargeStatus;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: Date;
}

export interface AutoRechargeOff {
  /** Why, in plain words (lib/payments/purchases/failures.ts). */
  reason: string;
  at: Date | null;
  /** The recharge that failed, when there is one to name. */
  failedRecharge: RechargeView | null;
  /** The bank asked for authentication: the card itself cannot work off-session, so a different one is the fix. */
  needsAnotherCard: boolean;
}

export interface AutoRechargeView {
  settings: AutoRechargeSettings;
  /** Recharged (or under way) in this calendar month (UTC), which the monthly cap bounds. */
  monthToDateMinor: number;
  monthResetsAt: Date;
  recent: RechargeView[];
  /** Set while auto-recharge is off because a recharge failed, until the user turns it back on. */
  switchedOff: AutoRechargeOff | null;
}

const RECENT_RECHARGES = 5;
const rechargeSelect = { id: true, amountMinor: true, currency: true, status: true, failureMessage: true, failureCode: true, createdAt: true } as const;

export async function getAutoRechargeView(userId: string, now = new Date()): Promise<AutoRechargeView> {
  const currency = env().BILLFOLD_CURRENCY;
  const period = usagePeriod(now);
  const wallet = { userId, currency };
  const [settings, monthToDateMinor, recent] = await Promise.all([
    getAutoRecharge(userId),
    rechargedInPeriodMinor(db(), { wallet }, period.start),
    db().recharge.findMany({ where: { wallet }, orderBy: { createdAt: "desc" }, take: RECENT_RECHARGES, select: rechargeSelect }),
  ]);
  let switchedOff: AutoRechargeOff | null = null;
  if (!settings.enabled && settings.disabledReason) {
    const failed = recent.find((recharge) => recharge.status === "failed") ?? null;
    switchedOff = {
      reason: settings.disabledReason,
      at: settings.disabledAt,
      failedRecharge: failed,
      needsAnotherCard: failed?.failureCode === "authentication_required",
    };
  }
  return {
    settings,
    monthToDateMinor,
    monthResetsAt: period.resetsAt,
    recent,
    switchedOff,
  };
}
