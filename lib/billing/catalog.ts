import { env } from "../core/env";
import { formatMoney, minorUnitDigits } from "../core/money";
import { FEATURES, isFeatureKey, type FeatureKey } from "./features";
import { RECHARGE_PACK_KEY } from "../ledger/labels";

// Plans and credit packs are data. The seed writes the plans into the Plan table; Stripe prices are
// found by lookup key, so the same catalog works against the emulator and a real Stripe account.
// Prices are written in whole major units and converted to the configured currency's minor units
// (× 100 for GBP, × 1 for JPY), so BILLFOLD_CURRENCY changes the catalog without a float in sight.

export interface PlanDefinition {
  key: string;
  name: string;
  stripePriceLookupKey: string | null;
  monthlyPriceMinor: number;
  currency: string;
  monthlyCreditMinor: number;
  /** Most the wallet may spend per calendar month on this plan; null: no limit. */
  monthlySpendLimitMinor: number | null;
  /** How much unused plan credit carries into the next period; null: it expires at the period's end. */
  creditRolloverCapMinor: number | null;
  sortOrder: number;
  /** What the plan unlocks (checked by hasFeature). */
  features: FeatureKey[];
}

export interface CreditPack {
  key: string;
  name: string;
  amountMinor: number;
  currency: string;
}

const PLAN_TABLE: ReadonlyArray<{
  key: string;
  name: string;
  stripePriceLookupKey: string | null;
  monthlyPriceMajor: number;
  monthlyCreditMajor: number;
  monthlySpendLimitMajor: number | null;
  creditRolloverCapMajor: number | null;
  features: FeatureKey[];
}> = [
  { key: "free", name: "Free", stripePriceLookupKey: null, monthlyPriceMajor: 0, monthlyCreditMajor: 0, monthlySpendLimitMajor: 100, creditRolloverCapMajor: null, features: [] },
  { key: "pro", name: "Pro", stripePriceLookupKey: "billfold_pro_monthly", monthlyPriceMajor: 15, monthlyCreditMajor: 10, monthlySpendLimitMajor: 1_000, creditRolloverCapMajor: null, features: ["statement_export", "email_support"] },
  { key: "team", name: "Team", stripePriceLookupKey: "billfold_team_monthly", monthlyPriceMajor: 49, monthlyCreditMajor: 40, monthlySpendLimitMajor: null, creditRolloverCapMajor: 20, features: ["statement_export", "email_support", "priority_support"] },
];

const BASE_HIGHLIGHTS = ["Prepaid wallet", "Pay-as-you-go top-ups", "Every ledger entry, kept"];

const PACK_TABLE = [
  { key: "starter", name: "Starter", amountMajor: 5 }, // £5.00 in GBP
  { key: "standard", name: "Standard", amountMajor: 20 }, // £20.00
  { key: "pro", name: "Large", amountMajor: 50 }, // £50.00; named apart from the Pro plan, its key stays as purchases and Stripe metadata hold it
] as const;

export const FREE_PLAN_KEY = "free";

/** Whole major units → integer minor units of `currency`. */
function toMinor(major: number, currency: string): number {
  return major * 10 ** minorUnitDigits(currency);
}

/** The plans, priced in `currency` (the configured wallet currency by default). */
export function plansFor(currency = env().BILLFOLD_CURRENCY): PlanDefinition[] {
  return PLAN_TABLE.map((plan, sortOrder) => ({
    key: plan.key,
    name: plan.name,
    stripePriceLookupKey: plan.stripePriceLookupKey,
    monthlyPriceMinor: toMinor(plan.monthlyPriceMajor, currency),
    currency,
    monthlyCreditMinor: toMinor(plan.monthlyCreditMajor, currency),
    monthlySpendLimitMinor: plan.monthlySpendLimitMajor === null ? null : toMinor(plan.monthlySpendLimitMajor, currency),
    creditRolloverCapMinor: plan.creditRolloverCapMajor === null ? null : toMinor(plan.creditRolloverCapMajor, currency),
    sortOrder,
    features: plan.features,
  }));
}

/** What a plan gives, in words, for the pricing table and the billing page. */
export function planHighlights(
  plan: Pick<PlanDefinition, "monthlyCreditMinor" | "monthlySpendLimitMinor" | "currency"> & { features: readonly string[] },
): string[] {
  const credit = plan.monthlyCreditMinor > 0 ? [`${formatMoney(plan.monthlyCreditMinor, plan.currency)} of credit every month`] : [];
  const limit =
    plan.monthlySpendLimitMinor === null ? "No monthly spend limit" : `Spend up to ${formatMoney(plan.monthlySpendLimitMinor, plan.currency)} a month`;
  const features = plan.features.filter(isFeatureKey).map((key) => FEATURES[key]);
  return [...credit, ...BASE_HIGHLIGHTS, limit, ...features];
}

/** The credit packs on sale, priced in `currency` (the configured wallet currency by default). */
export function creditPacksFor(currency = env().BILLFOLD_CURRENCY): CreditPack[] {
  return PACK_TABLE.map((pack) => ({ key: pack.key, name: pack.name, amountMinor: toMinor(pack.amountMajor, currency), currency }));
}

export function findCreditPack(key: string, currency = env().BILLFOLD_CURRENCY): CreditPack | undefined {
  return creditPacksFor(currency).find((pack) => pack.key === key);
}

// The pack key of an auto-recharge's Purchase is the ledger's (lib/ledger/labels.ts, plain like this catalog): the ledger queues
// the recharge when a debit crosses the threshold, and imports nothing above it.
export { RECHARGE_PACK_KEY };

/** True for an auto-recharge's purchase (charged off-session, no Checkout). */
export function isAutoRechargePack(packKey: string | null): boolean {
  return packKey === RECHARGE_PACK_KEY;
}
