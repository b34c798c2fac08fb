import type { SubscriptionView } from "@/lib/billing";
import { formatDate } from "@/lib/core/format";

/** The dates that matter about a subscription: trial end, then "Cancels on …" or "Renews on …". */
export function SubscriptionDates({ subscription }: { subscription: SubscriptionView }) {
  const lines: string[] = [];
  if (subscription.status === "trialing" && subscription.trialEnd) lines.push(`Trial ends on ${formatDate(subscription.trialEnd)}`);
  if (subscription.cancelsAt) lines.push(`Cancels on ${formatDate(subscription.cancelsAt)}`);
  else if ((subscription.status === "active" || subscription.status === "trialing") && subscription.currentPeriodEnd) {
    lines.push(`Renews on ${formatDate(subscription.currentPeriodEnd)}`);
  }
  if (lines.length === 0) return null;
  return (
    <p data-testid="subscription-dates" className="text-sm text-slate-700">
      {lines.join(" · ")}
    </p>
  );
}
