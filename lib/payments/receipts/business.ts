import { env, type ServerEnv } from "../../core/env";

// The seller a receipt names, and the VAT it states, from the environment (lib/core/env.ts):
// BILLFOLD_BUSINESS_NAME, BILLFOLD_BUSINESS_ADDRESS, BILLFOLD_VAT_NUMBER, BILLFOLD_VAT_RATE_BP.

export interface BusinessDetails {
  name: string;
  addressLines: string[];
  /** The VAT registration number; null when the business does not charge VAT (no VAT line). */
  vatNumber: string | null;
  /** The VAT rate included in every top-up, in basis points (2000 = 20%); null: not stated. */
  vatRateBasisPoints: number | null;
}

type BusinessEnv = Pick<ServerEnv, "BILLFOLD_BUSINESS_NAME" | "BILLFOLD_BUSINESS_ADDRESS" | "BILLFOLD_VAT_NUMBER" | "BILLFOLD_VAT_RATE_BP">;

export function businessDetails(source: BusinessEnv = env()): BusinessDetails {
  return {
    name: source.BILLFOLD_BUSINESS_NAME,
    addressLines: addressLinesOf(source.BILLFOLD_BUSINESS_ADDRESS),
    vatNumber: source.BILLFOLD_VAT_NUMBER ?? null,
    vatRateBasisPoints: source.BILLFOLD_VAT_NUMBER ? (source.BILLFOLD_VAT_RATE_BP ?? null) : null,
  };
}

/** "1 High St|London|N1 1AA", real newlines, or a literal "\n" as written in a .env file → one line each. */
export function addressLinesOf(address: string | undefined): string[] {
  if (!address) return [];
  return address
    .split(/\r?\n|\\n|\|/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export interface VatBreakdown {
  rateBasisPoints: number;
  /** The VAT contained in the gross amount, in minor units. */
  vatMinor: number;
  /** The gross amount less its VAT, in minor units (so net + VAT = gross exactly). */
  netMinor: number;
}

/**
 * The VAT inside a VAT-inclusive amount: gross × rate / (10000 + rate), in integers (BigInt, so
 * exact for any safe amount), rounded to the nearest minor unit with halves rounded up. The net
 * is the gross less that VAT, so the two always add back to what was paid.
 */
export function vatIncluded(grossMinor: number, rateBasisPoints: number): VatBreakdown {
  if (!Number.isSafeInteger(grossMinor) || grossMinor < 0) throw new RangeError(`${grossMinor} is not a whole, non-negative number of minor units`);
  if (!Number.isInteger(rateBasisPoints) || rateBasisPoints < 0 || rateBasisPoints > 10_000) throw new RangeError(`${rateBasisPoints} is not a rate in basis points`);
  const numerator = BigInt(grossMinor) * BigInt(rateBasisPoints);
  const denominator = 10_000n + BigInt(rateBasisPoints);
  // round(n / d) with halves up, for n, d ≥ 0: floor((2n + d) / 2d).
  const vatMinor = Number((2n * numerator + denominator) / (2n * denominator));
  return { rateBasisPoints, vatMinor, netMinor: grossMinor - vatMinor };
}

/** 2000 → "20%", 550 → "5.5%", 1225 → "12.25%": basis points as a percentage, without a float. */
export function formatRate(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const fraction = String(basisPoints % 100).padStart(2, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}%` : `${whole}%`;
}
