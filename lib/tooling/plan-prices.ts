import type Stripe from "stripe";
import type { PrismaClient } from "../generated/prisma/client";
import { ensurePlanPrices, ensurePortalConfiguration, type PlanPriceOutcome } from "../stripe/plan-prices";

/**
 * Puts every active paid Plan row (the seeded data) into the Stripe account, and offers them in the
 * Customer Portal, idempotently.
 */
export async function setUpPlanPrices(prisma: Pick<PrismaClient, "plan">, stripe: Stripe): Promise<PlanPriceOutcome[]> {
  const plans = await prisma.plan.findMany({ where: { active: true, stripePriceLookupKey: { not: null } }, orderBy: { sortOrder: "asc" } });
  const outcomes = await ensurePlanPrices(
    stripe,
    plans.flatMap((plan) =>
      plan.stripePriceLookupKey
        ? [{ key: plan.key, name: plan.name, lookupKey: plan.stripePriceLookupKey, monthlyPriceMinor: plan.monthlyPriceMinor, currency: plan.currency }]
        : [],
    ),
  );
  await ensurePortalConfiguration(stripe, outcomes);
  return outcomes;
}
