import { ReplayButton } from "@/components/admin/replay-button";
import { DataTable, EmptyState } from "@/components/data-table";
import { ENTRY_LABELS } from "@/components/wallet/ledger-history";
import { getAdminOverview, listRecentLedgerEntries, listRecentWebhookEvents } from "@/lib/admin/queries";
import { requireAdmin } from "@/lib/guards";
import { StatusBadge, type StatusTone } from "@/components/status-badge";
import { formatDateTime } from "@/lib/format";
import type { WebhookEventStatus } from "@/lib/generated/prisma/client";
import { formatMoney } from "@/lib/money";
import { listUsers } from "@/lib/users/queries";
import { getWebhookHealth } from "@/lib/webhooks";

export const metadata = { title: "Admin" };

const when = (date: Date | null) => formatDateTime(date, { seconds: true });

const EVENT_STATUS_TONES: Record<WebhookEventStatus, StatusTone> = {
  processed: "success",
  ignored: "neutral",
  failed: "danger",
  processing: "info",
  received: "warning",
};

const EVENT_COLUMNS = [{ label: "Received" }, { label: "Type" }, { label: "Status" }, { label: "Attempts", numeric: true }, { label: "Last error / next try" }, { label: "Event" }];
const TRANSACTION_COLUMNS = [{ label: "When" }, { label: "User" }, { label: "Type" }, { label: "Amount", numeric: true }, { label: "Balance after", numeric: true }, { label: "Stripe reference" }];
const USER_COLUMNS = [{ label: "Email" }, { label: "Name" }, { label: "Role" }];

export default async function AdminPage() {
  await requireAdmin("/admin");
  const [overview, health, users, events, entries] = await Promise.all([
    getAdminOverview(),
    getWebhookHealth(),
    listUsers({ take: 50 }),
    listRecentWebhookEvents(25),
    listRecentLedgerEntries(25),
  ]);
  const stats = [
    ["Users", String(overview.users)],
    ["Ledger entries", String(overview.ledgerEntries)],
    ["Webhook events", String(overview.webhookEvents)],
    ["Failed events", String(overview.failedWebhookEvents)],
    ["24 h success rate", health.last24h.successRate === null ? "—" : `${(health.last24h.successRate * 100).toFixed(1)}%`],
  ] as const;
  return (
    <div className="space-y-10">
      <h1 className="text-2xl font-semibold">Admin</h1>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
        {stats.map(([label, value]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white p-4">
            <dt className="text-xs uppercase text-slate-500">{label}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>

      <section aria-labelledby="events-heading" className="space-y-3">
        <h2 id="events-heading" className="text-xl font-semibold">Webhook events</h2>
        {events.length === 0 ? (
          <EmptyState title="No webhook events received yet" />
        ) : (
          <DataTable label="Webhook events" columns={EVENT_COLUMNS}>
            {events.map((event) => (
              <tr key={event.id} data-testid="webhook-event-row">
                <td className="whitespace-nowrap px-3 py-2 text-slate-600">{when(event.receivedAt)}</td>
                <td className="px-3 py-2 font-mono text-xs">{event.type}</td>
                <td className="px-3 py-2">
                  <StatusBadge tone={EVENT_STATUS_TONES[event.status]}>{event.status}</StatusBadge>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{event.attempts}</td>
                <td className="max-w-xs px-3 py-2 text-xs text-red-800">
                  {event.lastError ?? ""}
                  {event.nextAttemptAt && <span className="block text-slate-500">next try {when(event.nextAttemptAt)}</span>}
                </td>
                <td className="px-3 py-2">
                  <span className="block font-mono text-xs text-slate-500">{event.stripeEventId}</span>
                  {(event.status === "failed" || event.status === "received") && <ReplayButton eventId={event.id} stripeEventId={event.stripeEventId} />}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="transactions-heading" className="space-y-3">
        <h2 id="transactions-heading" className="text-xl font-semibold">Transactions</h2>
        {entries.length === 0 ? (
          <EmptyState title="No money has moved yet" />
        ) : (
          <DataTable label="Transactions" columns={TRANSACTION_COLUMNS}>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td className="whitespace-nowrap px-3 py-2 text-slate-600">{when(entry.createdAt)}</td>
                <td className="px-3 py-2">{entry.wallet.user.email}</td>
                <td className="px-3 py-2">{ENTRY_LABELS[entry.type]}</td>
                <td className={`whitespace-nowrap px-3 py-2 text-right tabular-nums ${entry.amountMinor < 0 ? "text-red-700" : "text-emerald-700"}`}>
                  {formatMoney(entry.amountMinor, entry.wallet.currency)}
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMoney(entry.balanceAfterMinor, entry.wallet.currency)}</td>
                <td className="px-3 py-2 font-mono text-xs text-slate-500">{entry.stripeObjectId ?? "—"}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="users-heading" className="space-y-3">
        <h2 id="users-heading" className="text-xl font-semibold">Users</h2>
        <DataTable label="Users" columns={USER_COLUMNS}>
          {users.map((user) => (
            <tr key={user.id}><td className="px-3 py-2">{user.email}</td><td className="px-3 py-2">{user.name ?? "—"}</td><td className="px-3 py-2">{user.role}</td></tr>
          ))}
        </DataTable>
      </section>
    </div>
  );
}
