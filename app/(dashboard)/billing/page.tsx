import { requireUser } from "@/lib/guards";
import { getEffectivePlan } from "@/lib/billing/queries";
import { StatusBadge, type StatusTone } from "@/components/status-badge";
import type { SubscriptionStatus } from "@/lib/generated/prisma/client";
import { formatDate } from "@/lib/format";
import { formatMoney } from "@/lib/money";

export const metadata = { title: "Billing" };

const SUBSCRIPTION_TONES: Record<SubscriptionStatus, StatusTone> = {
  active: "success",
  trialing: "info",
  past_due: "warning",
  unpaid: "danger",
  incomplete: "warning",
  incomplete_expired: "neutral",
  canceled: "neutral",
  paused: "neutral",
};

export default async function BillingPage() {
  const user = await requireUser("/billing");
  const { plan, subscription } = await getEffectivePlan(user.id);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Billing</h1>
      <section aria-labelledby="plan-heading" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="plan-heading" className="text-sm font-medium uppercase tracking-wide text-slate-500">Current plan</h2>
        <p data-testid="current-plan" className="mt-2 text-3xl font-bold">{plan?.name ?? "Free"}</p>
        {plan && (
          <p className="mt-1 text-slate-600">
            {formatMoney(plan.monthlyPriceMinor, plan.currency)} a month
            {plan.monthlyCreditMinor > 0 && <>, including {formatMoney(plan.monthlyCreditMinor, plan.currency)} of credit</>}
          </p>
        )}
        {subscription && (
          <p className="mt-2 text-sm text-slate-600">
            Status: <StatusBadge tone={SUBSCRIPTION_TONES[subscription.status]}>{subscription.status.replaceAll("_", " ")}</StatusBadge> · renews {subscription.currentPeriodEnd ? formatDate(subscription.currentPeriodEnd) : "—"}
            {subscription.cancelAtPeriodEnd && " (cancels at period end)"}
          </p>
        )}
      </section>
    </div>
  );
}
