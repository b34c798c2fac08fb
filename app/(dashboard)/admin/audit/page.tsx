import Link from "next/link";
import { z } from "zod";
import { DataTable, EmptyState } from "@/components/data-table";
import { AUDIT_PAGE_SIZE } from "@/lib/admin";
import { AUDIT_ACTION_LABELS, getAuditLog } from "@/lib/admin";
import { formatDateTime } from "@/lib/core/format";
import { AdminAction } from "@/lib/generated/prisma/enums";
import { requireAdmin } from "@/lib/accounts";

export const metadata = { title: "Audit log · Admin" };

const COLUMNS = [{ label: "When" }, { label: "Admin" }, { label: "Action" }, { label: "Concerning" }, { label: "What happened" }, { label: "Reason" }, { label: "Details" }];

const searchSchema = z.object({
  action: z.enum(AdminAction).optional().catch(undefined),
  after: z.string().max(512).optional().catch(undefined),
});

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("/admin/audit");
  const query = searchSchema.parse(await searchParams);
  const { entries, nextCursor } = await getAuditLog({ action: query.action }, { after: query.after, take: AUDIT_PAGE_SIZE });
  const pageLink = (after?: string) => {
    const params = new URLSearchParams();
    if (query.action) params.set("action", query.action);
    if (after) params.set("after", after);
    const search = params.toString();
    return search ? `/admin/audit?${search}` : "/admin/audit";
  };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <p className="text-sm text-slate-600">Every adjustment, refund, promotional grant, void, replay and backfill an admin made, newest first. Entries are never changed or removed.</p>
      <form className="flex flex-wrap items-end gap-3 text-sm" method="get">
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Action</span>
          <select name="action" defaultValue={query.action ?? ""} className="rounded border border-slate-300 px-2 py-1.5">
            <option value="">All actions</option>
            {Object.values(AdminAction).map((action) => <option key={action} value={action}>{AUDIT_ACTION_LABELS[action]}</option>)}
          </select>
        </label>
        <button type="submit" className="rounded bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Filter</button>
      </form>
      {entries.length === 0 ? (
        <EmptyState title={query.action ? "No actions of this kind yet" : "No admin actions yet"}>Adjustments, refunds, grants, voids, replays and backfills appear here.</EmptyState>
      ) : (
        <DataTable label="Audit log" columns={COLUMNS}>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-row">
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDateTime(entry.createdAt, { seconds: true })}</td>
              <td className="px-3 py-2">{entry.adminEmail}</td>
              <td className="px-3 py-2 font-medium">{entry.actionLabel}</td>
              <td className="px-3 py-2 break-all">
                {entry.subject.href ? <Link href={entry.subject.href} className="text-slate-800 underline">{entry.subject.label}</Link> : entry.subject.label}
              </td>
              <td className="px-3 py-2" data-testid="audit-summary">{entry.summary}</td>
              <td className="px-3 py-2">{entry.reason ?? "—"}</td>
              <td className="max-w-md px-3 py-2">
                <details>
                  <summary className="cursor-pointer text-xs text-slate-600">Stored record</summary>
                  <pre className="mt-1 whitespace-pre-wrap break-all text-xs text-slate-600">{JSON.stringify(entry.details, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <nav aria-label="Audit log pages" className="flex gap-4 text-sm">
        {query.after && <Link href={pageLink()} className="text-slate-700 underline">First page</Link>}
        {nextCursor && <Link href={pageLink(nextCursor)} className="text-slate-700 underline">Next page</Link>}
      </nav>
    </div>
  );
}
