import Link from "next/link";
import { DataTable, EmptyState } from "@/components/data-table";
import type { LedgerEntryView } from "@/lib/ledger";
import { formatDateTime } from "@/lib/format";
import { formatMoney } from "@/lib/money";

export const ENTRY_LABELS: Record<LedgerEntryView["type"], string> = {
  TOPUP: "Top-up",
  PLAN_GRANT: "Plan credit",
  USAGE: "Usage",
  REFUND: "Refund",
  DISPUTE_HOLD: "Dispute hold",
  DISPUTE_RELEASE: "Dispute released",
  ADJUSTMENT: "Adjustment",
};

const HISTORY_COLUMNS = [
  { label: "When" },
  { label: "Type" },
  { label: "Description" },
  { label: "Amount", numeric: true },
  { label: "Balance after", numeric: true },
  { label: "Stripe reference" },
];

export function LedgerHistory({ entries, currency, nextCursor, isFirstPage }: { entries: LedgerEntryView[]; currency: string; nextCursor: string | null; isFirstPage: boolean }) {
  if (entries.length === 0) {
    return <EmptyState title="No transactions yet">Top-ups, plan credits and spending will appear here.</EmptyState>;
  }
  return (
    <div className="space-y-3">
      <DataTable label="Wallet history" columns={HISTORY_COLUMNS}>
        {entries.map((entry) => (
          <tr key={entry.id} data-testid="ledger-row">
            <td className="whitespace-nowrap px-3 py-2 text-slate-600">
              <time dateTime={entry.createdAt.toISOString()}>{formatDateTime(entry.createdAt)}</time>
            </td>
            <td className="px-3 py-2">{ENTRY_LABELS[entry.type]}</td>
            <td className="px-3 py-2">{entry.description ?? "—"}</td>
            <td className={`whitespace-nowrap px-3 py-2 text-right tabular-nums ${entry.amountMinor < 0 ? "text-red-700" : "text-emerald-700"}`}>
              {entry.amountMinor > 0 ? "+" : ""}
              {formatMoney(entry.amountMinor, currency)}
            </td>
            <td className={`whitespace-nowrap px-3 py-2 text-right tabular-nums ${entry.balanceAfterMinor < 0 ? "font-semibold text-red-700" : ""}`}>
              {formatMoney(entry.balanceAfterMinor, currency)}
            </td>
            <td className="px-3 py-2 font-mono text-xs text-slate-500">{entry.stripeObjectId ?? "—"}</td>
          </tr>
        ))}
      </DataTable>
      <nav aria-label="History pages" className="flex gap-3 text-sm">
        {!isFirstPage && <Link href="/wallet#history-heading" className="text-indigo-700 underline">Newest</Link>}
        {nextCursor && <Link href={`/wallet?cursor=${nextCursor}#history-heading`} className="text-indigo-700 underline">Older entries</Link>}
      </nav>
    </div>
  );
}
