import type { Purchase } from "@/lib/generated/prisma/client";
import { formatMoney } from "@/lib/money";

const STATUS_STYLES: Record<Purchase["status"], string> = {
  pending: "bg-slate-100 text-slate-700",
  processing: "bg-sky-100 text-sky-800",
  paid: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  expired: "bg-amber-100 text-amber-800",
};

const STATUS_LABELS: Record<Purchase["status"], string> = {
  pending: "Awaiting payment",
  processing: "Processing",
  paid: "Paid",
  failed: "Failed",
  expired: "Expired",
};

export function PurchaseList({ purchases }: { purchases: Purchase[] }) {
  if (purchases.length === 0) return null;
  return (
    <section aria-labelledby="purchases-heading" className="space-y-3">
      <h2 id="purchases-heading" className="text-xl font-semibold">Recent purchases</h2>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {purchases.map((purchase) => (
          <li key={purchase.id} data-testid="purchase-row" className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-sm">
            <span className="font-medium tabular-nums">{formatMoney(purchase.amountMinor, purchase.currency)}</span>
            <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[purchase.status]}`}>{STATUS_LABELS[purchase.status]}</span>
            {purchase.failureMessage && <span className="text-red-700">{purchase.failureMessage}</span>}
            <time className="ml-auto text-slate-500" dateTime={purchase.createdAt.toISOString()}>
              {purchase.createdAt.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })}
            </time>
          </li>
        ))}
      </ul>
    </section>
  );
}
