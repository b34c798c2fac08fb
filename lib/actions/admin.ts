"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { webhookEventFilterSchema } from "@/lib/admin";
import { countOf } from "@/lib/core/format";
import { adminAction } from "@/lib/accounts";
import { replayFailedWebhookEvents, replayWebhookEvent } from "@/lib/admin";

// Re-run one failed, unmatched or dead webhook event now instead of waiting for the sweeper; audited.
// Then to the event's own page, which says how the replay went: in a filtered list (status=failed)
// the replayed row, and a message shown in it, would vanish with the refresh.
export const replayWebhookEventAction = adminAction(
  z.object({ eventId: z.string().min(1).max(64) }),
  async ({ eventId }, admin) => {
    const { outcome } = await replayWebhookEvent(eventId, admin);
    revalidatePath("/admin/webhooks", "layout");
    redirect(`/admin/webhooks/${encodeURIComponent(eventId)}?replayed=${outcome}`);
  },
  { returnTo: "/admin/webhooks" },
);

// Re-run every failed and dead event of the page's type filter (a batch per click); one audit entry per event.
export const replayFailedWebhookEventsAction = adminAction(
  webhookEventFilterSchema.pick({ type: true }),
  async ({ type }, admin) => {
    const { results, skipped, remaining } = await replayFailedWebhookEvents({ type }, admin);
    revalidatePath("/admin/webhooks", "layout");
    if (results.length === 0 && skipped === 0) return { message: "No failed or dead events match this filter." };
    const processed = results.filter((result) => result.outcome === "processed" || result.outcome === "ignored").length;
    const failedAgain = results.filter((result) => result.outcome === "failed" || result.outcome === "dead").length;
    const parts = [`Replayed ${countOf(results.length, "event")}: ${processed} processed`];
    if (failedAgain > 0) parts.push(`${failedAgain} failed again`);
    if (results.length - processed - failedAgain > 0) parts.push(`${results.length - processed - failedAgain} still unmatched`);
    if (skipped > 0) parts.push(`${skipped} skipped (another worker had taken them)`);
    const summary = `${parts.join(", ")}.`;
    const rest = remaining > 0 ? ` ${countOf(remaining, "failed or dead event")} ${remaining === 1 ? "remains" : "remain"} in this filter${failedAgain < remaining ? "; click again for the next batch" : ""}.` : "";
    return failedAgain > 0 ? { error: summary + rest } : { message: summary + rest };
  },
  { returnTo: "/admin/webhooks" },
);
