import { StatusBadge, type StatusTone } from "@/components/status-badge";
import type { SubscriptionStatus } from "@/lib/generated/prisma/browser";

// How a Stripe subscription status looks wherever it is shown (the billing page, admin).
const TONES: Record<SubscriptionStatus, StatusTone> = {
  active: "success",
  trialing: "info",
  past_due: "warning",
  unpaid: "danger",
  incomplete: "warning",
  incomplete_expired: "neutral",
  canceled: "neutral",
  paused: "neutral",
};

const LABELS: Record<SubscriptionStatus, string> = {
  active: "Active",
  trialing: "Trial",
  past_due: "Past due",
  unpaid: "Unpaid",
  incomplete: "Awaiting payment",
  incomplete_expired: "Expired",
  canceled: "Canceled",
  paused: "Paused",
};

export function SubscriptionStatusBadge({ status }: { status: SubscriptionStatus }) {
  return (
    <span data-testid="subscription-status" data-status={status}>
      <StatusBadge tone={TONES[status]}>{LABELS[status]}</StatusBadge>
    </span>
  );
}
