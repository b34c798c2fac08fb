import Link from "next/link";
import type { LedgerEntryView } from "@/lib/ledger";
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

export function LedgerHistory({ entries, currency, nextCursor, isFirstPage }: { entries: LedgerEntryView[]; currency: string; nextCursor: string | null; isFirstPage: boolean }) {
  if (entries.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
        <p className="font-medium">No transactions yet</p>
        <p className="text-sm">Top-ups, plan credits and spending will appear here.</p>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-sm" aria-label="Wallet history">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">When</th>
              <th scope="col" className="px-4 py-2">Type</th>
              <th scope="col" className="px-4 py-2">Description</th>
              <th scope="col" className="px-4 py-2 text-right">Amount</th>
              <th scope="col" className="px-4 py-2 text-right">Balance after</th>
              <th scope="col" className="px-4 py-2">Stripe reference</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="ledger-row">
                <td className="whitespace-nowrap px-4 py-2 text-slate-600">
                  <time dateTime={entry.createdAt.toISOString()}>{entry.createdAt.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })}</time>
                </td>
                <td className="px-4 py-2">{ENTRY_LABELS[entry.type]}</td>
                <td className="px-4 py-2">{entry.description ?? "—"}</td>
                <td className={`whitespace-nowrap px-4 py-2 text-right tabular-nums ${entry.amountMinor < 0 ? "text-red-700" : "text-emerald-700"}`}>
                  {entry.amountMinor > 0 ? "+" : ""}
                  {formatMoney(entry.amountMinor, currency)}
                </td>
                <td className={`whitespace-nowrap px-4 py-2 text-right tabular-nums ${entry.balanceAfterMinor < 0 ? "font-semibold text-red-700" : ""}`}>
                  {formatMoney(entry.balanceAfterMinor, currency)}
                </td>
                <td className="px-4 py-2 font-mono text-xs text-slate-500">{entry.stripeObjectId ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="History pages" className="flex gap-3 text-sm">
        {!isFirstPage && <Link href="/wallet#history-heading" className="text-indigo-700 underline">Newest</Link>}
        {nextCursor && <Link href={`/wallet?cursor=${nextCursor}#history-heading`} className="text-indigo-700 underline">Older entries</Link>}
      </nav>
    </div>
  );
}
