import type Stripe from "stripe";
import type { PrismaClient } from "../generated/prisma/client";
import { ensurePlanPrices, type PlanPriceOutcome } from "../stripe/plan-prices";

/** Puts every active paid Plan row (the seeded data) into the Stripe account, idempotently. */
export async function setUpPlanPrices(prisma: Pick<PrismaClient, "plan">, stripe: Stripe): Promise<PlanPriceOutcome[]> {
  const plans = await prisma.plan.findMany({ where: { active: true, stripePriceLookupKey: { not: null } }, orderBy: { sortOrder: "asc" } });
  return ensurePlanPrices(
    stripe,
    plans.flatMap((plan) =>
      plan.stripePriceLookupKey
        ? [{ key: plan.key, name: plan.name, lookupKey: plan.stripePriceLookupKey, monthlyPriceMinor: plan.monthlyPriceMinor, currency: plan.currency }]
        : [],
    ),
  );
}
