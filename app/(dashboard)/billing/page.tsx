import { requireUser } from "@/lib/guards";
import { getCurrentPlan } from "@/lib/billing/queries";
import { formatMoney } from "@/lib/money";

export const metadata = { title: "Billing" };

export default async function BillingPage() {
  const user = await requireUser("/billing");
  const { plan, subscription } = await getCurrentPlan(user.id);
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
            Status: {subscription.status.replace("_", " ")} · renews {subscription.currentPeriodEnd.toLocaleDateString("en-GB")}
            {subscription.cancelAtPeriodEnd && " (cancels at period end)"}
          </p>
        )}
      </section>
    </div>
  );
}
