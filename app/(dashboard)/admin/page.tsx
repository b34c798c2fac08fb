import Link from "next/link";
import { getAdminOverview } from "@/lib/admin";
import { formatDateTime } from "@/lib/core/format";
import { requireAdmin } from "@/lib/accounts";
import { getWebhookHealth } from "@/lib/events";

export const metadata = { title: "Admin" };

const percent = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toFixed(1)}%`);

export default async function AdminOverviewPage() {
  await requireAdmin("/admin");
  const [overview, health] = await Promise.all([getAdminOverview(), getWebhookHealth()]);
  const stats: Array<{ label: string; value: string; href?: string; alert?: boolean }> = [
    { label: "Users", value: String(overview.users), href: "/admin/users" },
    { label: "24 h webhook success", value: percent(health.last24h.successRate), href: "/admin/webhooks" },
    { label: "Failed events", value: String(health.failed), href: "/admin/webhooks?status=failed", alert: health.failed > 0 },
    { label: "Dead events", value: String(health.dead), href: "/admin/webhooks?status=dead", alert: health.dead > 0 },
    { label: "Unmatched events", value: String(health.unmatched.waiting), href: "/admin/webhooks?status=unmatched", alert: health.unmatched.overdue > 0 },
    { label: "Pending events", value: String(health.pending), href: "/admin/webhooks?status=received" },
  ];
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Admin</h1>
        <p className="text-sm text-slate-600">
          Webhooks are <strong data-testid="webhook-health">{health.status}</strong>; last event {health.lastEventAt ? formatDateTime(new Date(health.lastEventAt), { seconds: true }) : "never"}.
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        {stats.map((stat) => (
          <div key={stat.label} className={`rounded-lg border bg-white p-4 ${stat.alert ? "border-red-300" : "border-slate-200"}`}>
            <dt className="text-xs uppercase text-slate-500">{stat.label}</dt>
            <dd className={`text-2xl font-semibold tabular-nums ${stat.alert ? "text-red-700" : ""}`}>
              {stat.href ? <Link href={stat.href} className="hover:underline">{stat.value}</Link> : stat.value}
            </dd>
          </div>
        ))}
      </dl>
      <ul className="grid gap-3 text-sm sm:grid-cols-2">
        <li><Link className="font-medium text-indigo-700 underline" href="/admin/entries">Entries</Link>: every ledger entry, filtered, totalled and exported.</li>
        <li><Link className="font-medium text-indigo-700 underline" href="/admin/users">Users</Link>: balances, plans, adjustments and refunds.</li>
        <li><Link className="font-medium text-indigo-700 underline" href="/admin/webhooks">Webhooks</Link>: the event log, payloads and replay.</li>
        <li><Link className="font-medium text-indigo-700 underline" href="/admin/reconcile">Reconcile</Link>: Stripe against the ledger, and backfill.</li>
        <li><Link className="font-medium text-indigo-700 underline" href="/admin/audit">Audit log</Link>: every admin action.</li>
      </ul>
    </div>
  );
}
