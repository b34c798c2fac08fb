import type { Plan, Subscription } from "../generated/prisma/client";
import { db } from "../db";
import { env } from "../env";
import { PlanRequiredError } from "../errors";
import { FREE_PLAN_KEY, planHighlights, plansFor } from "./catalog";
import { effectivePlan, graceEndsAt, scheduledEnd } from "./entitlement";
import { FEATURES, type FeatureKey } from "./features";

export function listActivePlans() {
  return db().plan.findMany({ where: { active: true }, orderBy: { sortOrder: "asc" } });
}

/** Subscriptions that can still give or regain a plan (everything but the ended ones), newest first. */
function openSubscriptions(userIds: string[]) {
  return db().subscription.findMany({
    where: { userId: { in: userIds }, status: { notIn: ["canceled", "incomplete_expired"] } },
    orderBy: { stripeCreatedAt: "desc" },
    include: { plan: true },
  });
}

/** The Free plan's row, or the catalog's definition when the plans have not been written yet (`npm run stripe:setup`). */
async function freePlan(): Promise<Plan> {
  const row = await db().plan.findUnique({ where: { key: FREE_PLAN_KEY } });
  if (row) return row;
  const definition = plansFor().find((plan) => plan.key === FREE_PLAN_KEY);
  if (!definition) throw new Error("the catalog has no Free plan");
  return { ...definition, active: true };
}

/** The plan whose features the user has now, and the subscription that gives it (null on Free). */
export async function getEffectivePlan(userId: string, now = new Date()): Promise<{ plan: Plan; subscription: (Subscription & { plan: Plan | null }) | null }> {
  const [subscriptions, free] = await Promise.all([openSubscriptions([userId]), freePlan()]);
  return effectivePlan(subscriptions, free, now, env().PAST_DUE_GRACE_DAYS);
}

/** getEffectivePlan for a page of users at once (admin lists): two queries, whatever the number of users. */
export async function getEffectivePlans(userIds: string[], now = new Date()): Promise<Map<string, Awaited<ReturnType<typeof getEffectivePlan>>>> {
  const [subscriptions, free] = await Promise.all([openSubscriptions(userIds), freePlan()]);
  const graceDays = env().PAST_DUE_GRACE_DAYS;
  return new Map(userIds.map((userId) => [userId, effectivePlan(subscriptions.filter((s) => s.userId === userId), free, now, graceDays)]));
}

/** The one server-side check for a paid feature. */
export async function hasFeature(userId: string, feature: FeatureKey, now = new Date()): Promise<boolean> {
  const { plan } = await getEffectivePlan(userId, now);
  return plan.features.includes(feature);
}

/** Throws PlanRequiredError (403 plan_required) naming the plans that include the feature. */
export async function requireFeature(userId: string, feature: FeatureKey, now = new Date()): Promise<void> {
  if (await hasFeature(userId, feature, now)) return;
  const plans = (await listActivePlans()).filter((plan) => plan.features.includes(feature)).map((plan) => plan.name);
  throw new PlanRequiredError(`${FEATURES[feature]} is included in the ${plans.join(" and ") || "paid"} plan${plans.length > 1 ? "s" : ""}. Upgrade on the billing page.`, {
    feature,
    plans,
  });
}

export interface PlanView {
  key: string;
  name: string;
  monthlyPriceMinor: number;
  currency: string;
  monthlyCreditMinor: number;
  monthlySpendLimitMinor: number | null;
  features: string[];
  highlights: string[];
  /** Has a Stripe price, so it can be bought. */
  purchasable: boolean;
}

export interface SubscriptionView {
  id: string;
  status: Subscription["status"];
  planKey: string | null;
  planName: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** When it cancels (cancel_at, or the period end when set to cancel at period end). */
  cancelsAt: Date | null;
  canceledAt: Date | null;
  trialEnd: Date | null;
  /** past_due or unpaid: the card needs fixing in the portal. */
  needsPaymentFix: boolean;
  /** For past_due: when paid features stop if the card is not fixed. */
  graceEndsAt: Date | null;
}

export interface InvoiceView {
  id: string;
  number: string | null;
  status: string;
  totalMinor: number;
  amountPaidMinor: number;
  currency: string;
  hostedInvoiceUrl: string | null;
  invoicePdfUrl: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  createdAt: Date;
}

export interface BillingOverview {
  /** The plan whose features the user has now. */
  plan: PlanView;
  /** The subscription the page should talk about: the one giving the plan, else the newest not ended. */
  subscription: SubscriptionView | null;
  plans: PlanView[];
  invoices: InvoiceView[];
  /** PLAN_GRANT credit received in the current billing period (or ever, on Free: 0). */
  creditThisPeriod: { grantedMinor: number; currency: string };
  hasBillingAccount: boolean;
  /** Changes whenever anything on the page would: the page polls it after Checkout or the portal. */
  version: string;
}

function planView(plan: Plan): PlanView {
  return {
    key: plan.key,
    name: plan.name,
    monthlyPriceMinor: plan.monthlyPriceMinor,
    currency: plan.currency,
    monthlyCreditMinor: plan.monthlyCreditMinor,
    monthlySpendLimitMinor: plan.monthlySpendLimitMinor,
    features: plan.features,
    highlights: planHighlights(plan),
    purchasable: plan.stripePriceLookupKey !== null,
  };
}

export async function getBillingOverview(userId: string, now = new Date()): Promise<BillingOverview> {
  const graceDays = env().PAST_DUE_GRACE_DAYS;
  const [user, plans, subscriptions, invoices] = await Promise.all([
    db().user.findUniqueOrThrow({ where: { id: userId } }),
    listActivePlans(),
    openSubscriptions([userId]),
    db().invoice.findMany({ where: { userId }, orderBy: { stripeCreatedAt: "desc" }, take: 24 }),
  ]);
  const free = plans.find((plan) => plan.key === FREE_PLAN_KEY) ?? (await freePlan());
  const { plan, subscription: giving } = effectivePlan(subscriptions, free, now, graceDays);
  const shown = giving ?? subscriptions[0] ?? null;
  let grantedMinor = 0;
  if (shown?.currentPeriodStart) {
    // By the invoices of this period, not by wall-clock time: Stripe's period (and a test clock) decides.
    const periodInvoices = await db().invoice.findMany({
      where: { subscriptionId: shown.id, periodStart: { gte: shown.currentPeriodStart } },
      select: { id: true },
    });
    const granted = await db().ledgerEntry.aggregate({
      _sum: { amountMinor: true },
      where: { type: "PLAN_GRANT", wallet: { userId }, stripeObjectId: { in: periodInvoices.map((invoice) => invoice.id) } },
    });
    grantedMinor = granted._sum.amountMinor ?? 0;
  }
  const latest = [...subscriptions.map((s) => s.updatedAt.getTime()), ...invoices.map((i) => i.updatedAt.getTime())];
  return {
    plan: planView(plan),
    subscription: shown && {
      id: shown.id,
      status: shown.status,
      planKey: shown.planKey,
      planName: shown.plan?.name ?? null,
      currentPeriodStart: shown.currentPeriodStart,
      currentPeriodEnd: shown.currentPeriodEnd,
      cancelAtPeriodEnd: shown.cancelAtPeriodEnd,
      cancelsAt: scheduledEnd(shown),
      canceledAt: shown.canceledAt,
      trialEnd: shown.trialEnd,
      needsPaymentFix: shown.status === "past_due" || shown.status === "unpaid",
      graceEndsAt: shown.status === "past_due" ? graceEndsAt(shown, graceDays) : null,
    },
    plans: plans.map(planView),
    invoices: invoices.map((invoice) => ({
      id: invoice.id,
      number: invoice.number,
      status: invoice.status,
      totalMinor: invoice.totalMinor,
      amountPaidMinor: invoice.amountPaidMinor,
      currency: invoice.currency,
      hostedInvoiceUrl: invoice.hostedInvoiceUrl,
      invoicePdfUrl: invoice.invoicePdfUrl,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      createdAt: invoice.stripeCreatedAt,
    })),
    creditThisPeriod: { grantedMinor, currency: plan.currency },
    hasBillingAccount: user.stripeCustomerId !== null,
    version: `${plan.key}:${subscriptions.length}:${invoices.length}:${Math.max(0, ...latest)}`,
  };
}
