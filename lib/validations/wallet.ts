import { z } from "zod";

export const spendCreditsSchema = z.object({
  amountMinor: z.number().int("amountMinor must be a whole number of minor units.").positive().max(10_000_000),
  description: z.string().trim().min(1).max(200),
  idempotencyKey: z.string().min(8).max(200),
});

/**
 * "12.5" or "12.50" → 1250 for a two-decimal currency, parsed as text so no float ever holds money.
 * Returns null for anything that isn't a plain positive amount with at most `digits` decimals.
 */
export function parseMajorAmount(input: string, digits: number): number | null {
  const match = /^\s*(\d{1,9})(?:\.(\d+))?\s*$/.exec(input);
  if (!match) return null;
  const [, whole = "0", fraction = ""] = match;
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}
