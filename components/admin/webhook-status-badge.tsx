import { StatusBadge, type StatusTone } from "@/components/status-badge";
import type { WebhookEventStatus } from "@/lib/generated/prisma/enums";

// What each stored event's status means to an operator (see prisma/schema.prisma for the states).
const TONES: Record<WebhookEventStatus, StatusTone> = {
  received: "info",
  processing: "info",
  processed: "success",
  ignored: "neutral",
  unmatched: "warning",
  failed: "danger",
  dead: "critical",
};

export function WebhookStatusBadge({ status }: { status: WebhookEventStatus }) {
  return <StatusBadge tone={TONES[status]}>{status}</StatusBadge>;
}
