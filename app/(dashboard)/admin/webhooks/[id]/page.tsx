import Link from "next/link";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { z } from "zod";
import { FormError, FormNotice } from "@/components/form";
import { ReplayButton } from "@/components/admin/replay-button";
import { WebhookStatusBadge } from "@/components/admin/webhook-status-badge";
import { getWebhookEventWithPayload } from "@/lib/admin";
import { formatDateTime } from "@/lib/core/format";
import { requireAdmin } from "@/lib/accounts";
import { isReplayable } from "@/lib/events";

export const metadata = { title: "Webhook event · Admin" };

// What a replay (which redirects here) did, as the admin reads it.
const REPLAY_OUTCOMES = {
  processed: { ok: true, message: "Replayed: the event is processed." },
  ignored: { ok: true, message: "Replayed: the event is ignored (no handler for its type)." },
  unmatched: { ok: true, message: "Replayed: the event still waits for its payment (unmatched)." },
  failed: { ok: false, message: "The replay failed again; see the last error below." },
  dead: { ok: false, message: "The replay failed again, on its last attempt: the event is dead." },
} as const;

const searchSchema = z.object({ replayed: z.enum(["processed", "ignored", "unmatched", "failed", "dead"]).optional().catch(undefined) });

export default async function WebhookEventPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const { replayed } = searchSchema.parse(await searchParams);
  await requireAdmin(`/admin/webhooks/${encodeURIComponent(id)}`);
  const event = id.length <= 64 ? await getWebhookEventWithPayload(id) : null;
  if (!event) notFound();
  const facts: Array<[string, ReactNode]> = [
    ["Stripe event id", <span key="id" className="break-all font-mono">{event.stripeEventId}</span>],
    ["Type", <span key="type" className="break-all">{event.type}</span>],
    ["Status", <WebhookStatusBadge key="status" status={event.status} />],
    ["Attempts", event.attempts],
    ["Received", formatDateTime(event.receivedAt, { seconds: true })],
    ["Processed", formatDateTime(event.processedAt, { seconds: true })],
    ["Next attempt", formatDateTime(event.nextAttemptAt, { seconds: true })],
    ["Last error", event.lastError ? <span key="error" className="whitespace-pre-wrap break-words text-red-800">{event.lastError}</span> : "—"],
  ];
  if (event.awaitingReferences.length > 0) facts.push(["Waiting for", <span key="awaiting" className="break-all font-mono">{event.awaitingReferences.join(", ")}</span>]);
  return (
    <div className="space-y-6">
      <p className="text-sm"><Link href="/admin/webhooks" className="text-slate-700 underline">← All events</Link></p>
      {replayed && (REPLAY_OUTCOMES[replayed].ok ? <FormNotice>{REPLAY_OUTCOMES[replayed].message}</FormNotice> : <FormError>{REPLAY_OUTCOMES[replayed].message}</FormError>)}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="break-all text-2xl font-semibold">{event.type}</h1>
        {isReplayable(event) && <ReplayButton eventId={event.id} stripeEventId={event.stripeEventId} />}
      </div>
      <dl className="grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
        {facts.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd data-testid={`event-${label.toLowerCase().replaceAll(" ", "-")}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="payload-heading" className="space-y-2">
        <h2 id="payload-heading" className="text-lg font-semibold">Payload</h2>
        {/* React escapes the text, so a payload holding markup shows as text. It scrolls, so it takes
            keyboard focus: arrow keys then reach a long payload's end. */}
        <pre data-testid="event-payload" tabIndex={0} role="region" aria-labelledby="payload-heading" className="max-h-[70vh] overflow-auto rounded-lg border border-slate-200 bg-slate-900 p-4 text-xs text-slate-100">
          {JSON.stringify(event.payload, null, 2)}
        </pre>
      </section>
    </div>
  );
}
