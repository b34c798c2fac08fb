import type { BillingOverview, SubscriptionView } from "@/lib/billing";
import { formatDate } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";
import { PortalButton } from "./portal-button";
import { SubscriptionDates } from "./subscription-dates";
import { SubscriptionStatusBadge } from "./subscription-status-badge";

/**
 * The "Current plan" card on /billing: the plan the person has, the state and dates of the
 * subscription giving it, and its credit: what came this period and what comes next (or that none
 * will, for a plan that ends first).
 */
export function CurrentPlan({ overview }: { overview: BillingOverview }) {
  const { plan, subscription, creditThisPeriod } = overview;
  // A subscription on a price Billfold has no plan for gives no plan: it is described apart, never as this plan's status.
  const planSubscription = subscription?.recognised ? subscription : null;
  return (
    <section aria-labelledby="plan-heading" className="flex flex-wrap items-start justify-between gap-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div className="space-y-2">
        <h2 id="plan-heading" className="text-sm font-medium uppercase tracking-wide text-slate-500">Current plan</h2>
        <p className="flex flex-wrap items-center gap-3">
          <span data-testid="current-plan" className="text-3xl font-bold">{plan.name}</span>
          {planSubscription && <SubscriptionStatusBadge status={planSubscription.status} />}
        </p>
        <p className="text-slate-600">
          {plan.purchasable ? `${formatMoney(plan.monthlyPriceMinor, plan.currency)} a month` : "No monthly fee"}
          {plan.monthlyCreditMinor > 0 && <>, including {formatMoney(plan.monthlyCreditMinor, plan.currency)} of credit</>}
        </p>
        {planSubscription && <SubscriptionDates subscription={planSubscription} />}
        {subscription?.unrecognised && <UnrecognisedSubscription subscription={subscription} description={subscription.unrecognised.description} />}
      </div>
      <div className="space-y-3 sm:text-right">
        {plan.monthlyCreditMinor > 0 && (
          <div>
            <p className="text-sm text-slate-500">Credit added this period</p>
            <p data-testid="plan-credit-this-period" className="text-2xl font-semibold tabular-nums">
              {formatMoney(creditThisPeriod.grantedMinor, creditThisPeriod.currency)}
            </p>
            <NextPlanCredit planName={plan.name} credit={creditThisPeriod} />
          </div>
        )}
        {overview.hasBillingAccount && <PortalButton>Manage billing</PortalButton>}
      </div>
    </section>
  );
}

function NextPlanCredit({ planName, credit }: { planName: string; credit: BillingOverview["creditThisPeriod"] }) {
  const line = credit.endsOn
    ? `No more plan credit: your ${planName} plan ends on ${formatDate(credit.endsOn)}.`
    : credit.next && `${formatMoney(credit.next.amountMinor, credit.currency)} more when your plan renews on ${formatDate(credit.next.on)}.`;
  if (!line) return null;
  return (
    <p data-testid="plan-credit-next" className="text-sm text-slate-600">
      {line}
    </p>
  );
}

/** A live subscription at Stripe on a price Billfold has no plan for: what it is, its state, and what to do about it. */
function UnrecognisedSubscription({ subscription, description }: { subscription: SubscriptionView; description: string }) {
  return (
    <div data-testid="unrecognised-subscription" className="space-y-1 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-slate-800">
      <p className="flex flex-wrap items-center gap-2">
        <span>You have {description}.</span>
        <SubscriptionStatusBadge status={subscription.status} />
      </p>
      <SubscriptionDates subscription={subscription} />
      <p>
        It gives you no Billfold plan. Use Manage billing to change it to a Billfold plan or to cancel it; if you did not expect it, contact support before
        changing anything.
      </p>
    </div>
  );
}
