import type { Plan, Subscription } from "../generated/prisma/client";
import { db, type Tx } from "../core/db";
import { env } from "../core/env";
import { PlanRequiredError } from "../core/errors";
import { FREE_PLAN_KEY, planHighlights, plansFor } from "./catalog";
import { effectivePlan, graceEndsAt, scheduledEnd } from "./entitlement";
import { FEATURES, type FeatureKey } from "./features";
import { formatMoney } from "../core/money";
import type { PlanCapTerms } from "../ledger";
import { mirroredItems, type SubscriptionItemMirror } from "./subscription-items";

export function listActivePlans() {
  return db().plan.findMany({ where: { active: true }, orderBy: { sortOrder: "asc" } });
}

/** The database, or a transaction in progress (to see the plan before and after its own writes). */
type PlanReader = Pick<Tx, "subscription" | "plan">;

/** Subscriptions that can still give or regain a plan (everything but the ended ones), newest first. */
function openSubscriptions(userIds: string[], client: PlanReader = db()) {
  return client.subscription.findMany({
    where: { userId: { in: userIds }, status: { notIn: ["canceled", "incomplete_expired"] } },
    orderBy: { stripeCreatedAt: "desc" },
    include: { plan: true },
  });
}

/** The Free plan's row, or the catalog's definition when the plans have not been written yet (`npm run stripe:setup`). */
async function freePlan(client: PlanReader = db()): Promise<Plan> {
  const row = await client.plan.findUnique({ where: { key: FREE_PLAN_KEY } });
  if (row) return row;
  return { ...catalogFreePlan(), active: true };
}

/** The catalog's definition of the Free plan. */
function catalogFreePlan() {
  const definition = plansFor().find((plan) => plan.key === FREE_PLAN_KEY);
  if (!definition) throw new Error("the catalog has no Free plan");
  return definition;
}

/**
 * What lib/ledger's one-statement debit needs to read the plan's monthly cap itself, under the wallet
 * lock (the rules of ./entitlement.ts effectivePlan, ported to SQL there): the Free plan's key, the
 * catalog's Free cap for when the Plan table has no Free row, and the past_due grace.
 */
export function planCapTerms(): PlanCapTerms {
  return { freePlanKey: FREE_PLAN_KEY, catalogFreeLimitMinor: catalogFreePlan().monthlySpendLimitMinor, pastDueGraceDays: env().PAST_DUE_GRACE_DAYS };
}

export type EffectivePlan = { plan: Plan; subscription: (Subscription & { plan: Plan | null }) | null };

/** The plan whose features the user has now, and the subscription that gives it (null on Free). */
export async function getEffectivePlan(userId: string, now = new Date()): Promise<EffectivePlan> {
  const [subscriptions, free] = await Promise.all([openSubscriptions([userId]), freePlan()]);
  return effectivePlan(subscriptions, free, now, env().PAST_DUE_GRACE_DAYS);
}

/** getEffectivePlan as a transaction sees it, in that transaction (its queries run one after the other). */
export async function getEffectivePlanIn(tx: PlanReader, userId: string, now = new Date()): Promise<EffectivePlan> {
  const subscriptions = await openSubscriptions([userId], tx);
  return effectivePlan(subscriptions, await freePlan(tx), now, env().PAST_DUE_GRACE_DAYS);
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
  /** False when no price on it maps to a Billfold plan: it gives no plan, whatever its status. */
  recognised: boolean;
  /** What an unrecognised subscription charges, to show it as what it is; null when recognised. */
  unrecognised: UnrecognisedSubscriptionView | null;
}

export interface UnrecognisedSubscriptionView {
  /** "a subscription Billfold doesn't recognise: £12.00 a month" */
  description: string;
  /** Per interval, all its priced items together; null when Stripe gave no price. */
  amountMinor: number | null;
  currency: string | null;
  interval: string | null;
  intervalCount: number | null;
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
  /**
   * PLAN_GRANT credit received in the current billing period (on Free: 0), and what comes next: plan
   * credit comes with each paid renewal, so `next` is the plan's credit at the period end, or null
   * when none is due then; `endsOn` is set when the plan ends at or before that renewal (none comes).
   */
  creditThisPeriod: { grantedMinor: number; currency: string; next: { amountMinor: number; on: Date } | null; endsOn: Date | null };
  hasBillingAccount: boolean;
  /** Changes whenever anything on the page would: the page polls it after Checkout or the portal. */
  version: string;
}

const CADENCE: Record<string, [one: string, many: string]> = {
  day: ["a day", "days"],
  week: ["a week", "weeks"],
  month: ["a month", "months"],
  year: ["a year", "years"],
};

/** An unrecognised subscription described from its mirrored items: what it charges, and how often. */
export function describeUnrecognised(items: SubscriptionItemMirror[]): UnrecognisedSubscriptionView {
  const label = "a subscription Billfold doesn't recognise";
  const first = items.find((item) => item.unitAmountMinor !== null && item.currency && item.interval);
  if (!first?.currency || !first.interval) return { description: label, amountMinor: null, currency: null, interval: null, intervalCount: null };
  const intervalCount = first.intervalCount ?? 1;
  // Items billed alike add up to one charge; any other (another currency or cadence) is left out of the sum.
  const alike = items.filter((item) => item.currency === first.currency && item.interval === first.interval && (item.intervalCount ?? 1) === intervalCount);
  const amountMinor = alike.reduce((sum, item) => sum + (item.unitAmountMinor ?? 0) * item.quantity, 0);
  const [one, many] = CADENCE[first.interval] ?? [`a ${first.interval}`, `${first.interval}s`];
  const cadence = intervalCount === 1 ? one : `every ${intervalCount} ${many}`;
  return { description: `${label}: ${formatMoney(amountMinor, first.currency)} ${cadence}`, amountMinor, currency: first.currency, interval: first.interval, intervalCount };
}

/** The plan credit still to come this period: at the renewal, unless the plan ends first. */
function nextPlanCredit(plan: Plan, giving: Subscription | null): Pick<BillingOverview["creditThisPeriod"], "next" | "endsOn"> {
  if (!giving || plan.monthlyCreditMinor <= 0) return { next: null, endsOn: null };
  const end = scheduledEnd(giving);
  const renewal = giving.currentPeriodEnd;
  if (end && (!renewal || end.getTime() <= renewal.getTime())) return { next: null, endsOn: end };
  if (renewal && (giving.status === "active" || giving.status === "trialing")) return { next: { amountMinor: plan.monthlyCreditMinor, on: renewal }, endsOn: null };
  return { next: null, endsOn: null };
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
      recognised: shown.plan !== null,
      unrecognised: shown.plan === null ? describeUnrecognised(mirroredItems(shown.items)) : null,
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
    creditThisPeriod: { grantedMinor, currency: plan.currency, ...nextPlanCredit(plan, giving) },
    hasBillingAccount: user.stripeCustomerId !== null,
    version: `${plan.key}:${subscriptions.length}:${invoices.length}:${Math.max(0, ...latest)}`,
  };
}
