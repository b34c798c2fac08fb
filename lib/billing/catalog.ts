// Plans and credit packs are data. The seed writes PLANS into the Plan table; Stripe prices are
// found by lookup key, so the same catalog works against the emulator and a real Stripe account.

export interface PlanDefinition {
  key: string;
  name: string;
  stripePriceLookupKey: string | null;
  monthlyPriceMinor: number;
  currency: string;
  monthlyCreditMinor: number;
  sortOrder: number;
  features: string[];
}

export const PLANS: readonly PlanDefinition[] = [
  {
    key: "free",
    name: "Free",
    stripePriceLookupKey: null,
    monthlyPriceMinor: 0,
    currency: "GBP",
    monthlyCreditMinor: 0,
    sortOrder: 0,
    features: ["Prepaid wallet", "Pay-as-you-go top-ups", "Full ledger history"],
  },
  {
    key: "pro",
    name: "Pro",
    stripePriceLookupKey: "billfold_pro_monthly",
    monthlyPriceMinor: 1500, // £15.00
    currency: "GBP",
    monthlyCreditMinor: 1000, // £10.00
    sortOrder: 1,
    features: ["£10.00 of credit every month", "Everything in Free", "Email support"],
  },
  {
    key: "team",
    name: "Team",
    stripePriceLookupKey: "billfold_team_monthly",
    monthlyPriceMinor: 4900, // £49.00
    currency: "GBP",
    monthlyCreditMinor: 4000, // £40.00
    sortOrder: 2,
    features: ["£40.00 of credit every month", "Everything in Pro", "Priority support"],
  },
];

export const FREE_PLAN_KEY = "free";

export interface CreditPack {
  key: string;
  name: string;
  amountMinor: number;
  currency: string;
}

export const CREDIT_PACKS: readonly CreditPack[] = [
  { key: "starter", name: "Starter", amountMinor: 500, currency: "GBP" }, // £5.00
  { key: "standard", name: "Standard", amountMinor: 2000, currency: "GBP" }, // £20.00
  { key: "pro", name: "Pro", amountMinor: 5000, currency: "GBP" }, // £50.00
];

export function findCreditPack(key: string): CreditPack | undefined {
  return CREDIT_PACKS.find((pack) => pack.key === key);
}
