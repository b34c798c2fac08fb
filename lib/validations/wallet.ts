import { z } from "zod";
import { typedAmountText } from "../core/money";

export const spendCreditsSchema = z.object({
  amountMinor: z.number().int("amountMinor must be a whole number of minor units.").positive().max(10_000_000),
  description: z.string().trim().min(1).max(200),
  idempotencyKey: z.string().min(8).max(200),
});

/**
 * "12.5" or "12.50" → 1250 for a two-decimal currency, parsed as text so no float ever holds money.
 * With `currency`, also what people paste: "£12.50", "12,50", "£1,234.50" (lib/core/money typedAmountText).
 * Returns null for anything that isn't a plain positive amount with at most `digits` decimals.
 */
export function parseMajorAmount(input: string, digits: number, currency?: string): number | null {
  const match = /^\s*(\d{1,9})(?:\.(\d+))?\s*$/.exec(currency ? typedAmountText(input, currency) : input);
  if (!match) return null;
  const [, whole = "0", fraction = ""] = match;
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** What a money field says when it cannot read the amount: "Type the amount in digits, like 20.50." */
export function amountFormatHint(digits: number): string {
  return `Type the amount in digits, like ${digits === 0 ? "500" : `20.${"50".padEnd(digits, "0")}`}.`;
}
