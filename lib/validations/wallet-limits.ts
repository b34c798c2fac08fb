import { z } from "zod";
import { minorUnitDigits } from "../core/money";
import { amountFormatHint, parseMajorAmount } from "./wallet";

// The user's spending controls: PUT /api/wallet/limits takes minor units (null turns a control off);
// the wallet page's form takes amounts as people type them ("25", "12.50"; empty turns it off).

/** Most a control may be set to: £1,000,000.00 in a two-decimal currency. */
export const WALLET_LIMIT_MAX_MINOR = 100_000_000;

const minor = z.number().int("Amounts are whole numbers of minor units.").max(WALLET_LIMIT_MAX_MINOR);

/** Both controls, each a number or null (off): a PUT replaces both. */
export const walletLimitsSchema = z
  .object({
    spendLimitMinor: minor.min(0).nullable(),
    lowBalanceThresholdMinor: minor.min(1, "A low-balance threshold must be more than zero; send null to turn the alert off.").nullable(),
  })
  .strict();

/** A typed amount in the currency's major unit, or null when left empty. */
function typedAmount(currency: string, { allowZero, emptyMeans }: { allowZero: boolean; emptyMeans: string }) {
  return z
    .string()
    .max(20)
    .optional()
    .transform((text, ctx) => {
      if (!text?.trim()) return null;
      const amountMinor = parseMajorAmount(text, minorUnitDigits(currency), currency);
      if (amountMinor === null || amountMinor > WALLET_LIMIT_MAX_MINOR) {
        ctx.addIssue({ code: "custom", message: `${amountFormatHint(minorUnitDigits(currency)).slice(0, -1)}, or leave it empty for ${emptyMeans}.` });
        return z.NEVER;
      }
      if (amountMinor === 0 && !allowZero) {
        ctx.addIssue({ code: "custom", message: `Enter an amount above zero, or leave it empty for ${emptyMeans}.` });
        return z.NEVER;
      }
      return amountMinor;
    });
}

/** The wallet page's "Spending controls" form, in the wallet's currency. */
export function walletLimitsFormSchema(currency: string) {
  return z.object({
    spendLimit: typedAmount(currency, { allowZero: true, emptyMeans: "no limit of your own" }),
    lowBalanceThreshold: typedAmount(currency, { allowZero: false, emptyMeans: "no alert" }),
  });
}
