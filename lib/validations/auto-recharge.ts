import { z } from "zod";
import { formatMoney } from "../core/money";

// The auto-recharge settings a user may save, from the JSON API (minor units) and the wallet's form
// (major units, parsed to minor units first). Safe to import anywhere: it needs only the limits.

export interface AutoRechargeLimits {
  currency: string;
  /** The smallest charge worth making (lib/ledger/thresholds.ts MIN_RECHARGE_MINOR): the target must sit at least this far above the threshold. */
  minStepMinor: number;
  /** The largest target: one recharge tops up to it, so it is held to the largest single top-up. */
  maxTargetMinor: number;
  /** The largest monthly cap: a typo guard, not a policy. */
  maxMonthlyCapMinor: number;
}

export interface AutoRechargeSettingsInput {
  enabled: boolean;
  thresholdMinor: number;
  targetMinor: number;
  monthlyCapMinor: number;
}

const minor = z.number("Enter an amount.").int("Use whole minor units.");

/**
 * The rules, each said under its own field:
 * - the threshold is above zero (a recharge starts when a debit takes the balance below it);
 * - the target is at least the smallest charge above the threshold, so every recharge is worth making,
 *   and no more than the largest top-up;
 * - the monthly cap covers at least one recharge from the threshold to the target.
 */
export function autoRechargeSettingsSchema(limits: AutoRechargeLimits) {
  const money = (amountMinor: number) => formatMoney(amountMinor, limits.currency);
  return z
    .object({
      enabled: z.boolean("Say whether auto-recharge is on."),
      thresholdMinor: minor.positive("The threshold must be more than zero."),
      targetMinor: minor.max(limits.maxTargetMinor, `The target can be at most ${money(limits.maxTargetMinor)}, the largest single top-up.`),
      monthlyCapMinor: minor.positive("The monthly cap must be more than zero.").max(limits.maxMonthlyCapMinor, `The monthly cap can be at most ${money(limits.maxMonthlyCapMinor)}.`),
    })
    .superRefine((settings, context) => {
      if (settings.targetMinor < settings.thresholdMinor + limits.minStepMinor) {
        context.addIssue({
          code: "custom",
          path: ["targetMinor"],
          message: `The target must be at least ${money(limits.minStepMinor)} above the threshold (${money(settings.thresholdMinor + limits.minStepMinor)} or more).`,
        });
        return;
      }
      const smallestRecharge = settings.targetMinor - settings.thresholdMinor;
      if (settings.monthlyCapMinor < smallestRecharge) {
        context.addIssue({
          code: "custom",
          path: ["monthlyCapMinor"],
          message: `The monthly cap must cover at least one recharge: ${money(smallestRecharge)} or more (from the threshold up to the target).`,
        });
      }
    });
}

/** The wallet form's field for each setting: the form takes major units ("5.00"), the API minor units. */
export const AUTO_RECHARGE_FORM_FIELDS = {
  thresholdMinor: "threshold",
  targetMinor: "target",
  monthlyCapMinor: "monthlyCap",
} as const;
