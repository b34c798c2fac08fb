import { randomUUID } from "node:crypto";
import { GrantForm } from "@/components/admin/grant-form";
import { VoidGrantForm } from "@/components/admin/void-grant-form";
import { DataTable, EmptyState } from "@/components/data-table";
import { GrantExpiry, GrantStateBadge } from "@/components/wallet/grants";
import { listUserGrantsForAdmin } from "@/lib/ledger";
import { formatDateTime } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";

const GRANT_COLUMNS = [
  { label: "Added" },
  { label: "Source" },
  { label: "Amount", numeric: true },
  { label: "Remaining", numeric: true },
  { label: "Priority", numeric: true },
  { label: "Expires (UTC)" },
  { label: "State" },
  { label: "Draws", numeric: true },
  { label: "Void" },
];

/**
 * The admin user page's "Credit grants": every grant in every state, the form that issues promotional
 * credit, and a void form on each active promotional grant (paid credit is refunded, never voided).
 */
export async function UserGrants({ userId, currencies }: { userId: string; currencies: Array<{ code: string; symbol: string }> }) {
  const grants = await listUserGrantsForAdmin(userId);
  return (
    <section aria-labelledby="credit-grants-heading" className="space-y-4">
      <h2 id="credit-grants-heading" className="text-lg font-semibold">Credit grants</h2>
      {grants.length === 0 ? (
        <EmptyState title="No grants yet">Every credit (top-up, plan credit, promotional credit, adjustment) opens a grant.</EmptyState>
      ) : (
        <DataTable label="Credit grants" columns={GRANT_COLUMNS}>
          {grants.map((grant) => (
            <tr key={grant.id} data-testid="admin-grant-row" data-grant-id={grant.id} data-state={grant.state}>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDateTime(grant.createdAt)}</td>
              <td className="px-3 py-2">
                {grant.sourceLabel}
                <span className="block text-xs text-slate-500">{grant.kindLabel}</span>
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMoney(grant.amountMinor, grant.currency)}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums" data-testid="grant-remaining">{formatMoney(grant.remainingMinor, grant.currency)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{grant.priority}</td>
              <td className="px-3 py-2 text-slate-700"><GrantExpiry grant={grant} /></td>
              <td className="max-w-56 px-3 py-2">
                <GrantStateBadge state={grant.state} />
                {grant.voidReason && <span className="block break-words text-xs text-slate-600">Reason: {grant.voidReason}</span>}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{grant.drawCount}</td>
              <td className="min-w-64 px-3 py-2">
                {grant.category === "promotional" && grant.state === "active" ? <VoidGrantForm grantId={grant.id} /> : <span className="text-sm text-slate-500">—</span>}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <div className="max-w-2xl space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h3 className="font-semibold">Issue promotional credit</h3>
        <p className="text-sm text-slate-600">
          Given credit, never refunded in cash. It is spent before bought credit unless you set a higher priority number, and what is left leaves on its expiry date. Recorded in the audit log with the reason.
        </p>
        <GrantForm userId={userId} currencies={currencies} requestKey={randomUUID()} />
      </div>
    </section>
  );
}
