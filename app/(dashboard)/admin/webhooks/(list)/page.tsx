import Link from "next/link";
import { z } from "zod";
import { BulkReplayButton } from "@/components/admin/bulk-replay-button";
import { ReplayButton } from "@/components/admin/replay-button";
import { WebhookStatusBadge } from "@/components/admin/webhook-status-badge";
import { DataTable, EmptyState } from "@/components/data-table";
import { FormError } from "@/components/form";
import { getWebhookEventStats, listWebhookEvents, parseWebhookEventSearch, type WebhookEventFilter } from "@/lib/admin";
import { formatDateTime } from "@/lib/core/format";
import { WebhookEventStatus } from "@/lib/generated/prisma/enums";
import { requireAdmin } from "@/lib/accounts";
import { countBulkReplayable } from "@/lib/admin";
import { isReplayable } from "@/lib/events";

export const metadata = { title: "Webhooks · Admin" };

const COLUMNS = [{ label: "Received" }, { label: "Event" }, { label: "Status" }, { label: "Attempts", numeric: true }, { label: "Last error" }, { label: "Processed" }, { label: "Replay" }];

const percent = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toFixed(1)}%`);

/** The page's URL for a filter (and a page cursor): what the filter form, the stats links and paging share. */
function webhooksUrl(filter: Partial<WebhookEventFilter>, after?: string): string {
  const params = new URLSearchParams();
  if (filter.type) params.set("type", filter.type);
  if (filter.status?.length) params.set("status", filter.status.join(","));
  if (filter.hideIgnored) params.set("hideIgnored", "1");
  if (after) params.set("after", after);
  const search = params.toString();
  return search ? `/admin/webhooks?${search}` : "/admin/webhooks";
}

export default async function AdminWebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("/admin/webhooks");
  const params = await searchParams;
  const { filter, errors, typedType } = parseWebhookEventSearch(params);
  const after = z.string().max(512).optional().catch(undefined).parse(params.after);
  const [{ events, nextCursor }, stats, replayableCount] = await Promise.all([
    listWebhookEvents(filter, { after }),
    getWebhookEventStats(),
    countBulkReplayable({ type: filter.type }),
  ]);
  const { last24h } = stats;
  const filtered = Boolean(filter.type || filter.status?.length || filter.hideIgnored);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Webhooks</h1>
        <p className="text-sm text-slate-600">Every event Stripe delivered, newest first. Payloads open from the event id.</p>
      </div>

      <section aria-labelledby="stats-heading" className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm md:grid-cols-[auto_1fr_1fr]">
        <h2 id="stats-heading" className="sr-only">Last 24 hours</h2>
        <div>
          <p className="text-xs uppercase text-slate-500">24 h success rate</p>
          <p data-testid="webhook-success-rate" className="text-3xl font-semibold tabular-nums">{percent(last24h.successRate)}</p>
          <p className="text-xs text-slate-500">processed or ignored, of every finished event</p>
        </div>
        <div>
          <p className="mb-1 text-xs uppercase text-slate-500">By status, 24 h</p>
          <ul className="flex flex-wrap gap-x-4 gap-y-1" data-testid="webhook-stats-by-status">
            {Object.values(WebhookEventStatus).map((status) => (
              <li key={status}>
                <Link href={webhooksUrl({ status: [status] })} className="hover:underline">
                  {status} <strong className="tabular-nums">{last24h.byStatus[status]}</strong>
                </Link>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <p className="mb-1 text-xs uppercase text-slate-500">By type, 24 h</p>
          {last24h.byType.length === 0 ? (
            <p className="text-slate-500">No events in the last 24 hours.</p>
          ) : (
            <ul className="max-h-32 space-y-0.5 overflow-y-auto" data-testid="webhook-stats-by-type">
              {last24h.byType.map(({ type, count }) => (
                <li key={type} className="flex justify-between gap-2">
                  <Link href={webhooksUrl({ ...filter, type })} className="break-all hover:underline">{type}</Link>
                  <span className="tabular-nums">{count}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>

      {/* Keyed by the filter: defaultValue/defaultChecked apply only on mount, and a link to another filter keeps this form mounted. */}
      <form key={webhooksUrl(filter) + typedType} method="get" action="/admin/webhooks" className="flex flex-wrap items-end gap-4 text-sm" aria-label="Filter events">
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Type (exact, or a prefix ending in “.”)</span>
          <input
            name="type"
            list="webhook-event-types"
            defaultValue={typedType}
            placeholder="invoice."
            className="w-72 rounded border border-slate-300 px-2 py-1.5 font-mono"
          />
          <datalist id="webhook-event-types">
            {last24h.byType.map(({ type }) => <option key={type} value={type} />)}
          </datalist>
        </label>
        <fieldset className="flex flex-col gap-1">
          <legend className="text-slate-600">Status</legend>
          <div className="flex flex-wrap gap-x-3 gap-y-1 pt-1">
            {Object.values(WebhookEventStatus).map((status) => (
              <label key={status} className="flex items-center gap-1">
                <input type="checkbox" name="status" value={status} defaultChecked={filter.status?.includes(status) ?? false} />
                {status}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="flex items-center gap-1 pb-1.5">
          <input type="checkbox" name="hideIgnored" value="1" defaultChecked={filter.hideIgnored} />
          Hide ignored
        </label>
        <button type="submit" className="rounded bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Filter</button>
        {filtered && <Link href="/admin/webhooks" className="pb-1.5 text-slate-700 underline">Clear</Link>}
        {!filter.hideIgnored && (
          <Link href={webhooksUrl({ ...filter, hideIgnored: true })} className="pb-1.5 text-slate-700 underline">
            Hide ignored events
          </Link>
        )}
      </form>
      {errors.length > 0 && <FormError>{errors.join(" ")} That part of the filter is not applied.</FormError>}

      <BulkReplayButton type={filter.type} failedCount={replayableCount} />

      {events.length === 0 ? (
        <EmptyState title={filtered ? "No events match this filter" : "No webhook events yet"}>
          {filtered ? "Clear the filter to see every event." : "Events appear here as Stripe delivers them."}
        </EmptyState>
      ) : (
        <DataTable label="Webhook events" columns={COLUMNS}>
          {events.map((event) => (
            <tr key={event.id} data-testid="webhook-event-row" data-status={event.status} className="align-top">
              <td className="px-3 py-2 text-slate-600">{formatDateTime(event.receivedAt, { seconds: true })}</td>
              <td className="px-3 py-2">
                <div className="break-all font-medium">{event.type}</div>
                <Link href={`/admin/webhooks/${event.id}`} className="break-all font-mono text-xs text-indigo-700 underline" title="View payload">
                  {event.stripeEventId}
                </Link>
              </td>
              <td className="px-3 py-2"><WebhookStatusBadge status={event.status} /></td>
              <td className="px-3 py-2 text-right tabular-nums">{event.attempts}</td>
              <td className="min-w-48 max-w-sm px-3 py-2">
                {event.lastError ? <span className="whitespace-pre-wrap break-words text-xs text-red-800">{event.lastError}</span> : <span className="text-slate-400">—</span>}
                {event.nextAttemptAt && (event.status === "failed" || event.status === "unmatched") && (
                  <div className="text-xs text-slate-500">next retry {formatDateTime(event.nextAttemptAt, { seconds: true })}</div>
                )}
              </td>
              <td className="px-3 py-2 text-slate-600">{formatDateTime(event.processedAt, { seconds: true })}</td>
              <td className="px-3 py-2">
                {isReplayable(event) ? <ReplayButton eventId={event.id} stripeEventId={event.stripeEventId} /> : <span className="text-slate-400">—</span>}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <nav aria-label="Event pages" className="flex gap-4 text-sm">
        {after && <Link href={webhooksUrl(filter)} className="text-slate-700 underline">Newest events</Link>}
        {nextCursor && <Link href={webhooksUrl(filter, nextCursor)} className="text-slate-700 underline">Older events</Link>}
      </nav>
    </div>
  );
}
