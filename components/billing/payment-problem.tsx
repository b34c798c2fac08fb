import type { SubscriptionView } from "@/lib/billing";
import { formatDate } from "@/lib/core/format";
import { PortalButton } from "./portal-button";

function explanation(subscription: SubscriptionView, now: Date): string {
  if (subscription.status !== "past_due") {
    return "Stripe has stopped retrying, so you're on the Free plan until the invoice is paid. Update your card to restore your plan.";
  }
  const graceEnd = subscription.graceEndsAt;
  if (!graceEnd) return "Update your card to keep your plan. Stripe will retry the payment.";
  if (graceEnd.getTime() <= now.getTime()) {
    return `Paid features stopped on ${formatDate(graceEnd)}. Update your card to restore your plan; Stripe will retry the payment.`;
  }
  return `Update your card to keep your plan. Stripe will retry the payment; if it still fails, paid features stop on ${formatDate(graceEnd)}.`;
}

/** The warning for a subscription whose payment failed (past_due or unpaid), with the way to fix it: the portal. */
export function PaymentProblem({ subscription, now = new Date() }: { subscription: SubscriptionView; now?: Date }) {
  if (!subscription.needsPaymentFix) return null;
  return (
    <section
      role="alert"
      data-testid="payment-problem"
      className="flex flex-wrap items-center justify-between gap-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900"
    >
      <div className="space-y-1">
        <p className="font-semibold">Your last payment for the {subscription.planName ?? "paid"} plan failed.</p>
        <p className="text-sm">{explanation(subscription, now)}</p>
      </div>
      <PortalButton variant="warning">Fix payment</PortalButton>
    </section>
  );
}
